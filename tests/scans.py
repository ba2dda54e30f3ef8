"""A scan of a fixture for the OCR tests and the PDF benchmark: its pages rendered to grey images
and saved as an image-only PDF, which is what a scanned report is to a reader."""

from __future__ import annotations

import io
from pathlib import Path


def scan_of(pdf: Path, scale: float = 2.0) -> bytes:
    import pypdfium2 as pdfium

    pages = [p.render(scale=scale).to_pil().convert("L") for p in pdfium.PdfDocument(pdf)]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=72 * scale)
    return buf.getvalue()
