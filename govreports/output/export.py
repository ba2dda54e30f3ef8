"""`govreports export` and `parse --out`: entries → chunks of tables → one writer per format.

Memory is bounded by the chunk size (reports per chunk), not by the size of the store; only
the reports' ids and grouping keys are held for the whole run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from govreports.output.codebook import ExportSummary, write_datapackage, write_readme
from govreports.output.dataset import Entry, chunks, frames
from govreports.output.overview import Overview, write_overview
from govreports.output.panel import PanelBuilder
from govreports.output.publish import OVERVIEW, staged
from govreports.output.writers import CsvWriter, ParquetWriter, XlsxWriter

FORMATS = ("csv", "parquet", "xlsx")
CHUNK = 500


class Writer(Protocol):
    def write(self, name: str, table: pa.Table) -> None: ...

    def close(self) -> list[str]: ...


def make_writers(outdir: Path, formats: list[str], csv_bom: bool) -> list[Writer]:
    made: dict[str, Callable[[], Writer]] = {
        "csv": lambda: CsvWriter(outdir, bom=csv_bom),
        "parquet": lambda: ParquetWriter(outdir),
        "xlsx": lambda: XlsxWriter(outdir),
    }
    return [made[f]() for f in formats]


def export(
    entries: list[Entry],
    outdir: str | Path,
    *,
    formats: list[str] | tuple[str, ...] = ("csv", "parquet"),
    csv_bom: bool = True,
    blank_as_zero: bool = False,
    load: Callable[[list[Entry]], None] | None = None,
    chunk_size: int = CHUNK,
    progress: Callable[[int], Any] | None = None,
) -> ExportSummary:
    """Write the dataset for entries; `load` fills a chunk's documents (from the store).
    All or nothing (publish.py): a killed export leaves the previous one as it was."""
    with staged(Path(outdir)) as out:
        return _write(entries, out, formats, csv_bom, blank_as_zero, load, chunk_size, progress)


def _write(
    entries: list[Entry],
    out: Path,
    formats: list[str] | tuple[str, ...],
    csv_bom: bool,
    blank_as_zero: bool,
    load: Callable[[list[Entry]], None] | None,
    chunk_size: int,
    progress: Callable[[int], Any] | None,
) -> ExportSummary:
    summary = ExportSummary(
        formats=list(formats),
        blank_as_zero=blank_as_zero,
        csv_encoding="utf-8-sig" if csv_bom else "utf-8",
    )
    writers = make_writers(out, list(formats), csv_bom)
    panel = PanelBuilder(blank_as_zero)
    view = Overview()

    def write(name: str, table: pa.Table) -> None:
        summary.rows[name] = summary.rows.get(name, 0) + table.num_rows
        for writer in writers:
            writer.write(name, table)
        view.add(name, table)

    for chunk in chunks(entries, chunk_size):
        if load is not None:
            load(chunk)
        tables = frames(chunk, blank_as_zero=blank_as_zero)
        panel.add(chunk, tables["reports"])
        for name, table in tables.items():
            write(name, table)
        for e in chunk:
            e.doc = None  # done with it: keep memory flat
        summary.reports += len(chunk)
        if progress:
            progress(len(chunk))
    if not entries:  # an empty dataset still has its files, with headers
        for name, table in frames([], blank_as_zero=blank_as_zero).items():
            write(name, table)
    for name, table in panel.tables():  # after the last chunk: it needs every report
        write(name, table)
    write_overview(out / OVERVIEW, view)
    for writer in writers:
        summary.notes += writer.close()
    write_datapackage(out, summary)
    write_readme(out, summary)
    return summary
