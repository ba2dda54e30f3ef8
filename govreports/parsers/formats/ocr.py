"""Scanned PDF pages and pictures of tables read by OCR, with the optional extra `govreports[ocr]`.

A scan has no text layer: each page is rendered (pypdfium2, which pdfplumber already brings),
RapidOCR (Apache-2.0, on onnxruntime; its Chinese models ship inside the wheel, so it works
offline) finds the text boxes and reads them, and the table's ruling lines are found in the
image itself (long thin runs of dark pixels, by morphological opening with OpenCV, which
RapidOCR depends on). Characters and lines then go to the same layout reader as a PDF's.

A number the recognizer is not sure of is never a confident guess: a box with digits read
below MIN_CONFIDENCE is written with a leading "?" (tables/unsure.py then makes its cell
`ambiguous`, or `inferred` where the identities imply the same number), its OCR text in `raw`. Without the extra, a scan stays
`no_tables` with a reason that says how to read it.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from govreports.parsers.formats.document import Document
from govreports.parsers.formats.layout import (
    Bbox,
    Char,
    LayoutUnusable,
    PositionedPage,
    cell_boxes,
    edge,
    layout_document,
)
from govreports.parsers.statuses import Basis
from govreports.parsers.values import UNSURE

SCALE = 3.0  # pixels per point when rendering: 216 dpi, enough for the small digits of a table
SCREEN = 96 / 72  # pixels per point of a picture on a web page (96 dpi)
MAX_IMAGE_PIXELS = 40_000_000  # a table's picture is a few megapixels; a bomb declares billions
MIN_CONFIDENCE = 0.9
INK_MARGIN = 2.0  # points inside a cell's ruling lines where its ink is looked for
MIN_GLYPH = 4.0  # points: the height of the smallest stroke taken for a glyph, not dust
MAX_OCR_PAGES = 20  # a scan of an annual report is a dozen pages; OCR takes seconds per page


class OcrUnavailable(Exception):
    """The OCR extra is not installed (or its engine does not load)."""


@cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(
            f"OCR is not installed (pip install 'govreports[ocr]'): {exc}"
        ) from None
    return RapidOCR()


class ImageUnreadable(ValueError):
    """A picture OCR cannot read a table from; the message says why."""


def installed() -> bool:
    """The extra is installed (without loading its models: cheap, for deciding what is readable)."""
    from importlib.util import find_spec

    return find_spec("rapidocr_onnxruntime") is not None


def read_image(data: bytes) -> Document:
    """A picture of a table by OCR (form image-ocr)."""
    try:
        html, lowest = image_html(data)
    except (OcrUnavailable, LayoutUnusable) as exc:
        raise ImageUnreadable(f"OCR found no table in it ({exc})") from None
    return _document(html, "image-ocr", "picture", lowest)


def read_scan(data: bytes) -> Document:
    """A scanned PDF by OCR (form pdf-ocr). Raises OcrUnavailable or LayoutUnusable."""
    html, lowest = ocr_html(data)
    return _document(html, "pdf-ocr", "scanned PDF", lowest)


def _document(html: str, form: str, what: str, lowest: float) -> Document:
    note = (
        f"{what} read by OCR (lowest box confidence {lowest:.2f}; numbers read below "
        f"{MIN_CONFIDENCE} are ambiguous unless the identities imply the same number)"
    )
    return Document(html, form, notes=[note], basis=Basis.OCR)


def available() -> bool:
    try:
        _engine()
    except OcrUnavailable:
        return False
    return True


def ocr_html(data: bytes) -> tuple[str, float]:
    """The scanned PDF as HTML (tables by the lines drawn in the images), and the lowest
    confidence of any box read. Raises OcrUnavailable or LayoutUnusable."""
    import pypdfium2 as pdfium

    engine = _engine()
    pdf = pdfium.PdfDocument(data)
    try:
        if len(pdf) > MAX_OCR_PAGES:
            raise LayoutUnusable(
                f"a scan of {len(pdf)} pages: more than OCR reads ({MAX_OCR_PAGES})"
            )
        read = [_read(engine, p.render(scale=SCALE).to_pil(), SCALE) for p in pdf]
    finally:
        pdf.close()
    return layout_document([page for page, _ in read], "scanned PDF"), min(
        (low for _, low in read), default=1.0
    )


def image_html(data: bytes) -> tuple[str, float]:
    """A picture of a table (a PNG or JPEG a report page shows instead of its tables) as HTML,
    and the lowest confidence read. Raises OcrUnavailable or LayoutUnusable."""
    from PIL import Image, UnidentifiedImageError

    engine = _engine()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise LayoutUnusable(
                    f"an image of {image.width}×{image.height} pixels: larger than a table's picture"
                )
            page, lowest = _read(engine, image, SCREEN)
    except (UnidentifiedImageError, OSError) as exc:
        raise LayoutUnusable(f"the image cannot be read ({exc})") from None
    return layout_document([page], "image"), lowest


def _read(engine: Any, image: Any, scale: float) -> tuple[PositionedPage, float]:
    """One image's text boxes and ruling lines (pixels / scale = points)."""
    rgb = image.convert("RGB")
    boxes, _ = engine(rgb)
    dark = _dark(rgb)
    edges = _ruling_lines(dark, scale)
    chars, lowest = _chars(boxes or [], [e for e in edges if e["orientation"] == "v"], scale)
    tables = cell_boxes(edges) if edges else []
    chars += _unread_ink(dark, tables, chars, scale)
    return PositionedPage(chars, tables, rgb.height / scale), lowest


def _dark(image: Any) -> Any:
    """The image's ink: 255 where a pixel is dark, else 0."""
    import numpy as np

    return (np.asarray(image.convert("L")) < 160).astype(np.uint8) * 255


def _unread_ink(dark: Any, tables: list[list[Bbox]], chars: list[Char], scale: float) -> list[Char]:
    """An UNSURE mark for each cell that holds a glyph-sized stroke but no text the recognizer
    returned: a thin "1" in a blurred scan is often not found at all, and its cell would read as
    printed empty. A blank is a claim; ink says the cell is not empty, so it is left unsure
    (dust, a speck of a pixel or two, is not a glyph)."""
    import cv2

    centres = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
    out: list[Char] = []
    margin = INK_MARGIN * scale
    for box in (b for table in tables for b in table):
        x0, top, x1, bottom = box
        if any(x0 <= cx <= x1 and top <= cy <= bottom for cx, cy in centres):
            continue
        crop = dark[
            int(top * scale + margin) : int(bottom * scale - margin),
            int(x0 * scale + margin) : int(x1 * scale - margin),
        ]
        if crop.size == 0:
            continue
        count, _, stats, _ = cv2.connectedComponentsWithStats(crop)
        if any(stats[i][cv2.CC_STAT_HEIGHT] >= MIN_GLYPH * scale for i in range(1, count)):
            mid_x, mid_y = (x0 + x1) / 2, (top + bottom) / 2
            out.append(
                {
                    "text": UNSURE,
                    "x0": mid_x - 1,
                    "x1": mid_x + 1,
                    "top": mid_y - 2,
                    "bottom": mid_y + 2,
                    "size": 4,
                    "confidence": 0.0,  # read as nothing
                }
            )
    return out


def _chars(
    boxes: list[Any], verticals: list[dict[str, Any]], scale: float
) -> tuple[list[Char], float]:
    """Each recognized box's text spread evenly over its width (CJK glyphs are square, table
    digits near enough), in points. A box with digits that a vertical ruling line crosses
    holds numbers of two cells, and where its text splits is a guess: its digits are unsure."""
    out: list[Char] = []
    lowest = 1.0
    for points, text, confidence in boxes:
        confidence = float(confidence)
        text = str(text).strip()
        if not text:
            continue
        lowest = min(lowest, confidence)
        xs = [p[0] / scale for p in points]
        ys = [p[1] / scale for p in points]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        middle = (top + bottom) / 2
        crossed = any(
            x0 + 1 < e["x0"] < x1 - 1 and e["top"] <= middle <= e["bottom"] for e in verticals
        )
        if any(ch.isdigit() for ch in text) and (confidence < MIN_CONFIDENCE or crossed):
            text = UNSURE + text
        step = (x1 - x0) / len(text)
        for i, ch in enumerate(text):
            out.append(
                {
                    "text": ch,
                    "x0": x0 + i * step,
                    "x1": x0 + (i + 1) * step,
                    "top": top,
                    "bottom": bottom,
                    "size": bottom - top,
                    "confidence": confidence,
                }
            )
    return out, lowest


def _ruling_lines(dark: Any, scale: float) -> list[dict[str, Any]]:
    """Horizontal and vertical lines drawn in the image, as pdfplumber's edge dicts (points)."""
    import cv2

    height, width = dark.shape
    edges: list[dict[str, Any]] = []
    for orientation, kernel in (
        ("h", (max(width // 30, 20), 1)),
        ("v", (1, max(height // 60, 20))),
    ):
        opened = cv2.morphologyEx(
            dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel)
        )
        contours, _ = cv2.findContours(opened, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, w, h = (v / scale for v in cv2.boundingRect(contour))
            if orientation == "h":
                mid = y + h / 2
                edges.append(edge(x, x + w, mid, mid, "h"))
            else:
                mid = x + w / 2
                edges.append(edge(mid, mid, y, y + h, "v"))
    return edges
