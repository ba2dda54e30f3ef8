"""A streaming XLSX writer: rows become SpreadsheetML by Arrow's string kernels, no Python per cell.

The dataset's sheets are long (a cell per row, ~200 rows a report), so a general writer that
formats each cell in Python (openpyxl, or XlsxWriter even in its constant-memory mode, ~5 µs a
cell) is several times slower than the CSV and Parquet writers beside it. Here each chunk of a
table is turned into `<row>` elements column by column with vectorised kernels (escape, join),
appended to a spool file per sheet, and the package is zipped at close. Memory is one chunk.

It writes the part of SpreadsheetML the dataset needs and no more: inline strings, numbers,
booleans, absent cells for nulls, one bold header row frozen at the top. Text that Excel would
read specially is made literal: XML's reserved characters escaped, characters XML forbids
dropped, and `_xHHHH_` (Excel's own escape) protected.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pyarrow as pa
import pyarrow.compute as pc
from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_FORBIDDEN = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"  # not allowed in XML 1.0
_EXCEL_ESCAPE = r"_(x[0-9A-Fa-f]{4}_)"  # Excel decodes _x0041_ as "A"; _x005F_ is "_"
SLICE = 20_000  # rows turned into XML at once: bounds the kernels' intermediate arrays

STYLES = f"""{HEAD}<styleSheet xmlns="{MAIN}">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
SHEET_START = (
    f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView>'
    "</sheetViews><sheetData>"
)
SHEET_END = "</sheetData></worksheet>"


def _text(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Strings as XML text Excel keeps literally."""
    col = pc.replace_substring_regex(col, _FORBIDDEN, "")
    col = pc.replace_substring_regex(col, _EXCEL_ESCAPE, r"_x005F_\1")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        col = pc.replace_substring(col, char, entity)
    return col


def _cells(col: pa.ChunkedArray, refs: pa.Array) -> pa.Array | pa.ChunkedArray:
    """One `<c>` element per row ("" for a null: the cell is left out)."""
    kind = col.type
    if pa.types.is_boolean(kind):
        parts = [' t="b"><v>', pc.cast(pc.cast(col, pa.int8()), pa.string()), "</v></c>"]
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        if pa.types.is_floating(kind):  # NaN and infinities have no spelling in a cell
            col = pc.if_else(pc.is_finite(col), col, pa.scalar(None, kind))
        parts = ["><v>", pc.cast(col, pa.string()), "</v></c>"]
    else:
        text = _text(col if pa.types.is_string(kind) else pc.cast(col, pa.string()))
        parts = [' t="inlineStr"><is><t xml:space="preserve">', text, "</t></is></c>"]
    joined = pc.binary_join_element_wise('<c r="', refs, '"', *parts, "")
    return pc.fill_null(joined, "")


class StreamingWorkbook:
    """Sheets appended to chunk by chunk (in any interleaving), written out by close()."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._spool_dir = tempfile.TemporaryDirectory(prefix=".xlsx-", dir=path.parent)
        self._spools: dict[str, BinaryIO] = {}
        self.rows: dict[str, int] = {}  # data rows written per sheet

    def append(self, name: str, table: pa.Table) -> None:
        spool = self._spools.get(name)
        if spool is None:
            spool = self._spools[name] = open(  # noqa: SIM115 - closed in close()
                Path(self._spool_dir.name) / f"{len(self._spools)}.xml", "wb"
            )
            header = "".join(
                f'<c r="{get_column_letter(i + 1)}1" s="1" t="inlineStr"><is><t>{escape(n)}</t></is></c>'
                for i, n in enumerate(table.column_names)
            )
            spool.write(f'<row r="1">{header}</row>'.encode())
            self.rows[name] = 0
        for start in range(0, table.num_rows, SLICE):
            self._rows(spool, name, table.slice(start, SLICE))

    def _rows(self, spool: BinaryIO, name: str, table: pa.Table) -> None:
        first = self.rows[name] + 2  # row 1 is the header
        numbers = pc.cast(pa.array(range(first, first + table.num_rows), pa.int64()), pa.string())
        cells = [
            _cells(col, pc.binary_join_element_wise(get_column_letter(i + 1), numbers, ""))
            for i, col in enumerate(table.columns)
        ]
        rows = pc.binary_join_element_wise('<row r="', numbers, '">', *cells, "</row>", "")
        for chunk in rows.chunks if isinstance(rows, pa.ChunkedArray) else [rows]:
            if not len(chunk):
                continue
            # no nulls: the values buffer between the first and last offsets is the rows' text
            _, offsets_buf, data = chunk.buffers()
            view = memoryview(offsets_buf)
            ends = view.cast("q") if pa.types.is_large_string(chunk.type) else view.cast("i")
            ends = ends[chunk.offset : chunk.offset + len(chunk) + 1]
            spool.write(memoryview(data)[ends[0] : ends[-1]])
        self.rows[name] += table.num_rows

    def close(self) -> None:
        names = list(self._spools)
        sheets = "".join(
            f'<sheet name={quoteattr(n)} sheetId="{i + 1}" r:id="rId{i + 1}"/>'
            for i, n in enumerate(names)
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(names))
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{CT}.worksheet+xml"/>'
            for i in range(len(names))
        )
        parts = {
            "[Content_Types].xml": f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/>{overrides}</Types>',
            "_rels/.rels": f'{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{sheets}</sheets></workbook>',
            "xl/_rels/workbook.xml.rels": f'{HEAD}<Relationships xmlns="{PKG_REL}">{rels}'
            f'<Relationship Id="rId{len(names) + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
            "xl/styles.xml": STYLES,
        }
        try:
            with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
                for part, xml in parts.items():
                    book.writestr(part, xml)
                for i, name in enumerate(names):
                    spool = self._spools[name]
                    spool.close()
                    big = Path(spool.name).stat().st_size > 1 << 30  # zip64 past 2 GiB
                    with (
                        book.open(f"xl/worksheets/sheet{i + 1}.xml", "w", force_zip64=big) as out,
                        open(spool.name, "rb") as rows,
                    ):
                        out.write(SHEET_START.encode())
                        shutil.copyfileobj(rows, out, 1 << 20)
                        out.write(SHEET_END.encode())
        finally:
            for spool in self._spools.values():
                spool.close()
            self._spool_dir.cleanup()
