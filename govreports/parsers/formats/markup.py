"""HTML for documents that are not web pages (DOCX, DOC, spreadsheets): their readers write
tables as <table> markup so the one table reader handles every format."""

from __future__ import annotations

import html

# A footnote mark in a cell's text is written after MARK, by every reader (HTML sup/sub, a PDF's
# small raised digits), so "3¹" is "3^1" and never the number 31 (values.read_cell).
MARK = "^"


CONFIDENCE = "data-confidence"  # an OCR'd cell's lowest box confidence, read back by grid.py


def td(text: str, colspan: int = 1, rowspan: int = 1, confidence: float | None = None) -> str:
    """A cell; its lines kept apart with <br> (a cell "1<br>2" never reads as 12)."""
    spans = (
        (f" colspan='{colspan}'" if colspan > 1 else "")
        + (f" rowspan='{rowspan}'" if rowspan > 1 else "")
        + (f" {CONFIDENCE}='{confidence:.3f}'" if confidence is not None else "")
    )
    lines = [html.escape(line) for line in text.splitlines() if line.strip()]
    return f"<td{spans}>{'<br>'.join(lines)}</td>"


def paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def document(body: str, title: str = "") -> str:
    return f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>{body}</body></html>"
