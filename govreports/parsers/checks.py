"""The identities of TABLES.md, evaluated on the cells as printed.

A check passes, fails, or cannot be assessed (a term is missing, ambiguous or not applicable).
Blank cells are read as 0 only to evaluate, and the detail says so: many agencies leave zeros
blank, and whether that reading is right is the analyst's call. A check that holds only with
blanks read as 0 passes (said in the detail); one that breaks with blanks among its terms is
not_assessable, not fail: "fail" is a claim that the printed numbers contradict each other.
Numbers are never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from govreports.parsers.model import Cell, Check
from govreports.parsers.registry import REQUEST_COLS, TEMPLATES, Template
from govreports.parsers.values import Number

_TOLERANCE = 1e-6
_ORG_COLS = tuple(c.key for c in REQUEST_COLS if c.key != "total")

Cells = Mapping[tuple[str, str, str], Cell]
Key = tuple[str, str, str]
_UNUSABLE = frozenset(("missing", "ambiguous", "na"))


@dataclass(frozen=True, slots=True)
class SumCheck:
    """One identity instance: the sum of the left cells equals the sum of the right ones."""

    check_id: str
    subject: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]
    describe: str


def _sum_check(spec: SumCheck, cells: Cells) -> Check:
    """left == right, with every term a cell. One pass over the terms: this runs 42 times a page."""
    sums: list[Number] = [0, 0]
    blanks = inferred = 0
    unusable: set[str] = set()
    n_unusable = 0
    for side, keys in enumerate((spec.left, spec.right)):
        for key in keys:
            c = cells.get(key)
            status = "missing" if c is None else c.status
            if status in _UNUSABLE:
                unusable.add(status)
                n_unusable += 1
            elif c is not None:
                if status == "blank":
                    blanks += 1
                elif status == "inferred":
                    inferred += 1
                sums[side] += c.value or 0
    if n_unusable:
        why = ", ".join(sorted(unusable))
        return Check(spec.check_id, spec.subject, "not_assessable", f"{spec.describe}: {n_unusable} term(s) {why}")
    lhs, rhs = sums
    ok = abs(lhs - rhs) <= _TOLERANCE
    detail = f"{spec.describe}: {_fmt(lhs)} {'=' if ok else '≠'} {_fmt(rhs)}"
    if blanks:
        detail += f" (reading {blanks} blank cell(s) as 0)"
    if inferred:
        detail += f" ({inferred} inferred cell(s))"
    if not ok and blanks:
        # A blank is not a printed 0 (an unfilled 总计 column is common): the printed numbers
        # do not show the source inconsistent, so no "fail" is claimed.
        return Check(spec.check_id, spec.subject, "not_assessable", detail + "; blank cells are not numbers, so this is no failure")
    return Check(spec.check_id, spec.subject, "pass" if ok else "fail", detail)


def _fmt(n: Number) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def evaluate(template: Template, cells: Cells) -> list[Check]:
    return [_sum_check(spec, cells) for spec in identities(template.id)]


@lru_cache(maxsize=None)
def identities(template_id: str) -> tuple[SumCheck, ...]:
    """Every identity of a template, spelled out as cell keys once per process."""
    requests = TEMPLATES[template_id].table("requests").blocks[0]
    outcome_rows = [row.key for row in requests.rows if row.role == "outcome"]
    specs: list[SumCheck] = []
    for col in requests.cols:
        c = col.key
        specs.append(SumCheck(
            "requests_balance", f"requests/*/{c}",
            tuple(("requests", r, c) for r in ("new_received", "carried_over")),
            tuple(("requests", r, c) for r in ("total_processed", "carried_forward")),
            "new_received + carried_over vs total_processed + carried_forward",
        ))
        specs.append(SumCheck(
            "requests_outcomes", f"requests/*/{c}",
            (("requests", "total_processed", c),),
            tuple(("requests", r, c) for r in outcome_rows),
            f"total_processed vs the sum of {len(outcome_rows)} outcome rows",
        ))
    for row in requests.rows:
        specs.append(SumCheck(
            "requests_row_total", f"requests/{row.key}/total",
            (("requests", row.key, "total"),),
            tuple(("requests", row.key, c) for c in _ORG_COLS),
            "total vs the sum of the six applicant columns",
        ))
    for group in ("review", "suit_direct", "suit_after_review"):
        specs.append(SumCheck(
            "appeals_group_total", f"appeals/cases/{group}_*",
            (("appeals", "cases", f"{group}_total"),),
            tuple(("appeals", "cases", f"{group}_{k}") for k in ("upheld", "corrected", "other", "pending")),
            f"{group}_total vs upheld + corrected + other + pending",
        ))
    return tuple(specs)
