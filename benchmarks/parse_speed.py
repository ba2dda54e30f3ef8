"""Parse speed on the HTML fixtures, against two yardsticks measured in the same run:
lxml parsing the same bytes (the floor: nothing that reads the markup can be faster) and
pandas.read_html (what a user would reach for first). Prints figures; asserts nothing.
Columns: "÷ lxml" is how many times slower than lxml's bare parse we are (target ≤ 3);
"× pandas" how many times faster than read_html (target > 1). The parser remembers what recurs
from page to page (cell texts, label matches, header mappings), as a crawl's pages share their
labels; "cold" is the same parse with those memories emptied before every page: a process's
first page. Flattened-text pages, PDFs and a synthetic worst case (the reading search hitting
its budget) follow, in pages/s.

    python benchmarks/parse_speed.py [--seconds N]
"""

from __future__ import annotations

import argparse
import io
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from lxml import etree

from govreports.parsers import parse
from govreports.parsers.formats.decode import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = FIXTURES / "pages"


def worst_case() -> bytes:
    """A synthetic hostile page: every row of 三 a long digit run with many ways to cut it,
    glued to its label, and the appeals row one long run: the reading search hits its budget."""
    from govreports.parsers.registry import TEMPLATES

    rows = [r.label for r in TEMPLATES["2019"].table("requests").blocks[0].rows]
    text = (
        "某县2019年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况"
        + "".join(r + "9876543219876543219876543219876" for r in rows)
        + "四、政府信息公开行政复议、行政诉讼情况"
        + "123456789" * 12
        + "五、存在的主要问题及改进情况"
    )
    return text.encode("utf-8")


def forget() -> None:
    """Empty the parser's per-process memories (see the module docstring)."""
    from govreports.parsers import values
    from govreports.parsers.tables import grid, labels, readings

    values.read_cell.cache_clear()
    labels.normalize.cache_clear()
    readings._cuts.cache_clear()
    grid._COLUMN_MAPS.clear()
    for matcher in grid._ROW_MATCHERS.values():
        matcher.memo.clear()


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second, best of three rounds of about seconds/3 each."""
    fn()
    best = 0.0
    for _ in range(3):
        n, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            fn()
            n += 1
        best = max(best, n / elapsed)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=1.5, help="time per measurement (default 1.5)")
    args = ap.parse_args()
    pages = sorted(PAGES.glob("*.html"))
    print(
        f"{'page':<40}{'KB':>6}{'parse/s':>10}{'lxml/s':>10}{'read_html/s':>13}{'÷ lxml':>9}{'cold':>7}{'× pandas':>11}"
    )
    ours_t = floor_t = cold_t = 0.0
    both_ours_t = theirs_t = 0.0
    for path in pages:
        data = path.read_bytes()
        # The floor: lxml parsing the same page, decoded the same way, with the parser we use.
        utf8 = decode(data).text.encode("utf-8")
        lxml_parser = etree.HTMLParser(encoding="utf-8")
        text = utf8.decode("utf-8")
        ours = rate(lambda: parse(data, str(path)), args.seconds)
        floor = rate(lambda: etree.fromstring(utf8, parser=lxml_parser), args.seconds)

        def cold_parse() -> object:
            forget()
            return parse(data, str(path))

        cold = rate(cold_parse, args.seconds)
        ours_t, floor_t, cold_t = ours_t + 1 / ours, floor_t + 1 / floor, cold_t + 1 / cold
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = rate(lambda: pd.read_html(io.StringIO(text), flavor="lxml"), args.seconds)
        except Exception as exc:  # noqa: BLE001 - pandas' own failure is a figure here
            print(
                f"{path.name:<40}{len(data) / 1024:>6.0f}{ours:>10.0f}{floor:>10.0f}"
                f"{'fails':>13}{floor / ours:>8.1f}×{floor / cold:>6.1f}×{'':>11}  (read_html: {type(exc).__name__}: {exc})"
            )
            continue
        both_ours_t, theirs_t = both_ours_t + 1 / ours, theirs_t + 1 / theirs
        print(
            f"{path.name:<40}{len(data) / 1024:>6.0f}{ours:>10.0f}{floor:>10.0f}{theirs:>13.0f}"
            f"{floor / ours:>8.1f}×{floor / cold:>6.1f}×{ours / theirs:>10.2f}×"
        )
    print(
        f"\nall {len(pages)} pages: {len(pages) / ours_t:.0f} pages/s parsed; {ours_t / floor_t:.1f}× the lxml floor (target ≤ 3×), "
        f"{cold_t / floor_t:.1f}× cold"
    )
    if theirs_t:
        print(
            f"on the pages pandas.read_html can read: {theirs_t / both_ours_t:.2f}× faster than it (target > 1×)"
        )

    # Flattened text: no markup to measure against; the reading search is the cost. Documents: their readers.
    print(f"\n{'flattened text, documents, workbooks':<40}{'KB':>6}{'parse/s':>10}{'ms/page':>9}")
    documents = (
        sorted(PAGES.glob("*.txt"))
        + sorted((FIXTURES / "pdf").glob("*.pdf"))
        + sorted(PAGES.glob("*.doc*"))
        + sorted(PAGES.glob("*.xls*"))
    )
    texts = [(p.name, p.read_bytes()) for p in documents]
    for name, data in texts + [("synthetic worst case (budget)", worst_case())]:
        r = rate(lambda: parse(data, name), args.seconds)
        print(f"{name:<40}{len(data) / 1024:>6.0f}{r:>10.1f}{1000 / r:>9.1f}")


if __name__ == "__main__":
    main()
