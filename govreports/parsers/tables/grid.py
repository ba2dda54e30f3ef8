"""Statistical tables from real <table> markup: spans expanded into a grid, rows found by their
labels and columns by their header text, so neither layout drift nor extra columns move a value.

Reading state (current table block and header rows) carries across <table> elements, because
CMSes split section 二 into a table per 第二十条 item and page breaks split the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from govreports.parsers.formats.markup import CONFIDENCE, MARK
from govreports.parsers.page.body import FOOTNOTE_TAGS, STRUCK_TAGS
from govreports.parsers.registry import TEMPLATES, BlockDef, ColDef, RowDef, TableDef, Template
from govreports.parsers.statuses import Basis, CellStatus
from govreports.parsers.tables.labels import Matcher, best_match, normalize
from govreports.parsers.values import CellValue, is_unsure, read_cell

HtmlElement = Any

MAX_SPAN_ROWS = 200
MAX_SPAN_COLS = 60
# Grid positions a table may fill once its spans are expanded. A report's table 三 fills about
# 300; hostile markup (every cell rowspan=200 colspan=60) would fill millions and take minutes.
MAX_GRID_CELLS = 50_000


class GridTooLarge(Exception):
    """A table whose spans expand past MAX_GRID_CELLS: hostile or broken markup."""


_BLOCK_HEADING = re.compile(r"第二十条第([一二三四五六七八九十]+)项")
_SPAN_DIGITS = re.compile(r"\d+")


@dataclass(eq=False, slots=True)
class GridCell:
    text: str
    row: int
    col: int
    value: CellValue

    @property
    def is_value(self) -> bool:
        return self.value.status != CellStatus.MISSING or is_unsure(self.value.raw)


Grid = list[list[GridCell | None]]


@dataclass
class Found:
    """Cells read so far, keyed by (table, row, col), and what went wrong."""

    cells: dict[tuple[str, str, str], CellValue] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    rows_seen: set[tuple[str, str]] = field(default_factory=set)


def _float(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None  # a page's own attribute of that name, not ours


def _span(raw: str | None, limit: int) -> int:
    """rowspan/colspan as browsers read them: leading digits ("2;" is 2), at least 1, capped."""
    if not raw:
        return 1
    m = _SPAN_DIGITS.search(raw)
    return max(1, min(int(m.group(0)), limit)) if m else 1


def _own_rows(table: HtmlElement) -> Iterator[HtmlElement]:
    for child in table:
        tag = child.tag
        if tag == "tr":
            yield child
        elif tag in ("tbody", "thead", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


_CELL_BLOCKS = {"p", "div", "br", "li"}
_WALKED = ("br", *FOOTNOTE_TAGS)  # what makes a cell's text more than its serialization


def _cell_text(td: HtmlElement, nested: bool, walk: bool) -> str:
    """Cell text. A cell holding a table is layout: its own text only (the nested table is read
    as a table of its own). lxml's text serializer, in C, is ~6x quicker than itertext(); only
    a cell with several blocks, a line break ("1<br>2") or a footnote mark is walked, so its
    lines stay apart and its marks stay marks. `walk`: the table has a br, sup or sub at all."""
    n = len(td)
    if n == 0:
        return (td.text or "").strip()
    if nested and td.find(".//table") is not None:
        return (td.text or "").strip()
    if n == 1 and not (
        walk and next(td[0].iter(*_WALKED), None) is not None
    ):  # iter() includes td[0]
        return str(etree.tostring(td, method="text", encoding=str, with_tail=False)).strip()
    parts = [td.text or ""]
    for el in td.iterdescendants():
        block = el.tag in _CELL_BLOCKS
        parts.append("\n" if block else MARK if el.tag in FOOTNOTE_TAGS else "")
        parts.append(el.text or "")
        if block:
            parts.append("\n")
        parts.append(el.tail or "")
    return "".join(parts).strip()


def build_grid(table: HtmlElement, clean: Callable[[str], str] | None = None) -> Grid:
    """Expand rowspan/colspan. Overlapping spans keep the first cell; rows may be ragged.
    Rowspans that run past the last <tr> would make rows no <tr> has: they are cut off.
    `clean` takes injected spam out of a cell's text (a hijacked page splices it into labels)."""
    nested = table.find(".//table") is not None  # asked once per table, not once per cell
    walk = next(table.iter(*_WALKED), None) is not None
    grid: Grid = []
    last = -1  # the last row with a cell of its own
    filled = 0
    for r, tr in enumerate(_own_rows(table)):
        if len(grid) == r:
            grid.append([])
        c = 0
        row = grid[r]
        for td in tr:
            tag = td.tag
            if tag != "td" and tag != "th":
                continue
            last = r
            while c < len(row) and row[c] is not None:
                c += 1
            text = _cell_text(td, nested, walk)
            if clean is not None:
                text = clean(text)
            value = read_cell(text)
            sure = td.get(CONFIDENCE)
            if sure is not None and value.status != CellStatus.BLANK:
                value = replace(value, confidence=_float(sure))
            cell = GridCell(text, r, c, value)
            rs_raw, cs_raw = td.get("rowspan"), td.get("colspan")
            rs = 1 if rs_raw is None else _span(rs_raw, MAX_SPAN_ROWS)
            cs = 1 if cs_raw is None else _span(cs_raw, MAX_SPAN_COLS)
            filled += rs * cs
            if filled > MAX_GRID_CELLS:
                raise GridTooLarge(
                    f"a table whose rowspan/colspan expand past {MAX_GRID_CELLS:,} cells "
                    "(hostile or broken markup): skipped"
                )
            if rs == 1 and cs == 1:  # most cells: no span bookkeeping
                if c == len(row):
                    row.append(cell)
                else:
                    row[c] = cell
                c += 1
                continue
            for i in range(rs):
                while len(grid) <= r + i:
                    grid.append([])
                target = grid[r + i]
                if len(target) < c + cs:
                    target.extend([None] * (c + cs - len(target)))
                for j in range(cs):
                    if target[c + j] is None:
                        target[c + j] = cell
            c += cs
    return grid[: last + 1]


def logical(row: list[GridCell | None]) -> list[GridCell]:
    """The distinct cells of a grid row, left to right."""
    out: list[GridCell] = []
    for cell in row:
        if cell is not None and (not out or out[-1] is not cell):
            out.append(cell)
    return out


@dataclass
class HeaderCol:
    start: int
    end: int
    path: list[str]  # header texts top to bottom


def header_columns(rows: list[list[GridCell | None]]) -> list[HeaderCol]:
    width = max((len(r) for r in rows), default=0)
    cols: list[HeaderCol] = []
    last_leaf: GridCell | None = None
    for c in range(width):
        path: list[GridCell] = []
        for row in rows:
            cell = row[c] if c < len(row) else None
            if cell is not None and (not path or path[-1] is not cell):
                path.append(cell)
        if not path:
            continue
        leaf = path[-1]
        if cols and leaf is last_leaf:
            cols[-1].end = c
        else:
            cols.append(HeaderCol(c, c, [p.text for p in path]))
        last_leaf = leaf
    return cols


_COLUMN_MAPS: dict[tuple[int, tuple[tuple[str, ...], ...]], tuple[tuple[int, ColDef], ...]] = {}


def map_columns(header: list[HeaderCol], block: BlockDef) -> list[tuple[HeaderCol, ColDef]]:
    """Header columns that name one of the block's columns, in page order, each used once.

    Remembered per header text and block (blocks are module constants, so id() is stable):
    the fuzzy matching costs more than the rest of a table, and a crawl meets the same few
    headers on every page."""
    key = (id(block), tuple(tuple(hc.path) for hc in header))
    known = _COLUMN_MAPS.get(key)
    if known is None:
        if len(_COLUMN_MAPS) > 10_000:
            _COLUMN_MAPS.clear()
        known = _COLUMN_MAPS[key] = tuple(_map_columns([hc.path for hc in header], block))
    return [(header[i], col) for i, col in known]


def _map_columns(paths: list[list[str]], block: BlockDef) -> list[tuple[int, ColDef]]:
    mapped: list[tuple[int, ColDef]] = []
    used: set[str] = set()
    for i, path in enumerate(paths):
        path_norm = normalize("".join(path))
        options = [
            (col, col.labels)
            for col in block.cols
            if col.key not in used and (col.group is None or normalize(col.group) in path_norm)
        ]
        col = best_match(path[-1], options)
        if col is not None:
            used.add(col.key)
            mapped.append((i, col))
    return mapped


RowHit = tuple[RowDef, TableDef, BlockDef]
_ROW_MATCHERS: dict[str, Matcher[RowHit]] = {}


def row_matcher(template_id: str) -> Matcher[RowHit]:
    """Every data row of a template by its labels; built once per process."""
    if template_id not in _ROW_MATCHERS:
        template = TEMPLATES[template_id]
        _ROW_MATCHERS[template_id] = Matcher(
            ((row, table, block), row.labels)
            for table in template.tables
            for block in table.blocks
            for row in block.rows
            if any(row.labels)
        )
    return _ROW_MATCHERS[template_id]


@dataclass
class _LastRow:
    """A data row as read, kept until the next one: the next grid may hold the rest of it."""

    grid_row: list[GridCell | None]
    labels: list[GridCell]
    values: list[GridCell]
    key: tuple[str, str] | None  # (table, row) it was read as; None: no template row
    problem: int | None  # the index of the "row not in the template" problem it raised


class TableReader:
    """Reads the grids of one page in order against one template."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.found = Found()
        self.header: list[list[GridCell | None]] = []
        self.header_open = False  # the previous row was a header row
        self._rows = row_matcher(template.id)
        self._mappings: dict[tuple[int, str, str], list[tuple[HeaderCol, ColDef]]] = {}
        self._header_version = 0
        self._groups = {normalize(g) for t in template.tables for g in t.group_labels}
        self._last: _LastRow | None = None  # the data row read last, while no header follows it
        self._header_words = set(map(normalize, template.header_words)) - {""}

    def read(self, grid: Grid) -> None:
        first = True  # the grid's first data row may go on from the previous grid's last
        for grid_row in grid:
            cells = logical(grid_row)
            if not cells:
                continue
            joined = "".join(c.text for c in cells)
            heading = _BLOCK_HEADING.search(normalize(joined))
            if heading and not any(c.value.status == CellStatus.REPORTED for c in cells):
                self.header, self.header_open = [], False
                continue
            lead = 0  # empty cells before the label: a row-group column continued past a page break
            while lead < len(cells) and cells[lead].value.status == CellStatus.BLANK:
                lead += 1
            if 0 < lead < len(cells) and not cells[lead].is_value:
                cells = cells[lead:]
            n_label = 0
            while n_label < len(cells) and not cells[n_label].is_value:
                n_label += 1
            labels, values = cells[:n_label], cells[n_label:]
            if (
                not values
                or (not labels and not self._appeals_ready())
                or self._padded_header(labels, values)
            ):
                # all text: a header row (or a title row)
                self._last = None
                if not self.header_open:
                    self.header = []
                self._header_version += 1
                self.header.append(grid_row)
                self.header_open = True
                continue
            self.header_open = False
            if not (first and self._continues(labels, values)):
                self._data_row(grid_row, labels, values)
            first = False

    def _padded_header(self, labels: list[GridCell], values: list[GridCell]) -> bool:
        """Header words followed by empty cells (a converter pads every row to the table's width):
        a header row, unless its words are a data row's label and at most one header word."""
        if any(v.value.status != CellStatus.BLANK for v in values):
            return False
        words = sum(normalize(c.text) in self._header_words for c in labels)
        return words >= 2 or (words == 1 and self._match_row(labels) is None)

    def _mapping(self, table: TableDef, block: BlockDef) -> list[tuple[HeaderCol, ColDef]]:
        """The current header's columns mapped onto a block: once per header and block."""
        key = (self._header_version, table.key, block.id)
        if key not in self._mappings:
            self._mappings[key] = (
                map_columns(header_columns(self.header), block) if self.header else []
            )
        return self._mappings[key]

    def _appeals_ready(self) -> bool:
        """A row of bare numbers is the appeals row when the header above is the appeals'."""
        marks = self.template.table("appeals").header_markers
        text = normalize("".join(c.text for row in self.header for c in logical(row)))
        return any(m in text for m in marks)

    def _match_row(self, labels: list[GridCell]) -> RowHit | None:
        if not labels:
            appeals = self.template.table("appeals")
            return appeals.blocks[0].rows[0], appeals, appeals.blocks[0]
        for cell in reversed(labels):
            norm = normalize(cell.text)
            if not norm or norm in self._groups:
                continue
            hit = self._rows(cell.text)
            if hit is not None:
                return hit
        return None

    def _aggregate(self, labels: list[GridCell], values: list[GridCell]) -> RowHit | None:
        """A group label with numbers beside it is the group's sum printed as a row, where the
        template has one for it ("（六）其他处理 0 0 0 …" in place of its three sub-rows)."""
        if not any(v.value.status in (CellStatus.REPORTED, CellStatus.NA) for v in values):
            return None
        for cell in reversed(labels):
            hit = self._rows(cell.text) if normalize(cell.text) in self._groups else None
            if hit is not None and hit[0].role == "aggregate":
                return hit
        return None

    def _continues(self, labels: list[GridCell], values: list[GridCell]) -> bool:
        """A grid's first row that is the rest of the previous grid's last row: Word and
        LibreOffice break a row across a page break, so a PDF's table on the next page may begin
        with the end of a label ("2.重复" | "申请") and empty cells, the numbers being above it.
        Only a fragment with no numbers that is no unread row of its own is taken so; joined
        to the row before, it is read as one row when the joined label is a template row's."""
        last = self._last
        if last is None or any(v.value.status == CellStatus.REPORTED for v in values) or not labels:
            return False
        own = self._match_row(labels)
        own_key = None if own is None else (own[1].key, own[0].key)
        if own_key is not None and own_key not in self.found.rows_seen:
            return False  # a row of its own that happens to begin a page
        if last.key is not None:  # the row above was read: this is the rest of its label
            return own_key is None or own_key == last.key
        tail = last.labels[-1]
        joined = GridCell(tail.text + labels[-1].text, tail.row, tail.col, tail.value)
        if self._match_row([*last.labels[:-1], joined]) is None:
            return False
        if last.problem is not None:
            del self.found.problems[last.problem]  # it was not a row outside the template
        self._data_row(last.grid_row, [*last.labels[:-1], joined], last.values)
        return True

    def _data_row(
        self, grid_row: list[GridCell | None], labels: list[GridCell], values: list[GridCell]
    ) -> None:
        match = self._match_row(labels) or self._aggregate(labels, values)
        self._last = _LastRow(grid_row, labels, values, None, None)
        if match is None:
            if any(v.value.status == CellStatus.REPORTED for v in values):
                label = " / ".join(c.text.strip() for c in labels)
                self._last.problem = len(self.found.problems)
                self.found.problems.append(f"row not in the template, skipped: {label[:60]!r}")
            return
        row, table, block = match
        self._last.key = (table.key, row.key)
        if (table.key, row.key) in self.found.rows_seen:
            self.found.problems.append(
                f"row {table.key}/{row.key} printed twice; the first is kept"
            )
            return
        self.found.rows_seen.add((table.key, row.key))
        mapped = self._mapping(table, block)
        cols = [col for _, col in mapped]
        assigned: list[tuple[ColDef, GridCell | None]]
        spanned: dict[int, list[str]] = {}  # only placing cells by header position can repeat one
        by_order = False  # no header names the columns: their order is the template's, assumed
        if len(mapped) == len(block.cols) and len(values) == len(mapped):
            assigned = list(zip(cols, values))  # spans may disagree with the header; order holds
        elif mapped and len(mapped) == len(block.cols):
            assigned = [(col, _cell_at(grid_row, hc.start, labels)) for hc, col in mapped]
            spanned = _spanning_numbers(assigned)
        elif len(values) == len(block.cols):
            assigned, by_order = list(zip(block.cols, values)), True
            self.found.problems.append(
                f"{table.key}/{row.key}: header not recognized; values taken in template column order (inferred)"
            )
        else:
            self.found.problems.append(
                f"{table.key}/{row.key}: {len(values)} value cells for {len(block.cols)} columns and "
                "no usable header; the row's cells are left missing"
            )
            return
        for col, cell in assigned:
            if cell is None:
                continue
            value = cell.value
            if id(cell) in spanned:  # one printed number across columns: which holds it is unknown
                value = CellValue(None, CellStatus.MISSING, value.raw, confidence=value.confidence)
            elif value.status == CellStatus.REPORTED and (
                by_order or (value.unit is None and col.unit is not None)
            ):
                # the number is printed; with no header naming its column, where it goes is inferred
                value = replace(
                    value,
                    status=CellStatus.INFERRED if by_order else CellStatus.REPORTED,
                    unit=value.unit or col.unit,
                    basis=Basis.COLUMN_ORDER if by_order else None,
                )
            self.found.cells[(table.key, row.key, col.key)] = value
        for keys in spanned.values():
            self.found.problems.append(
                f"{table.key}/{row.key}: one printed number spans the columns {', '.join(keys)}; "
                "they are left missing rather than given a copy each"
            )


def _spanning_numbers(assigned: list[tuple[ColDef, GridCell | None]]) -> dict[int, list[str]]:
    """Number cells assigned to more than one template column (a colspan over value columns),
    by id: the merge may mean "both", "the sum" or "one of them"."""
    cols: dict[int, list[str]] = {}
    for col, cell in assigned:
        if cell is not None and cell.value.status == CellStatus.REPORTED:
            cols.setdefault(id(cell), []).append(col.key)
    return {key: keys for key, keys in cols.items() if len(keys) > 1}


def _cell_at(grid_row: list[GridCell | None], col: int, labels: list[GridCell]) -> GridCell | None:
    if col >= len(grid_row):
        return None
    cell = grid_row[col]
    return None if cell is None or cell in labels else cell


# A statistical table names at least one of these; others (layout, calendars) are not gridded.
_TABLE_WORDS = (
    "第二十条",
    "信息内容",
    "自然人",
    "申请",
    "行政复议",
    "结果维持",
    "总计",
    "规章",
    "行政许可",
)


def _hidden(el: HtmlElement) -> bool:
    """Not shown by the browser, or shown struck out: anti-copy junk, Word's mso-hide text
    pasted into a cell (<span style="display:none">9</span>12 shows 12), a corrected number.
    Its text is no part of a value."""
    if el.tag in STRUCK_TAGS or el.get("hidden") is not None:
        return True
    style = (el.get("style") or "").lower().replace(" ", "")
    return "display:none" in style or "visibility:hidden" in style


def _drop_hidden(table: HtmlElement) -> int:
    """Remove hidden elements from a table (their tails stay: they are shown). Returns how many.
    The table's markup is searched first, in C: most tables hide nothing."""
    markup = etree.tostring(table).lower()
    if (
        b"none" not in markup
        and b"hidden" not in markup
        and next(table.iter(*STRUCK_TAGS), None) is None
    ):
        return 0
    hidden = [el for el in table.iter() if _hidden(el)]
    for el in hidden:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    return len(hidden)


def read_tables(
    root: HtmlElement,
    template: Template,
    may_hide: bool = True,
    clean: Callable[[str], str] | None = None,
) -> Found:
    """The statistical tables' cells. Hidden and struck-out elements are removed from those
    tables first (the page's lines, read before, keep hidden ones: injected spam is often
    hidden); may_hide=False, from the page's markup, says no style hides anything. `clean`
    takes injected spam out of each cell's text."""
    reader = TableReader(template)
    hidden = 0
    may_hide = (
        may_hide or next(root.iter(*STRUCK_TAGS), None) is not None
    )  # a tag search in C: quick
    for table in root.iter("table"):
        text = etree.tostring(table, method="text", encoding=str, with_tail=False)
        if any(w in text for w in _TABLE_WORDS):
            if (
                may_hide and table.find(".//table") is None
            ):  # a layout table's nested tables are checked on their own
                hidden += _drop_hidden(table)
            try:
                grid = build_grid(table, clean)
            except GridTooLarge as exc:
                reader.found.problems.append(str(exc))
                continue
            reader.read(grid)
    if hidden:
        reader.found.problems.append(
            f"{hidden} hidden or struck-out element(s) in the tables ignored (text the page does not show, or corrects)"
        )
    return reader.found
