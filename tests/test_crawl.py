"""The crawler against a fake government web of real HTTP servers on loopback hosts.

Politeness is asserted from the servers' side (arrival times per host), completeness and
recovery from the store, which is a real SQLite database on disk.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from govreports.cli.exits import EXIT_FETCH, EXIT_GAPS, EXIT_LOCKED, EXIT_OK, EXIT_USAGE
from govreports.cli.fakeweb import FakeHost, FakeWeb, Request, corpus_web
from govreports.cli.main import main
from govreports.parsers import PARSER_VERSION
from govreports.parsers.formats import ocr
from govreports.scraper.client import Client
from govreports.scraper.crawl import Crawler, SiteResult
from govreports.scraper.sites import Site, load_sites
from govreports.scraper.store import Store, exclusive
from tests.conftest import FakeClock, page_bytes

REPORT = page_bytes("shanghai-2019.html")
ROOT = Path(__file__).resolve().parent.parent


def write_sites(path: Path, rows: list[dict[str, str]], delay: float | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["site_id", "agency", "list_url", "delay", "cms"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "delay": "" if delay is None else str(delay)})
    return path


def site_list(path: Path, site: Site, delay: float | None = None) -> Path:
    """A site list with the one site, for the `govreports crawl` command."""
    return write_sites(
        path, [{"site_id": site.site_id, "agency": site.agency, "list_url": site.list_url}], delay
    )


def catalog(data: Path) -> sqlite3.Connection:
    db = sqlite3.connect(data / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    return db


def sql(data: Path, statement: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    """Tests look into the catalog with SQL of their own; the package never does (Store's API)."""
    db = catalog(data)
    try:
        with db:
            return db.execute(statement, params).fetchall()
    finally:
        db.close()


def exported_reports(data: Path) -> list[dict[str, str]]:
    """The store exported as a researcher gets it: reports.csv's rows."""
    assert (
        main(["export", "--data", str(data), "--out", str(data / "out"), "--format", "csv"])
        == EXIT_OK
    )
    with (data / "out" / "reports.csv").open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def list_page(links: list[tuple[str, str]], extra: str = "") -> bytes:
    items = "".join(f"<li><a href='{u}'>{t}</a></li>" for u, t in links)
    return f"<html><head><meta charset='utf-8'></head><body><ul>{items}</ul>{extra}</body></html>".encode()


def one_site(host: FakeHost, n: int, delay: float | None = None, prefix: str = "r") -> Site:
    host.page(
        "/list.html",
        list_page(
            [
                (f"/{prefix}{i}.html", f"{2019 + i % 3}年政府信息公开工作年度报告（{i}）")
                for i in range(n)
            ]
        ),
    )
    for i in range(n):
        host.page(f"/{prefix}{i}.html", REPORT + f"<p>{prefix}{i}</p>".encode())
    return Site(f"site-{prefix}", "示例人民政府", host.url("/list.html"), delay)


def arrivals(host: FakeHost, clock: FakeClock) -> list[tuple[float, str]]:
    """(fake time, path) as each request reaches host's routes, robots.txt included (a 404 unless
    served): politeness measured at the server, on the clock the crawler waits on."""
    stamps: list[tuple[float, str]] = []
    host.routes.setdefault("/robots.txt", lambda req: req.reply(404, b""))
    for path, route in list(host.routes.items()):

        def stamped(req: Request, route: Callable[[Request], None] = route) -> None:
            stamps.append((clock(), req.path))
            route(req)

        host.routes[path] = stamped
    return stamps


def gaps(stamps: list[tuple[float, str]]) -> list[float]:
    times = sorted(at for at, _ in stamps)
    return [b - a for a, b in zip(times, times[1:])]


# -- the site list -------------------------------------------------------------------------------


def test_sites_check_lists_every_problem_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "site_id,agency,list_url,delay,colour\n"
        "a,甲,https://www.a.gov.cn/nb/,1,\n"
        "b,乙,ftp://b.gov.cn/,x,\n"
        "a,丙,https://c.gov.cn/,,\n"
        "d,,https://d.gov.cn/,,\n",
        encoding="utf-8",
    )
    assert main(["sites", "check", str(bad)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "bad.csv:3: list_url 'ftp://b.gov.cn/' is not an http(s) URL" in err
    assert "bad.csv:3: delay 'x'" in err
    assert "bad.csv:4: site_id 'a' already used on line 2" in err
    assert "bad.csv:5: agency is empty" in err
    assert "unknown column 'colour'" in err


def test_sites_file_saved_by_excel_in_gbk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "site_id,agency,list_url\nsh,上海市人民政府办公厅,https://www.shanghai.gov.cn/nb/\n".encode(
            "gbk"
        )
    )
    loaded = load_sites(path)
    assert not loaded.errors and loaded.sites[0].agency == "上海市人民政府办公厅"
    assert main(["sites", "check", str(ROOT / "sites.example.csv")]) == EXIT_OK
    assert "3 site(s)" in capsys.readouterr().out


def test_missing_required_column_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.csv"
    path.write_text("site_id,url\nx,https://x.gov.cn/\n", encoding="utf-8")
    assert main(["crawl", str(path), "--data", str(tmp_path / "d")]) == EXIT_USAGE
    assert "missing column(s) agency, list_url" in capsys.readouterr().err


# -- the corpus web, end to end --------------------------------------------------------------------


def test_crawl_corpus_web_end_to_end_then_incrementally(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_on_clock: FakeClock
) -> None:
    sites = write_sites(tmp_path / "sites.csv", corpus_web(web), delay=0.05)
    data = tmp_path / "data"
    # One attachment link of the Hanweb page is dead on purpose: recorded, exit 1.
    assert main(["crawl", str(sites), "--data", str(data)]) == EXIT_GAPS
    assert cli_on_clock.sleeps  # paced, on the fake clock
    out = capsys.readouterr().out
    assert "10 new report(s), 10 parsed" in out

    db = catalog(data)
    reports = db.execute(
        "SELECT url, sha256 FROM urls WHERE kind='report' AND outcome='ok'"
    ).fetchall()
    assert (
        len(reports) == 11
    )  # TRS page 2, the Hanweb proxy record, 下一页's page 2 and the PDF included
    mirror = {r["url"].split("/", 3)[3]: r["sha256"] for r in reports}
    assert mirror["mirror/2021.htm"] == mirror["zfxxgknb/2022/t2022.htm"]  # one content, two URLs
    parsed = {
        r["agency"]: (r["year"], r["template"], r["parse_status"])
        for r in db.execute("SELECT * FROM contents WHERE kind='report'")
    }
    assert parsed["上海市人民政府办公厅"] == (2019, "2019", "ok")
    assert parsed["南黄镇人民政府"] == (2020, "2019", "ok")
    pdf = db.execute(
        "SELECT c.parse_status, c.agency, c.year FROM urls u JOIN contents c USING (sha256) WHERE u.url LIKE '%.pdf'"
    ).fetchone()
    assert tuple(pdf) == (
        "ok",
        "淮安市人民政府",
        2024,
    )  # the listed PDF is the report: read from its text
    attached = db.execute(
        "SELECT c.parse_status, c.kind FROM urls u JOIN contents c USING (sha256) WHERE u.url LIKE '%hongze-2023.pdf'"
    ).fetchone()
    assert tuple(attached) == (
        "partial",
        "attachment",
    )  # a page's PDF attachment, parsed for its tables
    xls = db.execute("SELECT outcome, kind FROM urls WHERE url LIKE '%.xls'").fetchone()
    assert tuple(xls) == (
        "error",
        "attachment",
    )  # an HTML report's attachment: recorded (this one is a 404)
    for row in db.execute(
        "SELECT sha256, bytes FROM contents"
    ):  # raw bytes on disk, named by their hash
        assert (data / "raw" / row["sha256"][:2] / row["sha256"]).stat().st_size == row["bytes"]
    assert web.hosts["spam"].hits == []  # the hijacker's link was never followed
    assert web.hosts["shanghai"].count("/private/draft.html") == 0  # robots.txt said no
    assert (
        db.execute("SELECT outcome FROM urls WHERE url LIKE '%/private/draft.html'").fetchone()[0]
        == "refused"
    )

    rows_before = db.execute("SELECT COUNT(*) FROM urls").fetchone()[0]
    assert main(["crawl", str(sites), "--data", str(data)]) == EXIT_OK
    for host in web.hosts.values():  # no report fetched twice; list pages revalidated
        for hit in host.hits:
            if (
                hit.path.endswith((".htm", ".pdf"))
                and "index" not in hit.path
                or "/art/" in hit.path
            ):
                assert host.count(hit.path) == 1, hit.path
    list_hits = [h for h in web.hosts["shanghai"].hits if h.path == "/nj/index.html"]
    assert len(list_hits) == 2 and "If-None-Match" in list_hits[1].headers
    assert db.execute("SELECT COUNT(*) FROM urls").fetchone()[0] == rows_before
    runs = db.execute("SELECT exit_code FROM runs ORDER BY run_id").fetchall()
    assert [r[0] for r in runs] == [EXIT_GAPS, EXIT_OK]
    assert db.execute("SELECT COUNT(*) FROM site_runs").fetchone()[0] == 10  # 5 sites × 2 runs


def test_reparse_needs_no_network(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = one_site(web.host("a"), 2, delay=0)
    with Store(tmp_path) as store:
        Crawler(store, Client(delay=0)).run([site])
        sql(store.root, "UPDATE contents SET parser_version='0.0.1'")
    web.stop()  # the web is gone: reparse reads the store only
    assert main(["reparse", "--data", str(tmp_path)]) == EXIT_OK
    assert "reparsed 2 stored page(s)" in capsys.readouterr().out
    assert main(["reparse", "--data", str(tmp_path)]) == EXIT_OK
    assert "nothing to do" in capsys.readouterr().out
    assert main(["reparse", "--data", str(tmp_path / "elsewhere")]) == EXIT_USAGE
    assert "no store at" in capsys.readouterr().err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_reparse_in_worker_processes_saves_the_same_and_names_lost_raw_files(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    site = one_site(web.host("a"), 4, delay=0)
    with Store(tmp_path) as store:
        Crawler(store, Client(delay=0)).run([site])
        before = [
            tuple(r)
            for r in sql(
                store.root, "SELECT sha256, parse_status, report_json FROM contents ORDER BY sha256"
            )
        ]
        lost = before[0][0]
        store.raw_path(lost).unlink()
    web.stop()
    assert main(["reparse", "--data", str(tmp_path), "--all", "--workers", workers]) == EXIT_GAPS
    out = capsys.readouterr()
    assert (
        "reparsed 4 stored page(s)" in out.out
        and "3 ok, 1 raw_missing" in out.out
        and lost in out.err
    )
    with Store(tmp_path) as store:
        after = [
            tuple(r)
            for r in sql(
                store.root, "SELECT sha256, parse_status, report_json FROM contents ORDER BY sha256"
            )
        ]
    assert after == before  # the same parse, saved the same way; the lost page keeps its last parse


# -- politeness, measured at the servers -------------------------------------------------------------


def test_one_request_at_a_time_per_host_with_delay_while_hosts_run_in_parallel(
    web: FakeWeb, tmp_path: Path, clock: FakeClock
) -> None:
    delay = 0.2
    sites = [one_site(web.host(f"h{i}"), 4, delay=delay, prefix=f"h{i}-") for i in range(3)]
    # Each list page is answered only once all three hosts are asking for theirs: a crawl that
    # took the hosts one after another would break the barrier instead of passing it.
    together, met = threading.Barrier(len(sites), timeout=10), list[str]()
    for host in web.hosts.values():

        def list_page_when_all_ask(
            req: Request, serve: Callable[[Request], None] = host.routes["/list.html"]
        ) -> None:
            together.wait()
            met.append(req.path)
            serve(req)

        host.route("/list.html", list_page_when_all_ask)
    stamps = {name: arrivals(host, clock) for name, host in web.hosts.items()}
    with Store(tmp_path) as store:
        results = Crawler(store, clock.client()).run(sites)
    assert all(r.new_reports == 4 for r in results)
    assert len(met) == len(sites)  # the three hosts were crawled side by side
    for name, host in web.hosts.items():
        assert len(host.hits) == 6 == len(stamps[name])  # robots.txt, the list, 4 reports
        assert min(gaps(stamps[name])) >= delay - 1e-9
    assert clock.sleeps and min(clock.sleeps) > 0  # the delay was asked for, not waited out


def test_robots_disallow_and_crawl_delay(web: FakeWeb, tmp_path: Path, clock: FakeClock) -> None:
    host = web.host("robots")
    site = one_site(host, 3, delay=0.01)
    host.page("/robots.txt", b"User-agent: *\nDisallow: /r1.html\nCrawl-delay: 0.3\n", "text/plain")
    stamps = arrivals(host, clock)
    with Store(tmp_path) as store:
        (result,) = Crawler(store, clock.client()).run([site])
    assert host.count("/r1.html") == 0 and result.new_reports == 2 and result.errors == 0
    assert len(stamps) == len(host.hits) and min(gaps(stamps)) >= 0.3 - 1e-9
    # one host, so nothing but its waits moves the clock: one wait before every request after robots.txt
    assert len(clock.sleeps) == len(host.hits) - 1 and min(clock.sleeps) >= 0.3 - 1e-9


def test_slow_host_gets_a_longer_delay(web: FakeWeb, tmp_path: Path, clock: FakeClock) -> None:
    host = web.host("slow")
    site = one_site(host, 3, delay=0.01)

    def slow(req: Request) -> None:
        clock.advance(0.3)  # the answer takes 0.3 s on the clock the client times it by
        req.reply(200, REPORT)

    for i in range(3):
        host.route(f"/r{i}.html", slow)
    client = clock.client()
    with Store(tmp_path) as store:
        Crawler(store, client).run([site])
    assert client.throttle.delay(site.list_url) > 0.1  # moved toward the observed latency


# -- faults -------------------------------------------------------------------------------------------


def test_faults_retried_recorded_or_blocked(web: FakeWeb, tmp_path: Path, clock: FakeClock) -> None:
    host = web.host("faulty")
    links = [
        ("/flaky.html", "2020年政府信息公开工作年度报告"),
        ("/busy.html", "2021年政府信息公开工作年度报告"),
        ("/loop.html", "2022年政府信息公开工作年度报告"),
        ("/gone.html", "2023年政府信息公开工作年度报告"),
        ("/soft404.html", "2019年政府信息公开工作年度报告"),
    ]
    host.page("/list.html", list_page(links))
    calls = {"flaky": 0, "busy": 0}

    def flaky(req: Request) -> None:
        calls["flaky"] += 1
        req.reply(503, b"busy") if calls["flaky"] == 1 else req.reply(200, REPORT)

    def busy(req: Request) -> None:
        calls["busy"] += 1
        req.reply(429, b"", {"Retry-After": "1"}) if calls["busy"] == 1 else req.reply(
            200, REPORT + b" "
        )

    host.route("/flaky.html", flaky)
    host.route("/busy.html", busy)
    host.route("/loop.html", lambda req: req.reply(302, b"", {"Location": "/loop.html"}))
    host.page(
        "/soft404.html",
        "<html><title>页面不存在</title><body>对不起，您访问的页面不存在！</body></html>".encode(),
    )
    site = Site("faulty", "甲", host.url("/list.html"), 0.01)
    stamps = arrivals(host, clock)
    with Store(tmp_path) as store:
        (result,) = Crawler(store, clock.client()).run([site])
        outcomes = {
            r["url"].rsplit("/", 1)[1]: r["outcome"]
            for r in sql(store.root, "SELECT url, outcome FROM urls WHERE kind='report'")
        }
    assert outcomes == {
        "flaky.html": "ok",
        "busy.html": "ok",
        "loop.html": "error",
        "gone.html": "error",
        "soft404.html": "soft404",
    }
    assert calls == {"flaky": 2, "busy": 2}
    busy_hits = [at for at, path in stamps if path == "/busy.html"]
    assert busy_hits[1] - busy_hits[0] >= 1.0 and 1.0 in clock.sleeps  # Retry-After honoured
    assert 0.5 in clock.sleeps  # the 503 without one: the first backoff step
    assert result.new_reports == 2 and result.errors == 3


def test_failed_fetches_are_retried_by_later_runs_after_a_wait_and_gone_pages_never(
    web: FakeWeb, tmp_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page or attachment that failed for a passing reason waits (1 h, doubling) and is
    fetched again by a later run; a 404 is the site's answer and is not asked again."""
    host = web.host("down")
    up = {"now": False}

    def down(req: Request) -> None:
        req.reply(200, REPORT) if up["now"] else req.reply(500, b"oops")

    def attachment(req: Request) -> None:
        req.reply(200, b"%PDF-1.4 not much", {"Content-Type": "application/pdf"}) if up[
            "now"
        ] else req.reply(502, b"")

    host.route("/down.html", down)
    host.route("/gone.html", lambda req: req.reply(404, b""))
    host.route("/t.pdf", attachment)
    host.page(
        "/with-attachment.html",
        REPORT + "<p><a href='/t.pdf'>附件：统计表.pdf</a></p>".encode(),
    )
    host.page(
        "/list.html",
        list_page(
            [
                ("/down.html", "2021年政府信息公开工作年度报告"),
                ("/gone.html", "2022年政府信息公开工作年度报告"),
                ("/with-attachment.html", "2023年政府信息公开工作年度报告"),
            ]
        ),
    )
    site = Site("down", "甲", host.url("/list.html"), 0.01)

    def crawl(**options: bool) -> SiteResult:
        with Store(tmp_path) as store:
            (result,) = Crawler(store, clock.client(), **options).run([site])
        return result

    def state() -> dict[str, tuple[str, int | None]]:
        return {
            r["url"].rsplit("/", 1)[1]: (r["outcome"], r["attempts"])
            for r in sql(
                tmp_path,
                "SELECT u.url, u.outcome, r.attempts FROM urls u LEFT JOIN retries r USING (url)"
                " WHERE u.kind != 'list'",
            )
        }

    crawl()
    first = state()
    assert first["down.html"] == ("error", 1) and first["t.pdf"] == ("error", 1)
    assert first["gone.html"] == ("error", None)  # a 404: no retry planned
    (wait,) = sql(
        tmp_path, "SELECT retry_after, first_failed FROM retries WHERE url LIKE '%down.html'"
    )
    assert wait[0] > wait[1]  # an hour later, not at once
    assert main(["status", "--data", str(tmp_path), "--json"]) == EXIT_OK
    (shown,) = json.loads(capsys.readouterr().out)["sites"]
    assert (shown["ok"], shown["failed"], shown["gone"], shown["next_retry"]) == (
        1,
        3,
        1,
        wait[0],
    )
    assert "HTTP" in shown["last_error"]
    hits = {p: host.count(p) for p in ("/down.html", "/gone.html", "/t.pdf")}

    assert crawl().waiting == 1  # at once again: still waiting, nothing asked
    assert {p: host.count(p) for p in hits} == hits

    up["now"] = True
    sql(
        tmp_path, "UPDATE retries SET retry_after = '2000-01-01T00:00:00+00:00'"
    )  # the hour is over
    crawl()
    assert state() == {
        "down.html": ("ok", None),
        "gone.html": ("error", None),
        "with-attachment.html": ("ok", None),
        "t.pdf": ("ok", None),
    }
    assert host.count("/gone.html") == hits["/gone.html"] == 1
    crawl(refresh=True)  # asked: even a gone page is tried again
    assert host.count("/gone.html") == 2


def test_retry_failed_tries_now_and_waits_double_each_time(
    web: FakeWeb, tmp_path: Path, clock: FakeClock
) -> None:
    host = web.host("flat")
    host.page("/list.html", list_page([("/r.html", "2021年政府信息公开工作年度报告")]))
    host.route("/r.html", lambda req: req.reply(503, b""))
    site = Site("flat", "甲", host.url("/list.html"), 0.01)
    waits, hits = [], []
    for _ in range(3):
        with Store(tmp_path) as store:
            Crawler(store, clock.client(), retry_failed=True).run([site])
        ((attempts, first, after),) = sql(
            tmp_path, "SELECT attempts, first_failed, retry_after FROM retries"
        )
        waits.append(datetime.fromisoformat(after) - datetime.fromisoformat(first))
        hits.append(host.count("/r.html"))
    assert attempts == 3 and hits == [hits[0], 2 * hits[0], 3 * hits[0]]  # each run asked
    assert [round(w / timedelta(hours=1)) for w in waits] == [1, 2, 4]


@pytest.mark.parametrize(
    "status, body",
    [
        (412, b"<html><script>$_ts=window['$_ts'];</script></html>"),
        (521, b"<script>document.cookie='__jsl_clearance=1'</script>"),
        (200, b"<html><script>var $_ts = {}; $_ts['cd']='x';</script></html>"),
    ],
)
def test_anti_bot_challenge_blocks_the_site_without_retries(
    web: FakeWeb, tmp_path: Path, status: int, body: bytes
) -> None:
    host = web.host("guarded")
    site = one_site(host, 2, delay=0.01)
    host.page("/list.html", body, status=status)
    with Store(tmp_path) as store:
        (result,) = Crawler(store, Client()).run([site])
        assert (
            sql(store.root, "SELECT outcome FROM urls WHERE url=?", (site.list_url,))[0][0]
            == "blocked"
        )
        assert sql(store.root, "SELECT COUNT(*) FROM contents")[0][0] == 0  # never stored as a page
    assert host.count("/list.html") == 1 and result.blocked == 1 and result.failed


def test_list_page_without_report_links_fails_the_site(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host = web.host("changed")
    host.page("/list.html", list_page([("/about.html", "机构概况")]))
    sites = write_sites(
        tmp_path / "s.csv",
        [{"site_id": "changed", "agency": "甲", "list_url": host.url("/list.html")}],
        0.01,
    )
    assert main(["crawl", str(sites), "--data", str(tmp_path / "d")]) == EXIT_FETCH
    assert "no report links on 1 list page(s)" in capsys.readouterr().out


def test_off_site_redirect_is_refused(web: FakeWeb, tmp_path: Path) -> None:
    host, spam = web.host("hijacked"), web.host("spam")
    site = one_site(host, 1, delay=0.01)
    host.route("/r0.html", lambda req: req.reply(302, b"", {"Location": spam.url("/casino")}))
    with Store(tmp_path) as store:
        (result,) = Crawler(store, Client()).run([site])
    assert spam.hits == [] and "refused" in result.messages[0]


def test_every_host_is_kept_busy_at_once_and_sites_sharing_a_host_take_turns(
    web: FakeWeb, tmp_path: Path
) -> None:
    """Politeness is per host, so the default crawls every host at once (not 8 of them): all
    twelve hosts are asked within the first politeness delay. Two sites on one host share its
    thread: one site's requests all come before the other's."""
    sites = [one_site(web.host(f"h{i}"), 2, delay=0.3, prefix=f"s{i}") for i in range(12)]
    shared = web.hosts["h0"]
    shared.page("/list2.html", list_page([("/second.html", "2021年政府信息公开工作年度报告")]))
    shared.page("/second.html", REPORT + b"<p>second</p>")
    sites.append(Site("second", "示例人民政府", shared.url("/list2.html"), 0.3))
    with Store(tmp_path) as store:
        results = Crawler(store, Client(delay=0.3)).run(sites)
    assert [r.site_id for r in results] == [s.site_id for s in sites]
    firsts = [min(h.at for h in host.hits) for host in web.hosts.values()]
    assert max(firsts) - min(firsts) < 0.3
    paths = [h.path for h in shared.hits if h.path != "/robots.txt"]
    assert paths == ["/list.html", "/s00.html", "/s01.html", "/list2.html", "/second.html"]


def test_a_second_run_waits_for_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = write_sites(
        tmp_path / "s.csv",
        [{"site_id": "x", "agency": "甲", "list_url": "http://127.0.0.1:9/list"}],
    )
    with exclusive(tmp_path / "d"):
        assert main(["crawl", str(sites), "--data", str(tmp_path / "d")]) == EXIT_LOCKED
    assert "another govreports run" in capsys.readouterr().err


# -- kill -9 in the middle --------------------------------------------------------------------------


def test_killed_run_is_finished_by_the_next_without_refetching(
    web: FakeWeb, tmp_path: Path, cli_on_clock: FakeClock
) -> None:
    host = web.host("big")
    site = one_site(host, 12)
    sites = site_list(tmp_path / "s.csv", site, 0.15)
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "govreports", "crawl", str(sites), "--data", str(data), "-q"],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while sum(host.count(f"/r{i}.html") for i in range(12)) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(data) as store:
        stored = {
            r[0]
            for r in sql(store.root, "SELECT url FROM urls WHERE outcome='ok' AND kind='report'")
        }
    assert 3 <= len(stored) < 12
    # The killed run paced itself in real time (it is another process); this one, in-process, on the fake clock.
    assert main(["crawl", str(sites), "--data", str(data), "-q"]) == EXIT_OK
    assert cli_on_clock.sleeps
    for i in range(12):
        url = host.url(f"/r{i}.html")
        assert (
            host.count(f"/r{i}.html") == 1 or url not in stored
        )  # stored before the kill: never fetched again
    with Store(data) as store:
        assert (
            sql(store.root, "SELECT COUNT(*) FROM urls WHERE kind='report' AND outcome='ok'")[0][0]
            == 12
        )
        assert (
            sql(
                store.root,
                "SELECT COUNT(*) FROM contents WHERE kind='report' AND parse_status IS NULL",
            )[0][0]
            == 0
        )
        assert sql(store.root, "SELECT COUNT(DISTINCT url) = COUNT(*) FROM urls")[0][0] == 1
    # twelve distinct pages with one 来源 and year are twelve reports, and the export of the killed
    # and resumed crawl is the export of an uninterrupted one, row for row (timing aside)
    assert main(["crawl", str(sites), "--data", str(tmp_path / "clean"), "-q"]) == EXIT_OK

    def rows(data: Path) -> list[dict[str, str]]:
        return sorted(
            ({k: v for k, v in r.items() if k != "fetched_at"} for r in exported_reports(data)),
            key=lambda r: r["report_id"],
        )

    resumed = rows(data)
    assert len(resumed) == 12 and all(r["current"] == "true" for r in resumed)
    assert resumed == rows(tmp_path / "clean")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_any_long_command_killed_anywhere_and_the_next_crawl_still_succeeds(
    web: FakeWeb, tmp_path: Path
) -> None:
    """kill -9 of crawl, reparse --workers 2 and export, each at random moments, several times
    over one store: no lock, worker, half-written file or half-done export outlives them, and
    the crawl that follows every kill finishes with everything."""
    import random

    host = web.host("nightly")
    site = one_site(host, 12)
    sites = site_list(tmp_path / "s.csv", site, 0.05)
    data, out = tmp_path / "data", tmp_path / "dataset"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    commands = {
        "crawl": ["crawl", str(sites), "--data", str(data), "-q", "--refresh"],
        "reparse": ["reparse", "--data", str(data), "--all", "--workers", "2"],
        "export": ["export", "--data", str(data), "--out", str(out), "--format", "csv,xlsx"],
    }
    assert main(["crawl", str(sites), "--data", str(data), "-q"]) == EXIT_OK
    rng = random.Random(17)
    for name in ["crawl", "reparse", "export"] * 2:
        proc = subprocess.Popen(
            [sys.executable, "-m", "govreports", *commands[name]],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 2.0))  # past the imports, somewhere in the work
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers)), f"{name}: workers outlived the kill"
        assert main(["crawl", str(sites), "--data", str(data), "-q"]) == EXIT_OK, name
        assert not list((data / "raw").glob("*/.*.tmp"))
    assert main(commands["export"]) == EXIT_OK
    assert len(exported_reports(data)) == 12


def test_discover_proposes_the_list_url_from_a_homepage(
    web: FakeWeb, capsys: pytest.CaptureFixture[str]
) -> None:
    host = web.host("home")
    host.page("/", list_page([("/zwgk/index.html", "政府信息公开"), ("/news/", "新闻中心")]))
    host.page(
        "/zwgk/index.html",
        list_page([("/zwgk/nb/index.html", "政府信息公开年报"), ("/zwgk/zn/", "政府信息公开指南")]),
    )
    host.page(
        "/zwgk/nb/index.html", list_page([("/zwgk/nb/2021.html", "2021年政府信息公开工作年度报告")])
    )
    assert main(["discover", host.url("/"), "--delay", "0.01"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(host.url("/zwgk/nb/index.html")) and "1 report link(s)" in out
    empty = web.host("empty")
    empty.page("/", list_page([("/news/", "新闻中心")]))
    assert main(["discover", empty.url("/"), "--delay", "0.01"]) == 3


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated (SIGTERM)")],
)
def test_ctrl_c_and_sigterm_stop_promptly_keep_what_was_fetched_and_free_the_lock(
    web: FakeWeb, tmp_path: Path, signum: int, code: int, said: str
) -> None:
    host = web.host("long")
    site = one_site(host, 30)
    sites = site_list(tmp_path / "s.csv", site, 0.3)
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "govreports", "crawl", str(sites), "--data", str(data), "-q"],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while sum(host.count(f"/r{i}.html") for i in range(30)) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signum)
    started = time.monotonic()
    assert (
        proc.wait(timeout=20) == code and time.monotonic() - started < 5
    )  # not the ~9 s the rest would take
    err = proc.stderr.read() if proc.stderr else ""
    assert said in err and "every page fetched so far is stored" in err
    with exclusive(data):  # released, not held by a lingering thread or process
        pass
    with Store(data) as store:
        assert (
            sql(store.root, "SELECT COUNT(*) FROM urls WHERE kind='report' AND outcome='ok'")[0][0]
            >= 2
        )
    assert sum(host.count(f"/r{i}.html") for i in range(30)) < 30


def test_doc_attachment_is_read_and_a_newer_parser_looks_again_at_unread_attachments(
    web: FakeWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host = web.host("a")
    host.page("/list.html", list_page([("/r.html", "2024年政府信息公开工作年度报告")]))
    host.page(
        "/r.html",
        "<html><head><meta charset='utf-8'><title>2024年政府信息公开工作年度报告</title></head><body>"
        "<div class='content'><p>2024年政府信息公开工作年度报告全文见附件。</p>"
        "<a href='/att/report.doc'>年度报告.doc</a> <a href='/att/tables.xls'>统计表.xls</a></div></body></html>".encode(),
    )
    host.page(
        "/att/report.doc", page_bytes("synthetic-hongze-2024-blanks.doc"), "application/msword"
    )
    host.page(
        "/att/tables.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "application/vnd.ms-excel",
    )
    site = Site("site-a", "淮安市洪泽区人民政府", host.url("/list.html"), 0)
    with Store(tmp_path) as store:
        Crawler(store, Client(delay=0)).run([site])
    db = catalog(tmp_path)

    def status(suffix: str) -> tuple[str, str]:
        row = db.execute(
            "SELECT c.parse_status, c.parser_version FROM urls u JOIN contents c USING (sha256)"
            " WHERE u.url LIKE ?",
            (f"%{suffix}",),
        ).fetchone()
        return row["parse_status"], row["parser_version"]

    assert status(".doc")[0] == "ok" and status(".xls")[0] == "attachment_unparsed"
    # A store written by a parser that could not read DOC files: the next parser looks again.
    db.execute(
        "UPDATE contents SET parse_status='attachment_unparsed', parser_version='0.1.0'"
        " WHERE sha256 IN (SELECT sha256 FROM urls WHERE url LIKE '%.doc' OR url LIKE '%.xls')"
    )
    db.commit()
    web.stop()
    assert main(["reparse", "--data", str(tmp_path)]) == EXIT_OK
    assert "1 attachment_unparsed, 1 ok" in capsys.readouterr().out
    assert status(".doc")[0] == "ok"
    assert status(".xls") == (
        "attachment_unparsed",
        PARSER_VERSION,
    )  # looked at, still unread: not again
    assert main(["reparse", "--data", str(tmp_path)]) == EXIT_OK
    assert "nothing to do" in capsys.readouterr().out
    (report,) = exported_reports(tmp_path)
    assert (
        report["tables_source"].endswith("/att/report.doc")
        and report["agency"] == "淮安市洪泽区人民政府"
    )


def test_a_pdf_shown_in_a_viewer_is_fetched_and_gives_the_tables(
    web: FakeWeb, tmp_path: Path
) -> None:
    host = web.host("a")
    host.page("/list.html", list_page([("/r.html", "2024年政府信息公开工作年度报告")]))
    host.page(
        "/r.html",
        "<html><head><meta charset='utf-8'><title>淮安市人民政府2024年政府信息公开工作年度报告</title></head>"
        "<body><div class='content'><h1>淮安市人民政府2024年政府信息公开工作年度报告</h1>"
        "<iframe src='/pdfjs/web/viewer.html?file=%2Ffiles%2Fhuaian-2024.pdf'></iframe></div></body></html>".encode(),
    )
    host.page(
        "/files/huaian-2024.pdf",
        (ROOT / "fixtures" / "pdf" / "huaian-2024.pdf").read_bytes(),
        "application/pdf",
    )
    with Store(tmp_path) as store:
        Crawler(store, Client(delay=0)).run(
            [Site("site-a", "淮安市人民政府", host.url("/list.html"), 0)]
        )
    (report,) = exported_reports(tmp_path)
    assert (
        report["tables_source"].endswith("/files/huaian-2024.pdf")
        and report["parse_status"] == "ok"
    )


@pytest.mark.skipif(not ocr.available(), reason="the OCR extra (govreports[ocr]) is not installed")
def test_a_page_whose_tables_are_a_picture_gets_them_by_ocr(web: FakeWeb, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    # the table part of the 上海 2019 report as a picture, as a CMS shows a screenshot of it
    page = pdfium.PdfDocument(ROOT / "fixtures" / "pdf" / "synthetic-shanghai-2019-ruled.pdf")[0]
    picture = io.BytesIO()
    page.render(scale=2).to_pil().save(picture, "PNG")
    host = web.host("a")
    host.page("/list.html", list_page([("/r.html", "2019年政府信息公开工作年度报告")]))
    host.page(
        "/r.html",
        "<html><head><meta charset='utf-8'><title>上海市人民政府办公厅2019年政府信息公开工作年度报告</title>"
        "</head><body><div class='content'><h1>上海市人民政府办公厅2019年政府信息公开工作年度报告</h1>"
        "<p>统计表如下：</p><img src='/img/tables.png'><img src='/img/logo.png'></div></body></html>".encode(),
    )
    host.page("/img/tables.png", picture.getvalue(), "image/png")
    host.page("/img/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    with Store(tmp_path) as store:
        Crawler(store, Client(delay=0)).run(
            [Site("site-a", "上海市人民政府办公厅", host.url("/list.html"), 0)]
        )
    (report,) = exported_reports(tmp_path)
    assert report["tables_source"].endswith("/img/tables.png"), report
    assert report["parse_status"] in ("ok", "partial")


def test_redirect_stubs_are_followed_on_the_site_only(web: FakeWeb, tmp_path: Path) -> None:
    host = web.host("a")
    host.page(
        "/list.html",
        list_page(
            [
                ("/s1.html", "2019年政府信息公开工作年度报告"),
                ("/s2.html", "2020年政府信息公开工作年度报告"),
                ("/s3.html", "2021年政府信息公开工作年度报告"),
            ]
        ),
    )
    host.page(
        "/s1.html",
        b"<html><head><meta http-equiv='refresh' content='0;url=/art/real1.html'></head><body></body></html>",
    )
    host.page(
        "/s2.html",
        b"<html><head><title>2020</title></head><body><script>window.location.href='/art/real2.html';</script>"
        b"\xe6\xad\xa3\xe5\x9c\xa8\xe8\xb7\xb3\xe8\xbd\xac</body></html>",
    )  # 正在跳转
    host.page(
        "/s3.html",
        b"<html><head><meta http-equiv='refresh' content='0;url=http://elsewhere.example.com/r.html'></head></html>",
    )
    host.page("/art/real1.html", REPORT)
    host.page("/art/real2.html", REPORT + b"<p>2</p>")
    with Store(tmp_path) as store:
        (result,) = Crawler(store, Client(delay=0)).run(
            [Site("site-a", "示例", host.url("/list.html"), 0)]
        )
    assert any(
        "points to http://elsewhere.example.com/r.html: not followed" in m for m in result.messages
    )
    db = catalog(tmp_path)
    rows = {
        r["url"].rsplit("/", 1)[1]: (r["parent_url"] or "").rsplit("/", 1)[-1]
        for r in db.execute("SELECT url, parent_url FROM urls WHERE kind='report'")
    }
    assert rows == {
        "s1.html": "list.html",
        "s2.html": "list.html",
        "s3.html": "list.html",
        "real1.html": "s1.html",
        "real2.html": "s2.html",
    }
    statuses = {
        r["url"].rsplit("/", 1)[1]: r["parse_status"]
        for r in db.execute(
            "SELECT u.url, c.parse_status FROM urls u JOIN contents c USING (sha256) WHERE u.kind='report'"
        )
    }
    assert statuses == {
        "s1.html": "not_a_report",
        "s2.html": "not_a_report",
        "s3.html": "not_a_report",
        "real1.html": "ok",
        "real2.html": "ok",
    }


def test_a_json_list_answer_is_a_list_page(web: FakeWeb, tmp_path: Path) -> None:
    host = web.host("a")
    answer = {
        "code": 0,
        "data": {
            "total": 2,
            "list": [
                {
                    "title": "<em>2021年</em>示例县政府信息公开工作年度报告",
                    "url": "/art/2022/1/20/art_1.html",
                    "pubDate": "2022-01-20",
                },
                {
                    "docTitle": "2020年示例县政府信息公开工作年度报告",
                    "docUrl": host.url("/art/2021/1/20/art_2.html"),
                },
            ],
        },
    }
    host.page(
        "/api/list",
        json.dumps(answer, ensure_ascii=False).encode(),
        "application/json;charset=utf-8",
    )
    host.page("/art/2022/1/20/art_1.html", REPORT)
    host.page("/art/2021/1/20/art_2.html", REPORT + b"<p>2</p>")
    with Store(tmp_path) as store:
        (result,) = Crawler(store, Client(delay=0)).run(
            [Site("site-a", "示例县", host.url("/api/list?column=ndbg"), 0)]
        )
    assert (result.reports_listed, result.new_reports, result.failed) == (2, 2, False)


def test_a_list_page_that_redirects_is_followed(web: FakeWeb, tmp_path: Path) -> None:
    host = web.host("a")
    host.page(
        "/old/list.html",
        b"<html><head><script>location.replace('/new/list.html')</script></head><body></body></html>",
    )
    host.page("/new/list.html", list_page([("/r.html", "2019年政府信息公开工作年度报告")]))
    host.page("/r.html", REPORT)
    with Store(tmp_path) as store:
        (result,) = Crawler(store, Client(delay=0)).run(
            [Site("site-a", "示例", host.url("/old/list.html"), 0)]
        )
    assert (result.reports_listed, result.new_reports, result.failed) == (1, 1, False)


def _children(pid: int) -> list[int]:
    """The parse workers whose parent is pid (from /proc: Linux); multiprocessing's resource
    tracker, also a child, is not one."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"spawn_main" in command:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stored_pages(data: Path, n: int) -> Path:
    """A store holding n fetched, not yet parsed report pages (raw bytes on disk)."""
    with Store(data) as store:
        for i in range(n):
            url = f"http://h{i % 9}.example.gov.cn/r{i}.html"
            sha = store.put_raw(REPORT + f"<p>{i}</p>".encode())
            store.see(url, f"h{i % 9}", "report")
            store.record_fetch(url, "ok", status=200, sha256=sha, size=len(REPORT))
    return data


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_reparse_killed_leaves_no_worker_and_no_lock_behind(tmp_path: Path) -> None:
    data = stored_pages(tmp_path / "data", 300)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "govreports", "reparse", "--data", str(data), "--all"]
    for attempt in range(3):
        proc = subprocess.Popen([*command, "--workers", "2"], env=env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        workers = _children(proc.pid)
        assert workers, "the reparse never started its workers"
        time.sleep(0.2 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers)), "workers outlived their killed parent"
    assert main(["reparse", "--data", str(data), "--all"]) == EXIT_OK  # the lock is free


def _reparse_in_background(data: Path, **popen: Any) -> subprocess.Popen[str]:
    """`reparse --all --workers 2` in another process, returned once both workers run."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "govreports", "reparse", "--data", str(data), "--all"]
        + ["--workers", "2"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )
    deadline = time.monotonic() + 30
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    return proc


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_a_dead_worker_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    proc = _reparse_in_background(stored_pages(tmp_path / "data", 300))
    time.sleep(0.3)
    for worker in _children(proc.pid):
        os.kill(worker, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_GAPS
    assert "a parse worker process died" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_sigterm_to_the_process_group_stops_reparse_cleanly(tmp_path: Path) -> None:
    """As systemd stops a service: SIGTERM to every process of the group. The parent stops its
    workers, saves what was parsed, releases the lock and says so; no worker lingers."""
    data = stored_pages(tmp_path / "data", 300)
    proc = _reparse_in_background(data, start_new_session=True)
    workers = _children(proc.pid)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "terminated (SIGTERM)" in err and "Traceback" not in err
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers))
    with exclusive(data):
        pass


def test_half_written_raw_files_of_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    data = stored_pages(tmp_path / "data", 2)
    partial = data / "raw" / "ab" / f".{'ab' * 32}.4242.1.tmp"
    partial.parent.mkdir(exist_ok=True)
    partial.write_bytes(b"<html>half a page")
    kept = sorted(p for p in (data / "raw").rglob("*") if p.is_file() and p != partial)
    with exclusive(data):
        assert not partial.exists()
    assert sorted(p for p in (data / "raw").rglob("*") if p.is_file()) == kept


def test_the_user_agent_names_the_operators_contact_and_crawl_warns_without_one(
    web: FakeWeb,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host = web.host("ua")
    site = one_site(host, 1, delay=0)
    sites = site_list(tmp_path / "s.csv", site, 0)

    def agent() -> str:
        return [h for h in host.hits if h.path == "/list.html"][-1].headers["User-Agent"]

    monkeypatch.delenv("GOVREPORTS_CONTACT", raising=False)
    assert main(["crawl", str(sites), "--data", str(tmp_path / "d")]) == EXIT_OK
    assert "GOVREPORTS_CONTACT is not set" in capsys.readouterr().err
    assert "contact: not given" in agent()
    monkeypatch.setenv("GOVREPORTS_CONTACT", "ops@example.org")
    assert main(["crawl", str(sites), "--data", str(tmp_path / "d")]) == EXIT_OK
    assert "not set" not in capsys.readouterr().err and "contact: ops@example.org" in agent()


def test_the_store_location_can_be_set_by_environment(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOVREPORTS_DATA": str(tmp_path / "nightly")}
    got = subprocess.run(
        [sys.executable, "-m", "govreports", "reparse"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert got.returncode == EXIT_USAGE and f"no store at {tmp_path / 'nightly'}" in got.stderr


def test_a_refused_connection_is_called_refused_not_a_robots_server_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on: connecting is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    site = Site("down", "甲", f"http://127.0.0.1:{port}/list.html", 0.0)
    with Store(tmp_path) as store:
        (result,) = Crawler(store, Client(delay=0, attempts=1)).run([site])
    text = " ".join(result.messages)
    assert "connection refused" in text and "server error" not in text, text
