"""`make demo`: parse every bundled fixture offline and show what came out.

Until the crawler and the dataset exist (their issues are open) the demo is the parser on the
real corpus pages and the CMS-shaped pages in fixtures/: one full table, then a line per page.
"""

from __future__ import annotations

from pathlib import Path

from output.terminal import render_report, summary_line
from parsers import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def main() -> int:
    pages = sorted((FIXTURES / "pages").iterdir()) + sorted((FIXTURES / "bad").iterdir())
    first = FIXTURES / "pages" / "shanghai-2019.html"
    print(render_report(parse(first.read_bytes(), str(first))))
    print("\n" + "=" * 100 + "\nEvery bundled page, one line each:\n")
    for path in pages:
        report = parse(path.read_bytes(), str(path))
        line = summary_line(report)
        why = f"  ({report.problems[-1]})" if report.status != "ok" and report.problems else ""
        print(f"{path.parent.name}/{path.name}\n    {line}{why}")
    print("\nTry: .venv/bin/govreports parse fixtures/pages/seed-nanhuang-2020.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
