"""An OFD report (GB/T 33190, China's national fixed-layout format), read by its geometry.

An OFD file is a ZIP of XML parts: OFD.xml names the document (DocBody/DocRoot), the document
lists its pages (Pages/Page/@BaseLoc), and each page's Content.xml holds text objects (a
Boundary box, a font Size, TextCode runs with an X, Y baseline origin and DeltaX advances) and
path objects (AbbreviatedData: "M x y L x y …"), in millimetres. The characters and the ruling
lines become a PositionedPage, and layout.py reads the tables as it does a PDF's. Read with the
standard zip module and lxml: no OFD library is needed, and none is maintained on PyPI.

Hostile files get a clear error: parts are size-checked before they are inflated (and read no
further than the cap, whatever their header claims), a BaseLoc that climbs out of the package
is refused, XML is parsed without entities or network.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any

from lxml import etree

from govreports.parsers.formats.containers import zip_has
from govreports.parsers.formats.document import Document
from govreports.parsers.formats.errors import NoText
from govreports.parsers.formats.layout import (
    Bbox,
    Char,
    LayoutUnusable,
    PositionedPage,
    cell_boxes,
    edge,
    layout_document,
    page_lines,
)

CREATED_META = "ofd:created"  # the property name DocInfo's creation date goes under (dates.py)
MM = 72 / 25.4  # points per millimetre: the layout reader's tolerances are in points
MAX_PART_BYTES = 20 * 1024 * 1024  # one page's Content.xml; a zip bomb stops here
MAX_PAGES = 80  # as for PDFs: annual reports run to a dozen pages
A4 = (0.0, 0.0, 210.0, 297.0)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


class OfdError(ValueError):
    """Not a readable OFD; the message says why."""


class OfdNoText(OfdError, NoText):
    """An OFD with no text to read: its pages are images."""


def is_ofd(data: bytes) -> bool:
    return zip_has(data, "OFD.xml")


def read_ofd(data: bytes) -> Document:
    """The OFD as HTML with its ruled tables as markup (form ofd), or its text lines (ofd-text)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            pages = list(_pages(z))
            created = _date(_first_text(_xml(z, "OFD.xml"), "CreationDate"))
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise OfdError(f"the OFD cannot be read ({type(exc).__name__}: {str(exc)[:80]})") from None
    if sum(len(p.chars) for p in pages) < 50:
        raise OfdNoText("the OFD has no text (scanned pages?): its tables are images")
    properties = {CREATED_META: created} if created else {}
    try:
        return Document(layout_document(pages, "OFD"), "ofd", properties)
    except LayoutUnusable as exc:
        note = f"OFD read as text lines, so columns are inferred from the text: {exc}"
    lines = [line for page in pages for _, line in page_lines(page)]
    return Document("\n".join(lines), "ofd-text", properties, [note])


def _date(text: str | None) -> str | None:
    """DocInfo's CreationDate (xs:date, 2025-01-20), where it is one."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    return m.group(0) if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31 else None


def _xml(z: zipfile.ZipFile, name: str) -> Any:
    try:
        info = z.getinfo(name)
    except KeyError:
        raise OfdError(f"the OFD has no part {name}") from None
    if info.file_size > MAX_PART_BYTES:
        raise OfdError(f"{name} is {info.file_size // 1_000_000} MB unpacked: not a report's page")
    with z.open(info) as part:
        raw = part.read(MAX_PART_BYTES + 1)
    if len(raw) > MAX_PART_BYTES:  # its header lied about its size
        raise OfdError(f"{name} inflates past {MAX_PART_BYTES // 1_000_000} MB")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise OfdError(f"{name} is not well-formed XML ({exc})") from None


def _children(el: Any, name: str) -> list[Any]:
    """Descendants by local name: OFD producers differ in how they spell the namespace."""
    return [e for e in el.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name]


def _first_text(el: Any, name: str) -> str | None:
    found = _children(el, name)
    return (found[0].text or "").strip() if found else None


def _resolve(base: str, loc: str) -> str:
    """A part's name in the package: relative to the referring part's folder, or absolute from
    the package root. Refused when it climbs out of the package."""
    path = posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc))
    if path.startswith("..") or path.startswith("/"):
        raise OfdError(f"a part path climbs out of the package: {loc!r}")
    return path


def _pages(z: zipfile.ZipFile) -> Any:
    root_loc = _first_text(_xml(z, "OFD.xml"), "DocRoot")
    if not root_loc:
        raise OfdError("OFD.xml names no document (DocBody/DocRoot)")
    doc_name = _resolve("", root_loc)
    doc = _xml(z, doc_name)
    default_box = _box(_first_text(doc, "PhysicalBox")) or A4
    page_els = _children(doc, "Page")
    if len(page_els) > MAX_PAGES:
        raise OfdError(f"the OFD has {len(page_els)} pages (more than {MAX_PAGES}): not a report")
    for page_el in page_els:
        loc = page_el.get("BaseLoc")
        if not loc:
            continue
        content = _xml(z, _resolve(posixpath.dirname(doc_name), loc))
        box = _box(_first_text(content, "PhysicalBox")) or default_box
        yield _positioned(content, box[3])


def _box(text: str | None) -> Bbox | None:
    nums = [float(n) for n in _NUMBER.findall(text or "")]
    return (nums[0], nums[1], nums[2], nums[3]) if len(nums) == 4 else None


def _positioned(content: Any, height_mm: float) -> PositionedPage:
    chars: list[Char] = []
    edges: list[dict[str, Any]] = []
    for obj in _children(content, "TextObject"):
        chars += _text_chars(obj)
    for obj in _children(content, "PathObject"):
        edges += _path_edges(obj)
    return PositionedPage(chars, cell_boxes(edges) if edges else [], height_mm * MM)


def _advances(delta: str | None, n: int, size: float) -> list[float]:
    """DeltaX as a list of n−1 advances: numbers, or "g COUNT VALUE" for a run of equal ones;
    missing advances are the font size (CJK glyphs are square)."""
    out: list[float] = []
    tokens = (delta or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            i += 3
        else:
            out.append(float(tokens[i]))
            i += 1
    return (out + [size] * n)[: max(n - 1, 0)]


def _text_chars(obj: Any) -> list[Char]:
    box = _box(obj.get("Boundary")) or (0.0, 0.0, 0.0, 0.0)
    size = float(obj.get("Size") or 3.5)
    out: list[Char] = []
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        x = box[0] + float(code.get("X") or 0)
        baseline = box[1] + float(code.get("Y") or 0)
        advances = _advances(code.get("DeltaX"), len(text), size)
        for i, ch in enumerate(text):
            width = advances[i] if i < len(advances) else size
            out.append(
                {
                    "text": ch,
                    "x0": x * MM,
                    "x1": (x + min(width, size)) * MM,
                    "top": (baseline - size * 0.88) * MM,
                    "bottom": (baseline + size * 0.12) * MM,
                    "size": size * MM,
                }
            )
            x += width
    return out


def _path_edges(obj: Any) -> list[dict[str, Any]]:
    """The straight horizontal and vertical segments of a path: the table's ruling lines."""
    box = _box(obj.get("Boundary")) or (0.0, 0.0, 0.0, 0.0)
    tokens = (_first_text(obj, "AbbreviatedData") or "").split()
    points: list[tuple[float, float]] = []
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    start: tuple[float, float] | None = None
    args = {"M": 2, "L": 2, "B": 6, "Q": 4, "A": 7, "C": 0, "S": 2}
    i = 0
    while i < len(tokens):
        op = tokens[i]
        n = args.get(op)
        if n is None:  # a stray number or an unknown operator: skip it
            i += 1
            continue
        try:
            nums = [float(t) for t in tokens[i + 1 : i + 1 + n]]
        except ValueError:
            break
        i += 1 + n
        if op in ("M", "S") and len(nums) == 2:
            start = (box[0] + nums[0], box[1] + nums[1])
            points = [start]
        elif op == "L" and len(nums) == 2 and points:
            p = (box[0] + nums[0], box[1] + nums[1])
            segments.append((points[-1], p))
            points.append(p)
        elif op == "C" and points and start is not None:
            segments.append((points[-1], start))
            points = [start]
        elif n and len(nums) >= 2:  # a curve: its end point, no ruling line
            points.append((box[0] + nums[-2], box[1] + nums[-1]))
    return [e for a, b in segments if (e := _edge(a, b)) is not None]


def _edge(a: tuple[float, float], b: tuple[float, float]) -> dict[str, Any] | None:
    """A segment as pdfplumber's edge dict (points), if it is horizontal or vertical."""
    (x0, y0), (x1, y1) = sorted([a, b])
    x0, x1, top, bottom = x0 * MM, x1 * MM, min(y0, y1) * MM, max(y0, y1) * MM
    if bottom - top < 0.5 and x1 - x0 > 1:
        orientation, bottom = "h", top
    elif x1 - x0 < 0.5 and bottom - top > 1:
        orientation, x1 = "v", x0
    else:
        return None
    return edge(x0, x1, top, bottom, orientation)
