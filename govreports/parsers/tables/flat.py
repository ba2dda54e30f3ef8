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
"230 000023"). Rows are then found by scanning the text for their labels in template order, and
a run of digits may hold several cells: it is cut into numbers without leading zeros ("07" is
0|7), a sign starts a number ("2648-18538" is 2648|-18538), decimals and a unit stay inside
their number, and a space always separates cells. The page's own habit is used as evidence and
named: when every all-zero row prints exactly one 0 per cell, the page writes 0 rather than
leaving blanks, so readings that drop cells are ruled out.

The report's own words are evidence too (prose.py): "3件结转下年度" narrows a cell the table
leaves open, never one it decides. Table 二 rows that nothing decides stay ambiguous.
"""

from __future__ import annotations

from govreports.parsers.tables.grid import Found
from govreports.parsers.tables.prose import prose_facts
from govreports.parsers.tables.readings import Budget, Reading, column_equations, distinct_cells, keep_where, number, propagate, read_row, resolve
from govreports.parsers.registry import Template
from govreports.parsers.tables.rows import TextRow, all_zero_habit, collect_rows, prose_text, scan_rows

__all__ = ["read_text_tables"]


def read_text_tables(lines: list[str], template: Template) -> Found:
    found = Found()
    rows = _choose_rows(lines, template, found.problems)
    habit, zero_rows = all_zero_habit(rows)
    if habit:
        found.problems.append(
            f"page habit: all {zero_rows} all-zero rows print one 0 per cell, so this page writes 0 rather than "
            "leaving cells blank; readings that drop cells are ruled out"
        )
    state: dict[int, list[Reading]] = {}
    budget = Budget()
    for row in rows:
        readings = read_row(row, found.problems, allow_drop=not habit, budget=budget)
        if readings is not None:
            state[id(row)] = readings
    solvable = [r for r in rows if id(r) in state]
    equations = column_equations({r.row.key: r for r in solvable if r.table.key == "requests"}, template)
    propagate(equations, state, template, found.problems)
    if _use_prose(prose_text(lines), solvable, state, found.problems):
        propagate(equations, state, template, found.problems)
    dropped_decided = False
    for row in solvable:
        for col_index, col in enumerate(row.block.cols):
            cell, used_drop = resolve(row, state[id(row)], col_index, col)
            dropped_decided = dropped_decided or used_drop
            found.cells[(row.table.key, row.row.key, col.key)] = cell
        found.rows_seen.add((row.table.key, row.row.key))
    if dropped_decided:
        found.problems.append(
            "flattened text: cells that were dropped in some readings are read as 0 (inferred); "
            "the text cannot tell a blank cell from a 0"
        )
    return found


def _choose_rows(lines: list[str], template: Template, problems: list[str]) -> list[TextRow]:
    """Rows by line (forms a, b, d) unless the text glues digits to labels (form c)."""
    rows, line_problems = collect_rows(lines, template)
    scanned, glued = scan_rows("\n".join(lines), template)
    if glued >= 3 and 2 * glued >= len(scanned):
        problems.append(
            f"flattened text with digits run together ({glued} rows glued to their labels): each run is cut "
            "into numbers without leading zeros, a space always separating cells"
        )
        return scanned
    problems.extend(line_problems)
    return rows


def _use_prose(text: str, rows: list[TextRow], state: dict[int, list[Reading]], problems: list[str]) -> bool:
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
            problems.append(f"prose evidence ignored: '{fact.phrase}' fits no reading of {fact.table}/{fact.row}/{fact.col}")
            continue
        state[id(row)] = keep_where(readings, col, {fact.value})
        problems.append(f"prose evidence: '{fact.phrase}' → {fact.table}/{fact.row}/{fact.col} = {fact.value}")
        used = True
    return used
