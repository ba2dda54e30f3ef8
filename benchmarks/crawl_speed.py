"""Crawl throughput and memory against a local fake web of many hosts.

Prints pages/s with no delay and the crawler's own CPU time per page (what the machinery
costs; target under 2 ms), then, at 10, 100 and 1,000 hosts, how close a crawl with the
default settings comes to what politeness allows: each host's requests are d × (1 + up to
50% jitter) apart, d × 1.25 on average, so a host is as busy as allowed when its requests
follow each other at that pace from the crawl's start (target ≥ 90%; measured at the servers). d is chosen per host count so the whole crawl
asks for about --rate pages/s, which this machine can serve. Last, the peak RSS of a crawl of
1k and of 10k report URLs. Each crawl runs in a fresh process, so its figures are its own.
Parsing is measured by parse_speed.py and left out here (parse_reports=False), so the figures
are the crawler's own: fetch, throttle, store.

    python benchmarks/crawl_speed.py [--hosts 50] [--reports 20] [--rate 60]
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
from govreports.scraper.throttle import JITTER  # noqa: E402

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
    """The crawler alone, with its default width (run in a child process: its peak RSS and
    CPU time are the crawler's, not the web's)."""
    with tempfile.TemporaryDirectory() as tmp, Store(tmp) as store:
        crawler = Crawler(store, Client(delay=delay), parse_reports=False)
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        results = crawler.run(sites)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
    pages = sum(r.pages_fetched for r in results) + len(sites)  # robots.txt too
    return {
        "pages": pages,
        "new": sum(r.new_reports for r in results),
        "seconds": elapsed,
        "pages_per_s": pages / elapsed,
        "cpu_ms_per_page": 1000
        * (after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime)
        / pages,
        "sys_ms_per_page": 1000 * (after.ru_stime - cpu.ru_stime) / pages,
        "peak_rss_mb": after.ru_maxrss / 1024,
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
        arrivals = [sorted(hit.at for hit in host.hits) for host in web.hosts.values()]
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["new"] == hosts * reports, (
        f"only {result['new']} of {hosts * reports} reports fetched"
    )
    # How busy each host was kept, seen from the servers: the waits politeness asks for
    # between its requests, over the time from the crawl's first request to its own last one
    # (a host the crawler reached late was idle meanwhile).
    start = min(times[0] for times in arrivals)
    asked = sum((len(times) - 1) * delay * (1 + JITTER / 2) for times in arrivals)
    result["busy"] = asked / sum(times[-1] - start for times in arrivals) if delay else 0.0
    return result


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--reports", type=int, default=20)
    ap.add_argument("--rate", type=float, default=60.0, help="pages/s the polite crawls ask for")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        spec = json.loads(sys.stdin.read())
        sites = [Site(sid, "示例人民政府", url, None, max_pages=2) for sid, url in spec["sites"]]
        print(json.dumps(crawl(sites, spec["delay"])))
        return
    h, n = args.hosts, args.reports
    fast = measure(h, n, 0.0)
    print(
        f"{h} hosts × {n} reports, delay 0: {fast['pages']:.0f} pages in {fast['seconds']:.1f}s = "
        f"{fast['pages_per_s']:.0f} pages/s; crawler CPU {fast['cpu_ms_per_page']:.2f} ms/page "
        f"({fast['sys_ms_per_page']:.2f} of it in the kernel; target < 2)"
    )
    mean_wait = 1 + JITTER / 2
    for hosts, reports in ((10, 20), (100, 5), (1000, 1)):
        d = hosts / (args.rate * mean_wait)
        polite = measure(hosts, reports, d)
        print(
            f"{hosts:>5} hosts × {reports + 2} pages, delay {d:.2f}s (limit {hosts / (d * mean_wait):.0f} "
            f"pages/s after jitter): {polite['pages_per_s']:.0f} pages/s over {polite['seconds']:.1f}s; "
            f"hosts kept {polite['busy']:.0%} as busy as politeness allows (target ≥ 90%)"
        )
    small, large = measure(h, 1000 // h, 0.0), measure(h, 10000 // h, 0.0)
    print(
        f"peak RSS: {small['peak_rss_mb']:.0f} MB at 1k report URLs, {large['peak_rss_mb']:.0f} MB at 10k "
        f"(×{large['peak_rss_mb'] / small['peak_rss_mb']:.2f}; flat means the crawl holds no per-URL state in memory)"
    )


if __name__ == "__main__":
    main()
