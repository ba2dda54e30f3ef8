"""The identities of TABLES.md, evaluated on the cells as printed.

A check passes, fails, or cannot be assessed (a term is missing, ambiguous or not applicable).
Blank cells are read as 0 only to evaluate, and the detail says so: many agencies leave zeros
blank, and whether that reading is right is the analyst's call. A check that holds only with
blanks read as 0 passes (said in the detail); one that breaks with blanks among its terms is
not_assessable, not fail: "fail" is a claim that the printed numbers contradict each other.
Numbers are never changed.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .model import Cell, Check
from .registry import REQUEST_COLS, Template
from .values import Number

_TOLERANCE = 1e-6
_ORG_COLS = tuple(c.key for c in REQUEST_COLS if c.key != "total")

Cells = Mapping[tuple[str, str, str], Cell]


def _sum_check(
    check_id: str,
    subject: str,
    left: Iterable[Cell | None],
    right: Iterable[Cell | None],
    describe: str,
) -> Check:
    """left == right, with every term a cell."""
    left, right = list(left), list(right)
    terms = left + right
    unusable = [c for c in terms if c is None or c.status in ("missing", "ambiguous", "na")]
    if unusable:
        why = sorted({"missing" if c is None else c.status for c in unusable})
        return Check(check_id, subject, "not_assessable", f"{describe}: {len(unusable)} term(s) {', '.join(why)}")
    blanks = sum(1 for c in terms if c is not None and c.status == "blank")

    def total(cells: list[Cell | None]) -> Number:
        return sum((c.value or 0) for c in cells if c is not None)

    lhs, rhs = total(left), total(right)
    ok = abs(lhs - rhs) <= _TOLERANCE
    detail = f"{describe}: {_fmt(lhs)} {'=' if ok else '≠'} {_fmt(rhs)}"
    inferred = sum(1 for c in terms if c is not None and c.status == "inferred")
    if blanks:
        detail += f" (reading {blanks} blank cell(s) as 0)"
    if inferred:
        detail += f" ({inferred} inferred cell(s))"
    if not ok and blanks:
        # A blank is not a printed 0 (an unfilled 总计 column is common): the printed numbers
        # do not show the source inconsistent, so no "fail" is claimed.
        return Check(check_id, subject, "not_assessable", detail + "; blank cells are not numbers, so this is no failure")
    return Check(check_id, subject, "pass" if ok else "fail", detail)


def _fmt(n: Number) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def evaluate(template: Template, cells: Cells) -> list[Check]:
    def cell(table: str, row: str, col: str) -> Cell | None:
        return cells.get((table, row, col))

    checks: list[Check] = []
    requests = template.table("requests").blocks[0]
    rows_by_role: dict[str, list[str]] = {}
    for row in requests.rows:
        rows_by_role.setdefault(row.role or "", []).append(row.key)
    outcome_rows = rows_by_role["outcome"]
    for col in requests.cols:
        c = col.key
        checks.append(_sum_check(
            "requests_balance", f"requests/*/{c}",
            [cell("requests", r, c) for r in ("new_received", "carried_over")],
            [cell("requests", r, c) for r in ("total_processed", "carried_forward")],
            "new_received + carried_over vs total_processed + carried_forward",
        ))
        checks.append(_sum_check(
            "requests_outcomes", f"requests/*/{c}",
            [cell("requests", "total_processed", c)],
            [cell("requests", r, c) for r in outcome_rows],
            f"total_processed vs the sum of {len(outcome_rows)} outcome rows",
        ))
    for row in requests.rows:
        checks.append(_sum_check(
            "requests_row_total", f"requests/{row.key}/total",
            [cell("requests", row.key, "total")],
            [cell("requests", row.key, c) for c in _ORG_COLS],
            "total vs the sum of the six applicant columns",
        ))
    for group in ("review", "suit_direct", "suit_after_review"):
        checks.append(_sum_check(
            "appeals_group_total", f"appeals/cases/{group}_*",
            [cell("appeals", "cases", f"{group}_total")],
            [cell("appeals", "cases", f"{group}_{k}") for k in ("upheld", "corrected", "other", "pending")],
            f"{group}_total vs upheld + corrected + other + pending",
        ))
    return checks
