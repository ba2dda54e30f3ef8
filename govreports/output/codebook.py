"""The codebook: datapackage.json (Frictionless Data Package, Table Schema per file) and a
README for people, both written from output/schema.py so they cannot drift from the files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from govreports.output.schema import BLANK_AS_ZERO, FILES, file_def
from govreports.parsers import PARSER_VERSION


@dataclass
class ExportSummary:
    reports: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    formats: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    blank_as_zero: bool = False
    csv_encoding: str = "utf-8-sig"


def _resource(name: str, fmt: str, summary: ExportSummary) -> dict[str, object]:
    spec = file_def(name)
    fields = [f.to_json() for f in spec.fields]
    if name == "cells" and summary.blank_as_zero:
        fields.append(BLANK_AS_ZERO.to_json())
    path = f"{name}.{fmt}" if fmt != "xlsx" else "govreports.xlsx"
    resource: dict[str, object] = {
        "name": name.replace("_", "-"),
        "path": path,
        "format": fmt,
        "title": spec.zh,
        "description": f"{spec.zh} / {spec.en}",
        "schema": {"fields": fields, "primaryKey": list(spec.primary_key), "missingValues": [""]},
    }
    if fmt == "csv":
        resource["encoding"] = summary.csv_encoding
        resource["mediatype"] = "text/csv"
    if fmt == "xlsx":
        resource["sheet"] = name
    return resource


def write_datapackage(outdir: Path, summary: ExportSummary) -> None:
    fmt = summary.formats[0]
    package = {
        "name": "govreports-disclosure-annual-reports",
        "title": "政府信息公开工作年度报告统计表 / Statistical tables of China's government information-disclosure annual reports",
        "description": (
            "Tables 二 (proactive disclosure), 三 (requests) and 四 (administrative review and litigation) of "
            "政府信息公开工作年度报告, keyed as in docs/TABLES.md of govreports. Every value is what the page printed, or flagged: "
            "blank is never 0, nothing is repaired. 每个数值均为页面所载，或明确标注；空白不等于 0，从不修改来源数字。"
        ),
        "version": PARSER_VERSION,
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "title": "Creative Commons Attribution 4.0 (the dataset; the reports are public government documents)",
            }
        ],
        "sources": [{"title": "政府信息公开工作年度报告, as published on each agency's website"}],
        "resources": [_resource(name, fmt, summary) for name in FILES],
        "x-govreports": {"formats": summary.formats, "rows": summary.rows, "notes": summary.notes},
    }
    (outdir / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def write_readme(outdir: Path, summary: ExportSummary) -> None:
    files = "\n".join(
        f"| `{name}` | {summary.rows.get(name, 0):,} | {file_def(name).zh} — {file_def(name).en} |"
        for name in FILES
    )
    notes = "\n".join(f"- {n}" for n in summary.notes) or "- none"
    fields = "\n\n".join(
        f"### `{name}`\n\n| field | type | description |\n|---|---|---|\n"
        + "\n".join(
            f"| `{f.name}` | {f.type} | {f.zh} / {f.en}{' — one of: ' + ', '.join(f.enum) if f.enum else ''} |"
            for f in file_def(name).fields
        )
        for name in FILES
    )
    text = f"""# govreports dataset

Statistical tables of 政府信息公开工作年度报告 (China's government information-disclosure annual
reports): {summary.reports:,} report(s), exported by govreports (parser {PARSER_VERSION}) as
{", ".join(summary.formats)}. The field-by-field codebook is `datapackage.json` (Frictionless
Data Package); this file says the same for people. The tables, their row and column keys
and the identities the checks test are specified in `docs/TABLES.md` of the govreports
source repository (written from the one definition, `govreports/parsers/registry.py`).

## Read this first

- **Blank is not 0.** A cell the agency left blank has `status` `blank` and an empty `value`.
  Many agencies leave zeros blank; if your analysis reads blank as 0, say so — export with
  `--blank-as-zero` to get a separate `value_blank_as_zero` column in `cells`
  ({"present in this export" if summary.blank_as_zero else "not in this export"}).
- **Ambiguous cells are empty**, with their possible values in `candidates`. They come from
  flattened text where the page's numbers fit the table in more than one way.
- **Numbers are never repaired.** Where an agency's arithmetic is wrong, the numbers are as
  printed and `checks` has a `fail`.
- **One report, one row.** The same report at several URLs or on a mirror is one `report_id`
  (`urls` lists every address). A report republished with corrections (one URL edited in
  place, or the same title on one site with a later date or a 更正/修订 mark): the newest has
  `current` = true, earlier versions stay with `current` = false and `superseded_by`. Distinct
  reports that share an agency and year are separate rows, all current.
- `report_year` is the year the statistics cover, not the publication year. The 2019 and
  2021 templates differ in table 二 (two wide files) and in row （六） of table 三.

## Files

| file | rows | what |
|---|---|---|
{files}

`cells` is long and tidy (one row per cell; the master). `proactive_2019`, `proactive_2021`,
`requests` and `appeals` are the tables as printed (one row per report × table row, one column
per column key); their `flags` column names cells that were not plainly reported. Parquet
`cells.parquet` is a hive-partitioned folder (`report_year=2024/part-0.parquet`; reports
without a year under `report_year=__HIVE_DEFAULT_PARTITION__`): read it as one table.

Notes on this export:
{notes}

## Loading

```python
import pandas as pd, pyarrow as pa, pyarrow.dataset as ds
years = ds.partitioning(pa.schema([("report_year", pa.int64())]), flavor="hive")
cells = pd.read_parquet("cells.parquet", dtype_backend="numpy_nullable", partitioning=years)  # all years
requests = pd.read_csv("requests.csv", encoding="utf-8-sig", dtype={{"report_id": "string", "total": "Int64"}})
```

```r
library(arrow); cells <- as.data.frame(open_dataset("cells.parquet"))  # or duckdb: read_parquet('cells.parquet/*/*.parquet', hive_partitioning = true)
requests <- readr::read_csv("requests.csv")
```

Excel: open `govreports.xlsx` (one sheet per table), or the CSV files (UTF-8 with BOM).

## Fields

{fields}
"""
    (outdir / "README.md").write_text(text, encoding="utf-8")
