"""Statistical tables rebuilt from flattened text, where blank cells have vanished.

Forms handled: a cell per line (copy/paste, many CMS mirrors), a row per line with the values
space-separated (PDF text), and either inside HTML paragraphs. Each row's printed numbers are
read in order; when fewer numbers than cells are printed, every placement of them into the
row's cells is a *reading*. Readings are kept only if the identities allow them — row totals
and appeals group totals within a row, per-column balances across rows — and a cell is
`inferred` when all surviving readings agree on it, else `ambiguous` with its candidates. A
dropped cell counts as 0 when readings are compared (the identities only close that way);
that assumption is named in `problems` whenever it decided a cell.

Not handled yet: digit runs holding several cells (form c, crawler dumps) and numbers in the
report's prose as evidence; such rows are left missing or ambiguous, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import Iterable

from .html_tables import Found, row_matcher
from .normalize import normalize
from .registry import BlockDef, ColDef, RowDef, TableDef, Template
from .values import CellValue, Number, read_cell

# Readings per row beyond which the row is not enumerated ("search budget exhausted").
MAX_READINGS = 20_000
# Distinct partial sums tracked per column identity before pruning gives up on it.
MAX_SUMS = 5_000

_SECTION_START = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|第二十条")
_SECTION_END = re.compile(r"^[五5][、.．]?.{0,20}(问题|改进)")
_APPEALS_HEADING = re.compile(r"行政复议.{0,3}行政诉讼")

_ENUMERATED = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]+[)）、.．]")

Reading = tuple[int | None, ...]  # per cell: index of the printed token, or None (dropped)


@dataclass
class TextRow:
    row: RowDef
    table: TableDef
    block: BlockDef
    tokens: list[CellValue]


def _split_line(line: str) -> tuple[str, list[CellValue]]:
    """A line's label text and the value tokens after it ("行政处罚 26 -3 40")."""
    parts = line.split()
    i = 0
    while i < len(parts) and read_cell(parts[i]).status not in ("reported", "na"):
        i += 1
    label = "".join(parts[:i])
    values = [read_cell(p) for p in parts[i:]]
    if any(v.status not in ("reported", "na") for v in values):
        return line, []  # numbers inside prose: not a table line
    return label, values


def _region(lines: list[str]) -> list[str]:
    """From the first table heading (or 信息内容 header, for a fragment) to section 五."""
    start = next(
        (i for i, ln in enumerate(lines) if len(ln) <= 40 and (_SECTION_START.search(ln) or ln.startswith("信息内容"))),
        None,
    )
    if start is None:
        return []
    end = next(
        (i for i in range(start + 1, len(lines)) if len(lines[i]) <= 60 and _SECTION_END.search(lines[i])),
        len(lines),
    )
    return lines[start:end]


@lru_cache(maxsize=8)
def _column_words(template: Template) -> frozenset[str]:
    return frozenset(normalize(lab) for t in template.tables for b in t.blocks for c in b.cols for lab in c.labels)


def _label_row(label: str, template: Template) -> tuple[RowDef, TableDef, BlockDef] | None:
    norm = normalize(label)
    if norm in _column_words(template) and not _ENUMERATED.match(label):
        return None  # 总计 in a header line is a column, （七）总计 is the row
    hit = row_matcher(template.id)(label)
    if hit is None:
        return None
    # A row label must be most of the line: prose that merely mentions 行政许可 is not the row.
    cover = max(len(normalize(lab)) for lab in hit[0].labels)
    return hit if norm and cover / len(norm) >= 0.5 else None


def collect_rows(lines: list[str], template: Template) -> tuple[list[TextRow], list[str]]:
    rows: list[TextRow] = []
    problems: list[str] = []
    current: TextRow | None = None
    appeals = template.table("appeals")
    in_appeals = False
    for line in _region(lines):
        label, values = _split_line(line)
        if label:
            hit = _label_row(label, template)
            if hit is not None:
                current = TextRow(hit[0], hit[1], hit[2], [])
                rows.append(current)
                in_appeals = False
            elif _APPEALS_HEADING.search(label) and len(label) <= 40:
                block = appeals.blocks[0]
                current = TextRow(block.rows[0], appeals, block, [])
                rows.append(current)
                in_appeals = True
            elif current is not None and not current.tokens and not in_appeals:
                pass  # the row's label wraps onto this line ("…只计这一情\n形，不计其他情形） 447 …")
            elif not in_appeals:
                current = None  # a header or group label ends the row's values
        if values and current is not None:
            current.tokens.extend(values)
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in rows:
        if r.table is appeals and not r.tokens:
            continue  # a section heading with no numbers under it: the table is not in the text
        key = (r.table.key, r.row.key)
        if key in seen:
            problems.append(f"row {r.table.key}/{r.row.key} printed twice; the first is kept")
            continue
        seen.add(key)
        unique.append(r)
    return unique, problems


def _value(token: CellValue | None) -> Number:
    return token.value if token is not None and token.value is not None else 0


def _slot(row: TextRow, reading: Reading, col: int) -> Number:
    """The value a reading puts in a cell; a dropped cell counts as 0."""
    index = reading[col]
    return _value(row.tokens[index]) if index is not None else 0


def _row_ok(row: TextRow, reading: Reading) -> bool:
    """The identities inside one row: total = the six applicant columns; appeals group totals."""
    vals = {col.key: _slot(row, reading, i) for i, col in enumerate(row.block.cols)}
    if row.table.key == "requests":
        return abs(vals["total"] - sum(v for k, v in vals.items() if k != "total")) < 1e-6
    if row.table.key == "appeals":
        for g in ("review", "suit_direct", "suit_after_review"):
            parts = sum(vals[f"{g}_{k}"] for k in ("upheld", "corrected", "other", "pending"))
            if abs(vals[f"{g}_total"] - parts) > 1e-6:
                return False
    return True


def _readings(row: TextRow, problems: list[str]) -> list[Reading] | None:
    n, k = len(row.block.cols), len(row.tokens)
    if k > n:
        problems.append(f"{row.table.key}/{row.row.key}: {k} numbers printed for {n} cells; row left missing")
        return None
    if comb(n, k) > MAX_READINGS:
        problems.append(f"{row.table.key}/{row.row.key}: ambiguous: search budget exhausted")
        return None
    all_readings: list[Reading] = []
    for slots in combinations(range(n), k):
        reading: list[int | None] = [None] * n
        for token_index, slot in enumerate(slots):
            reading[slot] = token_index
        all_readings.append(tuple(reading))
    kept = [r for r in all_readings if _row_ok(row, r)]
    if not kept:
        problems.append(
            f"{row.table.key}/{row.row.key}: no placement of the printed numbers satisfies the row's "
            "identities (the source is inconsistent); all placements kept"
        )
        return all_readings
    return kept


def _column_values(row: TextRow, readings: list[Reading], col: int) -> set[Number]:
    return {_slot(row, r, col) for r in readings}


def _sums(sets: Iterable[tuple[int, set[Number]]]) -> set[Number] | None:
    acc: set[Number] = {0}
    for sign, values in sets:
        acc = {a + sign * v for a in acc for v in values}
        if len(acc) > MAX_SUMS:
            return None
    return acc


def _prune(equation: list[tuple[int, TextRow]], state: dict[int, list[Reading]], col: int) -> bool | None:
    """Drop readings that no choice of the other rows can balance. None: would empty a row."""
    changed = False
    for idx, (sign, row) in enumerate(equation):
        others = [(s, _column_values(r, state[id(r)], col)) for j, (s, r) in enumerate(equation) if j != idx]
        sums = _sums(others)
        if sums is None:
            continue
        keep = [
            rd for rd in state[id(row)]
            if any(abs(s + sign * _slot(row, rd, col)) < 1e-6 for s in sums)
        ]
        if not keep:
            return None
        if len(keep) < len(state[id(row)]):
            state[id(row)] = keep
            changed = True
    return changed


def _equations(rows: dict[str, TextRow], template: Template) -> list[list[tuple[int, TextRow]]]:
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


def read_text_tables(lines: list[str], template: Template) -> Found:
    found = Found()
    rows, problems = collect_rows(lines, template)
    found.problems.extend(problems)
    state: dict[int, list[Reading]] = {}
    for row in rows:
        readings = _readings(row, found.problems)
        if readings is not None:
            state[id(row)] = readings
    solvable = [r for r in rows if id(r) in state]
    requests = {r.row.key: r for r in solvable if r.table.key == "requests"}
    equations = _equations(requests, template)
    n_cols = len(template.table("requests").blocks[0].cols)
    for _ in range(10):  # to a fixpoint; each pass can only remove readings
        changed = False
        for eq in equations:
            for col_pos in range(n_cols):
                result = _prune(eq, state, col_pos)
                if result is None:
                    problem = (
                        f"requests column {template.table('requests').blocks[0].cols[col_pos].key}: the printed "
                        "numbers cannot satisfy the column identities (the source is inconsistent)"
                    )
                    if problem not in found.problems:
                        found.problems.append(problem)
                    continue
                changed = changed or result
        if not changed:
            break
    dropped_decided = False
    for row in solvable:
        for col_index, col in enumerate(row.block.cols):
            cell, used_drop = _resolve(row, state[id(row)], col_index, col)
            dropped_decided = dropped_decided or used_drop
            found.cells[(row.table.key, row.row.key, col.key)] = cell
        found.rows_seen.add((row.table.key, row.row.key))
    if dropped_decided:
        found.problems.append(
            "flattened text: cells that were dropped in some readings are read as 0 (inferred); "
            "the text cannot tell a blank cell from a 0"
        )
    return found


def _resolve(row: TextRow, readings: list[Reading], col_index: int, col: ColDef) -> tuple[CellValue, bool]:
    tokens = {r[col_index] for r in readings}
    values = sorted({_slot(row, r, col_index) for r in readings})
    if len(tokens) == 1 and None not in tokens:
        token = row.tokens[readings[0][col_index] or 0]
        status = "reported" if len(readings) == 1 and len(row.tokens) == len(row.block.cols) else "inferred"
        unit = token.unit or col.unit
        return CellValue(token.value, status if token.status == "reported" else token.status, token.raw, unit), False
    if tokens == {None}:
        return CellValue(None, "blank", None), False
    if len(values) == 1:
        return CellValue(values[0], "inferred", None, col.unit), True
    return CellValue(None, "ambiguous", None, col.unit, tuple(values)), False
