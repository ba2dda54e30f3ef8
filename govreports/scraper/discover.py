"""Reading 年报 list pages: report links, and where the next page of the list is.

Pure functions over a page's text; the crawl loop does the fetching. The list-page shapes
Chinese government CMSes produce:
- TRS (拓尔思): page N is `index_N.html`, the count given to a script as
  `createPageHTML(count, current, "index", "html")` or `var countPage = N`;
- Hanweb (大汉) jpage columns: the first records sit in `<script type="text/xml">` as
  `<record><![CDATA[<a …>]]></record>`; later ones come from `dataproxy.jsp`, POSTed
  `startrecord`/`endrecord`/`perpage`, answering the same XML;
- anything else: a "下一页" link, or one plain page of links.
BeautifulSoup reads the links: list pages are small and messy, and speed matters little here.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from govreports.parsers.formats.decode import DecodeError, decode
from govreports.parsers.page.body import ATTACHMENT

_YEAR = re.compile(r"(19|20)\d{2}|[二贰][〇○零0OＯ][一二三四五六七八九〇○零0OＯ]{2}")
_REPORT_WORDS = re.compile(r"年度报告|年报")
_READABLE = re.compile(r"\.(pdf|docx?|wps)(?:$|[?#])", re.I)  # documents the parser reads
_IMAGE = re.compile(r"\.(png|jpe?g|gif|bmp|webp)(?:$|[?#])", re.I)
_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|next\s*page|next|›|»|>)\s*$", re.I)
_CREATE_PAGE = re.compile(r"createPageHTML\(([^)]*)\)")
_COUNT_PAGE = re.compile(r"\bcountPage\s*=\s*(\d+)")
_XML_STORE = re.compile(r"<datastore>(.*?)</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_TOTAL = re.compile(r"(?:totalRecord\s*[:=]\s*[\"']?|<totalrecord>)(\d+)", re.I)
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*[\"']?(\d+)", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class HanwebProxy:
    """Where the rest of a Hanweb column's records come from."""

    url: str
    total: int
    per_page: int
    seen: int


@dataclass
class ListPage:
    links: list[Link]
    next_pages: list[str]
    hanweb: HanwebProxy | None = None


def page_text(
    data: bytes, headers: dict[str, str] | None = None, encoding: str | None = None
) -> str:
    """A list page's text: the site's forced encoding, else the parser's decoding; a page no
    decoding fits is read as UTF-8 with replacements (its links are ASCII anyway)."""
    if encoding:
        return data.decode(encoding, "replace")
    try:
        return decode(data, headers).text
    except DecodeError:
        return data.decode("utf-8", "replace")


def site_domain(url: str) -> str:
    """The domain a site's links must stay within: the list host without a leading www."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def off_site(url: str, domain: str) -> str | None:
    """Why url is off the site (hijacked pages link to spam sites), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) link ({parts.scheme or 'relative'})"
    host = (parts.hostname or "").lower()
    if host == domain or host.endswith("." + domain):
        return None
    return f"off the site's domain {domain}"


def is_report_link(link: Link) -> bool:
    """A link naming an annual report of a given year (a column link like "年报" has none)."""
    text = link.text
    return bool(_REPORT_WORDS.search(text) and _YEAR.search(text)) and len(text) < 120


def kind_of(url: str, listed: bool = False) -> str:
    """report, attachment or image. A PDF, DOCX, DOC or WPS file listed in the 年报 column is the
    report itself (the parser reads them); other files are attachments (spreadsheets among them
    are parsed for their tables; OFD files and archives are stored)."""
    if ATTACHMENT.search(url):
        return "report" if listed and _READABLE.search(url) else "attachment"
    if _IMAGE.search(url):
        return "image"
    return "report"


def _anchors(html: str, base: str) -> list[Link]:
    soup = BeautifulSoup(html, "lxml")
    out = []
    for a in soup.find_all("a", href=True):
        href = str(a.get("href", "")).strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        title = str(a.get("title") or "")
        text = " ".join(a.get_text(" ", strip=True).split())
        # CMSes cut long titles in the text ("…年度报告...") and keep them whole in title=
        label = title if len(title) > len(text) else text
        out.append(Link(urljoin(base, href), label))
    return out


_TAG = re.compile(r"<[^>]+>")  # highlight markup in a JSON title ("<em>年度报告</em>")
_TITLE_KEYS = ("title", "name", "doctitle", "articletitle", "subject", "标题", "text", "label")
_URL_KEYS = (
    "url",
    "link",
    "href",
    "docurl",
    "pageurl",
    "articleurl",
    "linkurl",
    "path",
    "fileurl",
    "地址",
)


def _json_links(text: str, base: str) -> list[Link] | None:
    """Links in a JSON list answer (the newer CMSes fill their lists from one): every object
    with a title-like and a URL-like field, and every HTML fragment among the strings. None
    when the text is no JSON."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    links: list[Link] = []
    stack: list[Any] = [data]
    while stack:  # depth first, in the answer's order
        item = stack.pop()
        if isinstance(item, dict):
            fields = {str(k).lower(): v for k, v in item.items() if isinstance(v, str)}
            title = next((fields[k] for k in _TITLE_KEYS if fields.get(k, "").strip()), None)
            href = next((fields[k] for k in _URL_KEYS if fields.get(k, "").strip()), None)
            if title and href:
                links.append(
                    Link(
                        urljoin(base, href.strip()),
                        " ".join(html.unescape(_TAG.sub("", title)).split()),
                    )
                )
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list, str))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, str) and "<a " in item:
            links += _anchors(item, base)
    return links


def read_list_page(html: str, url: str) -> ListPage:
    from_json = _json_links(html, url)
    if from_json is not None:
        return ListPage(links=_unique(from_json), next_pages=[], hanweb=None)
    links = _anchors(html, url)
    hanweb = None
    store = _XML_STORE.search(html)
    if store:
        records = _RECORD.findall(store.group(1))
        links += _anchors("\n".join(records), url)
        hanweb = _hanweb_proxy(html, store.group(1), url, len(records))
    return ListPage(links=_unique(links), next_pages=_next_pages(html, url, links), hanweb=hanweb)


def read_proxy_answer(xml: str, url: str) -> list[Link]:
    """Links in a dataproxy.jsp answer (the same `<record>` XML as the inline store)."""
    return _unique(_anchors("\n".join(_RECORD.findall(xml)), url))


def _hanweb_proxy(html: str, store: str, url: str, seen: int) -> HanwebProxy | None:
    group = _NEXTGROUP.search(store)
    href = _HREF.search(group.group(1)) if group else None
    total = _TOTAL.search(html)
    if not href or not total:
        return None
    per_page = _PER_PAGE.search(html)
    return HanwebProxy(
        urljoin(url, href.group(1).replace("&amp;", "&")),
        int(total.group(1)),
        int(per_page.group(1)) if per_page else 15,
        seen,
    )


def _next_pages(html: str, url: str, links: list[Link]) -> list[str]:
    trs = _trs_pages(html, url)
    if trs:
        return trs
    return [
        link.url
        for link in links
        if _NEXT_TEXT.match(link.text) and link.url.rstrip("/") != url.rstrip("/")
    ][:1]


def _trs_pages(html: str, url: str) -> list[str]:
    count: int | None = None
    prefix, suffix = (
        "index",
        (
            urlsplit(url).path.rsplit(".", 1)[-1]
            if "." in urlsplit(url).path.rsplit("/", 1)[-1]
            else "html"
        ),
    )
    call = _CREATE_PAGE.search(html)
    if call:
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        words = [a for a in args if a and not a.isdigit()]
        if numbers:
            count = numbers[0]
        if len(words) >= 2:
            prefix, suffix = words[-2], words[-1]
    else:
        m = _COUNT_PAGE.search(html)
        count = int(m.group(1)) if m else None
    if not count or count < 2:
        return []
    return [urljoin(url, f"{prefix}_{n}.{suffix}") for n in range(1, count)]


def _unique(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        url = link.url.split("#", 1)[0]
        old = seen.get(url)
        if old is None or len(link.text) > len(old.text):
            seen[url] = Link(url, link.text)
    return list(seen.values())


# -- proposing a site's list URL from its homepage ----------------------------------------------

_DISCLOSURE = re.compile(r"政府信息公开|信息公开|政务公开")
_ANNUAL_COLUMN = re.compile(r"年度报告|年报")


def disclosure_links(html: str, url: str) -> list[Link]:
    """Links to the 政府信息公开 section, most specific first."""
    links = [lk for lk in _anchors(html, url) if _DISCLOSURE.search(lk.text) and len(lk.text) <= 20]
    return sorted(links, key=lambda lk: (not lk.text.startswith("政府信息公开"), len(lk.text)))


def annual_report_columns(html: str, url: str) -> list[Link]:
    """Links to a 年报 column: they name annual reports but no single year."""
    return [
        lk
        for lk in _anchors(html, url)
        if _ANNUAL_COLUMN.search(lk.text) and not _YEAR.search(lk.text) and len(lk.text) <= 30
    ]
