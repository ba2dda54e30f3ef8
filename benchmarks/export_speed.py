"""Export throughput and memory on a synthetic store.

The store is filled with copies of real parsed reports (the 上海 2019 and the GBK 2021 pages),
each with its own id, agency and year, as a long crawl would leave them. The export runs in a
child process so its peak RSS is its own; two store sizes show whether memory stays bounded
(chunks) rather than growing with the store, and the floor beside each: the same store's
report JSON read and decoded, which no export can avoid (target: within 3× of it). Excel is measured on its own store (--excel
reports, under Excel's row limit) beside CSV + Parquet of the same store: the target is within
3× their time, with bounded memory.

    python benchmarks/export_speed.py [--reports 100000] [--small 10000] [--excel 4000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreports.parsers import PARSER_VERSION, parse  # noqa: E402
from govreports.scraper.store import Store  # noqa: E402


def fill(store_dir: Path, n: int) -> None:
    """Through the store's own API (see, record_fetch, save_parse), as a crawl fills it."""
    reports = []
    for name in ("shanghai-2019.html", "synthetic-trs-2021-gbk.html"):
        path = ROOT / "fixtures" / "pages" / name
        reports.append(parse(path.read_bytes(), str(path)))
    with Store(store_dir) as store:
        for i in range(n):
            report = reports[i % 2]
            sha = hashlib.sha256(str(i).encode()).hexdigest()
            meta = replace(report.report, agency=f"示例{i // 7}号人民政府", year=2019 + i % 7)
            url = f"http://h{i % 50}.example.gov.cn/r{i}.html"
            store.see(url, f"site{i % 50}", "report")
            store.record_fetch(url, "ok", status=200, sha256=sha, size=1000)
            store.save_parse(sha, replace(report, report=meta, fingerprint=sha), PARSER_VERSION)


def child(store_dir: str, out: str, formats: str) -> None:
    from govreports.output.dataset import entries_from_store, load_docs
    from govreports.output.export import export

    started = time.perf_counter()
    with Store(store_dir) as store:
        entries = entries_from_store(store)
        if formats == "floor":  # what no export can avoid: each stored report's JSON, decoded
            for i in range(0, len(entries), 500):
                load_docs(store, entries[i : i + 500])
                for e in entries[i : i + 500]:
                    e.doc = None
            reports, rows = len(entries), 0
        else:
            summary = export(
                entries, out, formats=formats.split(","), load=lambda chunk: load_docs(store, chunk)
            )
            reports, rows = summary.reports, sum(summary.rows.values())
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "reports": reports,
                "rows": rows,
                "seconds": elapsed,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def measure(store_dir: Path, formats: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(store_dir), str(Path(tmp) / "out"), formats],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def line(formats: str, r: dict[str, float]) -> str:
    return (
        f"{formats} export of {r['reports']:,.0f} reports: {r['rows']:,.0f} rows in {r['seconds']:.1f}s = "
        f"{r['rows'] / r['seconds']:,.0f} rows/s ({r['reports'] / r['seconds']:,.0f} reports/s), "
        f"peak RSS {r['peak_rss_mb']:.0f} MB"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--excel", type=int, default=4_000)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    for n in (args.small, args.reports):
        with tempfile.TemporaryDirectory() as tmp:
            fill(Path(tmp), n)
            flat, floor = measure(Path(tmp), "csv,parquet"), measure(Path(tmp), "floor")
            print(line("csv,parquet", flat))
            print(
                f"  floor (reading and decoding the stored JSON): {1000 * floor['seconds'] / n:.2f} ms/report, "
                f"export {1000 * flat['seconds'] / n:.2f} ms/report = {flat['seconds'] / floor['seconds']:.1f}x the floor (target <= 3x)"
            )
    if not args.excel:
        return
    with tempfile.TemporaryDirectory() as tmp:
        fill(Path(tmp), args.excel)
        flat, excel = measure(Path(tmp), "csv,parquet"), measure(Path(tmp), "xlsx")
    print(line("csv,parquet", flat))
    print(line("xlsx", excel))
    print(
        f"xlsx / (csv + parquet) time: {excel['seconds'] / flat['seconds']:.1f}x (target <= 3x); "
        f"memory {excel['peak_rss_mb']:.0f} MB vs {flat['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
