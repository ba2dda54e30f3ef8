"""Parse speed on the HTML fixtures, against two yardsticks measured in the same run:
lxml parsing the same bytes (the floor: nothing that reads the markup can be faster) and
pandas.read_html (what a user would reach for first). Prints figures; asserts nothing.

    python benchmarks/parse_speed.py [--seconds N]
"""

from __future__ import annotations

import argparse
import io
import time
import warnings
from pathlib import Path
from typing import Callable

import pandas as pd
from lxml import etree

from parsers import parse
from parsers.decode import decode

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


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
    print(f"{'page':<40}{'KB':>6}{'parse/s':>10}{'lxml/s':>10}{'read_html/s':>13}{'vs lxml':>9}{'vs pandas':>11}")
    ours_t = floor_t = 0.0
    both_ours_t = theirs_t = 0.0
    for path in pages:
        data = path.read_bytes()
        # The floor: lxml parsing the same page, decoded the same way, with the parser we use.
        utf8 = decode(data).text.encode("utf-8")
        lxml_parser = etree.HTMLParser(encoding="utf-8")
        text = utf8.decode("utf-8")
        ours = rate(lambda: parse(data, str(path)), args.seconds)
        floor = rate(lambda: etree.fromstring(utf8, parser=lxml_parser), args.seconds)
        ours_t, floor_t = ours_t + 1 / ours, floor_t + 1 / floor
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = rate(lambda: pd.read_html(io.StringIO(text), flavor="lxml"), args.seconds)
        except Exception as exc:  # noqa: BLE001 - pandas' own failure is a figure here
            print(f"{path.name:<40}{len(data) / 1024:>6.0f}{ours:>10.0f}{floor:>10.0f}"
                  f"{'fails':>13}{floor / ours:>8.1f}×{'':>11}  (read_html: {type(exc).__name__}: {exc})")
            continue
        both_ours_t, theirs_t = both_ours_t + 1 / ours, theirs_t + 1 / theirs
        print(
            f"{path.name:<40}{len(data) / 1024:>6.0f}{ours:>10.0f}{floor:>10.0f}{theirs:>13.0f}"
            f"{floor / ours:>8.1f}×{theirs / ours:>10.2f}×"
        )
    print(f"\nall {len(pages)} pages: {len(pages) / ours_t:.0f} pages/s parsed; {ours_t / floor_t:.1f}× the lxml floor (target ≤ 3×)")
    if theirs_t:
        print(f"on the pages pandas.read_html can read: {theirs_t / both_ours_t:.2f}× faster than it (target > 1×)")


if __name__ == "__main__":
    main()
