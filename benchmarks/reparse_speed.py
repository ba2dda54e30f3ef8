"""Reparse throughput: a store of raw pages parsed again, in one process and in one per core.

The store holds copies of the fixtures (HTML, flattened text, PDF, DOCX, DOC, XLS), each made
distinct by a trailing byte, the mix a crawl of county sites leaves. Prints pages/s per worker
count; the speed-up is what `reparse --workers` buys after a parser upgrade.

    python benchmarks/reparse_speed.py [--pages 400]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreports.cli.main import main  # noqa: E402
from govreports.scraper.store import Store  # noqa: E402

KINDS = ("*.html", "*.txt", "*.docx", "*.doc", "*.xls")


def fill(store_dir: Path, pages: int) -> None:
    sources = [p for kind in KINDS for p in sorted((ROOT / "fixtures" / "pages").glob(kind))]
    sources += sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    with Store(store_dir) as store:
        for i in range(pages):
            path = sources[i % len(sources)]
            data = path.read_bytes() + (b"\n" if path.suffix in (".html", ".txt") else b"\0") * (
                1 + i // len(sources)
            )
            sha = store.put_raw(data)
            url = f"http://example.gov.cn/{i}/{path.name}"
            store.see(url, "bench", "report")
            store.record_fetch(
                url, "ok", status=200, final_url=url, sha256=sha, size=len(data), kind="report"
            )


def main_() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=400, help="pages in the store (default 400)")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = Path(tmp)
        fill(store_dir, args.pages)
        print(f"{args.pages} stored pages (every fixture format); {cores} core(s)")
        for workers in sorted({1, cores}):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                main(
                    [
                        "reparse",
                        "--data",
                        str(store_dir),
                        "--all",
                        "--quiet",
                        "--workers",
                        str(workers),
                    ]
                )
            elapsed = time.perf_counter() - start
            print(f"workers {workers}: {args.pages / elapsed:7.1f} pages/s ({elapsed:.1f} s)")


if __name__ == "__main__":
    main_()
