"""The govreports command line: a thin layer of argument parsing, calls and exit codes.

Exit codes are a contract with cron wrappers and scripts; never renumber them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from parsers import MAX_BYTES, Report, parse
from parsers.sizes import megabytes

from .crawl_commands import CRAWL_EXIT_HELP, add_commands
from .export_commands import add_export, add_output_options, print_summary

DATA_DIR = "./govreports-data"

from .exits import EXIT_FETCH, EXIT_GAPS, EXIT_NOT_REPORT, EXIT_OK, EXIT_USAGE

EXIT_CODES_HELP = """exit codes:
  0  parsed: every template cell found (identities may still fail: that is the source's fact)
  1  parsed with gaps: some cells missing, or a report whose tables are absent, images,
     attachments or pre-2019 (no national template)
  2  usage error
  3  not parseable as a report: not a report, empty, binary, undecodable, over the size cap,
     unreadable file
  4  fetch failed (HTTP error, timeout, redirect loop, size cap while downloading)
With several sources the highest code wins."""

_STATUS_EXIT = {"ok": EXIT_OK, "partial": EXIT_GAPS, "no_tables": EXIT_GAPS, "not_a_report": EXIT_NOT_REPORT}


def _error(message: str) -> None:
    print(f"govreports: {message}", file=sys.stderr)


def _load(source: str, max_bytes: int) -> tuple[bytes, dict[str, str] | None, str]:
    """Bytes, HTTP headers and location of a source; raises _SourceError with an exit code."""
    if source.startswith(("http://", "https://")):
        from scraper.fetch import FetchError, fetch

        try:
            fetched = fetch(source, max_bytes=max_bytes)
        except FetchError as exc:
            raise _SourceError(EXIT_FETCH, f"fetch failed: {exc}") from None
        return fetched.content, fetched.headers, fetched.final_url
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _SourceError(EXIT_NOT_REPORT, f"stdin: more than {megabytes(max_bytes)}, over the size cap (--max-bytes)")
        return data, None, "-"
    path = Path(source)
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise _SourceError(
                EXIT_NOT_REPORT, f"{source}: file is {megabytes(size)}, over the {megabytes(max_bytes)} size cap (--max-bytes)"
            )
        return path.read_bytes(), None, str(path)
    except OSError as exc:
        raise _SourceError(EXIT_NOT_REPORT, f"{source}: cannot read file: {exc.strerror or exc}") from None


class _SourceError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def cmd_parse(args: argparse.Namespace) -> int:
    from output.json_out import render_json
    from output.terminal import render_report

    worst = EXIT_OK
    parsed: list[Report] = []
    jsonl = args.json and len(args.sources) > 1
    for source in args.sources:
        try:
            data, headers, location = _load(source, args.max_bytes)
        except _SourceError as exc:
            _error(str(exc))
            worst = max(worst, exc.code)
            continue
        report: Report = parse(data, location, headers, max_bytes=args.max_bytes)
        parsed.append(report)
        if args.json:
            text = render_json(report)
            print(text.replace("\n", "").replace("  ", "") if jsonl else text)
        else:
            print(render_report(report))
            if len(args.sources) > 1:
                print()
        if report.status == "not_a_report":
            _error(f"{location}: not parseable as a report: {'; '.join(report.problems)}")
        worst = max(worst, _STATUS_EXIT[report.status])
    if args.out:
        from output.dataset import entries_from_reports
        from output.export import export

        summary = export(entries_from_reports(parsed), args.out, formats=args.formats,
                         csv_bom=args.csv_encoding == "utf-8-sig", blank_as_zero=args.blank_as_zero)
        print_summary(Path(args.out), summary)
    return worst


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import FIXTURES, evaluate_all, format_scores

    scores = evaluate_all(Path(args.fixtures) if args.fixtures else FIXTURES)
    print(format_scores(scores))
    return EXIT_OK if all(s.wrong == 0 for s in scores) else EXIT_GAPS


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
    parser.add_argument("--version", action="version", version="%(prog)s 0.1.0")
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
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="a file path, an http(s) URL, or - for stdin")
    p.add_argument("--json", action="store_true", help="print the JSON contract (one object; JSON Lines for several sources)")
    p.add_argument(
        "--max-bytes", type=int, default=MAX_BYTES, metavar="N", help=f"size cap per page (default {MAX_BYTES} = 20 MB)"
    )
    p.add_argument("--out", metavar="DIR", help="also write the dataset files for these reports to DIR, as `govreports export` does")
    add_output_options(p)
    p.set_defaults(func=cmd_parse)

    e = sub.add_parser(
        "eval",
        help="accuracy on every gold fixture: cells correct, flagged, silently wrong",
        description="Parse every fixture that has a gold file (fixtures/gold/NAME.json) and count cells "
        "correct, flagged (ambiguous or missing) and silently wrong. Exit 1 if any cell is silently wrong.",
    )
    e.add_argument("--fixtures", metavar="DIR", help="fixtures folder (default: the project's fixtures/)")
    e.set_defaults(func=cmd_eval)

    add_commands(sub, DATA_DIR, MAX_BYTES)
    add_export(sub, DATA_DIR)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
