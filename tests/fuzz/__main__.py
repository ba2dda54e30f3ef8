"""`python -m tests.fuzz` (`make fuzz`): render gold tables in every form, parse, score.

Prints the correct share per form and every silently wrong cell; exits 1 on any silently wrong
cell or crash (the gate), 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from tests.fuzz.render import FORMS
from tests.fuzz.score import run, summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m tests.fuzz",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--seed", type=int, default=1, help="seed of the synthetic tables and the renderings"
    )
    ap.add_argument(
        "--synthetic", type=int, default=40, help="synthetic gold tables besides the fixtures' gold"
    )
    ap.add_argument("--form", action="append", choices=FORMS, help="only these forms (repeatable)")
    ap.add_argument("--show", type=int, default=5, help="wrong cells shown per failing page")
    args = ap.parse_args(argv)
    cases = run(args.seed, args.synthetic, tuple(args.form or FORMS))
    bad = [c for c in cases if c.wrong or c.crash]
    for c in bad:
        print(f"\n{c.gold.name} · {c.description} · status {c.status}")
        if c.crash:
            print(f"  CRASH {c.crash}")
        for w in c.wrong[: args.show]:
            print(f"  {w}")
        if len(c.wrong) > args.show:
            print(f"  … {len(c.wrong) - args.show} more")
    print()
    print("\n".join(summary(cases)))
    wrong = sum(len(c.wrong) for c in cases)
    crashes = sum(1 for c in cases if c.crash)
    print(f"silently wrong cells: {wrong} on {len(bad)} of {len(cases)} pages; crashes: {crashes}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
