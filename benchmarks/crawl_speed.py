"""Crawl throughput and memory against a local fake web of many hosts.

Prints pages/s with no delay (what the machinery costs) and with a delay d (what politeness
allows: at most hosts/d pages per second, so efficiency = pages/s ÷ (hosts/d)), and the peak
RSS of a crawl of 1k and of 10k report URLs, each in a fresh process so the peaks are its own.
Parsing is measured by parse_speed.py and left out here (parse_reports=False), so the figures
are the crawler's own: fetch, throttle, store.

    python benchmarks/crawl_speed.py [--hosts 50] [--reports 20] [--delay 0.5]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from govreports.cli.fakeweb import FakeWeb  # noqa: E402
from govreports.scraper.client import Client  # noqa: E402
from govreports.scraper.crawl import Crawler  # noqa: E402
from govreports.scraper.sites import Site  # noqa: E402
from govreports.scraper.store import Store  # noqa: E402

PAGE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "pages" / "shanghai-2019.html"
).read_bytes()


def build(web: FakeWeb, hosts: int, reports: int) -> list[Site]:
    """Hosts whose report pages are made per request, so the server holds no 10k copies."""
    sites = []
    for h in range(hosts):
        host = web.host(f"h{h}")
        host.page("/robots.txt", b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        links = "".join(
            f"<li><a href='/r{i}.html'>{2019 + i % 5}年政府信息公开工作年度报告{i}</a></li>"
            for i in range(reports)
        )
        host.page("/list.html", f"<html><body><ul>{links}</ul></body></html>".encode())
        for i in range(reports):
            page = PAGE + f"<!-- {h}/{i} -->".encode()
            host.route(f"/r{i}.html", lambda req, page=page: req.reply(200, page))
        sites.append(Site(f"h{h}", "示例人民政府", host.url("/list.html"), None, max_pages=2))
    return sites


def crawl(sites: list[Site], delay: float) -> dict[str, float]:
    """The crawler alone (run in a child process: its peak RSS is the crawler's, not the web's)."""
    with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
        crawler = Crawler(store, Client(delay=delay), parse_reports=False)
        started = time.perf_counter()
        results = crawler.run(sites, workers=len(sites))
        elapsed = time.perf_counter() - started
    pages = sum(r.pages_fetched for r in results) + len(sites)  # robots.txt too
    return {
        "pages": pages,
        "new": sum(r.new_reports for r in results),
        "seconds": elapsed,
        "pages_per_s": pages / elapsed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure(hosts: int, reports: int, delay: float) -> dict[str, float]:
    with FakeWeb() as web:
        sites = build(web, hosts, reports)
        spec = json.dumps({"delay": delay, "sites": [[s.site_id, s.list_url] for s in sites]})
        out = subprocess.run(
            [sys.executable, __file__, "--child"],
            input=spec,
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["new"] == hosts * reports, (
        f"only {result['new']} of {hosts * reports} reports fetched"
    )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--reports", type=int, default=20)
    ap.add_argument("--delay", type=float, default=0.5)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(sys.stdin.read())
        sites = [Site(sid, "示例人民政府", url, None, max_pages=2) for sid, url in spec["sites"]]
        print(json.dumps(crawl(sites, spec["delay"])))
        return
    h, n, d = args.hosts, args.reports, args.delay
    fast = measure(h, n, 0.0)
    print(
        f"{h} hosts × {n} reports, delay 0:    {fast['pages']:.0f} pages in {fast['seconds']:.1f}s = {fast['pages_per_s']:.0f} pages/s"
    )
    polite = measure(h, n, d)
    limit = h / d
    print(
        f"{h} hosts × {n} reports, delay {d:g}s: {polite['pages']:.0f} pages in {polite['seconds']:.1f}s = "
        f"{polite['pages_per_s']:.0f} pages/s; politeness limit {limit:.0f} pages/s (hosts/d, before jitter) "
        f"→ efficiency {polite['pages_per_s'] / limit:.0%}"
    )
    small, large = measure(h, 1000 // h, 0.0), measure(h, 10000 // h, 0.0)
    print(
        f"peak RSS: {small['peak_rss_mb']:.0f} MB at 1k report URLs, {large['peak_rss_mb']:.0f} MB at 10k "
        f"(×{large['peak_rss_mb'] / small['peak_rss_mb']:.2f}; flat means the crawl holds no per-URL state in memory)"
    )


if __name__ == "__main__":
    main()
