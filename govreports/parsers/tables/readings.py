"""How a row's printed characters fit its cells: every reading, pruned by the identities.

A reading puts each printed number into a cell in order, blank cells possibly dropped (forms
a, b, d) and a digit run possibly cut into several numbers (form c). Token rows are placed
with itertools.combinations; digit runs are cut by a depth-first search that checks the
identities inside the row (total = the six applicant columns, appeals group totals) as it
goes. The per-column identities across rows then prune what is left. A cell is resolved when every surviving reading agrees on it. The search is bounded per
row and per page: past the budget a row is left missing, never guessed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, compress
from math import comb
from operator import itemgetter
from typing import Iterable, Sequence

from govreports.parsers.registry import ColDef, Template
from govreports.parsers.tables.rows import TextRow
from govreports.parsers.values import CellValue, Number, read_cell

# Readings per row beyond which the row is not enumerated ("search budget exhausted").
MAX_READINGS = 20_000
# Distinct partial sums tracked per column identity before pruning gives up on it.
MAX_SUMS = 5_000
Reading = tuple[CellValue | None, ...]  # per cell: the number read into it, or None (dropped)
# Steps of the reading search per row and per page before "search budget exhausted".
MAX_NODES = 50_000
MAX_PAGE_NODES = 250_000
# The longest number a cell holds (digits, sign, point, decimals): bounds how a run is cut.
MAX_PIECE = 16


def number(cell: CellValue | None) -> Number:
    """The value a cell of a reading holds; a dropped cell counts as 0."""
    return cell.value if cell is not None and cell.value is not None else 0


def distinct_cells(readings: Sequence[Reading], col: int) -> list[CellValue | None]:
    """The different cell objects the readings put in a column. Readings share their cells
    (tokens, cut pieces), so thousands of readings hold a handful: found by identity in C,
    without hashing a dataclass per reading."""
    column = list(map(itemgetter(col), readings))
    return list(dict(zip(map(id, column), column)).values())


def keep_where(readings: list[Reading], col: int, values: set[Number]) -> list[Reading]:
    """The readings whose cell in the column holds one of the values."""
    ok = {id(c) for c in distinct_cells(readings, col) if number(c) in values}
    return list(compress(readings, map(ok.__contains__, map(id, map(itemgetter(col), readings)))))


# A number in a run: optional sign, no leading zero, optional decimals, a unit only at the end.
_PIECE = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")
_UNIT_END = re.compile(r"(?:万元|元|%)$")


@lru_cache(maxsize=4096)
def _cuts(run: str, start: int) -> tuple[tuple[int, CellValue], ...]:
    """The numbers a run can hold starting at `start`: (end, value) for every valid end."""
    tail = _UNIT_END.search(run)
    limit = tail.start() if tail else len(run)
    out = []
    for end in range(start + 1, min(limit, start + MAX_PIECE) + 1):
        piece = run[start:end]
        if not _PIECE.fullmatch(piece):
            continue
        if end < limit and not _PIECE.match(run, end):
            continue  # what follows must itself start a number
        if end == limit and tail:
            piece, end = run[start:], len(run)
        out.append((end, read_cell(piece)))
    return tuple(out)


class _OutOfBudget(Exception):
    pass


def _row_checks(row: TextRow) -> dict[int, list[tuple[int, list[int]]]]:
    """Identities inside one row, keyed by the last cell they need: (total cell, part cells)."""
    keys = [c.key for c in row.block.cols]
    groups: list[tuple[int, list[int]]] = []
    if row.table.key == "requests":
        groups.append((keys.index("total"), [i for i, k in enumerate(keys) if k != "total"]))
    elif row.table.key == "appeals":
        for g in ("review", "suit_direct", "suit_after_review"):
            parts = [keys.index(f"{g}_{k}") for k in ("upheld", "corrected", "other", "pending")]
            groups.append((keys.index(f"{g}_total"), parts))
    out: dict[int, list[tuple[int, list[int]]]] = {}
    for total, parts in groups:
        out.setdefault(max(total, *parts), []).append((total, parts))
    return out


class Budget:
    """Search steps left for a page; each row also has its own share (MAX_NODES)."""

    def __init__(self, steps: int = MAX_PAGE_NODES) -> None:
        self.left = steps


def _placements(row: TextRow, allow_drop: bool, strict: bool, budget: Budget) -> list[tuple[int, Reading]]:
    """Forms a, b, d: every order-preserving placement of the printed tokens into the cells
    (itertools does the enumerating in C), with the identities each breaks."""
    n, k = len(row.block.cols), len(row.tokens)
    if allow_drop:
        budget.left -= comb(n, k)
        if budget.left < 0:
            raise _OutOfBudget
    choices = combinations(range(n), k) if allow_drop else iter([tuple(range(n))] if k == n else [])
    checks = [check for group in _row_checks(row).values() for check in group]
    numbers = [number(t) for t in row.tokens]
    out: list[tuple[int, Reading]] = []
    for slots in choices:
        # The identities are summed on plain numbers (a dropped cell is 0): this runs C(n, k) times a row.
        nums: list[Number] = [0] * n
        for value, at in zip(numbers, slots):
            nums[at] = value
        fails = 0
        for total, parts in checks:
            if abs(nums[total] - sum(map(nums.__getitem__, parts))) > 1e-6:
                fails += 1
        if not (strict and fails):
            cells: list[CellValue | None] = [None] * n
            for token, at in zip(row.tokens, slots):
                cells[at] = token
            out.append((fails, tuple(cells)))
    return out


def _enumerate(row: TextRow, allow_drop: bool, strict: bool, budget: Budget) -> list[tuple[int, Reading]]:
    """Every reading of the row's printed characters into its cells, with how many of the row's
    identities it breaks; with `strict`, only readings that break none (pruned as they grow)."""
    if row.runs is None:
        return _placements(row, allow_drop, strict, budget)
    n = len(row.block.cols)
    checks = _row_checks(row)
    out: list[tuple[int, Reading]] = []
    cells: list[CellValue | None] = []
    nums: list[Number] = []  # the cells' values, a dropped cell 0: what the identities sum
    nodes = 0
    atoms = row.atoms
    # characters still to place after each run: a cell holds at most MAX_PIECE of them
    after = [sum(len(r) for r in row.runs[i + 1 :]) for i in range(atoms)] if row.runs is not None else []

    def pieces(atom: int, pos: int) -> tuple[tuple[int, CellValue], ...]:
        if row.runs is None:
            return ((1, row.tokens[atom]),)
        return _cuts(row.runs[atom], pos)

    def atom_len(atom: int) -> int:
        return 1 if row.runs is None else len(row.runs[atom])

    def walk(col: int, atom: int, pos: int, broken: int) -> None:
        nonlocal nodes
        if col == n:
            if atom == atoms:
                out.append((broken, tuple(cells)))
            return
        if atoms - atom > n - col:
            return  # each remaining run needs a cell at least
        if row.runs is not None and atom < atoms and atom_len(atom) - pos + after[atom] > (n - col) * MAX_PIECE:
            return  # more characters left than the remaining cells can hold
        options: list[tuple[int, int, CellValue | None]] = []
        if atom < atoms:
            for end, value in pieces(atom, pos):
                nxt_atom, nxt_pos = (atom + 1, 0) if end == atom_len(atom) else (atom, end)
                options.append((nxt_atom, nxt_pos, value))
        nodes += 1 + len(options)
        budget.left -= 1 + len(options)
        if nodes > MAX_NODES or budget.left < 0:
            raise _OutOfBudget
        if allow_drop and (pos == 0 or row.runs is not None):
            options.append((atom, pos, None))
        for nxt_atom, nxt_pos, choice in options:
            cells.append(choice)
            nums.append(number(choice))
            fails = 0
            for total, parts in checks.get(col, ()):
                if abs(nums[total] - sum(map(nums.__getitem__, parts))) > 1e-6:
                    fails += 1
            if not (strict and fails):
                walk(col + 1, nxt_atom, nxt_pos, broken + fails)
            cells.pop()
            nums.pop()

    walk(0, 0, 0, 0)
    return out


def read_row(row: TextRow, problems: list[str], allow_drop: bool = True, budget: Budget | None = None) -> list[Reading] | None:
    budget = budget or Budget()
    n, k = len(row.block.cols), row.atoms
    where = f"{row.table.key}/{row.row.key}"
    if k > n:
        problems.append(f"{where}: {k} numbers printed for {n} cells; row left missing")
        return None
    if row.runs is None and allow_drop and comb(n, k) > MAX_READINGS:
        problems.append(f"{where}: ambiguous: search budget exhausted")
        return None
    try:
        kept = [r for _, r in _enumerate(row, allow_drop, strict=True, budget=budget)]
        scored = [] if kept else _enumerate(row, allow_drop, strict=False, budget=budget)
    except _OutOfBudget:
        problems.append(f"{where}: ambiguous: search budget exhausted (row left missing rather than guessed)")
        return None
    if not kept:
        if not scored:
            problems.append(f"{where}: the printed characters cannot be read as {n} cells; row left missing")
            return None
        fewest = min(b for b, _ in scored)
        problems.append(
            f"{where}: no reading of the printed numbers satisfies the row's identities (the source is "
            f"inconsistent); the readings breaking the fewest ({fewest}) are kept"
        )
        kept = [r for b, r in scored if b == fewest]
    row.exact = len(kept) == 1 and _verbatim(row, kept[0])
    return kept


def _verbatim(row: TextRow, reading: Reading) -> bool:
    """Every cell is a whole printed token: nothing cut, nothing dropped."""
    return all(c is not None for c in reading) and len(reading) == row.atoms


def _column_values(readings: list[Reading], col: int) -> set[Number]:
    return {number(c) for c in distinct_cells(readings, col)}


def _sums(sets: Iterable[tuple[int, set[Number]]]) -> set[Number] | None:
    acc: set[Number] = {0}
    for sign, values in sets:
        acc = {a + sign * v for a in acc for v in values}
        if len(acc) > MAX_SUMS:
            return None
    return acc


def _prune(equation: list[tuple[int, TextRow]], state: dict[int, list[Reading]], col: int) -> bool | None:
    """Drop readings that no choice of the other rows can balance. None: would empty a row.

    Rows hold thousands of readings but few distinct values per column: each distinct value is
    tested against the other rows' sums once, then the readings are filtered by it."""
    changed = False
    values = [_column_values(state[id(row)], col) for _, row in equation]
    for idx, (sign, row) in enumerate(equation):
        sums = _sums((s, values[j]) for j, (s, _) in enumerate(equation) if j != idx)
        if sums is None:
            continue
        fits = {v for v in values[idx] if any(abs(s + sign * v) < 1e-6 for s in sums)}
        if fits == values[idx]:
            continue
        keep = keep_where(state[id(row)], col, fits)
        if not keep:
            return None
        state[id(row)], values[idx] = keep, fits
        changed = True
    return changed


def column_equations(rows: dict[str, TextRow], template: Template) -> list[list[tuple[int, TextRow]]]:
    """The per-column identities as signed row lists (sum of sign × row = 0)."""
    requests = template.table("requests").blocks[0]
    outcome = [r.key for r in requests.rows if r.role == "outcome"]
    wanted = [
        [(1, "new_received"), (1, "carried_over"), (-1, "total_processed"), (-1, "carried_forward")],
        [(1, "total_processed"), *[(-1, k) for k in outcome]],
    ]
    out = []
    for eq in wanted:
        if all(k in rows for _, k in eq):
            out.append([(s, rows[k]) for s, k in eq])
    return out


def propagate(equations: list[list[tuple[int, TextRow]]], state: dict[int, list[Reading]], template: Template,
               problems: list[str]) -> None:
    """Prune readings by the per-column identities until nothing changes."""
    cols = template.table("requests").blocks[0].cols
    for _ in range(10):  # each pass can only remove readings
        changed = False
        for eq in equations:
            for col_pos in range(len(cols)):
                result = _prune(eq, state, col_pos)
                if result is None:
                    problem = (f"requests column {cols[col_pos].key}: the printed numbers cannot satisfy the column "
                               "identities (the source is inconsistent)")
                    if problem not in problems:
                        problems.append(problem)
                    continue
                changed = changed or result
        if not changed:
            return


def resolve(row: TextRow, readings: list[Reading], col_index: int, col: ColDef) -> tuple[CellValue, bool]:
    cells = set(distinct_cells(readings, col_index))
    values = sorted({number(c) for c in cells})
    if len(cells) == 1 and None not in cells:
        token = next(iter(cells))
        assert token is not None
        status = "reported" if row.exact else "inferred"
        unit = token.unit or col.unit
        return CellValue(token.value, status if token.status == "reported" else token.status, token.raw, unit), False
    if cells == {None}:
        return CellValue(None, "blank", None), False
    if len(values) == 1:
        return CellValue(values[0], "inferred", None, col.unit), True
    return CellValue(None, "ambiguous", None, col.unit, tuple(values)), False
