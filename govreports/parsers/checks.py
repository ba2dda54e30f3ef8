"""The identities of TABLES.md, evaluated on the cells as printed.

A check passes, fails, or cannot be assessed (a term is missing, ambiguous or not applicable).
Blank cells are read as 0 only to evaluate, and the detail says so: many agencies leave zeros
blank, and whether that reading is right is the analyst's call. A check that holds only with
blanks read as 0 passes (said in the detail); one that breaks with blanks among its terms is
not_assessable, not fail: "fail" is a claim that the printed numbers contradict each other.
Numbers are never changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from govreports.parsers.model import Cell, Check
from govreports.parsers.registry import Identity, Template
from govreports.parsers.statuses import CellStatus, CheckResult
from govreports.parsers.values import Number

_TOLERANCE = 1e-6

Cells = Mapping[tuple[str, str, str], Cell]
Key = tuple[str, str, str]
_UNUSABLE = frozenset((CellStatus.MISSING, CellStatus.AMBIGUOUS, CellStatus.NA))


def _sum_check(spec: Identity, cells: Cells) -> Check:
    """left == right, with every term a cell. One pass over the terms: this runs 42 times a page."""
    sums: list[Number] = [0, 0]
    blanks = inferred = 0
    unusable: set[str] = set()
    n_unusable = 0
    for side, keys in enumerate((spec.left, spec.right)):
        for key in keys:
            c = cells.get(key)
            status = CellStatus.MISSING if c is None else c.status
            if status in _UNUSABLE:
                unusable.add(status)
                n_unusable += 1
            elif c is not None:
                if status == CellStatus.BLANK:
                    blanks += 1
                elif status == CellStatus.INFERRED:
                    inferred += 1
                sums[side] += c.value or 0
    if n_unusable:
        why = ", ".join(sorted(unusable))
        return Check(
            spec.id,
            spec.subject,
            CheckResult.NOT_ASSESSABLE,
            f"{spec.describe}: {n_unusable} term(s) {why}",
        )
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
        return Check(
            spec.id,
            spec.subject,
            CheckResult.NOT_ASSESSABLE,
            detail + "; blank cells are not numbers, so this is no failure",
        )
    return Check(spec.id, spec.subject, CheckResult.PASS if ok else CheckResult.FAIL, detail)


def _fmt(n: Number) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def evaluate(template: Template, cells: Cells) -> list[Check]:
    return [_sum_check(spec, cells) for spec in template.identities]
