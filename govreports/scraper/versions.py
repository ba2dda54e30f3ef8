"""Which stored contents are one report, which copy stands for it, and which version is current.

The store keeps every content it fetched (keyed by sha256) and every URL that brought it; the
dataset wants one row per report. These are the rules that turn one into the other; the store
(`Store.reports()`) feeds them and nothing else decides them.

1. **Exported contents.** Contents fetched as a report page (kind `report`) whose parse status
   is `ok`, `partial` or `no_tables`; `not_a_report` pages, list pages, attachments and images
   are not reports.
2. **One report, one row (dedup).** Byte-copies are one content already (sha256). Contents with
   the same body fingerprint (the text without chrome or injected spam: the same report at two
   URLs, or on a mirror with other chrome) are one report. Its id is the first 16 hex digits of
   the fingerprint (of the sha256 when there is none); `copies` counts its contents.
3. **The copy that stands for it** is the untampered one, and among equals the first seen
   (ties: the order of first seen, then sha256). Its site, agency, year, published date,
   parser version and parse status are the report's.
4. **URLs and fetch time.** A report lists every URL (as a report page) of every copy, sorted
   and without repeats; its fetch time is the earliest of its copies'.
5. **Tables from an attachment.** A report page without tables (`no_tables`) whose page links
   an attachment parsed with tables (`ok` before `partial`, then by URL) takes its tables from
   there; the first of the report's URLs (sorted) that has such an attachment decides.
6. **Versions (corrections).** Two reports are versions of one report only when
   (a) one URL brought both (a page edited in place: new bytes at the same URL), their years
   not known to differ; or (b) on one site, with the same agency and year (both known) and the
   same title (a 更正/修订 mark aside), one is dated differently or either title carries such a
   mark. Distinct reports that merely share an agency and year (a county column of its
   departments' reports, every page saying 来源：某县人民政府) are separate reports. Versions
   join transitively. The current one is decided by content and dates, never by crawl timing:
   has tables (its own or from an attachment; a stub page without tables never supersedes the
   report), then published date (none sorts first), then a correction mark, then whether a URL
   still holds it (the newest bytes of a page edited in place), then sha256. The others stay,
   flagged `current = False` and `superseded_by` the current one's id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

EXPORTED_STATUSES = ("ok", "partial", "no_tables")  # rule 1 (not_a_report pages are not reports)
WITH_TABLES = ("ok", "partial")


@dataclass(frozen=True)
class ReportCopy:
    """One stored content fetched as a report page and parsed into an exported status."""

    sha256: str
    fingerprint: str | None
    site_id: str | None  # the smallest site id among the URLs that brought it (any kind)
    agency: str | None
    year: int | None
    published: str | None
    first_seen: str
    tampered: bool
    parser_version: str | None
    parse_status: str
    urls: tuple[str, ...]  # the URLs (as report pages) that brought it, now or before
    fetched_at: str | None  # the earliest fetch of any URL that brought it (any kind)
    title: str | None = None
    live: bool = True  # a URL still holds these bytes (not replaced by an edit in place)


@dataclass(frozen=True)
class TablesAttachment:
    """An attachment parsed with tables, and the page that links it."""

    parent_url: str | None
    url: str
    sha256: str
    parse_status: str


@dataclass
class Version:
    """One report as the dataset lists it (rules 2–6)."""

    report_id: str
    sha256: str  # the copy that stands for it
    site_id: str | None
    urls: list[str]
    copies: int
    fetched_at: str | None
    parser_version: str | None
    parse_status: str
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    first_seen: str = ""
    tables_url: str | None = None  # rule 5: the attachment the tables come from
    tables_sha256: str | None = None
    tables_status: str | None = None  # the attachment's parse status
    current: bool = True
    superseded_by: str | None = None
    title: str | None = None
    live: bool = True

    @property
    def tables_parse(self) -> str:
        """The status of the tables' reading: the page's, or its tables attachment's."""
        return self.tables_status or self.parse_status


def report_id(fingerprint: str | None, sha256: str) -> str:
    """Rule 2: the id of a report, shared by all its copies."""
    return (fingerprint or sha256)[:16]


def versions(
    copies: Iterable[ReportCopy], attachments: Iterable[TablesAttachment]
) -> list[Version]:
    """The reports of the store, grouped, with their tables' source and versions marked; in
    the order their first copies were first seen (then sha256)."""
    groups: dict[str, list[ReportCopy]] = defaultdict(list)
    for c in sorted(copies, key=lambda c: (c.first_seen, c.sha256)):
        groups[report_id(c.fingerprint, c.sha256)].append(c)
    out = [_one_report(rid, group) for rid, group in groups.items()]
    _attach_tables(out, attachments)
    _mark_versions(out)
    return out


def _one_report(rid: str, group: list[ReportCopy]) -> Version:
    best = min(
        group, key=lambda c: (c.tampered, c.first_seen)
    )  # rule 3 (min keeps the first of equals)
    return Version(
        rid,
        best.sha256,
        best.site_id,
        urls=sorted({u for c in group for u in c.urls}),
        copies=len(group),
        fetched_at=min((c.fetched_at for c in group if c.fetched_at), default=None),
        parser_version=best.parser_version,
        parse_status=best.parse_status,
        agency=best.agency,
        year=best.year,
        published=best.published,
        first_seen=best.first_seen,
        title=best.title,
        live=any(c.live for c in group),
    )


def _attach_tables(reports: list[Version], attachments: Iterable[TablesAttachment]) -> None:
    """Rule 5."""
    holders: dict[str | None, tuple[str, str, str]] = {}
    ranked = sorted(
        (a for a in attachments if a.parse_status in WITH_TABLES),
        key=lambda a: (a.parse_status != "ok", a.url),
    )
    for a in ranked:
        holders.setdefault(a.parent_url, (a.url, a.sha256, a.parse_status))
    for r in reports:
        if r.parse_status == "no_tables":
            found = next((holders[u] for u in r.urls if u in holders), None)
            if found:
                r.tables_url, r.tables_sha256, r.tables_status = found


# A correction's mark in a title: （更正）, 【修订版】, 更正后 …; brackets go with it.
_MARK = re.compile(r"[（(【\[]?(?:更正|修订|修正)(?:版|稿|后)?[）)】\]]?")


def _marked(r: Version) -> bool:
    return bool(r.title and _MARK.search(r.title))


def _title_key(title: str) -> str:
    return "".join(_MARK.sub("", title).split())


def _mark_versions(reports: list[Version]) -> None:
    """Rule 6."""
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    by_url: dict[str, list[int]] = defaultdict(list)
    by_title: dict[tuple[str | None, str, int, str], list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        for url in r.urls:
            by_url[url].append(i)
        if r.agency and r.year and r.title:
            by_title[(r.site_id, r.agency, r.year, _title_key(r.title))].append(i)
    for held in by_url.values():  # (a)
        for i, j in combinations(held, 2):
            a, b = reports[i], reports[j]
            if not (a.year and b.year and a.year != b.year):
                join(i, j)
    for same in by_title.values():  # (b)
        for i, j in combinations(same, 2):
            a, b = reports[i], reports[j]
            if a.published != b.published or _marked(a) or _marked(b):
                join(i, j)
    groups: dict[int, list[Version]] = defaultdict(list)
    for i, r in enumerate(reports):
        groups[root(i)].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        newest = max(
            group,
            key=lambda r: (
                r.parse_status in WITH_TABLES or r.tables_sha256 is not None,
                r.published or "",
                _marked(r),
                r.live,
                r.sha256,
            ),
        )
        for old in group:
            if old is not newest:
                old.current, old.superseded_by = False, newest.report_id
