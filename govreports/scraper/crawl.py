"""The crawl loop: for each site, read its 年报 list pages, fetch the reports not yet stored,
keep their raw bytes, parse them, and fetch their attachments and images for later.

Sites run in parallel threads; the client's per-host throttle keeps each host to one request
at a time. Every fetch is committed as it happens, and a URL seen but not yet fetched is a
catalog row with no outcome, so a run killed at any point is finished by the next one
without fetching anything twice.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from govreports.parsers import PARSER_VERSION, Report, parse
from govreports.parsers.page.body import redirect_of
from govreports.parsers.report import readable_document
from govreports.scraper.challenge import SOFT_404_MAX_BYTES, soft_404
from govreports.scraper.client import Client
from govreports.scraper.discover import (
    HanwebProxy,
    Link,
    is_report_link,
    kind_of,
    off_site,
    page_text,
    read_list_page,
    read_proxy_answer,
    site_domain,
)
from govreports.scraper.fetch import Blocked, Fetched, FetchError, Refused
from govreports.scraper.sites import Site
from govreports.scraper.store import Store, StoredPage, now

log = logging.getLogger("govreports.crawl")

# Attachments no reader here reads, and pictures (without the OCR extra), are stored for a later
# reader; these statuses say so. PDF and DOCX attachments are parsed like reports: a page's
# tables often live in one; with OCR, so are the pictures of a page without tables.
PENDING_STATUS = {"attachment": "attachment_unparsed", "image": "image_unparsed"}
MAX_ASSETS_PER_REPORT = 20
# Hosts crawled at once by default: each is one thread that mostly waits out its politeness
# delay, and one kept-alive connection, so a thousand cost little; past that, file descriptors.
HOSTS_IN_FLIGHT = 1024
MAX_PARSE_ROUNDS = 4  # reports; what they name (attachments, a stub's target); and theirs


@dataclass
class SiteResult:
    site_id: str
    pages_fetched: int = 0
    reports_listed: int = 0
    new_reports: int = 0
    parsed: int = 0
    errors: int = 0
    blocked: int = 0
    waiting: int = 0  # failed before, not yet due for another try (retries.py)
    failed: bool = False  # the site as a whole could not be crawled
    messages: list[str] = field(default_factory=list)

    def problem(self, message: str, *, blocked: bool = False, fatal: bool = False) -> None:
        if blocked:
            self.blocked += 1
        else:
            self.errors += 1
        self.failed = self.failed or fatal
        self.messages.append(message)
        log.warning("%s: %s", self.site_id, message)

    def counts(self) -> dict[str, int]:
        return {
            k: v for k, v in asdict(self).items() if isinstance(v, int) and not isinstance(v, bool)
        }


class _Stop(Exception):
    """The site cannot go on this run (blocked by an anti-bot gateway)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Crawler:
    def __init__(
        self,
        store: Store,
        client: Client,
        *,
        refresh: bool = False,
        retry_failed: bool = False,
        parse_reports: bool = True,
    ) -> None:
        self.store = store
        self.client = client
        self.refresh = refresh
        self.retry_failed = retry_failed or refresh
        self.tried: set[str] = set()  # fetched this run: once is enough, whatever came of it
        self.parse_reports = parse_reports
        self.stopping = threading.Event()

    def run(
        self,
        sites: list[Site],
        *,
        workers: int | None = None,
        on_done: Callable[[SiteResult], None] | None = None,
    ) -> list[SiteResult]:
        """Crawl the sites, a thread per host: politeness is per host, so every host is kept
        busy at once (up to `workers`, default HOSTS_IN_FLIGHT), and the sites sharing a host
        take turns in its thread instead of queueing on its throttle. Results come back in the
        sites' order; on_done is called in this thread as each site finishes."""
        groups: dict[str, list[Site]] = {}
        for site in sites:
            groups.setdefault(urlsplit(site.list_url).netloc.lower(), []).append(site)
        finished: queue.Queue[SiteResult] = queue.Queue()

        def crawl_host(group: list[Site]) -> None:
            for site in group:
                finished.put(self.crawl_site(site))

        width = max(1, min(len(groups), workers or HOSTS_IN_FLIGHT))
        pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="crawl")
        results: list[SiteResult] = []
        try:
            futures = [pool.submit(crawl_host, group) for group in groups.values()]
            while len(results) < len(sites):
                try:
                    result = finished.get(timeout=0.5)
                except queue.Empty:
                    for future in futures:  # a thread that died without its results: say why
                        if future.done():
                            future.result()
                    continue
                results.append(result)
                if on_done:
                    on_done(result)
        except KeyboardInterrupt:
            # Ctrl-C: sites not started are dropped, running ones stop at their next request;
            # everything fetched so far is already committed.
            self.stopping.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)
        order = {s.site_id: i for i, s in enumerate(sites)}
        return sorted(results, key=lambda r: order[r.site_id])

    def crawl_site(self, site: Site) -> SiteResult:
        out = SiteResult(site.site_id)
        self.store.save_site(site.site_id, site.agency, site.list_url, site.division_code)
        if site.delay is not None:
            self.client.throttle.set_floor(site.list_url, site.delay)
        domain = site_domain(site.list_url)
        try:
            links = self._discover(site, domain, out)
            for link in links:
                self._fetch_report(site, link, domain, out)
            self._fetch_pending(site, domain, out)
        except _Stop as stop:
            out.problem(stop.message, blocked=True, fatal=True)
        except Exception as exc:  # a bug must not take the other sites down with it
            log.exception("%s: crawl failed", site.site_id)
            out.problem(f"internal error: {type(exc).__name__}: {exc}", fatal=True)
        self._parse_pending(site, out)
        log.info(
            "%s: %d page(s) fetched, %d report link(s), %d new report(s), %d parsed, %d error(s), %d blocked, %d waiting to retry",
            site.site_id,
            out.pages_fetched,
            out.reports_listed,
            out.new_reports,
            out.parsed,
            out.errors,
            out.blocked,
            out.waiting,
        )
        return out

    # -- list pages ----------------------------------------------------------------------------

    def _discover(self, site: Site, domain: str, out: SiteResult) -> list[Link]:
        queue, visited, reports = [site.list_url], set[str](), dict[str, Link]()
        while queue and len(visited) < site.max_pages:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            html = self._list_text(site, url, out, first=url == site.list_url)
            if html is None:
                continue
            page = read_list_page(html, url)
            target = None if page.links else redirect_of(html, url)
            if target and target not in visited and not off_site(target, domain):
                log.info("%s: list page %s is a redirect to %s", site.site_id, url, target)
                queue.insert(0, target)  # a moved 年报 column: read where it went
                continue
            found = page.links
            if page.hanweb is not None:
                found += self._hanweb_rest(
                    site, page.hanweb, out, budget=site.max_pages - len(visited)
                )
            for link in found:
                if is_report_link(link):
                    why = off_site(link.url, domain)
                    if why:
                        log.info("%s: skipped report link %s (%s)", site.site_id, link.url, why)
                    else:
                        reports.setdefault(link.url, link)
            queue += [u for u in page.next_pages if u not in visited and not off_site(u, domain)]
        out.reports_listed = len(reports)
        if not reports and not out.failed:
            out.problem(
                f"no report links on {len(visited)} list page(s) of {site.list_url}: the site changed, or list_url is wrong",
                fatal=True,
            )
        return list(reports.values())

    def _list_text(self, site: Site, url: str, out: SiteResult, *, first: bool) -> str | None:
        """A list page's text, revalidated with a conditional GET when we hold a copy."""
        known = self.store.see(url, site.site_id, "list")
        conditional = {}
        if known.sha256 and known.outcome in ("ok", "not_modified"):
            if known.etag:
                conditional["If-None-Match"] = known.etag
            if known.last_modified:
                conditional["If-Modified-Since"] = known.last_modified
        got = self._get(site, url, out, "list", headers=conditional, fatal=first)
        if got is None:
            return None
        if got.not_modified and known.sha256:
            data, headers = (
                self.store.get_raw(known.sha256),
                {"Content-Type": known.content_type or ""},
            )
        else:
            data, headers = got.content, got.headers
        return page_text(data, headers, site.encoding)

    def _hanweb_rest(
        self, site: Site, proxy: HanwebProxy, out: SiteResult, budget: int
    ) -> list[Link]:
        links: list[Link] = []
        start, batch = proxy.seen + 1, proxy.per_page * 3
        while start <= proxy.total and budget > 0:
            form = {
                "startrecord": str(start),
                "endrecord": str(min(start + batch - 1, proxy.total)),
                "perpage": str(proxy.per_page),
            }
            got = self._get(site, proxy.url, out, "list", data=form, record=False)
            if got is None:
                break
            more = read_proxy_answer(page_text(got.content, got.headers, site.encoding), proxy.url)
            if not more:
                break
            links += more
            start += batch
            budget -= 1
        return links

    # -- reports, attachments, images ----------------------------------------------------------

    def _fetch_report(self, site: Site, link: Link, domain: str, out: SiteResult) -> None:
        kind = kind_of(link.url, listed=True)  # a 年报 link straight to a PDF is the report itself
        known = self.store.see(link.url, site.site_id, kind, site.list_url, link.text)
        if not self.refresh and (known.outcome == "ok" or known.gone):
            return
        if not self.retry_failed and known.waiting(now()):
            out.waiting += 1
            return
        refused = self.client.disallowed(link.url)
        if refused:  # the site asked us not to: a choice, not an error
            if known.outcome != "refused":
                self.store.record_fetch(link.url, "refused", error=refused)
                log.info("%s: not fetching %s (%s)", site.site_id, link.url, refused)
            return
        self._get(site, link.url, out, kind, allow_domain=domain)

    def _fetch_pending(self, site: Site, domain: str, out: SiteResult) -> None:
        """URLs seen but never fetched (attachments of reports parsed in an earlier, killed run),
        and failed ones due for another try."""
        for pending in self.store.pending_urls(site.site_id, retry_all=self.retry_failed):
            if pending.url in self.tried:
                continue
            self._get(site, pending.url, out, pending.kind, allow_domain=domain)

    def _get(
        self,
        site: Site,
        url: str,
        out: SiteResult,
        kind: str,
        *,
        headers: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        fatal: bool = False,
        record: bool = True,
        allow_domain: str | None = None,
    ) -> Fetched | None:
        """Fetch, store raw bytes, record the outcome. None when there is nothing to read."""
        domain = allow_domain or site_domain(site.list_url)
        if self.stopping.is_set():
            raise _Stop("interrupted")
        if record:
            self.tried.add(url)
        try:
            got = self.client.get(
                url, headers=headers, data=data, allow=lambda u: off_site(u, domain)
            )
        except Blocked as exc:
            if record:
                self.store.record_fetch(url, "blocked", status=exc.status, error=str(exc))
            raise _Stop(str(exc)) from None
        except FetchError as exc:
            if record:
                outcome = "refused" if isinstance(exc, Refused) else "error"
                self.store.record_fetch(url, outcome, status=exc.status, error=str(exc))
            out.problem(str(exc), fatal=fatal)
            return None
        out.pages_fetched += 1
        if got.not_modified:
            if record:
                self.store.record_fetch(
                    url, "not_modified", status=304, final_url=got.final_url, headers=got.headers
                )
            return got
        sha = self.store.put_raw(got.content)  # raw bytes first, then the catalog row
        outcome = "ok"
        if (
            kind == "report"
            and len(got.content) <= SOFT_404_MAX_BYTES
            and soft_404(page_text(got.content, got.headers, site.encoding))
        ):
            outcome = "soft404"
            out.problem(f"soft 404 (a 200 page saying the page does not exist): {url}")
        if record:
            new = self.store.record_fetch(
                url,
                outcome,
                status=got.status,
                final_url=got.final_url,
                headers=got.headers,
                sha256=sha,
                size=len(got.content),
                kind=kind,
            )
            if new and kind == "report" and outcome == "ok":
                out.new_reports += 1
        return got

    def _parse_pending(self, site: Site, out: SiteResult) -> None:
        """Parse what is stored but not parsed by this parser version; fetch what that names (a
        report's attachments and images, a redirect stub's target) and parse it in the next
        round, until a round finds nothing new."""
        if not self.parse_reports:
            return
        domain = site_domain(site.list_url)
        for _ in range(MAX_PARSE_ROUNDS):
            parsed = 0
            for row in self.store.report_contents(site.site_id, PARSER_VERSION):
                if row.parse_status is not None and row.parser_version == PARSER_VERSION:
                    continue
                report = parse_stored(self.store, row)
                if report is None:
                    continue
                parsed += 1
                out.parsed += row.kind == "report"
                assets = [(u, "attachment") for u in report.attachments] + [
                    (u, "image") for u in report.images
                ]
                if report.redirect:
                    assets.insert(0, (report.redirect, "report"))
                for url, kind in assets[:MAX_ASSETS_PER_REPORT]:
                    why = off_site(url, domain)
                    if not why:
                        self.store.see(url, site.site_id, kind, row.url)
                    elif kind == "report":
                        out.problem(
                            f"redirect page {row.url} points to {url}: not followed ({why})"
                        )
            if not parsed:
                return
            try:  # what this round's parses named, now (or by the next run if this one dies)
                self._fetch_pending(site, domain, out)
            except _Stop as stop:
                out.problem(stop.message, blocked=True)
                return


@dataclass(frozen=True)
class StoredContent:
    """What parsing a stored content needs, and nothing of the store: it crosses to worker
    processes (reparse --workers)."""

    sha256: str
    kind: str
    url: str
    content_type: str | None
    path: str  # the raw file

    @classmethod
    def of(cls, store: Store, row: StoredPage) -> StoredContent:
        return cls(row.sha256, row.kind, row.url, row.content_type, str(store.raw_path(row.sha256)))


def parse_content(content: StoredContent) -> Report | None:
    """Parse stored raw bytes (no network, no store). None: an attachment no reader handles
    yet. Raises OSError when the raw file cannot be read."""
    with open(content.path, "rb") as f:
        data = f.read()
    if content.kind in PENDING_STATUS and not readable_document(data):
        return None  # an attachment or picture no reader here reads (a picture: without OCR)
    headers = {"Content-Type": content.content_type} if content.content_type else None
    return parse(data, content.url, headers)


def save_parsed(store: Store, sha256: str, report: Report | None, kind: str = "attachment") -> None:
    """The parse with the parser version; an unread attachment or picture is marked unparsed
    under this version, so the next parser version looks again."""
    if report is None:
        store.mark_unparsed_kind(sha256, PENDING_STATUS[kind], PARSER_VERSION)
    else:
        store.save_parse(sha256, report, PARSER_VERSION)


def parse_stored(store: Store, row: StoredPage) -> Report | None:
    """Parse a stored content row and save the result."""
    report = parse_content(StoredContent.of(store, row))
    save_parsed(store, row.sha256, report, row.kind)
    return report


def summary(results: list[SiteResult]) -> dict[str, object]:
    totals = {
        k: sum(r.counts()[k] for r in results)
        for k in (
            "pages_fetched",
            "reports_listed",
            "new_reports",
            "parsed",
            "errors",
            "blocked",
            "waiting",
        )
    }
    return {
        "sites": len(results),
        "sites_failed": sum(r.failed for r in results),
        **totals,
        "per_site": {
            r.site_id: {**r.counts(), "failed": r.failed, "messages": r.messages[:20]}
            for r in results
        },
    }
