"""Bytes to text, choosing the encoding the way the page's bytes prove right.

Precedence (each declared encoding is verified against the bytes before it is believed):
  1. a byte-order mark;
  2. the HTTP Content-Type charset — only when the server sent one: requests' ISO-8859-1
     default for text/* is not a declaration and is ignored;
  3. <meta charset> / <meta http-equiv="Content-Type"> in the first 4 KB;
  4. detection: strict UTF-8, then strict GB18030, then charset-normalizer.
gb2312 and gbk are read as gb18030, their superset (real "gb2312" pages use GBK characters).
A declaration is overruled when the bytes contradict it: a UTF-8 page labelled gb2312 still
decodes "successfully" as GB18030 into mojibake, so a declared legacy encoding loses to bytes
that are valid multi-byte UTF-8, and a declared UTF-8 loses when the bytes are not UTF-8.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "utf8": "utf-8",
    "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1",
}
_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SINGLE_BYTE = {"latin-1", "ascii", "us-ascii", "windows-1252", "cp1252"}


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can defend."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    how: str  # bom | http | meta | detected
    notes: tuple[str, ...] = ()


def canonical(name: str) -> str | None:
    name = name.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        return _ALIASES.get(codecs.lookup(name).name, codecs.lookup(name).name)
    except LookupError:
        return None


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == "content-type":
            m = _HEADER_CHARSET.search(value)
            return m.group(1) if m else None
    return None


def _is_multibyte_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in data)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _believable(data: bytes, encoding: str) -> str | None:
    """The text if the bytes agree with a declared encoding, else None."""
    if encoding != "utf-8" and _is_multibyte_utf8(data):
        return None  # the bytes are UTF-8: the declaration lies
    if encoding in _SINGLE_BYTE and any(b >= 0x80 for b in data):
        return None  # Chinese text is never really Latin-1; such a label is a server default
    return _try(data, encoding)


def decode(data: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return Decoded(text, encoding.replace("-le", "").replace("-be", ""), "bom")
    notes: list[str] = []
    declared: list[tuple[str, str | None]] = [("http", header_charset(headers))]
    m = _META.search(data[:4096])
    declared.append(("meta", m.group(1).decode("ascii", "replace") if m else None))
    for how, name in declared:
        if not name:
            continue
        declared_encoding = canonical(name)
        if declared_encoding is None:
            notes.append(f"{how} charset {name!r} is unknown")
            continue
        believed = _believable(data, declared_encoding)
        if believed is not None:
            return Decoded(believed, declared_encoding, how, tuple(notes))
        notes.append(f"{how} charset {name!r} contradicted by the bytes")
    for encoding in ("utf-8", "gb18030"):
        detected = _try(data, encoding)
        if detected is not None:
            return Decoded(detected, encoding, "detected", tuple(notes))
    return _detect_lossy(data, notes)


def _detect_lossy(data: bytes, notes: list[str]) -> Decoded:
    """No encoding decodes every byte: accept a few bad bytes, refuse garbage."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    candidates = [canonical(best.encoding)] if best is not None else []
    candidates += ["gb18030", "utf-8"]
    for encoding in candidates:
        if not encoding:
            continue
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(8, len(text) // 500):
            notes.append(f"{bad} undecodable byte sequence(s) replaced with U+FFFD")
            return Decoded(text, encoding, "detected", tuple(notes))
    raise DecodeError("the bytes are not text in UTF-8, GB18030 or any detectable encoding")
