"""PDF reading speed, per PDF fixture, in pages/s, beside the floor measured in the same run.

The floor is pdfplumber's own extraction of the same file (every page's characters and words):
the geometry reader cannot be quicker than the characters it reads. Columns:
- "floor": pdfplumber.open + extract_words on every page;
- "text": pypdf's text layer (what a PDF without ruled tables is read from);
- "geometry": parsers/formats/pdf_layout.layout_html (tables found, characters into cells);
- "parse": the whole parse() of the file (whichever of the two it takes, plus the tables);
- "÷ floor": parse time over floor time (target ≤ 2).
Then, with the OCR extra installed, a scan of one fixture (its pages rendered to images) read by
OCR: seconds per page, once (OCR is slow enough that one run is the figure; `reparse --workers`
spreads it over processes). Prints figures; asserts nothing.

    python benchmarks/pdf_speed.py [--seconds N]
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.scans lives in the checkout

from parse_speed import rate  # noqa: E402 - benchmarks/ is on the path when a script here runs

from govreports.parsers import parse  # noqa: E402
from govreports.parsers.formats.layout import LayoutUnusable  # noqa: E402
from govreports.parsers.formats.pdf_layout import layout_html  # noqa: E402

PDFS = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"


def floor(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()


def text_layer(data: bytes) -> None:
    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text()


def geometry(data: bytes) -> None:
    try:
        layout_html(data)
    except LayoutUnusable:
        pass  # the figure is still the time it takes to find that out


def _ocr() -> None:
    import time

    from govreports.parsers.formats import ocr

    if not ocr.available():
        print("\nOCR: not measured, the extra is not installed (pip install 'govreports[ocr]')")
        return
    from tests.scans import scan_of

    source = PDFS / "synthetic-hongze-2024-blanks-ruled.pdf"
    scan = scan_of(source)
    ocr.available()  # the models loaded before the clock starts
    started = time.perf_counter()
    report = parse(scan, "scan.pdf")
    pages = len(PdfReader(io.BytesIO(scan)).pages)
    per_page = (time.perf_counter() - started) / pages
    print(
        f"\nOCR of a {pages}-page scan of {source.name}: {per_page:.2f} s/page, "
        f"{1 / per_page:.2f} pages/s (read as {report.report.form})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=1.5, help="time per measurement (default 1.5)")
    args = ap.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    print(
        f"{'pdf':<40}{'pages':>6}{'floor':>8}{'text':>8}{'geometry':>10}{'parse':>8}"
        f"{'÷ floor':>9}  form"
    )
    total_parse = total_floor = 0.0
    for path in sorted(PDFS.glob("*.pdf")):
        data = path.read_bytes()
        pages = len(PdfReader(io.BytesIO(data)).pages)
        rates = [
            rate(lambda fn=fn: fn(data), args.seconds) * pages  # type: ignore[misc]
            for fn in (floor, text_layer, geometry, lambda d: parse(d, path.name))
        ]
        total_floor += pages / rates[0]
        total_parse += pages / rates[3]
        form = parse(data, path.name).report.form
        print(
            f"{path.name:<40}{pages:>6}"
            + "".join(f"{r:>{w}.1f}" for r, w in zip(rates, (8, 8, 10, 8)))
            + f"{rates[0] / rates[3]:>8.2f}×  {form}"
        )
    print(
        f"\nall PDFs: parse takes {total_parse / total_floor:.2f}× pdfplumber's own extraction (target ≤ 2×); figures in pages/s"
    )
    _ocr()


if __name__ == "__main__":
    main()
