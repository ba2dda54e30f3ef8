"""A DOCX report as HTML, so the `<table>` reader takes it from there.

Word keeps tables as `w:tbl` / `w:tr` / `w:tc`, a horizontal merge as `w:gridSpan` and a
vertical one as `w:vMerge` (restart, then continue in the cells below). Those become colspan
and rowspan; paragraphs become `<p>`. Read with the standard zip module and lxml: no new
dependency. Legacy .doc/.wps (OLE) files are doc_text.py's.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from govreports.parsers.formats import markup
from govreports.parsers.formats.containers import zip_has
from govreports.parsers.formats.document import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 20 * 1024 * 1024  # a zip bomb stops here
MAX_CORE_BYTES = 1024 * 1024
CREATED_META = "docx:created"  # the property name of the core properties' creation time


class DocxError(ValueError):
    """Not a readable DOCX; the message says why."""


def is_docx(data: bytes) -> bool:
    return zip_has(data, "word/document.xml")


def docx_html(data: bytes) -> str:
    return read_docx(data).text


def read_docx(data: bytes) -> Document:
    """The document as HTML, and its own properties (its creation time), as read_pdf gives."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise DocxError(f"word/document.xml is {info.file_size // 1_000_000} MB unpacked")
            xml = z.read(info)
            title, created = _core(z)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DocxError(f"the DOCX cannot be read ({type(exc).__name__})") from None
    try:
        root = etree.fromstring(xml, parser=_safe_parser())
    except etree.XMLSyntaxError as exc:
        raise DocxError(f"the DOCX's document.xml is broken ({exc})") from None
    body = root.find(f"{W}body")
    parts = []
    for el in body if body is not None else []:
        if el.tag == f"{W}p":
            parts.append(markup.paragraph(_text(el)))
        elif el.tag == f"{W}tbl":
            parts.append(_table(el))
    html = markup.document("".join(parts), title)
    return Document(html, "docx", {CREATED_META: created} if created else {})


def _safe_parser() -> etree.XMLParser:
    """No entity expansion, no network, no huge trees: a hostile file's XML stays small."""
    return etree.XMLParser(resolve_entities=False, huge_tree=False, no_network=True)


def _core(z: zipfile.ZipFile) -> tuple[str, str | None]:
    """The document's own title and creation time (docProps/core.xml), where sane."""
    try:
        info = z.getinfo("docProps/core.xml")
        if info.file_size > MAX_CORE_BYTES:  # a title does not take a megabyte: a bomb
            return "", None
        core = etree.fromstring(z.read(info), parser=_safe_parser())
    except (KeyError, etree.XMLSyntaxError):
        return "", None
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    created = core.find("{http://purl.org/dc/terms/}created")
    return (
        (title.text or "").strip() if title is not None else "",
        (created.text or "").strip() or None if created is not None else None,
    )


def _text(el: etree._Element) -> str:
    """The shown text: runs marked hidden (w:vanish) are left out, as Word leaves them off the
    page, and struck-out runs too; a hidden "9" before a shown "12" is no part of the number."""
    out = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br"):
        run = node.getparent()
        if run is not None and _vanished(run):
            continue
        out.append(
            node.text or "" if node.tag == f"{W}t" else (" " if node.tag == f"{W}tab" else "\n")
        )
    return "".join(out)


def _vanished(run: etree._Element) -> bool:
    """Hidden (w:vanish) or struck out (w:strike, w:dstrike: a correction, as HTML's <del>)."""
    props = run.find(f"{W}rPr")
    if props is None:
        return False
    for tag in ("vanish", "strike", "dstrike"):
        el = props.find(f"{W}{tag}")
        if el is not None and el.get(f"{W}val", "true") not in ("0", "false", "off"):
            return True
    return False


def _table(tbl: etree._Element) -> str:
    """Rows of (column, colspan, text, merge) → HTML with rowspans counted from vMerge runs."""
    rows: list[list[tuple[int, int, str, str | None]]] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        col, cells = 0, []
        for tc in tr.iterchildren(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span_el = props.find(f"{W}gridSpan") if props is not None else None
            span = int(span_el.get(f"{W}val", "1")) if span_el is not None else 1
            merge_el = props.find(f"{W}vMerge") if props is not None else None
            merge = None if merge_el is None else (merge_el.get(f"{W}val") or "continue")
            text = "\n".join(_text(p) for p in tc.iterchildren(f"{W}p"))
            cells.append((col, max(1, span), text, merge))
            col += max(1, span)
        rows.append(cells)
    rowspan: dict[tuple[int, int], int] = {}
    absorbed: set[tuple[int, int]] = set()  # continue cells: covered by the restart cell above
    open_merge: dict[int, tuple[int, int]] = {}  # grid column → (row, column) of the restart cell
    for r, cells in enumerate(rows):
        for col, _, _, merge in cells:
            if merge == "restart":
                open_merge[col] = (r, col)
                rowspan[(r, col)] = 1
            elif merge == "continue" and col in open_merge:
                rowspan[open_merge[col]] += 1
                absorbed.add((r, col))
            else:
                open_merge.pop(col, None)
    out = ["<table>"]
    for r, cells in enumerate(rows):
        out.append("<tr>")
        for col, span, text, _merge in cells:
            if (r, col) in absorbed:
                continue
            out.append(markup.td(text, span, rowspan.get((r, col), 1)))
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)
