"""The identities that link rows (per-column balances and outcome sums), solved jointly and
exactly over the rows' readings.

Each row arrives with every reading its printed characters admit (readings.py). A combination
of one reading per row is a *joint reading*; it stands when every linking identity holds (a
dropped cell counts as 0, except a row's total dropped beside printed parts: the page may leave
a total blank, so an identity through one is not used). A cell is decided only when it has the
same value in every standing joint reading, so the solver must find, for every reading of every
row, whether some joint reading contains it: the projection of the solution set onto each row,
no more and no less.

How: a sound prefilter (arc consistency: a value no choice of the other rows can balance goes),
then an exact dynamic programme over the rows in an order that closes identities early, its
state the partial sums of the identities still open. Past a budget the exact step is skipped
and said so; what the prefilter decided is still sound.

An identity is a hypothesis about the page. Where no reading at all satisfies one instance of it,
it is evidence of nothing for that table: the whole identity is set aside there (the source does
not add up, or leaves totals blank), and the problem says so. Where each instance can hold but
not all at once, every linking identity of the table is set aside. A cell that may be "—" makes
the instances through it untestable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from govreports.parsers.registry import Identity, Template
from govreports.parsers.tables.readings import (
    NA,
    Reading,
    blank_total,
    distinct_cells,
    number,
    row_checks,
    totals,
    value_of,
)
from govreports.parsers.tables.rows import TextRow

_SCALE = 1_000_000  # values as integers (millionths): sums compare exactly, decimals included
MAX_SUMS = 5_000  # distinct partial sums per identity in the prefilter before it gives up on one
MAX_CELLS = 5_000_000  # integers the exact programme may add up per page (its arrays)
MAX_ARC_WORK = 3_000_000  # sums the prefilter may form per page
_INT64_SAFE = 2**62  # the exact programme's sums stay below this, or it gives up (sound)


@dataclass(frozen=True)
class Equation:
    """One identity instance over found rows: sum of sign × cell = 0."""

    identity: Identity
    terms: tuple[tuple[int, TextRow, int], ...]  # sign, row, column position
    # the terms that are their row's total (readings.totals), with the parts of that total: a
    # total left blank beside printed parts is no 0
    total_terms: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @property
    def table(self) -> str:
        return self.terms[0][1].table.key


State = dict[int, list[Reading]]


def linking_equations(template: Template, rows: Iterable[TextRow]) -> list[Equation]:
    """The registry's identities that span several rows, where every row they name was found."""
    by_key = {(r.table.key, r.row.key): r for r in rows}
    out = []
    for inst in template.identities:
        keys = [(1, k) for k in inst.left] + [(-1, k) for k in inst.right]
        if len({(t, r) for _, (t, r, _) in keys}) < 2:
            continue  # inside one row: readings.py tests it as it reads the row
        if not all((t, r) in by_key for _, (t, r, _) in keys):
            continue
        terms, total_terms = [], []
        for i, (sign, (t, r, c)) in enumerate(keys):
            row = by_key[(t, r)]
            col = [col.key for col in row.block.cols].index(c)
            terms.append((sign, row, col))
            parts = totals(row_checks(template, t, r)).get(col)
            if parts:
                total_terms.append((i, parts))
        out.append(Equation(inst, tuple(terms), tuple(total_terms)))
    return out


def _scaled(state: State, row: TextRow, col: int) -> set[int]:
    """The values a column of a row takes over its readings, as integers (millionths)."""
    return {round(number(c) * _SCALE) for c in distinct_cells(state[id(row)], col)}


class _Work:
    """Steps of the prefilter left for a page: counted, not timed, so a page reads the same on
    every machine. Past it the prefilter stops where it is, which is sound (it only ever drops
    values no joint reading can hold)."""

    def __init__(self, steps: int = MAX_ARC_WORK) -> None:
        self.left = steps

    def spend(self, steps: int) -> bool:
        self.left -= steps
        return self.left >= 0


def _partial_sums(terms: list[tuple[int, set[int]]], work: _Work) -> list[set[int] | None]:
    """out[k]: every sum the first k terms can reach (None past MAX_SUMS or the work budget)."""
    out: list[set[int] | None] = [{0}]
    acc: set[int] | None = {0}
    for sign, values in terms:
        if acc is not None and work.spend(len(acc) * len(values)):
            acc = {a + sign * v for a in acc for v in values}
            if len(acc) > MAX_SUMS:
                acc = None
        else:
            acc = None
        out.append(acc)
    return out


def testable(eq: Equation, state: State) -> bool:
    """Whether no reading holds a "—" in a term, nor leaves a term that is a row's total blank
    beside printed parts (such a total is not 0: the page printed the parts, not their sum)."""
    if any(
        value_of(c) == NA for _, row, col in eq.terms for c in distinct_cells(state[id(row)], col)
    ):
        return False
    for i, parts in eq.total_terms:
        _, row, col = eq.terms[i]
        readings = state[id(row)]
        # the readings' few distinct cells first: most rows never drop their total
        if any(c is None for c in distinct_cells(readings, col)) and any(
            blank_total(r, col, parts) for r in readings
        ):
            return False
    return True


def _can_hold(eq: Equation, state: State, work: _Work) -> bool:
    sums = _partial_sums([(sign, _scaled(state, row, col)) for sign, row, col in eq.terms], work)[
        -1
    ]
    return sums is None or 0 in sums


def _keep(readings: list[Reading], col: int, values: set[int]) -> list[Reading]:
    return [r for r in readings if round(number(r[col]) * _SCALE) in values]


def _arc_consistent(equations: list[Equation], state: State, work: _Work) -> bool:
    """Drop every value no choice of the other rows can balance, until nothing changes; False
    when a row is left with no reading (the identities cannot all hold). A term's value v fits
    when some sum p of the terms before it and some sum q of those after it close: p + v + q = 0,
    found from the prefix and suffix sums without summing all the others for every term."""
    changed = True
    while changed:
        changed = False
        for eq in equations:
            terms = [(sign, _scaled(state, row, col)) for sign, row, col in eq.terms]
            before = _partial_sums(terms, work)
            after = _partial_sums(terms[::-1], work)[::-1]
            for i, (sign, row, col) in enumerate(eq.terms):
                prefix, suffix = before[i], after[i + 1]
                values = terms[i][1]
                if prefix is None or suffix is None or not work.spend(len(prefix) * len(values)):
                    continue
                fits = {v for v in values if any(-(p + sign * v) in suffix for p in prefix)}
                if fits == values:
                    continue
                kept = _keep(state[id(row)], col, fits)
                if not kept:
                    return False
                state[id(row)] = kept
                terms[i] = (sign, fits)
                changed = True
    return True


class _Exhausted(Exception):
    pass


def _exact(equations: list[Equation], state: State) -> bool:
    """Keep exactly the readings that some joint reading satisfying every equation contains.
    False when there is none; raises _Exhausted past the budget (state left as it was).

    The rows are taken in an order that closes identities early; between row i-1 and row i the
    state is the partial sums of the identities still open (touched on both sides). Backward,
    what the rows from i on can add; forward, which sums the rows before i reach: a reading of
    row i stands when some sum before it, plus it, meets some sum after it. numpy does the
    state × reading products, as arrays of integer sums.
    """
    import numpy as np

    rows = list({id(r): r for eq in equations for _, r, _ in eq.terms}.values())
    touches = {
        id(r): {d for d, eq in enumerate(equations) if any(t is r for _, t, _ in eq.terms)}
        for r in rows
    }
    order = _closing_order(rows, touches)
    m = len(order)
    before = [set().union(*(touches[id(r)] for r in order[:i])) for i in range(m + 1)]
    later = [set().union(*(touches[id(r)] for r in order[i:])) for i in range(m + 1)]
    cuts = [sorted(before[i] & later[i]) for i in range(m + 1)]
    # per row: its distinct vectors over the identities it touches, and the readings behind each
    dims: list[list[int]] = []
    vectors: list[Any] = []
    groups: list[list[list[Reading]]] = []
    for row in order:
        ds = sorted(touches[id(row)])
        by_vec: dict[tuple[int, ...], list[Reading]] = {}
        for reading in state[id(row)]:
            vec = tuple(
                sum(
                    sign * round(number(reading[col]) * _SCALE)
                    for sign, t, col in equations[d].terms
                    if t is row
                )
                for d in ds
            )
            by_vec.setdefault(vec, []).append(reading)
        dims.append(ds)
        if any(abs(v) > _INT64_SAFE // (len(order) + 1) for vec in by_vec for v in vec):
            raise _Exhausted  # sums past int64 would wrap in numpy (a run cut into huge numbers)
        vectors.append(np.array(list(by_vec), dtype=np.int64).reshape(len(by_vec), len(ds)))
        groups.append(list(by_vec.values()))
    budget = [MAX_CELLS]

    def combine(sums: Any, cut: list[int], i: int, keep: list[int]) -> tuple[Any, Any]:
        """Every sum over `cut` plus every vector of row i, over keep; identities leaving
        (neither in keep nor open elsewhere) must close at 0. Returns (sums over keep, mask
        sums × vectors of the combinations that close)."""
        union = sorted(set(cut) | set(dims[i]))
        at = {d: k for k, d in enumerate(union)}
        a = np.zeros((len(sums), len(union)), dtype=np.int64)
        a[:, [at[d] for d in cut]] = sums
        b = np.zeros((len(vectors[i]), len(union)), dtype=np.int64)
        b[:, [at[d] for d in dims[i]]] = vectors[i]
        budget[0] -= a.shape[0] * b.shape[0] * max(1, len(union))
        if budget[0] < 0:
            raise _Exhausted
        total = a[:, None, :] + b[None, :, :]
        closing = [at[d] for d in union if d not in keep]
        ok = (
            ~np.any(total[:, :, closing], axis=2)
            if closing
            else np.ones(total.shape[:2], dtype=bool)
        )
        return total[:, :, [at[d] for d in keep]], ok

    after: list[Any] = [None] * (m + 1)
    after[m] = np.zeros((1, 0), dtype=np.int64)
    for i in range(m - 1, -1, -1):
        total, ok = combine(after[i + 1], cuts[i + 1], i, cuts[i])
        after[i] = _unique_rows(total[ok])
        if not len(after[i]):
            return False
    sums = np.zeros((1, 0), dtype=np.int64)
    for i in range(m):
        total, ok = combine(sums, cuts[i], i, cuts[i + 1])
        ok &= _member(-total, after[i + 1])
        state[id(order[i])] = [r for k in np.flatnonzero(ok.any(axis=0)) for r in groups[i][k]]
        sums = _unique_rows(total[ok])
    return all(state[id(r)] for r in order)


def _unique_rows(rows: Any) -> Any:
    """The distinct rows of an (n, k) integer array (a void view sorts much faster than axis=0)."""
    import numpy as np

    k = rows.shape[1]
    if k == 0:
        return rows[:1]
    kind = np.dtype((np.void, 8 * k))
    flat = np.unique(np.ascontiguousarray(rows).view(kind).ravel())
    return flat.view(np.int64).reshape(-1, k)


def _member(rows: Any, table: Any) -> Any:
    """For an array (..., k) of sums: whether each is a row of `table` (n, k)."""
    import numpy as np

    k = rows.shape[-1]
    if k == 0:
        return np.full(rows.shape[:-1], len(table) > 0)
    kind = np.dtype((np.void, 8 * k))
    flat = np.ascontiguousarray(rows.reshape(-1, k)).view(kind).ravel()
    known = np.ascontiguousarray(table).view(kind).ravel()
    return np.isin(flat, known).reshape(rows.shape[:-1])


def _closing_order(rows: list[TextRow], touches: dict[int, set[int]]) -> list[TextRow]:
    """Rows in an order that keeps few identities open at once: greedily the row after which
    the fewest remain open (rows in template order on ties)."""
    left, order = list(rows), []
    opened: set[int] = set()

    def still_open(r: TextRow, opened: set[int], left: list[TextRow]) -> int:
        now = opened | touches[id(r)]
        rest = set().union(*(touches[id(x)] for x in left if x is not r))
        return len(now & rest)

    while left:
        best = min(left, key=lambda r: still_open(r, opened, left))
        left.remove(best)
        order.append(best)
        opened |= touches[id(best)]
    return order


def solve(equations: list[Equation], state: State, problems: list[str]) -> set[str]:
    """Narrow the rows' readings to the joint readings; return the tables whose linking
    identities were set aside (the caller names their cells' basis accordingly)."""
    set_aside: set[str] = set()
    work = _Work()
    usable = [eq for eq in equations if testable(eq, state)]
    broken = {(eq.table, eq.identity.id) for eq in usable if not _can_hold(eq, state, work)}
    for table, ident in sorted(broken):
        problems.append(
            f"{table}: {ident} cannot hold with any reading of the printed numbers (the source is "
            "inconsistent or leaves totals blank): it is evidence of nothing for this table"
        )
    usable = [eq for eq in usable if (eq.table, eq.identity.id) not in broken]
    if not usable:
        return set_aside
    saved = {k: list(v) for k, v in state.items()}
    try:
        holds = _arc_consistent(usable, state, work) and _exact(usable, state)
    except _Exhausted:
        problems.append(
            "linking identities: exact joint reading skipped (search budget exhausted); "
            "cells they alone would decide stay ambiguous"
        )
        holds = True
    if work.left < 0:
        problems.append(
            "linking identities: the prefilter stopped (search budget exhausted); "
            "cells it would have decided stay ambiguous"
        )
    if not holds:
        state.clear()
        state.update(saved)
        tables = sorted({eq.table for eq in usable})
        set_aside.update(tables)
        problems.append(
            f"{', '.join(tables)}: the identities linking rows cannot all hold at once with any reading "
            "(the source is inconsistent): none of them is used"
        )
    return set_aside
