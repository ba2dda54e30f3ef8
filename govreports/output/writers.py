"""One writer per format, each taking the dataset's tables a chunk at a time.

- CSV: UTF-8 with a BOM by default, so Excel shows Chinese; appended chunk by chunk.
- Parquet: typed by the schema (nullable int64, never float-with-NaN for counts) through
  pyarrow; `cells`, the big one, as a folder with one file per report year, which pandas, R's
  arrow and DuckDB read as one table.
- Excel: one sheet per table, streamed (xlsx.py). Excel holds 1,048,576 rows a sheet;
  beyond that a sheet is cut and the README says so (use CSV or Parquet for big exports).

Text that starts with =, +, - or @ is neutralised in CSV and Excel with a leading apostrophe:
hostile pages put formulas in titles. Plain numbers ("-3") are left alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govreports.output.xlsx import StreamingWorkbook

EXCEL_MAX_ROWS = 1_048_575  # one row for the header
EXCEL_MAX_CHARS = 32_767
_FORMULA = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"
_BOM = b"\xef\xbb\xbf"


def neutralise(table: pa.Table) -> pa.Table:
    """Prefix an apostrophe to text that a spreadsheet would run as a formula."""
    for i, field in enumerate(table.schema):
        if not pa.types.is_string(field.type):
            continue
        col = table.column(i)
        risky = pc.and_(
            pc.match_substring_regex(col, _FORMULA),
            pc.invert(pc.match_substring_regex(col, _PLAIN_NUMBER)),
        )
        if pc.any(risky).as_py():
            fixed = pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'"), col, ""), col)
            table = table.set_column(i, field, fixed)
    return table


class CsvWriter:
    def __init__(self, outdir: Path, bom: bool = True) -> None:
        self.outdir, self.bom = outdir, bom
        self.open: dict[str, tuple[BinaryIO, pacsv.CSVWriter]] = {}

    def write(self, name: str, table: pa.Table) -> None:
        if name not in self.open:
            handle = open(self.outdir / f"{name}.csv", "wb")
            if self.bom:
                handle.write(_BOM)
            self.open[name] = (handle, pacsv.CSVWriter(handle, table.schema))
        self.open[name][1].write_table(neutralise(table))

    def close(self) -> list[str]:
        for handle, writer in self.open.values():
            writer.close()
            handle.close()
        return []


PARTITION = "report_year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's name for null, which every reader knows


class ParquetWriter:
    """One Parquet file per table; cells (the master, hundreds of millions of rows for the
    national archive) as a hive-partitioned dataset, `cells.parquet/report_year=2024/part-0.parquet`,
    the year in the path and not in the file, as DuckDB, Polars, pyarrow, Spark and R's arrow
    read one lazily and prune by year. A report without a year goes under Hive's null partition."""

    partitioned = ("cells",)

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.writers: dict[Path, pq.ParquetWriter] = {}

    def write(self, name: str, table: pa.Table) -> None:
        if name not in self.partitioned:
            self._append(self.outdir / f"{name}.parquet", table)
            return
        folder = self.outdir / f"{name}.parquet"
        folder.mkdir(exist_ok=True)
        years = table.column(PARTITION)
        rest = table.drop_columns([PARTITION])
        for year in pc.unique(years).to_pylist() or [None]:
            mask = pc.is_null(years) if year is None else pc.equal(years, year)
            part = folder / f"{PARTITION}={NULL_PARTITION if year is None else year}"
            part.mkdir(exist_ok=True)
            self._append(part / "part-0.parquet", rest.filter(mask))

    def _append(self, path: Path, table: pa.Table) -> None:
        writer = self.writers.get(path)
        if writer is None:
            writer = self.writers[path] = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)

    def close(self) -> list[str]:
        for writer in self.writers.values():
            writer.close()
        return []


class XlsxWriter:
    """Streamed (xlsx.py): memory is one chunk however big the export. A sheet stops at
    Excel's row limit and a cell over its 32,767 characters is cut, each said in a note."""

    def __init__(self, outdir: Path) -> None:
        self.book = StreamingWorkbook(outdir / "govreports.xlsx")
        self.cut: set[str] = set()
        self.long_cells = 0

    def write(self, name: str, table: pa.Table) -> None:
        room = EXCEL_MAX_ROWS - self.book.rows.get(name, 0)
        if table.num_rows > room:
            self.cut.add(name)
            table = table.slice(0, room)
        table = neutralise(table)
        for i, col in enumerate(table.columns):
            table = table.set_column(i, table.field(i), self._fit(col))
        self.book.append(name, table)

    def _fit(self, col: pa.ChunkedArray) -> pa.ChunkedArray:
        if not pa.types.is_string(col.type):
            return col
        lengths = pc.utf8_length(col)
        too_long = pc.sum(pc.greater(lengths, EXCEL_MAX_CHARS)).as_py() or 0
        if not too_long:
            return col
        self.long_cells += too_long
        return pc.utf8_slice_codeunits(col, 0, EXCEL_MAX_CHARS)

    def close(self) -> list[str]:
        self.book.close()
        notes = [
            f"Excel sheet {name!r} was cut at {EXCEL_MAX_ROWS:,} rows (Excel's limit); the CSV and Parquet files are whole"
            for name in sorted(self.cut)
        ]
        if self.long_cells:
            notes.append(
                f"{self.long_cells:,} Excel cell(s) longer than {EXCEL_MAX_CHARS:,} characters "
                "(Excel's limit) were cut; the CSV and Parquet files are whole"
            )
        return notes
