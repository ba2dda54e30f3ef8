"""The site list: one CSV row per agency's 年报 column, edited by people in Excel.

Excel saves CSV as UTF-8 with a BOM, or in the local ANSI code page (GBK on Chinese Windows),
so both are read. Validation collects every problem with its line number instead of stopping
at the first, because the person fixing the file wants the whole list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REQUIRED = ("site_id", "agency", "list_url")
OPTIONAL = ("delay", "encoding", "cms", "max_pages", "division_code")
CMS_HINTS = ("", "auto", "trs", "hanweb", "plain")
DEFAULT_DELAY = 1.0
DEFAULT_MAX_PAGES = 20


@dataclass(frozen=True)
class Site:
    site_id: str
    agency: str
    list_url: str
    delay: float | None = None  # None: the default (at least 1 s) or robots' Crawl-delay
    encoding: str | None = None  # forced decoding of list pages, for sites that lie
    cms: str = "auto"
    max_pages: int = DEFAULT_MAX_PAGES
    division_code: str | None = None  # the agency's 6-digit division: wins over a name match

    @property
    def host(self) -> str:
        return urlsplit(self.list_url).hostname or ""


class SitesError(Exception):
    """The site list cannot be used; the message lists every problem found."""


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SitesError(f"{path}: neither UTF-8 nor GBK; save it as 'CSV UTF-8' from Excel")


@dataclass
class SiteList:
    sites: list[Site]
    errors: list[str]  # rows that cannot be used: the file needs fixing
    warnings: list[str]  # things ignored (unknown columns)


def load_sites(path: str | Path) -> SiteList:
    """Sites that are valid, and one message per problem (line numbers as Excel shows them)."""
    path = Path(path)
    try:
        text = _read_text(path)
    except OSError as exc:
        raise SitesError(f"{path}: cannot read: {exc.strerror or exc}") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise SitesError(
            f"{path}: missing column(s) {', '.join(missing)}; the header must name {', '.join(REQUIRED)}"
        )
    warnings = [
        f"{path}: unknown column {c!r} (ignored)"
        for c in columns
        if c and c not in REQUIRED + OPTIONAL
    ]
    problems: list[str] = []
    sites: list[Site] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()) or row.get("site_id", "").startswith("#"):
            continue  # blank lines and comment rows
        site, errors = _site(row)
        problems += [f"{path}:{line}: {e}" for e in errors]
        if site is None:
            continue
        if site.site_id in seen:
            problems.append(
                f"{path}:{line}: site_id {site.site_id!r} already used on line {seen[site.site_id]}"
            )
            continue
        seen[site.site_id] = line
        sites.append(site)
    if not sites and not problems:
        problems.append(f"{path}: no sites listed")
    return SiteList(sites, problems, warnings)


def _site(row: dict[str, str]) -> tuple[Site | None, list[str]]:
    errors = [f"{c} is empty" for c in REQUIRED if not row.get(c)]
    url = row.get("list_url", "")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.hostname):
        errors.append(f"list_url {url!r} is not an http(s) URL")
    delay = _number(row, "delay", float, 0, "a number of seconds ≥ 0", errors)
    max_pages = _number(row, "max_pages", int, 1, "a whole number ≥ 1", errors)
    encoding = row.get("encoding") or None
    if encoding:
        try:
            "".encode(encoding)
        except LookupError:
            errors.append(f"encoding {encoding!r} is unknown (try gb18030 or utf-8)")
    cms = (row.get("cms") or "auto").lower()
    if cms not in CMS_HINTS:
        errors.append(
            f"cms {row.get('cms')!r} is not one of {', '.join(h for h in CMS_HINTS if h)}"
        )
    code = row.get("division_code") or None
    if code and not (len(code) == 6 and code.isdigit()):
        errors.append(f"division_code {code!r} is not a 6-digit division code (e.g. 320813)")
    if errors:
        return None, errors
    pages = DEFAULT_MAX_PAGES if max_pages is None else int(max_pages)
    return (
        Site(row["site_id"], row["agency"], url, delay, encoding, cms or "auto", pages, code),
        [],
    )


def _number(
    row: dict[str, str],
    key: str,
    cast: type[int] | type[float],
    least: int,
    what: str,
    errors: list[str],
) -> float | None:
    """An optional numeric column: None when empty, an error message when not a number."""
    if not row.get(key):
        return None
    try:
        value = cast(row[key])
    except ValueError:
        value = least - 1
    if value < least:
        errors.append(f"{key} {row[key]!r} is not {what}")
        return None
    return value
