"""Reading an exported dataset back: the files as pandas DataFrames typed by the codebook, so a
notebook gets nullable integers for counts (a blank stays <NA>, never 0 or a float NaN) and
strings as strings, whether the export wrote Parquet, CSV or both."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from govreports.output.publish import IncompleteExport, check_complete
from govreports.output.schema import BLANK_AS_ZERO, FILES, file_def
from govreports.output.writers import PARTITION

# The partitioned files' key, typed: inferred, it would be a dictionary that pyarrow cannot
# merge with the null partition of reports without a year.
YEAR_PARTITIONS = ds.partitioning(pa.schema([(PARTITION, pa.int64())]), flavor="hive")
# Frictionless types → pandas' nullable dtypes.
PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


class DatasetError(Exception):
    """The folder holds no dataset files (not an export, or an export that never finished)."""


def read_dataset(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every file of an export in `path` by name ("reports", "cells", "requests", …).

    Parquet is read where it was written (it keeps the types exactly), CSV otherwise.
    """
    folder = Path(path)
    try:
        check_complete(folder)
    except IncompleteExport as exc:
        raise DatasetError(str(exc)) from None
    frames: dict[str, pd.DataFrame] = {}
    for name in FILES:
        parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
        if parquet.is_dir():  # a hive-partitioned dataset: the year is in the folder names
            frame = pd.read_parquet(
                parquet, dtype_backend="numpy_nullable", partitioning=YEAR_PARTITIONS
            )
            frame = frame[[f.name for f in file_def(name).fields if f.name in frame.columns]]
        elif parquet.exists():
            frame = pd.read_parquet(parquet, dtype_backend="numpy_nullable")
        elif csv.exists():
            frame = pd.read_csv(
                csv, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
            )
        else:
            continue
        frames[name] = _typed(name, frame)
    if not frames:
        raise DatasetError(
            f"{folder}: no dataset files (reports.csv, cells.parquet, …): is it a `govreports export` folder?"
        )
    return frames


_CSV_BOOLEANS = {"true": True, "false": False}  # as pyarrow's CSV writer spells them


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    fields = {f.name: f for f in (*file_def(name).fields, BLANK_AS_ZERO)}
    dtypes = {col: PANDAS_DTYPES[fields[col].type] for col in frame.columns if col in fields}
    for col, dtype in dtypes.items():
        if dtype == "boolean" and not pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].str.lower().map(_CSV_BOOLEANS)
    return frame.astype(dtypes)
