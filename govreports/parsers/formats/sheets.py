"""Spreadsheet reports and attachments (XLSX, XLS) as HTML tables, so the table reader takes
them from there: agencies attach the statistical tables as 统计表.xls more often than any
other part of a report.

XLSX is read with openpyxl, XLS (BIFF, also WPS's .et when saved compatibly) with xlrd. Merged
ranges become colspan/rowspan on their top-left cell. A formula whose result was never saved
in the file (files written by scripts, not Excel) is kept as its formula text, so it reads as
missing, never as a blank.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from govreports.parsers.formats import markup
from govreports.parsers.formats.containers import zip_has

MAX_ROWS, MAX_COLS = 500, 60  # a statistical table is ~40 × 15; beyond this is not a report's
MAX_XML_BYTES = 20 * 1024 * 1024  # unpacked worksheets: a zip bomb stops here
Merge = tuple[int, int, int, int]  # first row, first column, rows, columns
_SECTION = re.compile(
    r"^[一二三四五六七八九十]+[、.．]\s*\S.*情况$"
)  # 三、收到和处理政府信息公开申请情况


class SheetError(ValueError):
    """Not a readable spreadsheet; the message says why."""


def is_xlsx(data: bytes) -> bool:
    return zip_has(data, "xl/workbook.xml")


def sheet_html(data: bytes) -> str:
    sheets = _xlsx(data) if data.startswith(b"PK") else _xls(data)
    body = "".join(
        markup.paragraph(name) + _tables(rows, merges) for name, rows, merges in sheets if rows
    )
    if not body:
        raise SheetError("the workbook's sheets are empty")
    return markup.document(body)


def cell_text(value: Any) -> str:
    """A cell's value as printed: whole numbers without ".0", no binary-float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _xlsx(data: bytes) -> list[tuple[str, list[list[str]], list[Merge]]]:
    try:
        from openpyxl import load_workbook

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist() if i.filename.startswith("xl/"))
        if unpacked > MAX_XML_BYTES:
            raise SheetError(f"the XLSX unpacks to {unpacked // 1_000_000} MB")
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise SheetError(
            f"the XLSX cannot be read ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None
    sheets = []
    for ws in values.worksheets:
        if ws.sheet_state != "visible":
            continue
        raw = formulas[ws.title]
        rows = []
        for r in range(1, min(ws.max_row, MAX_ROWS) + 1):
            row = []
            for c in range(1, min(ws.max_column, MAX_COLS) + 1):
                value, formula = ws.cell(r, c).value, raw.cell(r, c).value
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    value = formula  # a formula with no saved result: unknown, not blank
                row.append(cell_text(value))
            rows.append(row)
        merges = [
            (m.min_row - 1, m.min_col - 1, m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
            for m in ws.merged_cells.ranges
        ]
        hidden_rows = {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden}
        hidden_cols = {
            c - 1
            for dim in ws.column_dimensions.values()
            if dim.hidden
            for c in range(dim.min or 1, (dim.max or dim.min or 1) + 1)
        }
        sheets.append((ws.title, *_shown(rows, merges, hidden_rows, hidden_cols)))
    return sheets


def _xls(data: bytes) -> list[tuple[str, list[list[str]], list[Merge]]]:
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds on damaged or other OLE files
        raise SheetError(
            f"not a readable XLS workbook ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None
    sheets = []
    for sh in book.sheets():
        if sh.visibility:  # 1 hidden, 2 very hidden
            continue
        rows = []
        for r in range(min(sh.nrows, MAX_ROWS)):
            row = []
            for c in range(min(sh.ncols, MAX_COLS)):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value: Any = xlrd.xldate.xldate_as_datetime(float(cell.value), book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(int(cell.value), "#ERROR")
                else:
                    value = cell.value if cell.value != "" else None
                row.append(cell_text(value))
            rows.append(row)
        merges = [(rlo, clo, rhi - rlo, chi - clo) for rlo, rhi, clo, chi in sh.merged_cells]
        hidden_rows = {r for r, info in sh.rowinfo_map.items() if info.hidden}
        hidden_cols = {c for c, info in sh.colinfo_map.items() if info.hidden}
        sheets.append((sh.name, *_shown(rows, merges, hidden_rows, hidden_cols)))
    return sheets


def _shown(
    rows: list[list[str]], merges: list[Merge], hidden_rows: set[int], hidden_cols: set[int]
) -> tuple[list[list[str]], list[Merge]]:
    """The sheet as Excel shows it: hidden rows and columns (helper columns, old versions of a
    row) are no part of the table. A merge keeps what is left of it, its text in its first
    shown cell."""
    if not hidden_rows and not hidden_cols:
        return rows, merges
    width = max((len(row) for row in rows), default=0)
    shown_r = {r: i for i, r in enumerate(r for r in range(len(rows)) if r not in hidden_rows)}
    shown_c = {c: j for j, c in enumerate(c for c in range(width) if c not in hidden_cols)}
    out = [[rows[r][c] if c < len(rows[r]) else "" for c in shown_c] for r in shown_r]
    kept: list[Merge] = []
    for r, c, n_rows, n_cols in merges:
        rs = [shown_r[x] for x in range(r, r + n_rows) if x in shown_r]
        cs = [shown_c[x] for x in range(c, c + n_cols) if x in shown_c]
        if rs and cs and r < len(rows):
            out[rs[0]][cs[0]] = rows[r][c] if c < len(rows[r]) else ""
            kept.append((rs[0], cs[0], len(rs), len(cs)))
    return out, kept


def _tables(rows: list[list[str]], merges: list[Merge]) -> str:
    """A sheet as tables: a run of rows between empty rows or section headings (三、…情况) is
    one table, as wide as its widest row: a sheet is as wide as its widest table, and the
    narrower ones get no trailing cells that are no part of them. Merges become spans."""
    merges = [
        (r, c, min(n_rows, MAX_ROWS - r), min(n_cols, MAX_COLS - c))
        for r, c, n_rows, n_cols in merges
        if r < MAX_ROWS and c < MAX_COLS
    ]  # a huge merge stays cheap
    spans = {(r, c): (n_rows, n_cols) for r, c, n_rows, n_cols in merges}
    covered = {
        (r + i, c + j)
        for r, c, n_rows, n_cols in merges
        for i in range(n_rows)
        for j in range(n_cols)
    } - set(spans)
    extent = [max((i + 1 for i, t in enumerate(row) if t.strip()), default=0) for row in rows]
    for r, c, _, n_cols in merges:
        if r < len(extent):
            extent[r] = max(extent[r], c + n_cols)
    out: list[str] = []
    run: list[int] = []
    for r in range(len(rows)):
        filled = [t for t in rows[r] if t.strip()]
        blank = extent[r] == 0 and not any((r, c) in covered for c in range(MAX_COLS))
        heading = len(filled) == 1 and _SECTION.match(filled[0].strip()) is not None
        if blank or heading:  # an empty row, or a section heading, between tables
            out.append(_table(run, rows, extent, spans, covered))
            run = []
            if heading:
                out.append(markup.paragraph(filled[0].strip()))
        else:
            run.append(r)
    out.append(_table(run, rows, extent, spans, covered))
    return "".join(out)


def _table(
    run: list[int],
    rows: list[list[str]],
    extent: list[int],
    spans: dict[tuple[int, int], tuple[int, int]],
    covered: set[tuple[int, int]],
) -> str:
    if not run:
        return ""
    width, end = max(extent[r] for r in run), run[-1] + 1
    body = []
    for r in run:
        cells = []
        for c in range(width):
            if (r, c) in covered:
                continue
            n_rows, n_cols = spans.get((r, c), (1, 1))
            cells.append(
                markup.td(
                    rows[r][c] if c < len(rows[r]) else "",
                    min(n_cols, width - c),
                    min(n_rows, end - r),
                )
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(body) + "</table>"
