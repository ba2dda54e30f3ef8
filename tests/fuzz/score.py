"""Score a parse of a rendered page against the printed table: correct / flagged / silently wrong."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from govreports.cli.evaluate import cell_verdict
from govreports.parsers import parse
from tests.fuzz.render import FORMS, render
from tests.fuzz.tables import GoldTable, fixture_tables, synthetic_table


@dataclass
class Case:
    gold: GoldTable
    form: str
    seed: int
    description: str = ""
    verdicts: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    crash: str | None = None
    status: str = ""


def run_case(gold: GoldTable, form: str, seed: int) -> Case:
    case = Case(gold, form, seed)
    data, printed, case.description = render(gold, form, seed)
    try:
        report = parse(data, f"http://fuzz.test/{gold.name}/{form}/{seed}")
    except Exception as exc:  # the gate: no crash
        case.crash = f"{type(exc).__name__}: {exc}"
        return case
    case.status = report.status
    cells = {c.address: c for c in report.cells}
    for address, truth in printed.truth.items():
        cell = cells.get(address)
        verdict = "flagged" if cell is None else cell_verdict(truth, cell.status, cell.value)
        case.verdicts[verdict] += 1
        if verdict == "wrong" and cell is not None:
            case.wrong.append(
                f"{address}: {cell.status} {cell.value!r} basis={cell.basis} "
                f"(printed {printed.text[address]!r})"
            )
    return case


def golds(seed: int, synthetic: int) -> list[GoldTable]:
    return fixture_tables() + [synthetic_table(seed, i) for i in range(synthetic)]


def run(
    seed: int, synthetic: int, forms: tuple[str, ...] = FORMS, sample: int | None = None
) -> list[Case]:
    cases = [(g, f) for g in golds(seed, synthetic) for f in forms]
    if sample is not None and sample < len(cases):
        cases = random.Random(seed).sample(cases, sample)
    return [run_case(g, f, seed) for g, f in cases]


def summary(cases: list[Case]) -> list[str]:
    lines = [
        f"{'form':<14} {'pages':>5} {'cells':>7} {'correct':>8} {'flagged':>8} {'wrong':>6} {'crash':>5}"
    ]
    for form in FORMS:
        mine = [c for c in cases if c.form == form]
        if not mine:
            continue
        v: Counter[str] = sum((c.verdicts for c in mine), Counter())
        total = sum(v.values())
        share = 100 * v["correct"] / total if total else 0.0
        lines.append(
            f"{form:<14} {len(mine):>5} {total:>7} {share:>7.1f}% {v['flagged']:>8} {v['wrong']:>6} "
            f"{sum(1 for c in mine if c.crash):>5}"
        )
    return lines
