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
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations, compress
from math import comb
from operator import itemgetter

from govreports.parsers.registry import ColDef, Template
from govreports.parsers.statuses import Basis, CellStatus
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
    if start == 0:
        mark = read_cell(run)
        if mark.status == CellStatus.NA:
            return ((len(run), mark),)  # a not-applicable mark: one cell, never digits
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


@lru_cache(maxsize=4096)
def _piece_counts(run: str, start: int) -> tuple[float, float]:
    """The fewest and the most numbers run[start:] can be cut into (inf, -inf: none)."""
    if start == len(run):
        return 0, 0
    fewest, most = float("inf"), float("-inf")
    for end, _ in _cuts(run, start):
        lo, hi = _piece_counts(run, end)
        fewest, most = min(fewest, 1 + lo), max(most, 1 + hi)
    return fewest, most


class _OutOfBudget(Exception):
    pass


Check = tuple[tuple[int, ...], tuple[int, ...]]  # an identity inside a row: left cells, right cells


@lru_cache(maxsize=256)
def row_checks(template: Template, table: str, row: str) -> tuple[Check, ...]:
    """The registry's identities whose every term lies in this row, as cell positions."""
    cols = [c.key for c in template.table(table).block_of(row).cols]
    out = []
    for inst in template.identities:
        keys = (*inst.left, *inst.right)
        if all(k[0] == table and k[1] == row for k in keys):
            out.append(
                (
                    tuple(cols.index(k[2]) for k in inst.left),
                    tuple(cols.index(k[2]) for k in inst.right),
                )
            )
    return tuple(out)


def _by_last(checks: tuple[Check, ...]) -> dict[int, list[Check]]:
    """Checks keyed by the last cell they need, so the search tests each as soon as it can."""
    out: dict[int, list[Check]] = {}
    for left, right in checks:
        out.setdefault(max(*left, *right), []).append((left, right))
    return out


def _breaks(check: Check, nums: list[Number], na: list[bool] | None) -> bool:
    """Whether the cells break the identity; one with a not-applicable term cannot be tested
    (`na` is None when no cell so far is "—": the common case, kept cheap)."""
    left, right = check
    if na is not None and (any(map(na.__getitem__, left)) or any(map(na.__getitem__, right))):
        return False
    return abs(sum(map(nums.__getitem__, left)) - sum(map(nums.__getitem__, right))) > 1e-6


def _is_na(cell: CellValue | None) -> bool:
    return cell is not None and cell.status == CellStatus.NA


def totals(checks: tuple[Check, ...]) -> dict[int, tuple[int, ...]]:
    """The cells that are the total of a row identity, with their parts. A page may leave a
    total blank while its parts are printed, so a reading that drops a total makes that identity
    untestable, like a "—" does: it is no evidence, and breaking it is no reason to rule the
    reading out. (Dropped with its parts all blank or 0, the total is simply 0 or blank.)"""
    return {left[0]: right for left, right in checks if len(left) == 1}


def blank_total(reading: Reading, total: int, parts: tuple[int, ...]) -> bool:
    """Whether the reading leaves the total blank beside a part that is not 0."""
    return reading[total] is None and any(number(reading[p]) != 0 for p in parts)


class Budget:
    """Search steps left for a page; each row also has its own share (MAX_NODES)."""

    def __init__(self, steps: int = MAX_PAGE_NODES) -> None:
        self.left = steps


def _placements(
    row: TextRow, checks: tuple[Check, ...], allow_drop: bool, strict: bool, budget: Budget
) -> list[tuple[int, Reading]]:
    """Forms a, b, d: every order-preserving placement of the printed tokens into the cells
    (itertools does the enumerating in C), with the identities each breaks."""
    n, k = len(row.block.cols), len(row.tokens)
    if allow_drop:
        budget.left -= comb(n, k)
        if budget.left < 0:
            raise _OutOfBudget
    choices = combinations(range(n), k) if allow_drop else iter([tuple(range(n))] if k == n else [])
    numbers = [number(t) for t in row.tokens]
    token_na = [_is_na(t) for t in row.tokens]
    total_at = totals(checks)
    untestable = [i in total_at for i in range(n)]  # each cell, were it dropped
    out: list[tuple[int, Reading]] = []
    for slots in choices:
        # The identities are summed on plain numbers (a dropped cell is 0): this runs C(n, k) times a row.
        nums: list[Number] = [0] * n
        na = untestable[:]
        for value, is_na, at in zip(numbers, token_na, slots):
            nums[at] = value
            na[at] = is_na
        has_na = na if any(na) else None
        fails = sum(_breaks(check, nums, has_na) for check in checks)
        if not (strict and fails):
            cells: list[CellValue | None] = [None] * n
            for token, at in zip(row.tokens, slots):
                cells[at] = token
            out.append((fails, tuple(cells)))
    return out


def _enumerate(
    row: TextRow,
    checks: tuple[Check, ...],
    allow_drop: bool,
    strict: bool,
    budget: Budget,
    blank_totals: bool = True,
) -> list[tuple[int, Reading]]:
    """Every reading of the row's printed characters into its cells, with how many of the row's
    identities it breaks; with `strict`, only readings that break none (pruned as they grow).
    With `blank_totals` (always, for rows of tokens) a reading that drops a total leaves its
    identity untested; without, a dropped total counts as 0 (the totals-filled hypothesis)."""
    if row.runs is None:
        return _placements(row, checks, allow_drop, strict, budget)
    n = len(row.block.cols)
    by_last = _by_last(checks)
    total_at = totals(checks) if blank_totals else {}
    out: list[tuple[int, Reading]] = []
    cells: list[CellValue | None] = []
    nums: list[Number] = []  # the cells' values, a dropped cell 0: what the identities sum
    na: list[bool] = []
    na_count = 0
    nodes = 0
    atoms = row.atoms
    runs = row.runs
    # the fewest and the most cells the runs after each run need: bounds that end a branch early
    counts = [_piece_counts(r, 0) for r in runs]
    fewest_after = [sum(c[0] for c in counts[i + 1 :]) for i in range(atoms)]
    most_after = [sum(c[1] for c in counts[i + 1 :]) for i in range(atoms)]

    def walk(col: int, atom: int, pos: int, broken: int) -> None:
        nonlocal nodes, na_count
        if col == n:
            if atom == atoms:
                out.append((broken, tuple(cells)))
            return
        if atom < atoms:
            fewest, most = _piece_counts(runs[atom], pos)
            if fewest + fewest_after[atom] > n - col:
                return  # more numbers left than cells
            if not allow_drop and most + most_after[atom] < n - col:
                return  # cells left that no number can fill
        elif not allow_drop:
            return  # cells left, nothing to put in them
        options: list[tuple[int, int, CellValue | None]] = []
        if atom < atoms:
            for end, value in _cuts(runs[atom], pos):
                nxt_atom, nxt_pos = (atom + 1, 0) if end == len(runs[atom]) else (atom, end)
                options.append((nxt_atom, nxt_pos, value))
        nodes += 1 + len(options)
        budget.left -= 1 + len(options)
        if nodes > MAX_NODES or budget.left < 0:
            raise _OutOfBudget
        if allow_drop:
            options.append((atom, pos, None))  # a blank cell: nothing printed, even inside a run
        for nxt_atom, nxt_pos, choice in options:
            cells.append(choice)
            nums.append(number(choice))
            is_na = _is_na(choice) or (choice is None and col in total_at)
            na.append(is_na)
            na_count += is_na
            fails = 0
            for check in by_last.get(col, ()):
                fails += _breaks(check, nums, na if na_count else None)
            if not (strict and fails):
                walk(col + 1, nxt_atom, nxt_pos, broken + fails)
            cells.pop()
            nums.pop()
            na.pop()
            na_count -= is_na

    walk(0, 0, 0, 0)
    return out


class RowReadings:
    """What a row's printed characters admit: its readings, and whether they had to be taken
    without the row's own identities (none satisfies them: the source does not add up, or leaves
    a total blank, and the identities are evidence of nothing for this row), and whether they
    rest on the hypothesis that its totals are filled (`assumed`: a row of runs whose readings
    with a blank total are too many to enumerate)."""

    __slots__ = ("readings", "relaxed", "assumed")

    def __init__(self, readings: list[Reading], relaxed: bool, assumed: bool = False) -> None:
        self.readings, self.relaxed, self.assumed = readings, relaxed, assumed


def read_row(
    row: TextRow,
    checks: tuple[Check, ...],
    problems: list[str],
    *,
    allow_drop: bool = True,
    use_identities: bool = True,
    budget: Budget | None = None,
) -> RowReadings | None:
    """Every reading of the row, those breaking the row's identities ruled out while any other
    exists; None (with the reason in problems) when the characters cannot be read at all."""
    budget = budget or Budget()
    n, k = len(row.block.cols), row.atoms
    where = f"{row.table.key}/{row.row.key}"
    if k > n:
        problems.append(f"{where}: {k} numbers printed for {n} cells; row left missing")
        return None
    if row.runs is None and allow_drop and comb(n, k) > MAX_READINGS:
        problems.append(f"{where}: ambiguous: search budget exhausted")
        return None
    assumed = False
    try:
        kept = []
        if use_identities and checks:
            try:
                kept = [r for _, r in _enumerate(row, checks, allow_drop, True, budget)]
            except _OutOfBudget:
                if row.runs is None or not allow_drop or budget.left < 0:
                    raise
                # runs too rich to enumerate with every total possibly blank: read them with
                # the totals filled, a hypothesis the row's cells then name (basis totals_filled)
                kept = [r for _, r in _enumerate(row, checks, allow_drop, True, budget, False)]
                assumed = True
        relaxed = not kept or _only_vacuous(kept, checks)
        if relaxed:
            kept = [r for _, r in _enumerate(row, (), allow_drop, strict=True, budget=budget)]
            assumed = False
    except _OutOfBudget:
        problems.append(
            f"{where}: ambiguous: search budget exhausted (row left missing rather than guessed)"
        )
        return None
    if not kept:
        problems.append(
            f"{where}: the printed characters cannot be read as {n} cells; row left missing"
        )
        return None
    row.exact = len(kept) == 1 and _verbatim(row, kept[0])
    return RowReadings(kept, relaxed and bool(checks) and use_identities, assumed)


def _only_vacuous(readings: list[Reading], checks: tuple[Check, ...]) -> bool:
    """Whether every reading passes the identities only because a "—" stands in one of their
    terms or a total is dropped. Such a pass is no evidence that the row's totals are filled: a
    page that leaves a total blank would be read so, and the identities are not used."""
    terms = {i for left, right in checks for i in (*left, *right)}
    sums = totals(checks).items()
    return all(
        any(_is_na(r[i]) for i in terms) or any(blank_total(r, t, p) for t, p in sums)
        for r in readings
    )


def _verbatim(row: TextRow, reading: Reading) -> bool:
    """Every cell is a whole printed token: nothing cut, nothing dropped."""
    return all(c is not None for c in reading) and len(reading) == row.atoms


BLANK, NA = CellStatus.BLANK, CellStatus.NA  # what a reading's cell holds when it holds no number
Value = Number | str


def value_of(cell: CellValue | None) -> Value:
    """What a reading says a cell holds: a number, blank (dropped) or not applicable. Kept
    apart so that a "—" never becomes 0 and a dropped cell never becomes a printed 0."""
    if cell is None:
        return BLANK
    if cell.status == CellStatus.NA:
        return NA
    return number(cell)


def resolve(row: TextRow, readings: list[Reading], col_index: int, col: ColDef) -> CellValue:
    """The cell as every reading has it: one printed token, one value, or ambiguous.

    A cell that is 0 in some readings and dropped in the others is 0 or blank: `inferred` 0 with
    basis zero_or_blank (blank and 0 close the identities alike; the text cannot tell them apart).
    """
    cells = distinct_cells(readings, col_index)
    values = {value_of(c) for c in cells}
    if len(cells) == 1 and cells[0] is not None:
        token = cells[0]
        status = (
            token.status
            if token.status != CellStatus.REPORTED
            else (CellStatus.REPORTED if row.exact else CellStatus.INFERRED)
        )
        return CellValue(token.value, status, token.raw, token.unit or col.unit)
    if values == {BLANK}:
        return CellValue(None, CellStatus.BLANK, None)
    if values == {NA}:
        raw = next(c.raw for c in cells if c is not None)
        return CellValue(None, CellStatus.NA, raw, col.unit)
    numbers = sorted(v for v in values if not isinstance(v, str))
    if len(values) == 1:
        return CellValue(numbers[0], CellStatus.INFERRED, None, col.unit)
    if values == {0, BLANK}:
        return CellValue(0, CellStatus.INFERRED, None, col.unit, basis=Basis.ZERO_OR_BLANK)
    candidates = sorted({*numbers, *((0,) if BLANK in values else ())})
    return CellValue(None, CellStatus.AMBIGUOUS, None, col.unit, tuple(candidates))
