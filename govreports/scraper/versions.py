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
6. **Versions (corrections).** Reports of one site for one agency and year (both known) are
   versions of one report. The newest is current, ordered by: has tables (its own or from an
   attachment; a stub page without tables never supersedes the report), then published date
   (none sorts first), then first seen. The others stay, flagged `current = False` and
   `superseded_by` the current one's id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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
    urls: tuple[str, ...]  # the URLs (as report pages) that brought it
    fetched_at: str | None  # the earliest fetch of any URL that brought it (any kind)


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
    current: bool = True
    superseded_by: str | None = None


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
    )


def _attach_tables(reports: list[Version], attachments: Iterable[TablesAttachment]) -> None:
    """Rule 5."""
    holders: dict[str | None, tuple[str, str]] = {}
    ranked = sorted(
        (a for a in attachments if a.parse_status in WITH_TABLES),
        key=lambda a: (a.parse_status != "ok", a.url),
    )
    for a in ranked:
        holders.setdefault(a.parent_url, (a.url, a.sha256))
    for r in reports:
        if r.parse_status == "no_tables":
            found = next((holders[u] for u in r.urls if u in holders), None)
            if found:
                r.tables_url, r.tables_sha256 = found


def _mark_versions(reports: list[Version]) -> None:
    """Rule 6."""
    by_key: dict[tuple[str | None, str, int], list[Version]] = defaultdict(list)
    for r in reports:
        if r.agency and r.year:
            by_key[(r.site_id, r.agency, r.year)].append(r)
    for group in by_key.values():
        if len(group) < 2:
            continue
        group.sort(
            key=lambda r: (
                r.parse_status in WITH_TABLES or r.tables_sha256 is not None,
                r.published or "",
                r.first_seen,
            )
        )
        newest = group[-1]
        for old in group[:-1]:
            old.current, old.superseded_by = False, newest.report_id
