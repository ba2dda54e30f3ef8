"""`make demo`: the whole job, offline. A fake government web (the bundled corpus served by
real HTTP servers on loopback hosts) is crawled with `govreports crawl`, the store is exported
with `govreports export` to ./demo-output/, an HTML overview is drawn, and the server stops.

The same commands work against real sites; only the site list differs.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
from pathlib import Path

import pandas as pd

from govreports.cli.fakeweb import FakeWeb, corpus_web
from govreports.cli.main import main as cli
from govreports.output.overview import write_overview

OUT = Path("demo-output")


def run(out: Path = OUT) -> int:
    if out.exists():
        shutil.rmtree(out)  # a demo starts from nothing, every time
    out.mkdir(parents=True)
    data, dataset = out / "store", out / "dataset"
    with FakeWeb() as web:
        rows = corpus_web(web)
        sites = out / "sites.csv"
        with sites.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, ["site_id", "agency", "list_url", "delay", "cms"])
            writer.writeheader()
            writer.writerows(
                {**r, "delay": "0.2"} for r in rows
            )  # loopback: a short delay is polite enough
        print(
            f"== a fake government web of {len(web.hosts)} hosts on loopback; site list {sites}\n"
        )
        print(f"$ govreports crawl {sites} --data {data}")
        os.environ.setdefault("GOVREPORTS_CONTACT", "offline demo on loopback")
        crawl_code = cli(["crawl", str(sites), "--data", str(data), "--quiet"])
    print(
        f"(exit {crawl_code}: {'all sites clean' if crawl_code == 0 else 'finished; the Hanweb page links a missing attachment on purpose, recorded as an error'})\n"
    )
    print(f"$ govreports export --data {data} --out {dataset} --format csv,parquet,xlsx")
    export_code = cli(
        ["export", "--data", str(data), "--out", str(dataset), "--format", "csv,parquet,xlsx"]
    )
    reports = pd.read_parquet(dataset / "reports.parquet", dtype_backend="numpy_nullable")
    requests = pd.read_parquet(dataset / "requests.parquet", dtype_backend="numpy_nullable")
    cells = pd.read_parquet(dataset / "cells.parquet", dtype_backend="numpy_nullable")
    checks = pd.read_parquet(dataset / "checks.parquet", dtype_backend="numpy_nullable")
    overview = out / "overview.html"
    write_overview(overview, reports, requests)
    statuses = cells["status"].value_counts().to_dict()
    print("\n== summary")
    print(
        f"sites: {len(rows)}   reports found and parsed: {len(reports)} "
        f"({', '.join(f'{n} {s}' for s, n in reports['parse_status'].value_counts().items())})"
    )
    print(f"cells: {len(cells):,} ({', '.join(f'{n} {s}' for s, n in statuses.items())})")
    print(
        f"identities: {int((checks['result'] == 'pass').sum())} passed, {int((checks['result'] == 'fail').sum())} failed, "
        f"{int((checks['result'] == 'not_assessable').sum())} not assessable"
    )
    print(f"\nfiles: {dataset}/ (CSV, Parquet, govreports.xlsx, datapackage.json, README.md)")
    print(f"overview: {overview}   store: {data}/catalog.sqlite + raw/")
    print(
        f"try: .venv/bin/python -c \"import pandas as pd; print(pd.read_parquet('{dataset}/requests.parquet').head())\""
    )
    return 0 if export_code == 0 and crawl_code in (0, 1) else 1


if __name__ == "__main__":
    sys.exit(run())
