"""A PDF report: its ruled tables by their geometry (pdf_layout.py), else its text layer.

The geometry makes a PDF table as exact as an HTML grid; a PDF whose tables have no ruling
lines, or whose layout pdfminer cannot read, is read from its text layer instead, and the
report's problems say so. pypdf (pure Python, maintained) also opens every PDF first: it is
quick to say a file is encrypted, too long or broken, and it reads the creation date.

For the text layer, pypdf puts a PDF table's row on one line with its values
space-separated (form b), which is what the text reader expects; labels that wrap inside a cell
come out one character per line, which it already handles. A scanned PDF has no text layer:
that is a status with a reason, never an empty success.
"""

from __future__ import annotations

import io
import logging

from govreports.parsers.formats import ocr
from govreports.parsers.formats.document import Document
from govreports.parsers.formats.errors import NoText
from govreports.parsers.formats.layout import LayoutUnusable
from govreports.parsers.formats.pdf_layout import layout_html

MAX_PAGES = 80  # annual reports run to a dozen pages; a 500-page PDF is something else


class PdfError(ValueError):
    """The PDF cannot give text; the message says why."""


class PdfNoText(PdfError, NoText):
    """A PDF with no text to read: its tables are images."""


CREATED_META = "pdf:created"  # the page meta name the PDF's creation date goes under


def read_pdf(data: bytes) -> Document:
    """The PDF as HTML with its tables as markup (form pdf-table), or as its text layer's lines
    (pdf-text), with the document's own properties (its creation date)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - a broken install
        raise PdfError(f"PDF support is not installed ({exc})") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are about the file, not us
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means: locked
                raise PdfError("the PDF is encrypted") from None
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise PdfError(
                f"the PDF has {len(pages)} pages (more than {MAX_PAGES}): not an annual report"
            )
        props = _properties(reader)
        try:
            return Document(layout_html(data), "pdf-table", props)
        except LayoutUnusable as exc:
            note = f"PDF read from its text layer, so columns are inferred from the text: {exc}"
        text = "\n".join(page.extract_text() or "" for page in pages)
    except PdfError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as exc:
        raise PdfError(f"the PDF cannot be read ({type(exc).__name__}: {str(exc)[:120]})") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if sum(len(ln) for ln in lines) < 50:
        return _scanned(data, props)
    return Document("\n".join(lines), "pdf-text", props, [note])


def _scanned(data: bytes, props: dict[str, str]) -> Document:
    """A PDF without a text layer, by OCR where the extra is installed (form pdf-ocr)."""
    why = "the PDF has no text layer (scanned pages?): its tables are images"
    try:
        document = ocr.read_scan(data)
    except ocr.OcrUnavailable:
        raise PdfNoText(f"{why}; install govreports[ocr] to read them by OCR") from None
    except LayoutUnusable as exc:
        raise PdfNoText(f"{why}, and OCR found no ruled table in them ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - a page pdfium or the recognizer cannot handle
        raise PdfNoText(f"{why}, and OCR failed ({type(exc).__name__}: {str(exc)[:80]})") from None
    document.properties = props
    return document


def _properties(reader: object) -> dict[str, str]:
    """The creation date from the document information dictionary, where it parses."""
    try:
        created = reader.metadata.creation_date  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a malformed /Info or date string is just absent
        return {}
    return {CREATED_META: created.date().isoformat()} if created is not None else {}
