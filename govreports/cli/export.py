"""`govreports export`: the store → the dataset files researchers load."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from govreports.cli import say
from govreports.cli.exits import EXIT_OK, EXIT_USAGE
from govreports.cli.options import add_data, add_json

if TYPE_CHECKING:
    from govreports.output.codebook import ExportSummary

FORMATS_HELP = "comma-separated: csv, parquet, xlsx (default csv,parquet)"


def parse_formats(value: str) -> list[str]:
    from govreports.output.export import FORMATS

    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format(s) {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(formats))


def add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        dest="formats",
        type=parse_formats,
        default=["csv", "parquet"],
        metavar="LIST",
        help=FORMATS_HELP,
    )
    p.add_argument(
        "--csv-encoding",
        choices=("utf-8-sig", "utf-8"),
        default="utf-8-sig",
        help="utf-8-sig (default: with a BOM, so Excel shows Chinese) or plain utf-8",
    )
    p.add_argument(
        "--blank-as-zero",
        action="store_true",
        help="add a value_blank_as_zero column to cells (blank read as 0; the plain value column is unchanged)",
    )


def print_summary(outdir: Path, summary: ExportSummary, *, aside: bool = False) -> None:
    """The export's result; `aside` (parse --out, whose result is the reports) makes it a note."""
    text = (
        f"wrote {summary.reports} report(s) to {outdir}/ as {', '.join(summary.formats)}: "
        + ", ".join(f"{name} {n:,}" for name, n in summary.rows.items())
    )
    text += "".join(f"\nnote: {note}" for note in summary.notes)
    data = {"out": str(outdir), **asdict(summary)}
    say.note(text, **data) if aside else say.result(text, data)


def cmd_export(args: argparse.Namespace) -> int:
    from govreports.cli.crawl import have_store, progress_bar
    from govreports.output.dataset import entries_from_store, load_docs
    from govreports.output.export import export
    from govreports.scraper.store import Store

    if not have_store(args.data):
        return EXIT_USAGE
    with Store(args.data) as store:
        entries = entries_from_store(store)
        with progress_bar(len(entries), "report", "export") as bar:
            summary = export(
                entries,
                args.out,
                formats=args.formats,
                csv_bom=args.csv_encoding == "utf-8-sig",
                blank_as_zero=args.blank_as_zero,
                load=lambda chunk: load_docs(store, chunk),
                progress=bar.update,
            )
    print_summary(Path(args.out), summary)
    return EXIT_OK


def add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser], data_default: str) -> None:
    p = sub.add_parser(
        "export",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="write the dataset (CSV, Parquet, Excel) with its codebook from the store",
        description="Build the dataset from the store: reports, cells (long), one wide file per table "
        "layout (proactive_2019, proactive_2021, requests, appeals), checks, plus datapackage.json "
        "(Frictionless codebook, Chinese and English) and README.md. Blank stays blank, ambiguous "
        "stays empty with its candidates; nothing is written as 0 unless --blank-as-zero asks for a "
        "separate column.",
        epilog="example:\n  govreports export --data ./govreports-data --out ./dataset --format csv,parquet,xlsx\n\n"
        "exit codes: 0 written, 2 usage error, no store at --data, or one a newer govreports wrote",
    )
    add_data(p, data_default)
    p.add_argument(
        "--out",
        required=True,
        metavar="OUTDIR",
        help="where to write the files (created if needed)",
    )
    add_output_options(p)
    add_json(p, "what was written (reports, rows per file, formats, notes)")
    p.set_defaults(
        func=cmd_export, kept="nothing of this export was written; the previous one is as it was"
    )
