"""`make demo`: the whole job, offline. A fake government web (the bundled corpus served by
real HTTP servers on loopback hosts) is crawled with `govreports crawl`, the store is exported
with `govreports export` to ./demo-output/, with its HTML overview, and the server stops.

The same commands work against real sites; only the site list differs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pandas as pd

from govreports.cli.fakeweb import FakeWeb, corpus_web
from govreports.cli.main import main as cli
from govreports.output.load import YEAR_PARTITIONS

OUT = Path("demo-output")


def run(out: Path = OUT, *, as_json: bool = False) -> int:
    """The narrated demo; with as_json, one JSON object instead: the crawl's and the export's
    own --json results and the dataset's counts."""
    if out.exists():
        shutil.rmtree(out)  # a demo starts from nothing, every time
    out.mkdir(parents=True)
    data, dataset = out / "store", out / "dataset"
    results: dict[str, Any] = {"out": str(out)}
    flags = ["--json"] if as_json else []
    tell = (lambda *_: None) if as_json else print

    def step(name: str, argv: list[str]) -> int:
        if not as_json:
            return cli(argv)
        captured = io.StringIO()
        with redirect_stdout(captured):
            code = cli([*argv, *flags])
        results[name] = json.loads(captured.getvalue())
        return code

    with FakeWeb() as web:
        rows = corpus_web(web)
        sites = out / "sites.csv"
        with sites.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, ["site_id", "agency", "list_url", "delay", "cms"])
            writer.writeheader()
            writer.writerows(
                {**r, "delay": "0.2"} for r in rows
            )  # loopback: a short delay is polite enough
        tell(f"== a fake government web of {len(web.hosts)} hosts on loopback; site list {sites}\n")
        tell(f"$ govreports crawl {sites} --data {data}")
        os.environ.setdefault("GOVREPORTS_CONTACT", "offline demo on loopback")
        crawl_code = step("crawl", ["crawl", str(sites), "--data", str(data), "--quiet"])
    tell(
        f"(exit {crawl_code}: {'all sites clean' if crawl_code == 0 else 'finished; the Hanweb page links a missing attachment on purpose, recorded as an error'})\n"
    )
    tell(f"$ govreports export --data {data} --out {dataset} --format csv,parquet,xlsx")
    export_code = step(
        "export",
        ["export", "--data", str(data), "--out", str(dataset), "--format", "csv,parquet,xlsx"],
    )
    reports = pd.read_parquet(dataset / "reports.parquet", dtype_backend="numpy_nullable")
    cells = pd.read_parquet(
        dataset / "cells.parquet", dtype_backend="numpy_nullable", partitioning=YEAR_PARTITIONS
    )
    checks = pd.read_parquet(dataset / "checks.parquet", dtype_backend="numpy_nullable")
    overview = dataset / "overview.html"  # every export draws one
    counts = {
        "reports": dict(reports["parse_status"].value_counts().items()),
        "cells": dict(cells["status"].value_counts().items()),
        "checks": dict(checks["result"].value_counts().items()),
    }
    tell("\n== summary")
    tell(
        f"sites: {len(rows)}   reports found and parsed: {len(reports)} "
        f"({', '.join(f'{n} {s}' for s, n in counts['reports'].items())})"
    )
    tell(f"cells: {len(cells):,} ({', '.join(f'{n} {s}' for s, n in counts['cells'].items())})")
    tell(
        f"identities: {counts['checks'].get('pass', 0)} passed, {counts['checks'].get('fail', 0)} failed, "
        f"{counts['checks'].get('not_assessable', 0)} not assessable"
    )
    tell(f"\nfiles: {dataset}/ (CSV, Parquet, govreports.xlsx, datapackage.json, README.md)")
    tell(f"overview: {overview}   store: {data}/catalog.sqlite + raw/")
    tell(
        f"try: .venv/bin/python -c \"import pandas as pd; print(pd.read_parquet('{dataset}/requests.parquet').head())\""
    )
    if as_json:
        print(
            json.dumps(
                {**results, "overview": str(overview), "counts": counts},
                ensure_ascii=False,
                indent=2,
                default=int,
            )
        )
    return 0 if export_code == 0 and crawl_code in (0, 1) else 1


if __name__ == "__main__":
    sys.exit(run())
