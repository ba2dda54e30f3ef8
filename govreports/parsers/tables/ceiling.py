"""The information ceiling of a flattened page: how many cells the printed text decides at all.

A cell is decided when every joint reading of the page gives it one value: one reading per row
(its printed numbers placed into its cells under the table's own habits, readings.py), taken
together where every linking identity the page does not contradict holds. The solver
(solve.py) computes exactly that, by a sound prefilter and a dynamic programme; this module
computes it again by plain enumeration of the combinations, sharing nothing with the solver but
the definition of when an identity holds, so `govreports eval` can print the solver's resolved
share beside what the text allows and a shortfall shows.

Recording is opt-in: the eval wraps a parse in `recording()`, and the flattened reader hands the
rows and their readings to `note()` just before it solves (parsers stay pure: outside a
recording, note() does nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from govreports.parsers.tables.readings import BLANK, Reading, Value, value_of
from govreports.parsers.tables.rows import TextRow
from govreports.parsers.tables.solve import Equation, testable

MAX_COMBINATIONS = 150_000  # joint readings visited per page before the ceiling is unknown


@dataclass
class Snapshot:
    """The rows and their readings as the solver received them, and the identities it got."""

    rows: list[TextRow]
    state: dict[int, list[Reading]]
    equations: list[Equation]


@dataclass
class Recording:
    snapshots: list[Snapshot] = field(default_factory=list)


_ACTIVE: ContextVar[Recording | None] = ContextVar("ceiling_recording", default=None)


@contextmanager
def recording() -> Iterator[Recording]:
    rec = Recording()
    token = _ACTIVE.set(rec)
    try:
        yield rec
    finally:
        _ACTIVE.reset(token)


def note(rows: list[TextRow], state: dict[int, list[Reading]], equations: list[Equation]) -> None:
    rec = _ACTIVE.get()
    if rec is not None:
        rec.snapshots.append(
            Snapshot(list(rows), {k: list(v) for k, v in state.items()}, list(equations))
        )


class TooMany(Exception):
    """More joint readings than MAX_COMBINATIONS: the ceiling is not known."""


def decided_cells(snapshot: Snapshot) -> set[tuple[str, str, str]]:
    """(table, row, column) of every cell that all joint readings give one value (0 and a
    dropped cell count as one: the text cannot tell them apart, the reader says 0 or blank)."""
    kept = joint_projection(snapshot)
    out = set()
    for row in snapshot.rows:
        readings = kept.get(id(row))
        if not readings:
            continue
        for i, col in enumerate(row.block.cols):
            values: set[Value] = {value_of(r[i]) for r in readings}
            if len(values) == 1 or values == {0, BLANK}:
                out.add((row.table.key, row.row.key, col.key))
    return out


def joint_projection(snapshot: Snapshot) -> dict[int, list[Reading]]:
    """Per row, the readings some joint reading holding every usable identity contains, by
    enumerating the combinations of each group of rows the identities link. Usable as the
    solver has it: an identity through a "—" or a blank total is no test; one that no
    combination satisfies is set aside; if the rest cannot all hold at once, none is used."""
    state = snapshot.state
    usable = [eq for eq in snapshot.equations if testable(eq, state)]
    broken = {(eq.table, eq.identity.id) for eq in usable if not _solutions([eq], state, True)}
    usable = [eq for eq in usable if (eq.table, eq.identity.id) not in broken]
    if not usable:
        return state
    kept = _solutions(usable, state)
    if kept is None or any(not kept[k] for k in kept):
        return state  # the identities cannot all hold together: none of them is used
    return {**state, **kept}


def _order(
    rows: list[TextRow], equations: list[Equation], state: dict[int, list[Reading]]
) -> list[TextRow]:
    """Rows in an order that lets equations be checked early: next, the row that closes the most
    equations with those already chosen (then the one with fewest readings). Only the order of
    the enumeration: every combination is still tried or ruled out by an equation it breaks."""
    members = [{id(r) for _, r, _ in eq.terms} for eq in equations]
    chosen: set[int] = set()
    out: list[TextRow] = []
    left = list(rows)
    while left:
        best = max(
            left,
            key=lambda r: (
                sum(1 for m in members if id(r) in m and m <= chosen | {id(r)}),
                sum(1 for m in members if id(r) in m and m & chosen),
                -len(state[id(r)]),
            ),
        )
        left.remove(best)
        out.append(best)
        chosen.add(id(best))
    return out


def _solutions(
    equations: list[Equation], state: dict[int, list[Reading]], any_one: bool = False
) -> dict[int, list[Reading]] | None:
    """The readings of each row these equations touch that some satisfying combination uses
    (None when none; with any_one, stop at the first)."""
    rows = _order(
        list({id(r): r for eq in equations for _, r, _ in eq.terms}.values()), equations, state
    )
    at = {id(r): i for i, r in enumerate(rows)}
    # each equation is checked as soon as its last row is chosen
    closing: list[list[Equation]] = [[] for _ in rows]
    for eq in equations:
        closing[max(at[id(r)] for _, r, _ in eq.terms)].append(eq)
    choice: list[Reading] = []  # the reading chosen for each row so far
    used: list[set[int]] = [set() for _ in rows]  # per row: readings some solution uses
    path: list[int] = []  # their indices
    visited = 0

    def holds(eq: Equation) -> bool:
        total = 0
        for sign, row, col in eq.terms:
            value = value_of(choice[at[id(row)]][col])
            total += sign * (round(value * 1_000_000) if not isinstance(value, str) else 0)
        return total == 0

    def walk(i: int) -> bool:
        """True to stop (any_one and a solution found)."""
        nonlocal visited
        if i == len(rows):
            for k, j in enumerate(path):
                used[k].add(j)
            return any_one
        for j, reading in enumerate(state[id(rows[i])]):
            visited += 1
            if visited > MAX_COMBINATIONS:
                raise TooMany
            choice.append(reading)
            path.append(j)
            if all(holds(eq) for eq in closing[i]) and walk(i + 1):
                return True
            choice.pop()
            path.pop()
        return False

    walk(0)
    if rows and not used[0]:
        return None  # no combination satisfies the equations
    return {id(r): [state[id(r)][j] for j in sorted(used[k])] for k, r in enumerate(rows)}
