"""A decoded page: its text as lines, the report body inside the CMS chrome, its links.

HTML is parsed once with lxml; the same tree then serves the body, the metadata and the tables.
Plain text (copy/paste, crawler dumps) keeps its lines; metadata/fields.py reads both the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from govreports.parsers.formats.markup import MARK

HtmlElement = Any  # lxml.html.HtmlElement; lxml ships no type hints

_HTML_SNIFF = re.compile(
    r"<\s*(html|head|body|div|p|table|tr|td|br|span|meta|title|article)\b", re.I
)
_SKIP = {"script", "style", "noscript", "template", "select", "option", "textarea", "iframe"}
_BLOCK = {
    "p",
    "div",
    "br",
    "tr",
    "td",
    "th",
    "li",
    "ul",
    "ol",
    "table",
    "tbody",
    "thead",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "dd",
    "dt",
    "dl",
    "form",
    "blockquote",
    "pre",
    "hr",
    "caption",
    "center",
    "title",
}
ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar)(?:$|[?#])", re.I)
# A link to a picture ("表格见图" → tables.png) is the tables as an image, like an <img>.
IMAGE_LINK = re.compile(r"\.(png|jpe?g|gif|bmp|webp|tiff?)(?:$|[?#])", re.I)
_SPACES = re.compile(r"[ \t\u3000\xa0\r\f\v]+")


@dataclass
class Page:
    lines: list[str]  # every text block of the document, chrome included
    body_lines: list[str]  # the report body only
    root: HtmlElement | None = None  # None for plain text
    body: HtmlElement | None = None
    html_title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # image URLs in the body: tables, perhaps
    report_links: int = 0  # anchors whose text names an annual report (many: a list page)
    redirect: str | None = (
        None  # a stub page's one target (meta refresh or script), see redirect_of
    )
    may_hide: bool = True  # the markup has words that hide text by style (read_tables looks closer)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def looks_like_html(text: str) -> bool:
    return _HTML_SNIFF.search(text[:20_000]) is not None


def read_page(text: str, location: str | None = None) -> Page:
    if looks_like_html(text):
        return _read_html(text, location)
    lines = [ln for ln in (_SPACES.sub(" ", raw).strip() for raw in text.splitlines()) if ln]
    return Page(lines=lines, body_lines=_text_body(lines))


def _text_body(lines: list[str]) -> list[str]:
    """Crawler dumps put a header above a '==== 正文 ====' rule; the body starts below it."""
    for i, line in enumerate(lines[:40]):
        if "正文" in line and "====" in line:
            return lines[i + 1 :]
    return lines


# Text the page marks rather than prints plainly, read the same way in page lines and table
# cells: a footnote mark (sup/sub) is written after MARK, so "3<sup>1</sup>" is "3^1", never the
# number 31; struck-out text (a correction: <del>12</del>15 means 15) is left out.
FOOTNOTE_TAGS = ("sup", "sub")
STRUCK_TAGS = ("del", "s", "strike")

# Lines of a page: a line break around every block element, scripts and styles skipped. An
# XSLT stylesheet does it in C (libxslt) without touching the tree: about 5x quicker than
# setting text and tail on every block element from Python.
_BLOCK_MATCH = "|".join(sorted(_BLOCK))
_LINES_XSLT = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{"|".join(sorted(_SKIP))}"/>
<xsl:template match="{_BLOCK_MATCH}"><xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="{"|".join(FOOTNOTE_TAGS)}"><xsl:text>{MARK}</xsl:text><xsl:apply-templates/></xsl:template>
<xsl:template match="{"|".join(STRUCK_TAGS)}"/>
</xsl:stylesheet>""".encode()
    )
)
_BODY_START, _BODY_END = (
    "\ue000govreports-body-start\ue000",
    "\ue000govreports-body-end\ue000",
)  # private use: no page has them


def prepare_text(root: HtmlElement) -> None:
    """Scripts and styles go, so that no text extraction reads them."""
    etree.strip_elements(root, *_SKIP, with_tail=False)


def _split_lines(text: str) -> list[str]:
    """Non-blank lines, each run of spaces of any kind (ideographic, no-break, em) made one space."""
    return [" ".join(words) for words in map(str.split, text.split("\n")) if words]


def page_lines(root: HtmlElement, body: HtmlElement) -> tuple[list[str], list[str]]:
    """The page's lines and its body's, from one pass: sentinels mark where the body is."""
    start, end = etree.SubElement(body, "p"), etree.SubElement(body, "p")
    start.text, end.text = _BODY_START, _BODY_END
    body.insert(0, start)
    try:
        text = str(_LINES_XSLT(root))
    finally:
        body.remove(start)
        body.remove(end)
    head, _, rest = text.partition(_BODY_START)
    inner, _, tail = rest.partition(_BODY_END)
    return _split_lines(head + inner + tail), _split_lines(inner)


def _read_html(text: str, location: str | None) -> Page:
    # lxml refuses str input with an XML encoding declaration; bytes with a stated encoding
    # avoid that and keep the already-chosen decoding authoritative.
    # Plain etree elements: lxml.html's element classes cost a Python lookup per node.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    root = etree.fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", parser=parser)
    absolute = bool(location and "://" in location)
    embedded = embedded_documents(
        root, location if absolute else None
    )  # before iframes are stripped
    targets = _redirect_targets(root, location if absolute else None)  # before scripts are stripped
    prepare_text(root)
    meta: dict[str, str] = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        content = m.get("content")
        if name and content:
            meta.setdefault(name, content.strip())
    title_el = root.find(".//title")
    html_title = (
        _SPACES.sub(" ", "".join(title_el.itertext())).strip() if title_el is not None else None
    )
    body = find_body(root)
    attachments: list[str] = []
    images: list[str] = []
    report_links = 0
    for a in root.iter("a"):
        label = _text(a)
        if ("年度报告" in label or "年报" in label) and len(label) < 80:
            report_links += 1
    lines, body_lines = page_lines(root, body)
    for el in body.iter("a", "img"):
        link = (el.get("src") if el.tag == "img" else el.get("href")) or ""
        link = link.strip()
        if el.tag == "img" or (link and IMAGE_LINK.search(link)):
            url = urljoin(location, link) if absolute and link else link
            if el.tag == "img" or url not in images:
                images.append(url)
        elif (
            link
            and not link.startswith(("javascript:", "#", "mailto:"))
            and (
                ATTACHMENT.search(link)
                or ATTACHMENT.search(_text(el).strip())  # download.jsp?id=9 "年报.pdf"
            )
        ):
            url = urljoin(location, link) if absolute else link
            if url not in attachments:
                attachments.append(url)
    attachments += [url for url in embedded if url not in attachments]
    return Page(
        lines=lines,
        body_lines=body_lines,
        root=root,
        body=body,
        html_title=html_title,
        meta=meta,
        attachments=attachments,
        images=images,
        report_links=report_links,
        redirect=targets[0] if len(targets) == 1 and sum(map(len, lines)) < STUB_TEXT else None,
        may_hide=any(word in text for word in _HIDING_WORDS),
    )


# What hiding markup must contain (display:none, visibility:hidden, hidden; "one" for none and
# None): a page without any hides nothing by style. Few words, as each is a search of the page.
_HIDING_WORDS = ("one", "ONE", "idden", "IDDEN")
STUB_TEXT = 300  # characters: a redirect stub says little more than its title and "正在跳转"
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?\s*([^'\"\s;]+)", re.I)
_SCRIPT_GO = re.compile(
    r"""(?:\blocation(?:\.href)?\s*=|\blocation\.(?:replace|assign)\s*\()\s*['"]([^'"]+)['"]"""
)


def _redirect_targets(root: HtmlElement, location: str | None) -> list[str]:
    """Where a page sends the browser: <meta http-equiv=refresh> and script assignments to
    location. Distinct targets, in order; a page is only taken for a redirect stub when there
    is exactly one and next to no text (full pages carry mobile-site redirects too)."""
    found: list[str] = []
    raw = [
        (m.get("content") or "", _REFRESH_URL)
        for m in root.iter("meta")
        if (m.get("http-equiv") or "").lower() == "refresh"
    ]
    raw += [(script.text or "", _SCRIPT_GO) for script in root.iter("script")]
    for text, pattern in raw:
        for target in pattern.findall(text):
            if target.startswith(("javascript:", "#")):
                continue
            url = urljoin(location, target) if location else target
            if url not in found:
                found.append(url)
    return found


def redirect_of(text: str, location: str) -> str | None:
    """The page a redirect stub (a meta refresh or a script setting location, and next to no
    text) sends the browser to; None for any other page."""
    return read_page(text, location).redirect if looks_like_html(text) else None


def embedded_documents(root: HtmlElement, location: str | None) -> list[str]:
    """Documents shown in the page rather than linked: <iframe>, <embed> or <object> pointing
    at a PDF or Word file, or at a PDF viewer (pdf.js: viewer.html?file=…) given one. CMSes
    publish many reports that way, the page itself holding only the title."""
    found: list[str] = []
    for el in root.iter("iframe", "embed", "object"):
        src = (el.get("src") or el.get("data") or "").strip()
        if not src:
            continue
        viewer = urljoin(location, src) if location else src
        shown = [v for key, v in parse_qsl(urlsplit(src).query) if key.lower() == "file"]
        documents = [viewer] if ATTACHMENT.search(urlsplit(src).path) else []
        documents += [urljoin(viewer, f) for f in shown if ATTACHMENT.search(urlsplit(f).path)]
        found += [url for url in documents if url not in found]
    return found


# Containers CMSes put the article in: TRS (TRS_Editor, zoom), Hanweb/大汉 (zoom, bt_content,
# wzy), and common generic names.
_CONTENT_HINT = re.compile(
    r"TRS_(?:Editor|UEDITOR|PreAppend)|\bzoom\b|bt_content|article[-_]?(?:content|body)?|"
    r"\bcontent\b|con_?text|detail|wzy|xxgk_?(?:content|detail)|main[-_]?text|\bnr\b",
    re.I,
)


def find_body(root: HtmlElement) -> HtmlElement:
    """The element holding the report: the block with the most paragraph and table text.

    Each text-bearing block credits its parent fully and its grandparent half (the readability
    idea), links count for nothing (navigation and related-links lists are all links), and a
    container whose class or id is a known CMS content name gets a bonus. If the winner misses
    statistical tables found elsewhere, its ancestor holding them all is taken instead.
    """
    # Link text inside each paragraph and table, found from the links up (most blocks hold none).
    link_text: dict[HtmlElement, int] = {}
    for a in root.iter("a"):
        length = len(_text(a))
        for holder in a.iterancestors("p", "table"):
            link_text[holder] = link_text.get(holder, 0) + length
    scores: dict[HtmlElement, float] = {}
    for el in root.iter("p", "table", "div", "td", "span", "font", "section"):
        if el.tag in ("p", "table"):
            n = len(_text(el)) - link_text.get(el, 0)
        else:
            n = len((el.text or "").strip())
        if n < 10:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + n
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0.0) + n / 2
    if not scores:
        body = root.find("body")
        return body if body is not None else root
    for el in list(scores):
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _CONTENT_HINT.search(hint):
            scores[el] *= 1.5
    best = max(scores, key=lambda e: scores[e])
    tables = [t for t in root.iter("table") if any(w in _text(t) for w in ("总计", "第二十条"))]
    while any(best not in t.iterancestors() for t in tables) and best.getparent() is not None:
        best = best.getparent()
    return best


def _text(el: HtmlElement) -> str:
    return str(etree.tostring(el, method="text", encoding=str, with_tail=False))
