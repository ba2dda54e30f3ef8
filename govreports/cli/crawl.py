"""`govreports crawl`, `sites check`, `discover` and `reparse`: the scheduled job's commands.

They are thin: argument values in, calls into scraper/ and the store, a summary and an exit
code out. Logging goes to stderr (plain lines for cron's mail); on a terminal a progress bar
stands in for the per-site lines.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

if TYPE_CHECKING:
    from govreports.parsers import Report
    from govreports.scraper.crawl import SiteResult, StoredContent
    from govreports.scraper.discover import Link
    from govreports.scraper.sites import Site

from govreports.cli import say
from govreports.cli.exits import (
    EXIT_FETCH,
    EXIT_GAPS,
    EXIT_LOCKED,
    EXIT_NOT_REPORT,
    EXIT_OK,
    EXIT_USAGE,
)
from govreports.cli.options import add_data, add_json

CRAWL_EXIT_HELP = """exit codes:
  0  every site crawled without an error
  1  finished, but some site had errors or was blocked (details in the summary and the store)
  2  usage error, the sites file has errors (see `govreports sites check`), or the store was
     written by a newer govreports (its schema version is unknown here; upgrade)
  4  no site could be crawled at all (network down? every list page failed)
  5  another run holds the store's lock (the previous cron run is still going)
130  interrupted (Ctrl-C): what was fetched is kept; the next run goes on from there
143  terminated (SIGTERM, e.g. systemd stopping it): as 130"""

log = logging.getLogger("govreports")


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (tests and tqdm's redirect swap it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def setup_logging(verbose: bool, quiet: bool) -> None:
    """Plain lines when stderr is not a terminal (cron), JSON lines under --json; warnings
    only under a progress bar."""
    level = logging.INFO
    if quiet or (showing_progress() and not verbose):
        level = logging.WARNING
    root = logging.getLogger("govreports")
    root.handlers = [h for h in root.handlers if not isinstance(h, _Stderr)]
    handler = _Stderr()
    handler.setFormatter(
        say.JsonLines()
        if say.json_mode()
        else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False


def have_store(data: str) -> bool:
    """True if data holds a store; otherwise says so (for commands that only read one)."""
    from govreports.scraper.store import store_exists

    if store_exists(data):
        return True
    say.error(f"no store at {data} (run `govreports crawl` first, or pass --data)")
    return False


def showing_progress() -> bool:
    """A bar only for a person at a terminal: not under cron, a pipe (`| jq`) or --json."""
    return sys.stderr.isatty() and sys.stdout.isatty() and not say.json_mode()


def progress_bar(total: int, unit: str, desc: str) -> tqdm[Any]:
    return tqdm(
        total=total,
        unit=unit,
        desc=desc,
        file=sys.stderr,
        disable=not showing_progress(),
        leave=False,
    )


def _load_sites(path: str) -> tuple[list[Site], list[str], list[str]]:
    """The sites, and the list's errors and warnings (each already said on stderr)."""
    from govreports.scraper.sites import SitesError, load_sites

    try:
        loaded = load_sites(path)
    except SitesError as exc:
        say.error(str(exc))
        return [], [str(exc)], []
    for message in loaded.errors:
        say.error(message)
    for message in loaded.warnings:
        say.warning(message)
    return loaded.sites, loaded.errors, loaded.warnings


def cmd_sites_check(args: argparse.Namespace) -> int:
    sites, errors, warnings = _load_sites(args.file)
    hosts = len({s.host for s in sites})
    say.result(
        f"{args.file}: {len(sites)} site(s) on {hosts} host(s), "
        + (f"{len(errors)} error(s)" if errors else "no errors"),
        {
            "file": args.file,
            "valid": not errors,
            "sites": len(sites),
            "hosts": hosts,
            "errors": errors,
            "warnings": warnings,
        },
    )
    return EXIT_USAGE if errors else EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    from govreports.scraper.client import Client
    from govreports.scraper.crawl import Crawler, summary
    from govreports.scraper.fetch import CONTACT_ENV, contact
    from govreports.scraper.store import Locked, Store, exclusive

    setup_logging(args.verbose, args.quiet)
    sites, errors, _ = _load_sites(args.sites)
    if errors:
        return EXIT_USAGE
    if contact() is None:
        log.warning(
            "%s is not set: the User-Agent gives site operators no way to reach you; "
            "set it to your email or a URL (export %s=you@example.org)",
            CONTACT_ENV,
            CONTACT_ENV,
        )
    try:
        with exclusive(args.data), Store(args.data) as store:
            run_id = store.start_run()
            client = Client(delay=args.delay, max_bytes=args.max_bytes)
            crawler = Crawler(store, client, refresh=args.refresh, retry_failed=args.retry_failed)
            with progress_bar(len(sites), "site", "crawl") as bar, logging_redirect_tqdm([log]):

                def done(result: SiteResult) -> None:
                    bar.update(1)
                    bar.set_postfix(new=result.new_reports, errors=result.errors)

                results = crawler.run(sites, workers=args.workers, on_done=done)
            totals = summary(results)
            exit_code = _crawl_exit(results)
            for r in results:
                store.save_site_run(
                    run_id, r.site_id, r.counts(), "; ".join(r.messages[:5]) or None
                )
            store.finish_run(run_id, exit_code, totals)
    except Locked as exc:
        say.error(str(exc))
        return EXIT_LOCKED
    say.result(
        _format_summary(results, totals, args.data, run_id),
        {"run_id": run_id, "data": args.data, "exit_code": exit_code, **totals},
    )
    return exit_code


def _crawl_exit(rs: list[SiteResult]) -> int:
    if rs and all(r.failed for r in rs):
        return EXIT_FETCH
    if any(r.failed or r.errors or r.blocked for r in rs):
        return EXIT_GAPS
    return EXIT_OK


def _format_summary(rs: list[SiteResult], totals: dict[str, object], data: str, run_id: int) -> str:
    head = f"{'site':<24} {'pages':>6} {'listed':>7} {'new':>5} {'parsed':>7} {'errors':>7} {'blocked':>8}  status"
    lines = [f"crawl run {run_id} → {data}", head, "-" * len(head)]
    for r in rs:
        status = (
            "FAILED: " + r.messages[-1]
            if r.failed
            else ("ok" if not (r.errors or r.blocked) else r.messages[-1])
        )
        lines.append(
            f"{r.site_id:<24} {r.pages_fetched:>6} {r.reports_listed:>7} {r.new_reports:>5} {r.parsed:>7} {r.errors:>7} {r.blocked:>8}  {status}"
        )
    lines.append(
        f"{totals['sites']} site(s), {totals['sites_failed']} failed; {totals['new_reports']} new report(s), "
        f"{totals['parsed']} parsed, {totals['errors']} error(s), {totals['blocked']} blocked"
    )
    if totals["waiting"]:
        lines.append(
            f"{totals['waiting']} report(s) that failed before wait for their next try "
            "(`govreports status` shows when; --retry-failed tries them now)"
        )
    return "\n".join(lines)


def cmd_reparse(args: argparse.Namespace) -> int:
    from govreports.parsers import PARSER_VERSION
    from govreports.scraper.crawl import StoredContent, save_parsed
    from govreports.scraper.store import Locked, Store, exclusive

    setup_logging(args.verbose, args.quiet)
    if not have_store(args.data):
        return EXIT_USAGE
    if args.workers < 1:
        say.error("--workers must be at least 1")
        return EXIT_USAGE
    statuses: Counter[str] = Counter()
    try:
        with exclusive(args.data), Store(args.data) as store:
            contents = [
                StoredContent.of(store, r)
                for r in store.report_contents(parser_version=PARSER_VERSION)
                if args.all or r.parser_version != PARSER_VERSION or r.parse_status is None
            ]
            with progress_bar(len(contents), "page", "reparse") as bar:
                for content, outcome in parsed_in_parallel(contents, args.workers):
                    if isinstance(outcome, OSError):  # a raw file lost on disk: say so, go on
                        log.error(
                            "%s: raw bytes %s unreadable: %s", content.url, content.sha256, outcome
                        )
                        statuses["raw_missing"] += 1
                    else:
                        save_parsed(store, content.sha256, outcome, content.kind)
                        statuses[outcome.status if outcome else f"{content.kind}_unparsed"] += 1
                    bar.update(1)
    except Locked as exc:
        say.error(str(exc))
        return EXIT_LOCKED
    except WorkerDied as exc:
        say.error(f"reparse: {exc}")
        return EXIT_GAPS
    done = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "nothing to do"
    say.result(
        f"reparsed {sum(statuses.values())} stored page(s) with parser {PARSER_VERSION}: {done}",
        {
            "data": args.data,
            "parser_version": PARSER_VERSION,
            "reparsed": sum(statuses.values()),
            "statuses": dict(sorted(statuses.items())),
        },
    )
    return EXIT_GAPS if statuses["raw_missing"] else EXIT_OK


def _parse_or_error(content: StoredContent) -> Report | None | OSError:
    from govreports.scraper.crawl import parse_content

    try:
        return parse_content(content)
    except OSError as exc:
        return exc


def _worker_start(parent: int) -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, which stops them (no traceback per worker),
    and die with it: a parent killed with -9 gets no chance to stop them, and an orphan parse
    would run on unwatched (a watcher thread sees the parent gone and ends the process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # systemd signals the whole group

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class WorkerDied(Exception):
    """A parse worker process ended without an answer (killed, or out of memory)."""


def parsed_in_parallel(
    contents: list[StoredContent], workers: int
) -> Iterator[tuple[StoredContent, Report | None | OSError]]:
    """Each content with its parse, in order. Parsing is pure and CPU-bound, so it runs in
    worker processes; the store is written by this process only (SQLite has one writer)."""
    if workers == 1 or len(contents) < 2:
        for content in contents:
            yield content, _parse_or_error(content)
        return
    # spawn, not fork: a forked worker would inherit the store's lock descriptor and, orphaned,
    # hold the store locked for every later run. A small window of pages in flight, not
    # pool.map: a stop (Ctrl-C, SIGTERM) waits for those few and cancels nothing; cancelling
    # futures the pool is about to answer races in CPython's executor (InvalidStateError
    # tracebacks from its manager thread).
    window: deque[tuple[StoredContent, Future[Report | None | OSError]]] = deque()
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            for content in contents:
                window.append((content, pool.submit(_parse_or_error, content)))
                if len(window) >= 4 * workers:
                    done, future = window.popleft()
                    yield done, future.result()
            while window:
                done, future = window.popleft()
                yield done, future.result()
        except BrokenProcessPool as exc:
            raise WorkerDied(
                "a parse worker process died (killed, or out of memory); what was parsed before "
                "it is saved: run reparse again to go on"
            ) from exc


def cmd_discover(args: argparse.Namespace) -> int:
    from govreports.scraper.client import Client
    from govreports.scraper.discover import (
        annual_report_columns,
        disclosure_links,
        is_report_link,
        off_site,
        page_text,
        read_list_page,
        site_domain,
    )
    from govreports.scraper.fetch import FetchError

    setup_logging(args.verbose, args.quiet)
    client = Client(delay=args.delay)
    domain = site_domain(args.homepage)

    def text(url: str) -> str:
        got = client.get(url, allow=lambda u: off_site(u, domain))
        return page_text(got.content, got.headers)

    try:
        home = text(args.homepage)
    except FetchError as exc:
        say.error(str(exc))
        return EXIT_FETCH
    columns = annual_report_columns(home, args.homepage)
    for link in disclosure_links(home, args.homepage)[:3]:
        if off_site(link.url, domain):
            continue
        try:
            columns += annual_report_columns(text(link.url), link.url)
        except FetchError as exc:
            log.warning("%s", exc)
    found: list[dict[str, object]] = []
    for link in _unique(columns):
        if off_site(link.url, domain):
            continue
        try:
            reports = [
                lk for lk in read_list_page(text(link.url), link.url).links if is_report_link(lk)
            ]
        except FetchError as exc:
            log.warning("%s", exc)
            continue
        if reports:
            found.append(
                {
                    "url": link.url,
                    "name": link.text,
                    "reports": len(reports),
                    "example": reports[0].text,
                }
            )
    if not found:
        say.error(f"no 年报 column with report links found from {args.homepage}")
        return EXIT_NOT_REPORT
    say.result(
        "\n".join(
            f"{c['url']}\t{c['name']}\t{c['reports']} report link(s), e.g. {c['example']}"
            for c in found
        ),
        {"homepage": args.homepage, "columns": found},
    )
    return EXIT_OK


def _unique(links: list[Link]) -> list[Link]:
    return list({link.url: link for link in reversed(links)}.values())[::-1]


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], data_default: str, max_bytes: int
) -> None:
    from govreports.scraper.throttle import DEFAULT_DELAY

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="store_true", help="log every site's progress even on a terminal"
    )
    common.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    fmt = argparse.RawDescriptionHelpFormatter

    c = sub.add_parser(
        "crawl",
        parents=[common],
        formatter_class=fmt,
        help="crawl the sites' 年报 columns: new reports fetched, stored raw, parsed",
        description="Visit every site's 年报 list (all pages), fetch the reports not yet in the store "
        "(politely: robots.txt, one request at a time per host, ≥1 s apart with jitter, slower when a "
        "host struggles), keep their raw bytes, parse them, and store attachments and images for "
        "later. Incremental and resumable: run it from cron; a killed run is finished by the next.",
        epilog="example:\n  govreports crawl sites.example.csv --data ./govreports-data\n\n"
        + CRAWL_EXIT_HELP,
    )
    c.add_argument(
        "sites",
        metavar="SITES.csv",
        help="the site list (columns site_id, agency, list_url; see sites.example.csv)",
    )
    add_data(c, data_default, "the store: catalog + raw pages")
    c.add_argument(
        "--refresh",
        action="store_true",
        help="refetch reports already stored, and those a site said are gone (404, 410) "
        "(default: only new ones, and failed ones due for another try)",
    )
    c.add_argument(
        "--retry-failed",
        action="store_true",
        help="try every failed fetch now, not when its wait is over (a failure waits 1 h, "
        "doubling to at most a week; 404 and 410 are not retried)",
    )
    c.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="hosts crawled at once (default: every host of the list, up to 1024); each host "
        "gets one request at a time regardless, its sites one after another",
    )
    c.add_argument(
        "--delay",
        type=float,
        default=DEFAULT_DELAY,
        metavar="S",
        help=f"seconds between requests to one host (default {DEFAULT_DELAY:g}; a site's delay column and robots.txt Crawl-delay take precedence)",
    )
    c.add_argument(
        "--max-bytes",
        type=int,
        default=max_bytes,
        metavar="N",
        help="size cap per page (default 20 MB)",
    )
    add_json(c, "the run's summary (totals and per site)")
    c.set_defaults(
        func=cmd_crawl,
        kept="every page fetched so far is stored; the next crawl goes on from there",
    )

    s = sub.add_parser(
        "sites", help="work with the site list", description="Work with the site list (SITES.csv)."
    )
    ssub = s.add_subparsers(dest="sites_command", metavar="SUBCOMMAND", required=True)
    chk = ssub.add_parser(
        "check",
        help="validate a site list",
        formatter_class=fmt,
        description="Validate a site list without touching the network: required columns, URLs, "
        "numbers, duplicate ids. Every problem is listed with its line number.",
        epilog="exit codes: 0 valid, 2 errors found",
    )
    chk.add_argument("file", metavar="SITES.csv")
    add_json(chk, "the verdict (sites, hosts, errors, warnings)")
    chk.set_defaults(func=cmd_sites_check)

    d = sub.add_parser(
        "discover",
        parents=[common],
        formatter_class=fmt,
        help="propose a site's 年报 list URL from its homepage",
        description="Follow a homepage's 政府信息公开 links to columns named 年报 / 年度报告, and print "
        "each column that lists reports (URL, name, how many report links) for the site list.",
        epilog="exit codes: 0 found, 3 no 年报 column found, 4 homepage could not be fetched",
    )
    d.add_argument("homepage", metavar="URL")
    d.add_argument(
        "--delay",
        type=float,
        default=DEFAULT_DELAY,
        metavar="S",
        help="seconds between requests (default 1)",
    )
    add_json(d, "the columns found (url, name, reports, example)")
    d.set_defaults(func=cmd_discover)

    r = sub.add_parser(
        "reparse",
        parents=[common],
        formatter_class=fmt,
        help="re-parse stored pages after a parser upgrade (no network)",
        description="Parse the stored raw pages again: those parsed by an older parser version (or never), "
        "or all with --all. Nothing is downloaded.",
        epilog="exit codes: 0 done, 1 some raw file was unreadable, 2 no store at --data (or one a newer govreports wrote), "
        "5 another run holds the lock",
    )
    add_data(r, data_default)
    r.add_argument(
        "--all", action="store_true", help="re-parse every stored page, not only outdated ones"
    )
    r.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="parsing processes (default: one per CPU core)",
    )
    add_json(r, "the counts by parse status")
    r.set_defaults(
        func=cmd_reparse, kept="the pages parsed so far are saved; run reparse again to finish"
    )
