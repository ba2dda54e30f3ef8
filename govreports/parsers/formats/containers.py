"""What a document container holds, from its member names: an OLE compound file (DOC, WPS,
XLS, ET) or a ZIP package (DOCX, XLSX) is the same container whatever it carries."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

import olefile

MAGIC = b"\xd0\xcf\x11\xe0"
Kind = Literal["word", "workbook", "other", "damaged"]


def ole_kind(data: bytes) -> Kind | None:
    """None when the bytes are no OLE file at all."""
    if not data.startswith(MAGIC):
        return None
    try:
        with olefile.OleFileIO(data) as ole:
            if ole.exists("WordDocument"):
                return "word"
            if ole.exists("Workbook") or ole.exists("Book"):  # BIFF8, BIFF5
                return "workbook"
            return "other"
    except Exception:  # noqa: BLE001 - olefile raises many kinds on a damaged container
        return "damaged"


def zip_has(data: bytes, member: str) -> bool:
    """A ZIP package holding the member: word/document.xml for DOCX, xl/workbook.xml for XLSX."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return member in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
