"""Who published a report, what it is called, which year it covers and when it was published
(dates.py), read from the page's title, <meta> tags, 来源 line and text, with injected spam
kept out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govreports.parsers.metadata.agency import normalize_agency
from govreports.parsers.metadata.dates import Published, published, signed
from govreports.parsers.metadata.spam import find_spam, strip_spam
from govreports.parsers.page.body import Page

_TITLE_LINE = re.compile(r"(政府信息公开|政务公开|信息公开).{0,12}(年度报告|年报|工作报告)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
# 统计期限 / 统计时限 / 统计时间 … 2019年1月1日: the year the statistics cover.
_STAT_PERIOD = re.compile(r"统计(?:期限|时限|时间|区间|期间)[^。\d]{0,20}((?:19|20)\d{2})\s*年")
_SOURCE = re.compile(
    r"(发布机构|发文机关|发布单位|公开主体|文章来源|信息来源|来源单位|来源)[ \t\u3000]*[:：][ \t\u3000]*"
    # the value runs to the next field ("时间：", "【字体：") or the line's end; a name may have
    # spaces inside (上海市 人民政府)
    r"([^|｜\n]*?)(?=[ \t\u3000]*[|｜]|[ \t\u3000]+[^\s:：]{1,6}[:：]|[ \t\u3000]*$)"
)
_SOURCE_PRIORITY = {
    "发布机构": 0,
    "发文机关": 0,
    "发布单位": 0,
    "公开主体": 0,
    "文章来源": 1,
    "信息来源": 1,
    "来源单位": 1,
    "来源": 2,
}
_AGENCY_END = re.compile(
    r"(政府|人民政府|委员会|管委会|管理委员会|局|厅|办公室|办公厅|办|委|部|署|院|镇|乡|街道|办事处|中心|区|县|市|州|盟|旗|处|所|队|会|站|馆|政府办)$"
)
_NOT_AGENCY = re.compile(r"网|门户|http|www|本站|本网|新华社|日报|晚报")
_TITLE_TAIL = re.compile(
    r"(?:关于)?(?:(?:19|20)\d{2}\s*年度?)?(?:政府信息公开|政务公开|信息公开).*$"
)
_META_TITLE = ("articletitle", "og:title", "title")
_META_SOURCE = ("contentsource", "source", "author", "publisher")
_TAMPER_SCAN = 400_000  # characters of text scanned for spam (phrases repeat; the head suffices)


@dataclass
class Metadata:
    title: str | None
    agency: str | None
    year: int | None
    published: Published
    tamper_phrases: list[str]
    problems: list[str]


def extract_metadata(page: Page, location: str = "") -> Metadata:
    text = page.text
    spam = find_spam("\n".join([page.html_title or "", *page.meta.values(), text[:_TAMPER_SCAN]]))
    problems: list[str] = []
    title = _title(page, spam)
    agency = _agency(page, title, spam)
    year, year_problem = _year(text, title)
    if year_problem:
        problems.append(year_problem)
    return Metadata(title, agency, year, published(page, location, year), spam, problems)


def _title(page: Page, spam: list[str]) -> str | None:
    """Precedence: <meta ArticleTitle/og:title>; a labelled 标题: line; the first short body line
    naming a 政府信息公开…年度报告; the <title> part that names a report; any first line."""
    candidates: list[str] = [page.meta[k] for k in _META_TITLE if k in page.meta]
    for line in page.lines[:60]:
        m = re.match(r"^\s*标\s*题\s*[:：]\s*(.+)$", line)
        if m:
            candidates.append(m.group(1))
    body = page.body_lines[:40]
    for i, line in enumerate(body):
        if len(line) <= 80 and _TITLE_LINE.search(line):
            if i and agency_from_title(line) is None and _is_agency(body[i - 1]):
                line = (
                    body[i - 1] + line
                )  # a title set on two lines: the agency, then the rest (PDFs)
            candidates.append(line)
    if page.html_title:
        candidates += [p for p in re.split(r"\s*[_|｜—–-]{1,2}\s*", page.html_title) if p]
    candidates += [ln for ln in page.lines[:40] if len(ln) <= 80 and _TITLE_LINE.search(ln)]
    for cand in candidates:
        clean = strip_spam(cand, spam).strip()
        if clean and _TITLE_LINE.search(clean):
            return clean
    first = next((strip_spam(c, spam) for c in candidates if strip_spam(c, spam)), None)
    return first


def _agency(page: Page, title: str | None, spam: list[str]) -> str | None:
    """The publisher, by one rule. A 发布机构/发文机关/发布单位/公开主体 field names it. A
    来源 field (文章来源, 信息来源, then a bare 来源) or <meta ContentSource> names who runs
    the page, which is the publisher unless the report's own words name another body: the
    agency its title names, else the one signing it above the date at the end. A county
    site listing its departments' reports says 来源：某县人民政府 on each; the title or the
    signature says 某县财政局. A name that the source's only spells out in full (title 上海市,
    来源 上海市人民政府办公厅) is the same body, and the fuller name is kept. Every candidate
    must read like an agency (end in 政府, 局, 办公室, 镇 …), never a website name."""
    found: list[tuple[int, str]] = []
    for line in page.lines[:80]:
        for m in _SOURCE.finditer(line):
            # "来源：某县人民政府 打印本页": the whole value, else its first word
            value = _as_agency(m.group(2), spam) or _as_agency(
                (m.group(2).split() or [""])[0], spam
            )
            if value:
                found.append((_SOURCE_PRIORITY[m.group(1)], value))
    best = min(found, key=lambda f: f[0]) if found else None
    if best is not None and best[0] == 0:
        return best[1]  # a publisher field
    source = (
        best[1]
        if best
        else next((v for k in _META_SOURCE if (v := _as_agency(page.meta.get(k, ""), spam))), None)
    )
    own = _title_agency(title) or _signing_agency(page, spam)
    if own is None or (source is not None and source.startswith(own)):
        return source or own
    return own


def _title_agency(title: str | None) -> str | None:
    if not title or not _TITLE_LINE.search(title):
        return None
    return _as_agency(agency_from_title(title) or "", [])


def _signing_agency(page: Page, spam: list[str]) -> str | None:
    """The body signing the report: the text before the signature's date on its line, or the
    line above it."""
    found = signed(page)
    if found is None:
        return None
    i, m = found
    before = page.body_lines[i][: m.start()].strip()
    return _as_agency(before or (page.body_lines[i - 1] if i else ""), spam)


def _as_agency(text: str, spam: list[str]) -> str | None:
    """The text as an agency's name in its one spelling (agency.normalize_agency: no spaces,
    no trailing website words), if it reads like one."""
    value = normalize_agency(strip_spam(text, spam).strip("：:"))
    return value if value and _is_agency(value) else None


def _is_agency(value: str) -> bool:
    return (
        2 <= len(value) <= 40 and not _NOT_AGENCY.search(value) and bool(_AGENCY_END.search(value))
    )


def agency_from_title(title: str) -> str | None:
    """'2019年上海市人民政府办公厅政府信息公开工作年度报告' → '上海市人民政府办公厅'."""
    t = re.sub(r"\s+", "", title)
    t = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", t)
    t = _TITLE_TAIL.sub("", t)
    t = re.sub(r"(?:19|20)\d{2}\s*年度?$", "", t)
    return t if len(t) >= 2 else None


def _year(text: str, title: str | None) -> tuple[int | None, str | None]:
    """Precedence: the 统计期限 sentence (the period the numbers cover); else the first year in
    the title. The publication year is never used: reports come out the year after."""
    stat = _STAT_PERIOD.search(text)
    title_year = None
    if title:
        m = _YEAR_IN_TITLE.search(title)
        title_year = int(m.group(1)) if m else None
    if stat:
        year = int(stat.group(1))
        if title_year and title_year != year:
            return year, f"title says {title_year} but the 统计期限 says {year}; using {year}"
        return year, None
    return title_year, None
