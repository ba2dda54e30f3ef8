"""A PDF's tables read by where their characters stand (layout.py does the reading): pdfplumber
(MIT, on pdfminer.six) gives every character with its box and the cell boxes its ruling lines
draw. A PDF whose tables have no ruling lines, or whose fonts map no characters to Unicode, has
no usable geometry: `layout_html` says why, and pdf.py reads the text layer instead.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from govreports.parsers.formats.layout import (
    MAX_EDGES,
    MAX_PAGE_CHARS,
    LayoutUnusable,
    PositionedPage,
    layout_document,
)


def layout_html(data: bytes) -> str:
    """The PDF as HTML, its ruled tables as <table>; LayoutUnusable when it has none."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - a broken install
        raise LayoutUnusable(f"PDF layout support is not installed ({exc})") from None
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are about the file
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return layout_document(_positioned(page) for page in pdf.pages)
    except LayoutUnusable:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on a broken file
        raise LayoutUnusable(
            f"the PDF's layout cannot be read ({type(exc).__name__}: {str(exc)[:80]})"
        ) from None


def _positioned(page: Any) -> PositionedPage:
    chars = page.chars
    if len(chars) > MAX_PAGE_CHARS:  # said by layout_document; no table search on such a page
        return PositionedPage(chars, [], float(page.height))
    if sum("(cid:" in c["text"] for c in chars[:2000]) > 20:
        raise LayoutUnusable("the PDF's fonts map no characters to Unicode")
    # a page of thousands of lines is not a report's table, and the table search is quadratic
    tables = [t.cells for t in page.find_tables()] if len(page.edges) <= MAX_EDGES else []
    # fake bold draws each character twice, a hair apart
    return PositionedPage(page.dedupe_chars().chars, tables, float(page.height))
