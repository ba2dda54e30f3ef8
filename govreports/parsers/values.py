"""Reading one printed cell: number, blank or not applicable — and never confusing the three.

TABLES.md "Cell values": "12", "1,234", "１２", "+3", "0.5", "251000元", "22（其中修订16件）" are
numbers; "", &nbsp; are blank; "/", "—", "-", "无", "不适用" are not applicable. A cell that is
none of these is reported as missing with its raw text, so nobody mistakes it for a value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from govreports.parsers.statuses import Basis, CellStatus

Number = int | float

NA_MARKS = frozenset(
    {"/", "／", "\\", "—", "——", "-", "--", "－", "–", "无", "不适用", "/ /", "—/—", "×", "x", "X"}
)
_UNIT = r"(?P<unit>万元|亿元|元|件|个|项|条|次|人次|宗)?"
_NUMBER = re.compile(
    r"^(?P<sign>[+-])?\s*(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?\s*"
    + _UNIT
    + r"\s*(?P<note>[(（].*[)）])?$"
)
_NOTE_START = re.compile(r"[(（]")


@dataclass(frozen=True, slots=True)
class CellValue:
    value: Number | None
    status: CellStatus  # inferred and ambiguous only from flattened text
    raw: str | None
    unit: str | None = None
    candidates: tuple[Number, ...] | None = None  # ambiguous cells only
    # Why an inferred value is what it is (statuses.Basis): the assumption that decided it.
    basis: Basis | None = None
    confidence: float | None = None  # OCR's: the lowest of the recognizer's boxes in the cell


# Two digit groups with a space or line break between them ("1 2", "1<br>2") are two numbers
# in one cell, or a broken one: never read as 12.
_SPLIT_DIGITS = re.compile(r"[0-9\uff10-\uff19]\s+[0-9\uff10-\uff19]")
_FULL_WIDTH = re.compile("([\uff01-\uff5e\u3000]+)")
TO_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """NFKC turns full-width digits, signs and brackets into ASCII; spaces of any kind go.

    Full-width forms are most of what NFKC changes in Chinese text, and NFKC over a whole page
    costs more than the rest of the page's text handling: they are mapped first, and NFKC runs
    only if something else still needs it. Same result. The full-width runs are cut out, mapped
    in one translate() and put back, without a Python call per run."""
    parts = _FULL_WIDTH.split(text)
    if len(parts) > 1:
        parts[1::2] = "\0".join(parts[1::2]).translate(TO_ASCII).split("\0")  # runs hold no NUL
        text = "".join(parts)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split())  # str.split() and re's \s agree on what whitespace is


def to_number(sign: str | None, integer: str, frac: str | None) -> Number:
    digits = integer.replace(",", "")
    value: Number = float(f"{digits}.{frac}") if frac else int(digits)
    return -value if sign == "-" else value


@lru_cache(maxsize=16384)
def read_cell(raw: str | None) -> CellValue:
    """Remembered: a page's cells are mostly the same few texts ("0", "", "1"), every page
    of a crawl repeats them, and a CellValue is immutable, so one object serves them all."""
    if raw is None:
        return CellValue(None, CellStatus.MISSING, None)
    # Fast paths for the common cases, without NFKC and regex.
    if raw.isascii() and raw.isdigit():
        return CellValue(int(raw), CellStatus.REPORTED, raw)
    if not raw or raw.isspace():
        return CellValue(None, CellStatus.BLANK, raw)
    if "\u4e00" <= raw[0] <= "\u9fff" and raw.strip() not in NA_MARKS:
        return CellValue(None, CellStatus.MISSING, raw)  # a label, not a value
    if _SPLIT_DIGITS.search(raw) or _digit_marks(_NOTE_START.split(raw, 1)[0]):
        return CellValue(None, CellStatus.MISSING, raw)
    s = fold(raw)
    if not s:
        return CellValue(None, CellStatus.BLANK, raw)
    if s in NA_MARKS:
        return CellValue(None, CellStatus.NA, raw)
    m = _NUMBER.match(s)
    if m is None:
        return CellValue(None, CellStatus.MISSING, raw)
    value = to_number(m.group("sign"), m.group("int"), m.group("frac"))
    return CellValue(value, CellStatus.REPORTED, raw, m.group("unit"))


def _digit_marks(text: str) -> bool:
    """Characters that NFKC turns into digits but that are no digits of the number: circled,
    superscript and parenthesised ones (①, ¹, ⑴) mark footnotes, and "3①" must not read as
    31. Only ASCII and full-width digits make numbers; a bracketed note may hold anything."""
    for ch in text:
        if (
            ch > "\x7f"
            and not "\uff10" <= ch <= "\uff19"
            and any("0" <= d <= "9" for d in unicodedata.normalize("NFKC", ch))
        ):
            return True
    return False


# A value printed but not read: OCR marks a number it is unsure of, or ink it could not read, with
# a leading "?" (formats/ocr.py). Such a cell stands where a value stands, not a label.
UNSURE = "?"
_UNSURE_VALUE = re.compile(r"\?[0-9.,]*")


def is_unsure(raw: str | None) -> bool:
    return raw is not None and _UNSURE_VALUE.fullmatch(raw.strip()) is not None


def is_value_text(raw: str) -> bool:
    """Whether a table cell holds a value (number, blank or n/a) rather than a label."""
    return read_cell(raw).status != CellStatus.MISSING
