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

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import Iterable, Sequence

from .html_tables import Found, row_matcher
from .normalize import normalize
from .prose import prose_facts
from .registry import BlockDef, ColDef, RowDef, TableDef, Template
from .values import TO_ASCII, CellValue, Number, read_cell

# Readings per row beyond which the row is not enumerated ("search budget exhausted").
MAX_READINGS = 20_000
# Distinct partial sums tracked per column identity before pruning gives up on it.
MAX_SUMS = 5_000

_SECTION_START = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|第二十条")
_SECTION_END = re.compile(r"^[五5][、.．]?.{0,20}(问题|改进)")
_APPEALS_HEADING = re.compile(r"行政复议.{0,3}行政诉讼")

# Page numbers of PDF text ("- 4 -", "第 3 页") sit between a table's rows.
_PAGE_MARK = re.compile(r"^[-—–－]\s*\d{1,3}\s*[-—–－]$|^第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?$")
_ENUMERATED = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]+[)）、.．]")

Reading = tuple[CellValue | None, ...]  # per cell: the number read into it, or None (dropped)
# Steps of the reading search per row and per page before "search budget exhausted".
MAX_NODES = 50_000
MAX_PAGE_NODES = 250_000
# The longest number a cell holds (digits, sign, point, decimals): bounds how a run is cut.
MAX_PIECE = 16


@dataclass
class TextRow:
    row: RowDef
    table: TableDef
    block: BlockDef
    tokens: list[CellValue]  # forms a, b, d: one token per printed cell
    runs: list[str] | None = None  # form c: space-separated runs, each holding one or more cells
    exact: bool = False  # the text admits one reading, taken verbatim: its cells are "reported"

    @property
    def atoms(self) -> int:
        return len(self.runs) if self.runs is not None else len(self.tokens)


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
        if _PAGE_MARK.match(line):
            continue
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
                if values and _ENUMERATED.match(label) and len(values) >= 3:
                    problems.append(f"row not in the {template.id} template, skipped: {label[:40]!r} {' '.join(v.raw or '' for v in values)}")
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


# --- form c: rows found by scanning the text for their labels --------------------------------------

# The tables start at the first 第二十条第（一）项 header; prose above often names the sections too.
_REGION_STARTS = (re.compile(r"第二十条第.{0,6}项"), re.compile(r"主动公开政府信息情况"), re.compile(r"收到和处理政府信息公开申请情况"))
_REGION_END = re.compile(r"[五5][、.．].{0,20}?(?:问题|改进)")
_NUMERIC = re.compile(r"[0-9+\-.\s元万%/]*")
_TRAILING_ENUMERATOR = re.compile(r"\d{1,2}$")


def _ascii(text: str) -> str:
    """Full-width forms to ASCII, one character for one: positions stay comparable."""
    return text.translate(TO_ASCII)


@lru_cache(maxsize=8)
def _scan_order(template: Template) -> tuple[tuple[RowDef, TableDef, BlockDef, tuple[str, ...]], ...]:
    out = []
    for table in template.tables:
        for block in table.blocks:
            for row in block.rows:
                if row.label:  # the appeals row has no label: it is found by its heading
                    out.append((row, table, block, tuple(sorted({_ascii(x) for x in row.labels}, key=len, reverse=True))))
    return tuple(out)


def scan_rows(text: str, template: Template) -> tuple[list[TextRow], int]:
    """Rows of form c text, found by their labels in template order; and how many of them have
    their digits glued to the label (the sign that runs hold several cells)."""
    text = _ascii(text)
    start = next((m for m in (p.search(text) for p in _REGION_STARTS) if m), None)
    if start is None:
        return [], 0
    end_m = _REGION_END.search(text, start.end())
    region = text[start.start() : end_m.start() if end_m else len(text)]
    found: list[tuple[int, int, RowDef, TableDef, BlockDef]] = []
    pos = 0
    for row, table, block, labels in _scan_order(template):
        hits = [(m, lab) for lab in labels if (m := _find_label(region, lab, pos)) >= 0]
        if not hits:
            continue
        at, label = min(hits, key=lambda h: (h[0], -len(h[1])))
        found.append((at, at + len(label), row, table, block))
        pos = at + len(label)
    appeals = template.table("appeals")
    heading = _APPEALS_HEADING.search(region, pos)
    rows: list[TextRow] = []
    glued = 0
    for i, (at, label_end, row, table, block) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else (heading.start() if heading else len(region))
        rows.append(TextRow(row, table, block, [], runs=_runs(region[label_end:stop])))
        glued += bool(region[label_end : label_end + 1].isdigit())
    if heading:
        digits = re.search(r"\d", region[heading.end() :])
        if digits:
            at = heading.end() + digits.start()
            rows.append(TextRow(appeals.blocks[0].rows[0], appeals, appeals.blocks[0], [], runs=_runs(region[at:])))
    return [r for r in rows if r.runs], glued


def _find_label(region: str, label: str, pos: int) -> int:
    """The label's first occurrence with numbers after it (prose may name a row before the
    table does); failing that, its first occurrence."""
    first = at = region.find(label, pos)
    while at >= 0:
        after = region[at + len(label) : at + len(label) + 8].lstrip()
        if after[:1].isdigit():
            return at
        at = region.find(label, at + 1)
    return first


def _runs(between: str) -> list[str]:
    """The space-separated runs of printed characters right after a label, up to the first
    character that cannot be in a number; a row enumerator glued on ("…00000002.其他") is not."""
    numeric = _NUMERIC.match(between)
    chunk = numeric.group() if numeric else ""
    rest = between[len(chunk) :]
    if chunk.endswith(".") or (rest[:1] in ("、",) and _TRAILING_ENUMERATOR.search(chunk)):
        chunk = _TRAILING_ENUMERATOR.sub("", chunk.rstrip("."))
    return [r for r in chunk.split() if any(ch.isdigit() for ch in r) or r in ("/", "-")]


def _all_zero_habit(rows: list[TextRow]) -> tuple[bool, int]:
    """Whether every all-zero row prints exactly one 0 per cell (then the page writes zeros and
    leaves nothing blank); and how many all-zero rows say so. Three at least, no exception."""
    zero_rows = 0
    for row in rows:
        if row.runs is None and 0 < len(row.tokens) < len(row.block.cols):
            return False, 0  # a row with fewer numbers than cells: this page does leave blanks
        printed = "".join(row.runs) if row.runs is not None else "".join(t.raw or "" for t in row.tokens)
        if printed and set(printed) == {"0"}:
            if len(printed) != len(row.block.cols):
                return False, 0
            zero_rows += 1
    return zero_rows >= 3, zero_rows


def _slot(reading: Sequence[CellValue | None], col: int) -> Number:
    """The value a reading puts in a cell; a dropped cell counts as 0."""
    cell = reading[col]
    return cell.value if cell is not None and cell.value is not None else 0


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


class _Budget(Exception):
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


def _enumerate(row: TextRow, allow_drop: bool, strict: bool, budget: Budget) -> list[tuple[int, Reading]]:
    """Every reading of the row's printed characters into its cells, with how many of the row's
    identities it breaks; with `strict`, only readings that break none (pruned as they grow)."""
    n = len(row.block.cols)
    checks = _row_checks(row)
    out: list[tuple[int, Reading]] = []
    cells: list[CellValue | None] = []
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
            raise _Budget
        if allow_drop and (pos == 0 or row.runs is not None):
            options.append((atom, pos, None))
        for nxt_atom, nxt_pos, choice in options:
            cells.append(choice)
            fails = 0
            for total, parts in checks.get(col, ()):
                if abs(_slot(cells, total) - sum(_slot(cells, i) for i in parts)) > 1e-6:
                    fails += 1
            if not (strict and fails):
                walk(col + 1, nxt_atom, nxt_pos, broken + fails)
            cells.pop()

    walk(0, 0, 0, 0)
    return out


def _readings(row: TextRow, problems: list[str], allow_drop: bool = True, budget: Budget | None = None) -> list[Reading] | None:
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
    except _Budget:
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


def _column_values(row: TextRow, readings: list[Reading], col: int) -> set[Number]:
    return {_slot(r, col) for r in readings}


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
            if any(abs(s + sign * _slot(rd, col)) < 1e-6 for s in sums)
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
    rows = _choose_rows(lines, template, found.problems)
    habit, zero_rows = _all_zero_habit(rows)
    if habit:
        found.problems.append(
            f"page habit: all {zero_rows} all-zero rows print one 0 per cell, so this page writes 0 rather than "
            "leaving cells blank; readings that drop cells are ruled out"
        )
    state: dict[int, list[Reading]] = {}
    budget = Budget()
    for row in rows:
        readings = _readings(row, found.problems, allow_drop=not habit, budget=budget)
        if readings is not None:
            state[id(row)] = readings
    solvable = [r for r in rows if id(r) in state]
    equations = _equations({r.row.key: r for r in solvable if r.table.key == "requests"}, template)
    _propagate(equations, state, template, found.problems)
    if _use_prose(_prose(lines), solvable, state, found.problems):
        _propagate(equations, state, template, found.problems)
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


def _propagate(equations: list[list[tuple[int, TextRow]]], state: dict[int, list[Reading]], template: Template,
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


def _prose(lines: list[str]) -> str:
    """The report's words outside its tables."""
    text = "\n".join(lines)
    start = next((m for m in (p.search(text) for p in _REGION_STARTS) if m), None)
    if start is None:
        return text
    end = _REGION_END.search(text, start.end())
    return text[: start.start()] + (text[end.start() :] if end else "")


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
        values = {_slot(r, col) for r in readings}
        if len(values) < 2:
            continue  # the table decides this cell: prose is not needed
        if fact.value not in values:
            problems.append(f"prose evidence ignored: '{fact.phrase}' fits no reading of {fact.table}/{fact.row}/{fact.col}")
            continue
        state[id(row)] = [r for r in readings if _slot(r, col) == fact.value]
        problems.append(f"prose evidence: '{fact.phrase}' → {fact.table}/{fact.row}/{fact.col} = {fact.value}")
        used = True
    return used


def _resolve(row: TextRow, readings: list[Reading], col_index: int, col: ColDef) -> tuple[CellValue, bool]:
    cells = {r[col_index] for r in readings}
    values = sorted({_slot(r, col_index) for r in readings})
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
