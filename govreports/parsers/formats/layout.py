"""Tables from positioned characters and the cell boxes ruling lines draw: the one layout
reader behind the PDF (pdf_layout.py) and OFD (ofd.py) readers.

A fixed-layout document knows where every character stands: the cell boxes become <table>
markup with their spans, so the one grid reader maps the table as it maps a web page's, and a
blank cell is a cell with no characters in it, a known blank (the text layer alone leaves the
flattened reader to guess which column a number belongs to, and a blank cell vanishes). The
text around the tables becomes paragraphs in reading order; page numbers are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govreports.parsers.formats import markup
from govreports.parsers.formats.markup import MARK

Char = dict[str, Any]  # text, x0, x1, top, bottom, size (pdfplumber's names; points, y down)
Bbox = tuple[float, float, float, float]  # x0, top, x1, bottom

EDGE_TOLERANCE = 2.0  # points: ruling lines of one column drawn a hair apart are one edge
MAX_PAGE_CHARS = 60_000  # a report page holds a few thousand; more is not a report's page
# A report table has a few hundred cells and a page a few hundred ruling lines; hostile files
# draw thousands, and the cells they cross grow with the square of that.
MAX_TABLE_CELLS = 20_000
MAX_EDGES = 3_000
# Words a statistical table of the templates carries; a ruled box without them is layout.
_TABLE_WORDS = ("信息内容", "申请", "行政复议", "行政诉讼", "第二十条", "规章", "许可", "处罚")
# A line that is only a page number ("- 3 -", "第 3 页 共 12 页", "3/12"), in the page's margins.
_PAGE_NUMBER = re.compile(
    r"^[-－—–\s]*(第\s*)?\d{1,3}\s*(页)?\s*([/／]|共)?\s*(\d{1,3}\s*页?)?[-－—–\s]*$"
)
_MARGIN = 0.1  # of the page's height, at the top and at the bottom


class LayoutUnusable(Exception):
    """The document's geometry gives no table: the message says why, for the report's problems."""


@dataclass
class PositionedPage:
    """What a fixed-layout page gives the layout reader: its characters, the cell boxes of each
    ruled table on it, and its height (for the margins page numbers stand in)."""

    chars: list[Char]
    tables: list[list[Bbox]]
    height: float


@dataclass
class _Box:
    """One table cell: its grid position and span, and the characters inside it."""

    row: int
    col: int
    rowspan: int
    colspan: int
    chars: list[Char] = field(default_factory=list)


def layout_document(pages: Iterable[PositionedPage], what: str = "PDF") -> str:
    """The document as HTML: each page's text lines as paragraphs and its ruled tables as
    <table>, in reading order. Raises LayoutUnusable when no page has a ruled table that
    carries a template's words."""
    parts: list[str] = []
    tables = 0
    for number, page in enumerate(pages, 1):
        if len(page.chars) > MAX_PAGE_CHARS:
            raise LayoutUnusable(
                f"page {number} has {len(page.chars)} characters: not a report's page"
            )
        page_parts, page_tables = _page(page)
        parts += page_parts
        tables += page_tables
    if not tables:
        raise LayoutUnusable(f"no ruled table in the {what}")
    return markup.document("".join(parts))


def page_lines(page: PositionedPage) -> list[tuple[float, str]]:
    """All of a page's characters as text lines, top to bottom: the reading of a page whose
    tables have no ruling lines."""
    return _lines(page.chars)


def edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict[str, Any]:
    """A ruling line as pdfplumber's edge dict (points; orientation "h" or "v")."""
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def cell_boxes(edges: list[dict[str, Any]]) -> list[list[Bbox]]:
    """Ruling lines (pdfplumber's edge dicts) → the cell boxes of each table they draw, by
    pdfplumber's own table finder functions (snapped, joined, intersected), for documents
    pdfplumber does not open itself."""
    from pdfplumber.table import (
        cells_to_tables,
        edges_to_intersections,
        intersections_to_cells,
        merge_edges,
    )

    if len(edges) > MAX_EDGES:  # not a report's table: no table search, which is quadratic
        return []
    merged = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    return [list(t) for t in cells_to_tables(cells)]


def _page(page: PositionedPage) -> tuple[list[str], int]:
    """One page's paragraphs and tables, top to bottom, and how many tables carry a template's
    words (a page's other ruled tables are still written out: a table split by a page break
    continues on the next page without its header)."""
    grids = [g for g in map(_grid, page.tables) if g is not None]
    placed: list[tuple[float, str]] = []
    outside: list[Char] = []
    owners = [(bbox, boxes, _locator(boxes, edges)) for bbox, boxes, edges in grids]
    for ch in page.chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for (x0, top, x1, bottom), _, locate in owners:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                box = locate(cx, cy)
                if box is not None:
                    box.chars.append(ch)
                    break
        else:
            outside.append(ch)
    n_tables = 0
    for (_, top, _, _), boxes, _ in owners:
        placed.append((top, _table_html(boxes)))
        text = "".join(c["text"] for b in boxes for c in b.chars)
        n_tables += any(w in text for w in _TABLE_WORDS)
    height = page.height
    for line_top, line in _lines(outside):
        in_margin = line_top < height * _MARGIN or line_top > height * (1 - _MARGIN)
        if not (in_margin and _PAGE_NUMBER.match(line)):
            placed.append((line_top, markup.paragraph(line)))
    placed.sort(key=lambda item: item[0])
    return [html for _, html in placed], n_tables


def _edges(values: Iterable[float]) -> list[float]:
    """Distinct edge positions, those within EDGE_TOLERANCE of the previous taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _nearest(edges: Sequence[float], v: float) -> int:
    i = bisect_right(edges, v)
    if i == 0:
        return 0
    if i == len(edges) or v - edges[i - 1] <= edges[i] - v:
        return i - 1
    return i


def _grid(cells: list[Bbox]) -> tuple[Bbox, list[_Box], tuple[list[float], list[float]]] | None:
    """Cell boxes as grid positions with spans; None for a box that is no table (one row or one
    column: a frame around prose; or a grid of more cells than any report's table)."""
    xs = _edges(v for c in cells for v in (c[0], c[2]))
    ys = _edges(v for c in cells for v in (c[1], c[3]))
    if len(xs) < 3 or len(ys) < 3 or (len(xs) - 1) * (len(ys) - 1) > MAX_TABLE_CELLS:
        return None
    boxes = []
    for x0, top, x1, bottom in cells:
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        if c1 > c0 and r1 > r0:
            boxes.append(_Box(r0, c0, r1 - r0, c1 - c0))
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return bbox, sorted(boxes, key=lambda b: (b.row, b.col)), (xs, ys)


def _locator(boxes: list[_Box], edges: tuple[list[float], list[float]]) -> Any:
    """A function from a point to the cell box holding it (the first drawn, where boxes overlap)."""
    xs, ys = edges
    owner: dict[tuple[int, int], _Box] = {}
    for box in boxes:
        for r in range(box.row, box.row + box.rowspan):
            for c in range(box.col, box.col + box.colspan):
                owner.setdefault((r, c), box)

    def locate(x: float, y: float) -> _Box | None:
        return owner.get((bisect_right(ys, y) - 1, bisect_right(xs, x) - 1))

    return locate


def _table_html(boxes: list[_Box]) -> str:
    """Rows of cells with their spans; a grid position no cell box covers is an empty cell, so
    the cells after it keep their columns (HTML places a cell in the first free position)."""
    n_rows = max(b.row + b.rowspan for b in boxes)
    n_cols = max(b.col + b.colspan for b in boxes)
    start = {(b.row, b.col): b for b in boxes}
    covered: set[tuple[int, int]] = set()
    out = ["<table>"]
    for r in range(n_rows):
        out.append("<tr>")
        for c in range(n_cols):
            box = start.get((r, c))
            if box is not None and (r, c) not in covered:
                span = {
                    (rr, cc) for rr in range(r, r + box.rowspan) for cc in range(c, c + box.colspan)
                }
                sure = _confidence(box.chars)
                if span & covered:  # overlaps a cell already placed: the first keeps the place
                    out.append(markup.td(_cell_text(box.chars), confidence=sure))
                    covered.add((r, c))
                    continue
                covered |= span
                out.append(markup.td(_cell_text(box.chars), box.colspan, box.rowspan, sure))
            elif (r, c) not in covered:
                out.append("<td></td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _confidence(chars: list[Char]) -> float | None:
    """A recognizer's confidence in a cell's text (OCR gives each character its box's): the
    lowest; None for text a document carries as text."""
    found = [ch["confidence"] for ch in chars if "confidence" in ch]
    return min(found) if found else None


def _cell_text(chars: list[Char]) -> str:
    return "\n".join(line for _, line in _lines(chars))


def _lines(chars: list[Char]) -> list[tuple[float, str]]:
    """Characters into lines (top to bottom) of text (left to right), with each line's top.

    A character belongs to the current line when its vertical middle lies within the line's
    first character's box. A gap wider than half a character is a space; characters much
    smaller than the line's are a footnote mark, written after MARK ("3¹" is "3^1", never 31)."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (ch["top"] + ch["bottom"]) / 2
        if lines and lines[-1][0]["top"] <= middle <= lines[-1][0]["bottom"]:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        size = max(c["size"] for c in line)
        text: list[str] = []
        prev: Char | None = None
        for ch in line:
            small = ch["size"] < size * 0.7 and ch["text"].strip()
            if prev is not None and ch["x0"] - prev["x1"] > prev["size"] * 0.5:
                text.append(" ")
            if small and not (prev is not None and prev["size"] < size * 0.7):
                text.append(MARK)
            text.append(ch["text"])
            prev = ch
        joined = "".join(text).strip()
        if joined:
            out.append((line[0]["top"], joined))
    return out
