"""The govreports command line: a thin layer of argument parsing, calls and exit codes.

Exit codes are a contract with cron wrappers and scripts; never renumber them.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

from govreports.api import SourceError, load_source
from govreports.cli import say
from govreports.cli.crawl import CRAWL_EXIT_HELP, add_commands
from govreports.cli.exits import (
    EXIT_FETCH,
    EXIT_GAPS,
    EXIT_INTERRUPTED,
    EXIT_NOT_REPORT,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
)
from govreports.cli.export import add_export, add_output_options, print_summary
from govreports.cli.options import add_json
from govreports.cli.status import add_status
from govreports.parsers import MAX_BYTES, Report, parse
from govreports.scraper.store import StoreTooNew
from govreports.version import __version__

# The store: --data, else $GOVREPORTS_DATA (a cron job sets it once), else ./govreports-data.
DATA_DIR = os.environ.get("GOVREPORTS_DATA") or "./govreports-data"

EXIT_CODES_HELP = """exit codes:
  0  parsed: every template cell found (identities may still fail: that is the source's fact)
  1  parsed with gaps: some cells missing, or a report whose tables are absent, images,
     attachments or pre-2019 (no national template)
  2  usage error
  3  not parseable as a report: not a report, empty, binary, undecodable, over the size cap,
     unreadable file
  4  fetch failed (HTTP error, timeout, redirect loop, size cap while downloading)
With several sources the highest code wins."""

_STATUS_EXIT = {
    "ok": EXIT_OK,
    "partial": EXIT_GAPS,
    "no_tables": EXIT_GAPS,
    "not_a_report": EXIT_NOT_REPORT,
}


def cmd_parse(args: argparse.Namespace) -> int:
    from govreports.output.json_out import render_json
    from govreports.output.terminal import render_report

    worst = EXIT_OK
    parsed: list[Report] = []
    jsonl = args.json and len(args.sources) > 1
    for source in args.sources:
        try:
            loaded = load_source(source, args.max_bytes)
        except SourceError as exc:
            say.error(str(exc))
            worst = max(worst, EXIT_FETCH if exc.fetch else EXIT_NOT_REPORT)
            continue
        location = loaded.location
        report: Report = parse(loaded.data, location, loaded.headers, max_bytes=args.max_bytes)
        parsed.append(report)
        if args.json:
            text = render_json(report)
            print(text.replace("\n", "").replace("  ", "") if jsonl else text)
        else:
            print(render_report(report))
            if len(args.sources) > 1:
                print()
        if report.status == "not_a_report":
            say.error(f"{location}: not parseable as a report: {'; '.join(report.problems)}")
        worst = max(worst, _STATUS_EXIT[report.status])
    if args.out:
        from govreports.output.dataset import entries_from_reports
        from govreports.output.export import export

        summary = export(
            entries_from_reports(parsed),
            args.out,
            formats=args.formats,
            csv_bom=args.csv_encoding == "utf-8-sig",
            blank_as_zero=args.blank_as_zero,
        )
        print_summary(Path(args.out), summary, aside=args.json)
    return worst


def cmd_eval(args: argparse.Namespace) -> int:
    from govreports.cli.evaluate import (
        NothingToEvaluate,
        baseline_problems,
        evaluate_all,
        format_scores,
        record_baseline,
        scores_json,
    )

    root = Path(args.fixtures) if args.fixtures else None
    try:
        scores = evaluate_all(root)
    except NothingToEvaluate as exc:
        say.error(f"eval: {exc}")
        return EXIT_NOT_REPORT
    recorded = record_baseline(scores, root) if args.record_baseline else None
    problems = [] if recorded else baseline_problems(scores, root)
    text = format_scores(scores) + (f"\nbaseline recorded: {recorded}" if recorded else "")
    say.result(text, scores_json(scores, problems))
    for p in problems:
        say.error(f"eval: {p}")
    if recorded:
        return EXIT_OK if all(s.wrong == 0 for s in scores) else EXIT_GAPS
    return EXIT_OK if not problems else EXIT_GAPS


def cmd_demo(args: argparse.Namespace) -> int:
    from govreports.cli.demo import run

    return run(Path(args.out), as_json=args.json)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreports",
        description="Turn 政府信息公开工作年度报告 (government information-disclosure annual reports) "
        "into checked, keyed tables: every number as printed, or flagged.",
        epilog="each command's --help lists its exit codes.\n\ngovreports parse:\n"
        + EXIT_CODES_HELP.split("\n", 1)[1]
        + "\n\ngovreports crawl:\n"
        + CRAWL_EXIT_HELP.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "parse",
        help="parse report pages (file, URL or stdin) and print their tables",
        description="Parse one or more report pages and print the statistical tables (二 proactive, "
        "三 requests, 四 appeals) with a status for every cell, the identities checked, and the "
        "report's metadata. Nothing is written anywhere.",
        epilog="examples:\n  govreports parse fixtures/pages/shanghai-2019.html\n"
        "  govreports parse --json https://www.example.gov.cn/art/2021/1/29/art_1.html\n"
        "  curl -s URL | govreports parse -\n\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a file path, an http(s) URL, or - for stdin"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the JSON contract (one object; JSON Lines for several sources)",
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=MAX_BYTES,
        metavar="N",
        help=f"size cap per page (default {MAX_BYTES} = 20 MB)",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        help="also write the dataset files for these reports to DIR, as `govreports export` does",
    )
    add_output_options(p)
    p.set_defaults(func=cmd_parse)

    e = sub.add_parser(
        "eval",
        help="accuracy on every gold fixture: cells correct, flagged, silently wrong",
        description="Parse every fixture that has a gold file (fixtures/gold/NAME.json) and count cells "
        "correct, flagged (ambiguous or missing) and silently wrong, per fixture and per form. Then gate on "
        "eval-baseline.json beside gold/: exit 1 if any cell is silently wrong, a fixture falls below its "
        "baseline, a gold fixture has no baseline entry, or a gold file changed since the baseline was recorded.",
    )
    e.add_argument(
        "--fixtures",
        metavar="DIR",
        help="a folder with gold/ and pages/ (default: the samples installed with govreports)",
    )
    e.add_argument(
        "--record-baseline",
        action="store_true",
        help="write eval-baseline.json from this run (correct cells and each gold file's sha256); "
        "only after checking any changed gold by hand",
    )
    add_json(e, "the scores (per fixture and in total) and the baseline's problems")
    e.set_defaults(func=cmd_eval)

    d = sub.add_parser(
        "demo",
        help="the whole job offline: crawl a fake government web on loopback, export, draw an overview",
        description="Serve the bundled sample reports as five agencies' sites on loopback HTTP "
        "servers, crawl them with `govreports crawl`, export the store with `govreports export` "
        "and draw overview.html. Nothing leaves this machine. DIR is emptied first.",
    )
    d.add_argument(
        "--out",
        metavar="DIR",
        default="demo-output",
        help="where the store and dataset go (default ./demo-output)",
    )
    add_json(d, "the crawl's and the export's results and the dataset's counts")
    d.set_defaults(func=cmd_demo, kept="the demo output is incomplete; run it again")

    add_commands(sub, DATA_DIR, MAX_BYTES)
    add_export(sub, DATA_DIR)
    add_status(sub, DATA_DIR)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the main thread is, so a stop from systemd or `kill` unwinds the
    way Ctrl-C does: context managers close the store, release the lock and drop the export's
    staging folder; worker pools are shut down."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    say.use_json(bool(getattr(args, "json", False)))
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        return int(args.func(args))
    except StoreTooNew as exc:  # written by a newer release: refused, untouched
        say.error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        how = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        say.error(f"{how}: {getattr(args, 'kept', 'nothing was written')}")
        return EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
