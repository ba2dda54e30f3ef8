"""When a report was published, how we know, and whether that was on time.

Sources, in the order they are trusted (`published_basis`):
1. `date_line`: the page's own 发布日期/发布时间 field, as the CMS prints it;
2. `meta`: a <meta PubDate> or kin;
3. `pdf_metadata`: a PDF's creation date (its document information), or `ofd_properties`:
   an OFD file's (its DocInfo);
4. `signature`: the date under the signature at the end of the text ("2025年1月20日", or in
   Chinese numerals "二〇二五年一月二十日"), the date the report was signed off;
5. `docx_properties`: a Word file's core properties (created);
6. `url`: the date in the URL path, as TRS (`/202501/t20250120_1.html`) and Hanweb
   (`/art/2025/1/20/art_…`) CMSes write it.
The last four (five) describe the file rather than the publication, so they are taken only when they
fall in the year after the report year or the one after that (a Word template from 2015 is not
the date a 2023 report came out).

`on_time`, per the Regulations on the Disclosure of Government Information as amended in 2019
(arts. 49–50): a department of a government publishes its report by 31 January, a county-level
or higher people's government by 31 March, of the year after the report year. Where the
publisher's kind, the year or the date is unknown (a township, a development zone's
committee), `on_time` stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from govreports.parsers.formats.docx import CREATED_META as DOCX_CREATED
from govreports.parsers.formats.ofd import CREATED_META as OFD_CREATED
from govreports.parsers.formats.pdf import CREATED_META as PDF_CREATED
from govreports.parsers.metadata.agency import agency_kind, is_township
from govreports.parsers.page.body import Page

DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_DATE_LINE = re.compile(
    r"(?:发布日期|发布时间|发文日期|公开日期|成文日期|发布于|日期|时间)[ \t\u3000]*[:：][ \t\u3000]*"
    + DATE
)
META_DATE = (
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "article:published_time",
    "publishtime",
    "created",
)
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0}
_CN_DIGIT.update({c: i for i, c in enumerate("一二三四五六七八九", start=1)})
_CN = "〇○零Ｏ一二三四五六七八九十"
_SIGNED = re.compile(
    rf"((?:19|20)\d{{2}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日\s*$"
)
_URL_DATES = (
    re.compile(r"/t(20\d{2})(\d{2})(\d{2})_"),  # TRS: /202501/t20250120_123.html
    re.compile(r"/art/(20\d{2})/(\d{1,2})/(\d{1,2})/"),  # Hanweb: /art/2025/1/20/art_1_2.html
    re.compile(r"/(20\d{2})[-_]?(\d{2})[-_]?(\d{2})/"),  # /2025-01-20/ or /20250120/
)
_SIGNATURE_LINES = 12  # the signature sits in the last lines of the text


@dataclass(frozen=True)
class Published:
    date: str | None = None  # YYYY-MM-DD
    basis: str | None = None


def published(page: Page, location: str, year: int | None) -> Published:
    for line in page.lines[:80]:
        m = _DATE_LINE.search(line)
        if m and (iso := _iso(*m.groups())):
            return Published(iso, "date_line")
    for key in META_DATE:
        if iso := _date_in(page.meta.get(key, "")):
            return Published(iso, "meta")
    for basis, found in (
        ("pdf_metadata", page.meta.get(PDF_CREATED)),
        ("ofd_properties", page.meta.get(OFD_CREATED)),
        ("signature", _signature(page)),
        ("docx_properties", _date_in(page.meta.get(DOCX_CREATED, ""))),
        ("url", _url_date(location)),
    ):
        if found and (year is None or year < int(found[:4]) <= year + 2):
            return Published(found, basis)
    return Published()


def deadline(agency: str | None, year: int | None) -> str | None:
    """The last day the report was due, or None where the rule does not say (see above)."""
    if not agency or year is None or is_township(agency):
        return None
    kind = agency_kind(agency)
    if kind == "government":
        return f"{year + 1}-03-31"
    if kind in ("government_office", "department"):
        return f"{year + 1}-01-31"
    return None


def on_time(day: str | None, agency: str | None, year: int | None) -> bool | None:
    due = deadline(agency, year)
    return None if due is None or day is None else day <= due


def signed(page: Page) -> tuple[int, re.Match[str]] | None:
    """Where the signature's date stands: its line's index in the body lines, and the match
    (what precedes it on that line, or the line above, is the signing body)."""
    lines = page.body_lines
    for i in range(len(lines) - 1, max(len(lines) - _SIGNATURE_LINES, 0) - 1, -1):
        m = _SIGNED.search(lines[i])
        if m:
            return i, m
    return None


def _signature(page: Page) -> str | None:
    found = signed(page)
    return _iso(*(str(_number(g)) for g in found[1].groups())) if found else None


def _number(text: str) -> int:
    """'2025' → 2025; '二〇二五' → 2025 (digit by digit); '二十一' → 21, '十' → 10."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _date_in(value: str) -> str | None:
    m = re.search(DATE, value)
    return _iso(*m.groups()) if m else None


def _url_date(location: str) -> str | None:
    path = urlsplit(location).path if "://" in location else ""
    for pattern in _URL_DATES:
        m = pattern.search(path)
        if m and (iso := _iso(*m.groups())):
            return iso
    return None


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:  # 2 月 30 日, 13 月: a misprint or not a date
        return None
