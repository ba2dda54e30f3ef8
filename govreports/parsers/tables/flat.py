"""Statistical tables rebuilt from flattened text, where blank cells have vanished.

Forms handled: a cell per line (copy/paste, many CMS mirrors), a row per line with the values
space-separated (PDF text), and either inside HTML paragraphs. Each row's printed numbers are
read in order; when fewer numbers than cells are printed, every placement of them into the
row's cells is a *reading*. Readings are kept only if the identities allow them — row totals
and appeals group totals within a row, per-column balances across rows — and a cell is
`inferred` when all surviving readings agree on it, else `ambiguous` with its candidates. A
dropped cell counts as 0 when readings are compared (the identities only close that way);
that assumption is named in `problems` whenever it decided a cell.

Form c (crawler dumps of `<td>` text): cells run together with no separator ("规范性文件898989",
"230 000023"). One label with digits glued to it puts the whole page in this form (_find_rows).
Rows are then found by scanning the text for their labels in template order, and a run of
digits may hold several cells: it is cut into numbers without leading zeros ("07" is 0|7), a
sign starts a number ("2648-18538" is 2648|-18538), decimals and a unit stay inside their
number, a not-applicable mark is a cell of its own, and a space always separates cells.

Habits are hypotheses per table, named on the cells they decide (`basis`) and retracted when the
table contradicts them: zeros printed (every all-zero row prints one 0 per cell, so readings
that drop cells are ruled out), totals filled (a row's total equals its parts; where no reading
allows that, the identities through the total columns are set aside for the table).

The report's own words are evidence too (prose.py): "3件结转下年度" narrows a cell the table
leaves open, never one it decides. Table 二 rows that nothing decides stay ambiguous.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from govreports.parsers.registry import TableDef, Template
from govreports.parsers.statuses import Basis, CellStatus
from govreports.parsers.tables import apart, ceiling
from govreports.parsers.tables.grid import Found
from govreports.parsers.tables.prose import prose_facts
from govreports.parsers.tables.readings import (
    Budget,
    Reading,
    distinct_cells,
    keep_where,
    number,
    read_row,
    resolve,
    row_checks,
)
from govreports.parsers.tables.rows import PAGE_MARK, TextRow, collect_rows, prose_text, scan_rows
from govreports.parsers.tables.solve import Equation, linking_equations, solve

__all__ = ["read_text_tables"]

# All-zero rows that print one 0 per cell, and the zeros they print, before a table is taken
# to print its zeros. Cells, not only rows: three one-cell rows printing 0 (table 二's
# licensing, coercion, fees) are three coin tosses in a table that prints some zeros and not
# others; three full rows of table 三 are twenty-one.
HABIT_ROWS = 3
HABIT_ZEROS = 9


def read_text_tables(lines: list[str], template: Template) -> Found:
    found = Found()
    rows, stray, unsure = _find_rows(lines, template, found.problems)
    budget = Budget()
    state: dict[int, list[Reading]] = {}
    tables = {t.key: t for t in template.tables}
    habits: set[str] = set()
    unreadable = set(stray)  # tables with numbers that could not be placed
    unfilled: set[str] = set()  # tables where a row's total cannot equal its parts
    for table in template.tables:
        trows = [r for r in rows if r.table.key == table.key]
        if not trows:
            continue
        habit, relaxed = _read_table(
            table, trows, template, state, found.problems, budget, _zeros_printed(table, trows)
        )
        if habit:
            habits.add(table.key)
        if relaxed:
            unfilled.add(table.key)
        # a pool's lines are its own rows': a pool left unplaced makes no other row missing
        if any(id(r) not in state for r in trows if r.pool is None):
            unreadable.add(table.key)
    _set_aside(rows, state, unreadable, unsure)
    readable = [r for r in rows if id(r) in state]
    equations = _without_totals(
        linking_equations(template, readable), template, unfilled, found.problems
    )
    ceiling.note(rows, state, equations)
    set_aside = solve(equations, state, found.problems)
    if set_aside & habits:
        # the identities cannot hold with the page's zeros all printed: the habit is contradicted
        for key in sorted(set_aside & habits):
            found.problems.append(
                f"{key}: the zeros-printed habit is contradicted by the identities; retracted"
            )
            habits.discard(key)
            trows = [r for r in rows if r.table.key == key]
            if _read_table(tables[key], trows, template, state, found.problems, budget, False)[1]:
                unfilled.add(key)
            _set_aside(trows, state, unreadable, unsure)
        equations = _without_totals(equations, template, unfilled, found.problems)
        ceiling.note(rows, state, equations)
        set_aside = solve(equations, state, found.problems)
    if _use_prose(prose_text(lines), readable, state, found.problems):
        solve(equations, state, found.problems)
    dropped_decided = False
    unplaced: dict[str, list[str]] = {}
    for row in rows:
        empty = row.atoms == 0 and row.pool is None  # a pool row's blanks are decided
        if _unplaced(row, unreadable, unsure):
            unplaced.setdefault(row.table.key, []).append(row.row.key)
            continue
        if id(row) not in state:
            continue
        for col_index, col in enumerate(row.block.cols):
            cell = resolve(row, state[id(row)], col_index, col)
            if cell.basis == Basis.ZERO_OR_BLANK:
                dropped_decided = True
            elif cell.status == CellStatus.INFERRED or (
                cell.status == CellStatus.BLANK and not empty
            ):
                cell = replace(cell, basis=_basis(row, habits))
            found.cells[(row.table.key, row.row.key, col.key)] = cell
        found.rows_seen.add((row.table.key, row.row.key))
    for key, names in unplaced.items():
        found.problems.append(
            f"{key}: {len(names)} rows beside numbers that no label claims ({', '.join(names[:3])}"
            f"{', …' if len(names) > 3 else ''}): they may be those rows' numbers, so the rows are "
            "left missing, not blank"
        )
    if dropped_decided:
        found.problems.append(
            "flattened text: cells that were dropped in some readings and 0 in the others are read as 0 "
            "(inferred, basis zero_or_blank); the text cannot tell a blank cell from a 0"
        )
    return found


def _set_aside(
    rows: list[TextRow],
    state: dict[int, list[Reading]],
    unreadable: set[str],
    unsure: set[tuple[str, str]],
) -> None:
    """A row that may own numbers no label claims (beside them, or empty in a table whose
    numbers could not all be placed) is read as nothing: not as blanks, for the identities or
    the output."""
    for row in rows:
        if _unplaced(row, unreadable, unsure):
            state.pop(id(row), None)


def _unplaced(row: TextRow, unreadable: set[str], unsure: set[tuple[str, str]]) -> bool:
    return (row.table.key, row.row.key) in unsure or (
        row.atoms == 0 and row.pool is None and row.table.key in unreadable
    )


def _basis(row: TextRow, habits: set[str]) -> Basis:
    """The hypothesis a cell that the identities decide rests on, beyond the identities."""
    if row.table.key in habits:
        return Basis.ZEROS_PRINTED
    return Basis.TOTALS_FILLED if row.totals_assumed else Basis.IDENTITIES


def _zeros_printed(table: TableDef, rows: list[TextRow]) -> bool:
    """Whether this table prints its zeros: every all-zero row prints one 0 per cell (three at
    least), and no row prints fewer numbers than it has cells. A habit of the table, not of the
    page: another table of the same report may leave its zeros blank."""
    zero_rows = zeros = 0
    for row in rows:
        n = len(row.block.cols)
        if row.runs is None and 0 < len(row.tokens) < n:
            return False
        printed = (
            "".join(row.runs) if row.runs is not None else "".join(t.raw or "" for t in row.tokens)
        )
        if printed and set(printed) == {"0"}:
            if len(printed) != n:
                return False
            zero_rows += 1
            zeros += n
    return zero_rows >= HABIT_ROWS and zeros >= HABIT_ZEROS


def _read_table(
    table: TableDef,
    rows: list[TextRow],
    template: Template,
    state: dict[int, list[Reading]],
    problems: list[str],
    budget: Budget,
    habit: bool,
) -> tuple[bool, bool]:
    """Read every row of one table into `state`; returns whether the zeros-printed habit held,
    and whether the row identities had to be set aside (a total that cannot equal its parts).

    Each hypothesis is tested on the table's own text and retracted when it contradicts it:
    the habit, when a row cannot be read without dropping cells; the row identities (a total
    equals its parts), when a row has no reading that satisfies them.
    """
    if any(r.pool is not None for r in rows):
        _place_pools([r for r in rows if r.pool is not None], template, state, problems, budget)
        rows = [r for r in rows if r.pool is None]
    if any(r.apart for r in rows) and not _order_confirmed(
        [r for r in rows if r.apart], template, budget
    ):
        problems.append(
            f"{table.key}: labels printed apart from their numbers, and their own identities do not "
            "confirm pairing them in order; those rows are left missing"
        )
        rows = [r for r in rows if not r.apart]
    for use_habit in (True, False) if habit else (False,):
        for use_identities in (True, False):
            notes: list[str] = []
            results = {
                id(r): read_row(
                    r,
                    row_checks(template, table.key, r.row.key),
                    notes,
                    allow_drop=not use_habit,
                    use_identities=use_identities,
                    budget=budget,
                )
                for r in rows
            }
            if use_habit and any(v is None for v in results.values()):
                problems.append(
                    f"{table.key}: the table prints its zeros, but a row cannot be read without "
                    "dropping cells: the habit is retracted"
                )
                break
            if use_identities and any(v is not None and v.relaxed for v in results.values()):
                continue  # a row's own identities cannot hold: set them aside for the whole table
            if not use_identities and any(row_checks(template, table.key, r.row.key) for r in rows):
                problems.append(
                    f"{table.key}: a row's total cannot equal its parts with any reading (the source "
                    "does not add up, or leaves totals blank): row identities are evidence of nothing "
                    "for this table"
                )
            if use_habit:
                problems.append(
                    f"{table.key}: every all-zero row prints one 0 per cell, so this table writes 0 "
                    "rather than leaving cells blank; readings that drop cells are ruled out "
                    "(basis zeros_printed)"
                )
            problems.extend(notes)
            for r in rows:
                state.pop(id(r), None)
                result = results[id(r)]
                if result is not None:
                    state[id(r)] = result.readings
                    r.totals_assumed = result.assumed
                    if result.assumed:
                        problems.append(
                            f"{table.key}/{r.row.key}: its readings with a total left blank are too "
                            "many to enumerate; read with its totals filled (basis totals_filled)"
                        )
            return use_habit, not use_identities
    return False, False


def _place_pools(
    rows: list[TextRow],
    template: Template,
    state: dict[int, list[Reading]],
    problems: list[str],
    budget: Budget,
) -> None:
    """Rows whose labels were printed apart from fewer lines of numbers: their readings over
    every placement of the lines that closes the identities (apart.py), or none."""
    for pool in dict.fromkeys(r.pool for r in rows):
        assert pool is not None
        members = [r for r in rows if r.pool is pool]
        placed = apart.place(members, pool.lines, template, budget)
        where = f"{members[0].table.key}: labels printed apart from fewer lines of numbers"
        if isinstance(placed, str):
            problems.append(f"{where}: {placed}; those rows are left missing")
            for r in members:
                state.pop(id(r), None)
        else:
            problems.append(
                f"{where}: each line's row decided by the identities where every placement "
                "agrees (inferred), the rows left out read as empty only where no placement "
                "gives them a line"
            )
            state.update(placed)


def _order_confirmed(rows: list[TextRow], template: Template, budget: Budget) -> bool:
    """Numbers paired with labels by order alone stand only where each row's own identities
    hold on them: a row with no identity of its own cannot confirm its pairing."""
    for r in rows:
        checks = row_checks(template, r.table.key, r.row.key)
        result = read_row(r, checks, [], budget=budget) if checks else None
        if result is None or result.relaxed:
            return False
    return True


def _without_totals(
    equations: list[Equation], template: Template, unfilled: set[str], problems: list[str]
) -> list[Equation]:
    """Where a table's row totals are known not to equal their parts (left blank, or not adding
    up), every identity through a total cell assumes what the table contradicts: set aside."""
    totals = _total_cols(template)
    kept = [
        eq
        for eq in equations
        if not any(
            row.table.key in unfilled and (row.table.key, row.block.cols[col].key) in totals
            for _, row, col in eq.terms
        )
    ]
    for key in sorted({eq.table for eq in equations if eq not in kept}):
        problems.append(
            f"{key}: row totals do not equal their parts, so the identities through the total "
            "columns are set aside for this table"
        )
    return kept


@lru_cache(maxsize=8)
def _total_cols(template: Template) -> frozenset[tuple[str, str]]:
    """(table, column) of every cell that a row identity makes the total of its row."""
    return frozenset(
        (inst.left[0][0], inst.left[0][2])
        for inst in template.identities
        if len(inst.left) == 1 and all(k[:2] == inst.left[0][:2] for k in (*inst.left, *inst.right))
    )


def _find_rows(
    lines: list[str], template: Template, problems: list[str]
) -> tuple[list[TextRow], set[str], set[tuple[str, str]]]:
    """The rows, the tables with numbers no row could claim, and the rows beside such numbers.

    Not a vote between two readings: a hypothesis and its test. Line breaks and spaces are taken
    to separate cells, so each printed token is one cell (the line reader: a cell or a row per
    line, wrapped labels, page numbers). A single label with digits glued to it contradicts that
    for the whole page (one tool wrote it): the page is then read as a stream of labels and
    runs, each run cut into cells by the rules scan_rows states. The weaker assumption is
    always safe; it only leaves more cells open."""
    scanned, glued = scan_rows("\n".join(ln for ln in lines if not PAGE_MARK.match(ln)), template)
    if glued:
        problems.append(
            f"flattened text with digits run together ({glued} rows glued to their labels): each run is cut "
            "into numbers without leading zeros, a space always separating cells"
        )
        return scanned.rows, scanned.stray, scanned.unsure
    by_line = collect_rows(lines, template)
    problems.extend(by_line.problems)
    return by_line.rows, by_line.stray, by_line.unsure


def _use_prose(
    text: str, rows: list[TextRow], state: dict[int, list[Reading]], problems: list[str]
) -> bool:
    """Narrow a cell the table leaves open to the value the report states in words."""
    by_key = {(r.table.key, r.row.key): r for r in rows}
    used = False
    for fact in prose_facts(text):
        row = by_key.get((fact.table, fact.row))
        if row is None:
            continue
        col = [c.key for c in row.block.cols].index(fact.col)
        readings = state[id(row)]
        values = {number(c) for c in distinct_cells(readings, col)}
        if len(values) < 2:
            continue  # the table decides this cell: prose is not needed
        if fact.value not in values:
            problems.append(
                f"prose evidence ignored: '{fact.phrase}' fits no reading of {fact.table}/{fact.row}/{fact.col}"
            )
            continue
        state[id(row)] = keep_where(readings, col, {fact.value})
        problems.append(
            f"prose evidence: '{fact.phrase}' → {fact.table}/{fact.row}/{fact.col} = {fact.value}"
        )
        used = True
    return used
