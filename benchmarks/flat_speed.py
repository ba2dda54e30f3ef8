"""Parse time of flattened pages over the generated corpus (tests/fuzz): every gold table in
every form, one parse each on one core. Prints p50, p99 and max per form and overall, and the
slowest pages. Targets (issue 13): no page over 1 s, the median flattened page under 50 ms.
Asserts nothing.

    python benchmarks/flat_speed.py [--seed N] [--synthetic N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.fuzz lives in the checkout

from govreports.parsers import parse  # noqa: E402
from tests.fuzz.render import FORMS, render  # noqa: E402
from tests.fuzz.score import golds  # noqa: E402

FLAT = tuple(f for f in FORMS if f != "html_table")


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--synthetic", type=int, default=60)
    args = ap.parse_args()
    timings: list[tuple[float, str, str]] = []
    for gold in golds(args.seed, args.synthetic):
        for form in FORMS:
            data, _, description = render(gold, form, args.seed)
            start = time.perf_counter()
            parse(data, "http://bench.test/")
            timings.append((time.perf_counter() - start, form, f"{gold.name} · {description}"))
    print(f"{'form':<14} {'pages':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for form in (*FORMS, "all flat"):
        mine = [t for t, f, _ in timings if (f == form or (form == "all flat" and f in FLAT))]
        print(
            f"{form:<14} {len(mine):>5} {1000 * statistics.median(mine):>8.1f} "
            f"{1000 * quantile(mine, 0.99):>8.1f} {1000 * max(mine):>8.1f}"
        )
    print("slowest:")
    for t, _, name in sorted(timings, reverse=True)[:5]:
        print(f"  {1000 * t:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
