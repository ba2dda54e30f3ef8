"""parse(): one page's bytes in, one Report out. Pure: no network, no store, no clock.

Every failure a page can have is a status with a reason in `problems`; nothing here raises
on bad input, so a crawl can parse thousands of pages and lose none to a traceback.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from govreports.parsers import checks
from govreports.parsers.formats import ocr
from govreports.parsers.formats.containers import ole_kind
from govreports.parsers.formats.decode import DecodeError, decode
from govreports.parsers.formats.doc import DocError, doc_html
from govreports.parsers.formats.document import Document
from govreports.parsers.formats.docx import DocxError, is_docx, read_docx
from govreports.parsers.formats.errors import NoText
from govreports.parsers.formats.ofd import OfdError, is_ofd, read_ofd
from govreports.parsers.formats.pdf import PdfError, read_pdf
from govreports.parsers.formats.sheets import SheetError, is_xlsx, sheet_html
from govreports.parsers.metadata.agency import agency_kind, parent_agency
from govreports.parsers.metadata.dates import on_time
from govreports.parsers.metadata.fields import extract_metadata
from govreports.parsers.metadata.outline import sections
from govreports.parsers.metadata.spam import phrase_remover, strip_spam
from govreports.parsers.model import Cell, Meta, Report, Source
from govreports.parsers.page.body import Page, read_page
from govreports.parsers.registry import PRE2019_MARKERS, TEMPLATES, Template
from govreports.parsers.sizes import megabytes
from govreports.parsers.statuses import Basis, CellStatus, ReportStatus
from govreports.parsers.tables.flat import read_text_tables
from govreports.parsers.tables.grid import Found, read_tables
from govreports.parsers.tables.pipes import pipe_tables
from govreports.parsers.tables.unsure import settle_unsure
from govreports.parsers.values import fold

MAX_BYTES = 20 * 1024 * 1024

PDF = "a PDF document"
ZIP = "a ZIP archive (not a DOCX or XLSX)"
OLE = "an OLE document (DOC/XLS/WPS)"
_MAGIC = (
    (b"%PDF-", PDF),
    (b"PK\x03\x04", ZIP),
    (b"\xd0\xcf\x11\xe0", OLE),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
)
_SECTIONS = (
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "行政复议、行政诉讼情况",
    "行政复议行政诉讼情况",
)
_REPORT_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开).{0,12}(年度报告|年报)")
# Template signatures and pre-2019 markers as they appear in folded page text: folded once.
_SIGNATURES = {tid: tuple(fold(s) for s in t.signatures) for tid, t in TEMPLATES.items()}
_PRE2019 = tuple(fold(m) for m in PRE2019_MARKERS)


def _failed(source: Source, status: ReportStatus, problem: str, form: str | None = None) -> Report:
    return Report(source=source, report=Meta(form=form), status=status, problems=[problem])


def sniff_binary(data: bytes) -> str | None:
    head = data[:8]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    sample = data[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data (NUL bytes)"
    return None


def document_kind(data: bytes) -> str | None:
    """The binary document format parse() reads these bytes as: pdf, docx, xlsx, ofd, doc (DOC
    and WPS), xls, or image (PNG, JPEG: with the OCR extra only); None for anything else. The
    one place that decides it, for parse() and for the crawler's "is this attachment readable"."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff")) and ocr.installed():
        return "image"  # a picture of a table, read by OCR
    if data.startswith(b"PK\x03\x04"):
        if is_docx(data):
            return "docx"
        return "xlsx" if is_xlsx(data) else "ofd" if is_ofd(data) else None
    return {"word": "doc", "workbook": "xls"}.get(ole_kind(data) or "")


def readable_document(data: bytes) -> bool:
    return document_kind(data) is not None


def choose_template(folded: str, year: int | None) -> tuple[str | None, list[str]]:
    """The template a page follows: the header labels decide (the 2019 and 2021 tables differ
    in section 二 and in （六）); the report year only breaks ties and is cross-checked."""
    problems: list[str] = []
    scores = {tid: sum(s in folded for s in signatures) for tid, signatures in _SIGNATURES.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] and list(scores.values()).count(scores[best]) == 1:
        chosen: str | None = best
    elif any(m in folded for m in _PRE2019) or (year is not None and year <= 2018):
        return "pre2019", problems
    elif year is not None:
        chosen = "2019" if year <= 2020 else "2021"
        problems.append(
            f"template taken from the report year {year}: no template-specific labels found"
        )
    else:
        return None, ["no template-specific labels and no report year: template unknown"]
    if year is not None and chosen is not None:
        expected = "pre2019" if year <= 2018 else ("2019" if year <= 2020 else "2021")
        if expected != chosen:
            problems.append(
                f"the tables follow the {chosen} template but the report year is {year}"
            )
    return chosen, problems


def _is_report(page: Page, folded: str, title: str | None) -> bool:
    sections = sum(s in folded for s in _SECTIONS)
    if sections >= 2 or any(s in folded for signatures in _SIGNATURES.values() for s in signatures):
        return True
    if page.report_links >= 3:
        return False  # a list of reports names reports in its links and titles, but is none
    return bool(title and _REPORT_TITLE.search(title))


def parse(
    data: bytes,
    location: str = "-",
    headers: Mapping[str, str] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> Report:
    source = Source(location, hashlib.sha256(data).hexdigest(), None, len(data))
    if len(data) > max_bytes:
        return _failed(
            source,
            ReportStatus.NOT_A_REPORT,
            f"page is {megabytes(len(data))}, over the {megabytes(max_bytes)} limit",
        )
    if not data.strip():
        return _failed(source, ReportStatus.NOT_A_REPORT, "empty page")
    binary = sniff_binary(data)
    notes: tuple[str, ...] = ()
    document = None
    if binary:
        try:
            document = _document(data, binary)
        except _Unreadable as exc:
            return _failed(source, exc.status, exc.problem, exc.form)
        text, source.encoding = document.text, document.form
    else:
        try:
            decoded = decode(data, headers)
        except DecodeError as exc:
            return _failed(source, ReportStatus.NOT_A_REPORT, f"undecodable: {exc}")
        source.encoding, text, notes = decoded.encoding, decoded.text, decoded.notes
    page = read_page(text, location)
    if document is not None:
        page.meta.update(document.properties)  # a document's own dates, for dates.py
    md = extract_metadata(page, location)
    meta = Meta(
        md.title,
        md.agency,
        md.year,
        md.published.date,
        None,
        bool(md.tamper_phrases),
        md.tamper_phrases,
        agency_kind=agency_kind(md.agency),
        parent=parent_agency(md.agency, page.text),
        published_basis=md.published.basis,
        on_time=on_time(md.published.date, md.agency, md.year),
        form=document.form if document else "crawler-text" if page.root is None else "html",
        sections=sections(page.body_lines),
    )
    problems = (
        [f"encoding: {n}" for n in notes] + (document.notes if document else []) + md.problems
    )
    folded = fold(page.text)
    body = fold(strip_spam("".join(page.body_lines), md.tamper_phrases))
    fingerprint = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if page.redirect:  # a stub, whatever its title says
        return Report(
            source,
            meta,
            ReportStatus.NOT_A_REPORT,
            problems + [f"a redirect page (to {page.redirect}), not a report"],
            fingerprint=fingerprint,
            redirect=page.redirect,
        )
    if not _is_report(page, folded, md.title):
        why = "no 政府信息公开…年度报告 title, section headings or statistical tables found"
        if page.report_links >= 3:
            why = f"a list of reports ({page.report_links} links to annual reports), not a report"
        return Report(
            source, meta, ReportStatus.NOT_A_REPORT, problems + [why], fingerprint=fingerprint
        )
    template_id, template_problems = choose_template(folded, md.year)
    meta.template = template_id
    problems += template_problems
    report = Report(
        source,
        meta,
        ReportStatus.OK,
        problems,
        attachments=list(page.attachments),
        images=[i for i in page.images if i],
        fingerprint=fingerprint,
    )
    if template_id is None:
        report.status = ReportStatus.NO_TABLES
        return report
    if template_id == "pre2019":
        report.status = ReportStatus.NO_TABLES
        problems.append(
            "pre-2019 report: its tables follow no national template and are not mapped onto the keys"
        )
        return report
    template = TEMPLATES[template_id]
    found, read_as = _read_cells(page, template, md.tamper_phrases)
    if document is not None and document.basis is not None:
        _mark_basis(found, document.basis)
        if document.basis == Basis.OCR:
            settle_unsure(found.cells, template.identities)
    if found.cells:
        meta.form = _READ_AS.get((meta.form or "", read_as), meta.form)
    problems += found.problems
    report.cells = _all_cells(template, found)
    report.checks = checks.evaluate(template, {(c.table, c.row, c.col): c for c in report.cells})
    present = sum(1 for c in report.cells if c.status != CellStatus.MISSING)
    if present == 0:
        report.status = ReportStatus.NO_TABLES
        problems.append(_no_table_reason(page))
    elif present < len(report.cells):
        report.status = ReportStatus.PARTIAL
        problems.append(
            f"{len(report.cells) - present} of {len(report.cells)} template cells missing"
        )
    return report


class _Unreadable(Exception):
    def __init__(self, status: ReportStatus, problem: str, form: str | None = None) -> None:
        super().__init__(problem)
        self.status, self.problem, self.form = status, problem, form


def _html_only(read: Callable[[bytes], str], form: str) -> Callable[[bytes], Document]:
    return lambda data: Document(read(data), form)


_READERS: dict[str, tuple[Callable[[bytes], Document], str]] = {  # kind: reader, name in problems
    "pdf": (read_pdf, "PDF"),
    "docx": (read_docx, "DOCX"),
    "ofd": (read_ofd, "OFD"),
    "image": (ocr.read_image, "image"),
    "xlsx": (_html_only(sheet_html, "xlsx"), "XLSX"),
    "doc": (_html_only(doc_html, "doc"), "DOC/WPS"),
    "xls": (_html_only(sheet_html, "xls"), "XLS"),
}
# A page's form once its tables are read: (page, how the tables were read) → form.
_READ_AS = {
    ("html", "grid"): "html-table",
    ("html", "text"): "html-text",
    ("html", "markdown"): "markdown",
    ("crawler-text", "markdown"): "markdown",
    ("pdf-table", "text"): "pdf-text",  # ruled boxes, but no table the grid reader could map
    ("ofd", "text"): "ofd-text",
}


def _document(data: bytes, binary: str) -> Document:
    """A binary document's text or HTML, what it was read as, and its own properties (a PDF's
    creation date); _Unreadable says why not."""
    kind = document_kind(data)
    if kind is None:
        if binary == OLE:
            what = (
                "its container is damaged"
                if ole_kind(data) == "damaged"
                else "neither a Word document nor a workbook"
            )
            raise _Unreadable(ReportStatus.NOT_A_REPORT, f"an OLE file (DOC/XLS/WPS): {what}")
        raise _Unreadable(ReportStatus.NOT_A_REPORT, f"{binary}, not a web page or text")
    read, name = _READERS[kind]
    try:
        return read(data)
    except (PdfError, DocxError, OfdError, DocError, SheetError, ocr.ImageUnreadable) as exc:
        # a document with no text to read has no tables to read: scanned pages, pictured tables
        scanned = isinstance(exc, NoText)
        raise _Unreadable(
            ReportStatus.NO_TABLES if scanned else ReportStatus.NOT_A_REPORT,
            f"{name}: {exc}",
            "pdf-image"
            if scanned and kind == "pdf"
            else {"pdf": "pdf-text", "image": None}.get(kind, kind),
        ) from None


def _read_cells(page: Page, template: Template, spam: list[str]) -> tuple[Found, str]:
    """Cells from the page's tables, its pipe tables, or its flattened text (and which of the
    three: grid, markdown, text); with injected spam taken out of labels first, so a hijacked
    row still reads as its row."""

    clean = phrase_remover(spam)
    cleaner = clean if spam else None
    found = (
        read_tables(page.root, template, page.may_hide, cleaner)
        if page.root is not None
        else Found()
    )
    if found.cells:
        return found, "grid"
    skipped = found.problems  # why a table was not read (too large): said whatever reads next
    lines = [clean(ln) for ln in page.body_lines] if spam else page.body_lines
    pipes = pipe_tables(lines)
    if pipes is not None:
        found = read_tables(pipes, template, may_hide=False)
        if found.cells:
            found.problems.insert(
                0, "tables read from pipe-delimited text (Markdown): a pipe is a cell boundary"
            )
            return found, "markdown"
    found = read_text_tables(lines, template)
    found.problems[:0] = skipped
    return found, "text"


def _mark_basis(found: Found, basis: Basis) -> None:
    """Numbers of a document read other than plainly (a scan's, by OCR) say how, where their
    reading gave them no basis of its own."""
    for key, value in found.cells.items():
        if value.status in (CellStatus.REPORTED, CellStatus.INFERRED) and value.basis is None:
            found.cells[key] = replace(value, basis=basis)


def _no_table_reason(page: Page) -> str:
    if page.attachments:
        return "no statistical tables on the page; they may be in the attachment(s): " + ", ".join(
            page.attachments
        )
    if page.images:
        return f"no statistical tables in the text; the body has {len(page.images)} image(s), the tables are probably images"
    return "no statistical tables found on the page"


def _all_cells(template: Template, found: Found) -> list[Cell]:
    cells = []
    printed_aggregates = [k for k in found.cells if k[1] in template.aggregate_rows]
    for table, row, col in [*template.cell_keys, *printed_aggregates]:
        value = found.cells.get((table, row, col))
        if value is None:
            cells.append(Cell(table, row, col))
        else:
            candidates = list(value.candidates) if value.candidates is not None else None
            cells.append(
                Cell(
                    table,
                    row,
                    col,
                    value.value,
                    value.raw,
                    value.status,
                    value.unit,
                    candidates,
                    value.basis,
                    value.confidence,
                )
            )
    return cells
