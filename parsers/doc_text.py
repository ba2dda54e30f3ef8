"""The text of a Word 97–2003 (.doc) or WPS report, as lines: the flattened-text reader takes it
from there, as it does for PDFs.

Such a file is an OLE compound file (read with olefile). Its WordDocument stream holds the
text in pieces, listed by the piece table (the CLX, in the 0Table/1Table stream): each piece
is UTF-16 or, "compressed", one byte per character. A table cell's text ends with \\x07, a
paragraph with \\r. Both become line breaks, so a table comes out a cell per line with blank
cells gone: exactly the flattened form the text reader rebuilds with the identities, flagging
what they leave open. (Rebuilding the grid itself would need the row-end marks and cell
widths from the paragraph properties: not done.)

Field codes (\\x13 instruction \\x14 result \\x15) keep their result only; other control
characters (pictures, footnote marks) go.
"""

from __future__ import annotations

import re
import struct
from typing import Callable

import olefile

MAX_TEXT = 5_000_000  # characters; an annual report has tens of thousands
_BREAKS = re.compile(r"[\r\n\x07\x0b\x0c\x0e]")  # paragraph, cell / row end, line, page, column
_CONTROL = re.compile(r"[\x00-\x06\x08\x0f-\x1f]")  # pictures, drawn objects, note marks: not text
_WORD97_NFIB = 0x00C1  # Word 6 and 95 (nFib below this) use another layout


class DocError(ValueError):
    """Not a readable Word 97–2003 document; the message says why."""


def is_word_document(data: bytes) -> bool:
    """An OLE file with a WordDocument stream (DOC, WPS); XLS and others have none."""
    try:
        with olefile.OleFileIO(data) as ole:
            return bool(ole.exists("WordDocument"))
    except Exception:  # noqa: BLE001 - olefile raises many kinds on damaged files: not a document
        return False


def doc_lines(data: bytes) -> list[str]:
    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("WordDocument"):
                raise DocError("an OLE file without a WordDocument stream (XLS or another Office file)")
            word = ole.openstream("WordDocument").read()
            text = _main_text(word, lambda name: ole.openstream(name).read() if ole.exists(name) else None)
    except DocError:
        raise
    except (struct.error, OSError, ValueError, IndexError, KeyError) as exc:
        raise DocError(f"the Word file cannot be read ({type(exc).__name__}: {str(exc)[:120]})") from None
    lines = [" ".join(ln.split()) for ln in _BREAKS.split(_CONTROL.sub("", _field_results(text)))]
    lines = [ln for ln in lines if ln]
    if sum(len(ln) for ln in lines) < 50:
        raise DocError("the Word file holds almost no text (its tables may be images)")
    return lines


def _main_text(word: bytes, stream: Callable[[str], bytes | None]) -> str:
    """The main document's characters, from the File Information Block and the piece table."""
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident != 0xA5EC:
        raise DocError("the WordDocument stream does not start with a Word file header")
    if nfib < _WORD97_NFIB:
        raise DocError(f"a Word 6/95 file (nFib {nfib}): only Word 97 and later are read")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & 0x0100:
        raise DocError("the Word file is encrypted")
    table_name = "1Table" if flags & 0x0200 else "0Table"
    table = stream(table_name)
    if table is None:
        raise DocError(f"the Word file has no {table_name} stream")
    ccp_text = struct.unpack_from("<i", word, 0x4C)[0]
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    if not 0 <= ccp_text <= MAX_TEXT:
        raise DocError(f"the Word file claims {ccp_text} characters of text")
    pieces = _pieces(table[fc_clx : fc_clx + lcb_clx])
    out: list[str] = []
    for cp_start, cp_end, fc in pieces:
        if cp_start >= ccp_text:
            break
        n = min(cp_end, ccp_text) - cp_start
        if fc & 0x40000000:  # compressed: one byte per character (cp1252, as the format says)
            start = (fc & ~0x40000000) // 2
            out.append(word[start : start + n].decode("cp1252", "replace"))
        else:
            out.append(word[fc : fc + 2 * n].decode("utf-16-le", "replace"))
    return "".join(out)


def _pieces(clx: bytes) -> list[tuple[int, int, int]]:
    """(first CP, end CP, FC) of every piece: the Prc blocks are skipped, the Pcdt read."""
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: property modifiers, not text
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 0x02:
        raise DocError("the Word file's piece table is missing or damaged")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5 : i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n < 1:
        raise DocError("the Word file's piece table is empty")
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    return [(cps[k], cps[k + 1], struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]) for k in range(n)]


def _field_results(text: str) -> str:
    """Drop field instructions (\\x13 … \\x14), keep field results (\\x14 … \\x15); fields nest."""
    if "\x13" not in text:
        return text
    out: list[str] = []
    stack: list[bool] = []  # per open field: whether its result part has begun
    for part in re.split(r"([\x13\x14\x15])", text):
        if part == "\x13":
            stack.append(False)
        elif part == "\x14":
            if stack:
                stack[-1] = True
        elif part == "\x15":
            if stack:
                stack.pop()
        elif all(stack):
            out.append(part)
    return "".join(out)
