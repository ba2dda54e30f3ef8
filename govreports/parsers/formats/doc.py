"""A Word 97–2003 (.doc) or WPS report as HTML, its tables rebuilt as <table> markup, so the
table reader takes it from there as it does for DOCX.

Such a file is an OLE compound file (opened with olefile). Its WordDocument stream holds the
text in pieces, listed by the piece table (the CLX, in the 0Table/1Table stream): each piece
UTF-16 or, "compressed", one byte per character. A cell's text ends with \\x07, a paragraph
with \\r; which \\x07 ends a table row, and where each cell's edges are, the paragraph
properties say (PAPX: sprmPFInTable, sprmPFTtp and sprmTDefTable, in the FKP pages listed by
the PlcBtePapx). Cell edges shared across rows give colspans; Word's vertical-merge flags give
rowspans. Blank cells stay cells, so blank is kept apart from a dropped cell.

When the properties cannot be read, the text comes out a cell per line, blank cells gone: the
flattened form the text reader rebuilds with the identities, flagging what they leave open.
Field codes (\\x13 instruction \\x14 result \\x15) keep their result only; other control
characters (pictures, footnote marks) go. Text the page does not show is dropped: hidden runs
and text deleted under tracked changes (sprmCFVanish, sprmCFRMarkDel in the CHPX pages) are in
the text stream, and a deleted "9" before "12" must not read as 912.
"""

from __future__ import annotations

import re
import struct
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

import olefile

from govreports.parsers.formats import markup
from govreports.parsers.formats.errors import NoText

MAX_TEXT = 5_000_000  # characters; an annual report has tens of thousands
_CONTROL = re.compile(r"[\x00-\x06\x08\x0f-\x1f]")  # pictures, drawn objects, note marks: not text
_LINE = re.compile(r"[\x0b\x0c\x0e]")  # line, page and column breaks inside a paragraph
_WORD97_NFIB = 0x00C1  # Word 6 and 95 (nFib below this) use another layout
# Paragraph property modifiers (sprms) read here; [MS-DOC] 2.6.
_IN_TABLE, _TTP, _DEF_TABLE, _DEF_TABLE_10, _CHANGE_TABS = 0x2416, 0x2417, 0xD608, 0xD606, 0xC615
_HUGE_PAPX = 0x6646  # properties too big for their page live in the Data stream
# Character property modifiers: hidden text, and text deleted under tracked changes. Neither is
# on the printed page; both are in the text stream.
_VANISH, _DELETED, _STRIKE, _DOUBLE_STRIKE = 0x083C, 0x0800, 0x0837, 0x2A53
_NOT_SHOWN = (_VANISH, _DELETED, _STRIKE, _DOUBLE_STRIKE)  # struck out: a correction, as <del>
_EDGE_SLACK = 20  # twips: cell edges this close are one grid line


class DocError(ValueError):
    """Not a readable Word 97–2003 document; the message says why."""


class DocNoText(DocError, NoText):
    """A DOC with no text to read: its tables are images."""


@dataclass(frozen=True, slots=True)
class _Piece:
    cp: int  # first character position
    end: int
    start: int  # byte offset in the WordDocument stream
    width: int  # bytes per character: 1 (compressed, cp1252) or 2 (UTF-16)


@dataclass(frozen=True, slots=True)
class _RowDef:
    edges: tuple[int, ...]  # cell edges in twips, one more than cells
    flags: tuple[int, ...]  # per cell: Word's TCGRF (merge bits)


@dataclass(frozen=True, slots=True)
class _Mark:
    in_table: bool
    row_end: bool
    row: _RowDef | None


def doc_html(data: bytes) -> str:
    """The document as HTML: tables as <table> markup where the paragraph properties mark
    their rows, else a paragraph per cell."""
    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("WordDocument"):
                raise DocError(
                    "an OLE file without a WordDocument stream (XLS or another Office file)"
                )
            word = ole.openstream("WordDocument").read()
            table_name = "1Table" if _flags(word) & 0x0200 else "0Table"
            if not ole.exists(table_name):
                raise DocError(f"the Word file has no {table_name} stream")
            table = ole.openstream(table_name).read()
            extra = ole.openstream("Data").read() if ole.exists("Data") else b""
        ccp_text = struct.unpack_from("<i", word, 0x4C)[0]
        if not 0 <= ccp_text <= MAX_TEXT:
            raise DocError(f"the Word file claims {ccp_text} characters of text")
        pieces = _pieces(table, *struct.unpack_from("<II", word, 0x1A2))
        text = _hide_field_codes(_main_text(word, pieces, ccp_text))
        try:
            text = _hide_runs(
                text, _hidden_runs(word, table, pieces, *struct.unpack_from("<II", word, 0xFA))
            )
        except (struct.error, IndexError, ValueError):
            pass  # character properties unreadable: every character taken as shown
        try:
            marks = _paragraph_marks(
                word, table, extra, pieces, *struct.unpack_from("<II", word, 0x102)
            )
        except (struct.error, IndexError, ValueError):
            marks = {}  # properties unreadable: the text alone, a cell per line
    except DocError:
        raise
    except (struct.error, OSError, ValueError, IndexError, KeyError) as exc:
        raise DocError(
            f"the Word file cannot be read ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None
    body = _rejoin("".join(_blocks(text, marks)))
    if len(re.sub(r"<[^>]+>|\s", "", body)) < 50:  # markup and spaces aside
        raise DocNoText("the Word file holds almost no text (its tables may be images)")
    return markup.document(body)


def _flags(word: bytes) -> int:
    """The File Information Block's checks; its flags word."""
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident != 0xA5EC:
        raise DocError("the WordDocument stream does not start with a Word file header")
    if nfib < _WORD97_NFIB:
        raise DocError(f"a Word 6/95 file (nFib {nfib}): only Word 97 and later are read")
    flags: int = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & 0x0100:
        raise DocError("the Word file is encrypted")
    return flags


def _pieces(table: bytes, fc_clx: int, lcb_clx: int) -> list[_Piece]:
    """The piece table: Prc blocks (property modifiers) skipped, the Pcdt read."""
    clx = table[fc_clx : fc_clx + lcb_clx]
    i = 0
    while i < len(clx) and clx[i] == 0x01:
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 0x02:
        raise DocError("the Word file's piece table is missing or damaged")
    lcb = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5 : i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n < 1:
        raise DocError("the Word file's piece table is empty")
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    pieces = []
    for k in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(fc & 0x40000000)
        start = (fc & ~0x40000000) // 2 if compressed else fc
        pieces.append(_Piece(cps[k], cps[k + 1], start, 1 if compressed else 2))
    return pieces


def _main_text(word: bytes, pieces: list[_Piece], ccp_text: int) -> str:
    """The main document's characters, one str character per character position (CP), so
    positions found in the paragraph properties index it directly."""
    out: list[str] = []
    for p in pieces:
        if p.cp >= ccp_text:
            break
        n = min(p.end, ccp_text) - p.cp
        raw = word[p.start : p.start + n * p.width]
        if p.width == 1:
            out.append(raw.decode("cp1252", "replace"))
            continue
        units = len(raw) // 2
        text = raw.decode("utf-16-le", "replace")
        if len(text) != units:  # surrogate pairs joined: keep one character per code unit
            text = "".join(map(chr, struct.unpack(f"<{units}H", raw[: 2 * units])))
        out.append(text)
    return "".join(out)


def _rejoin(text: str) -> str:
    """Surrogate halves kept apart for position counting, joined again."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _hide_field_codes(text: str) -> str:
    """Field instructions (\\x13 … \\x14) and the field marks become \\x00, results stay:
    the text keeps its length, so character positions still hold. Fields nest."""
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
            continue
        out.append("\x00" * len(part))
    return "".join(out)


def _fkp_runs(
    word: bytes, table: bytes, fc: int, lcb: int, entry: int
) -> Iterator[tuple[bytes, int, int, int]]:
    """(page, first byte, end byte, properties offset) of every run with properties in the
    formatted-disk pages a PlcBte lists (PAPX pages: 13-byte entries; CHPX pages: 1-byte)."""
    plc = table[fc : fc + lcb]
    n = max((len(plc) - 4) // 8, 0)
    pages = {struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * k)[0] & 0x3FFFFF for k in range(n)}
    for pn in sorted(pages):  # each page once: a damaged table cannot make the work grow
        page = word[pn * 512 : pn * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        bounds = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for j in range(crun):
            offset = 2 * page[4 * (crun + 1) + entry * j]
            if offset:  # 0: no properties, a plain run
                yield page, bounds[j], bounds[j + 1], offset


def _paragraph_marks(
    word: bytes, table: bytes, extra: bytes, pieces: list[_Piece], fc: int, lcb: int
) -> dict[int, _Mark]:
    """Character position of every paragraph mark in a table → what its properties say."""
    by_start = sorted(pieces, key=lambda p: p.start)
    marks: dict[int, _Mark] = {}
    for page, _, end, offset in _fkp_runs(word, table, fc, lcb, 13):
        mark = _mark(_grpprl(page, offset), extra)
        cp = _cp_of_mark(by_start, end)
        if mark is not None and cp is not None:
            marks[cp] = mark
    return marks


def _hidden_runs(
    word: bytes, table: bytes, pieces: list[_Piece], fc: int, lcb: int
) -> list[tuple[int, int]]:
    """Character-position ranges of hidden, deleted or struck-out runs, from the CHPX pages (PlcBteChpx)."""
    runs: list[tuple[int, int]] = []
    for page, start, end, offset in _fkp_runs(word, table, fc, lcb, 1):
        grpprl = page[offset + 1 : offset + 1 + page[offset]]
        if any(
            sprm in _NOT_SHOWN and operand[:1] in (b"\x01", b"\x81")
            for sprm, operand in _sprms(grpprl)
        ):
            runs += _cp_ranges(pieces, start, end)
    return runs


def _cp_ranges(pieces: list[_Piece], fc_start: int, fc_end: int) -> list[tuple[int, int]]:
    """The character positions a byte range of the WordDocument stream holds, piece by piece."""
    out = []
    for p in pieces:
        lo, hi = max(fc_start, p.start), min(fc_end, p.start + (p.end - p.cp) * p.width)
        if lo < hi:
            out.append(
                (p.cp + (lo - p.start) // p.width, p.cp + (hi - p.start + p.width - 1) // p.width)
            )
    return out


def _hide_runs(text: str, runs: list[tuple[int, int]]) -> str:
    """Hidden characters become \x00 (dropped later); paragraph and cell marks stay, they hold
    the structure. The text keeps its length."""
    if not runs:
        return text
    chars = list(text)
    covered = 0  # runs merged first: each character is looked at once, however the runs overlap
    for start, end in sorted(runs):
        for i in range(max(start, covered, 0), min(end, len(chars))):
            if chars[i] not in "\r\x07":
                chars[i] = "\x00"
        covered = max(covered, end)
    return "".join(chars)


def _grpprl(page: bytes, offset: int) -> bytes:
    """A PapxInFkp's property modifiers (after the 2-byte style index)."""
    cb = page[offset]
    if cb:
        papx = page[offset + 1 : offset + 1 + 2 * cb - 1]
    else:
        papx = page[offset + 2 : offset + 2 + 2 * page[offset + 1]]
    return papx[2:]


def _sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """(sprm, operand) pairs; the operand's size follows from the sprm ([MS-DOC] 2.2.5.1)."""
    i = 0
    while i + 2 <= len(grpprl):
        sprm = grpprl[i] | grpprl[i + 1] << 8
        i += 2
        spra = sprm >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif sprm in (_DEF_TABLE, _DEF_TABLE_10):
            size = struct.unpack_from("<H", grpprl, i)[0] + 1
        elif sprm == _CHANGE_TABS and grpprl[i] == 255:
            j = i + 1
            j += 1 + 4 * grpprl[j]  # tabs deleted: positions and tolerances
            j += 1 + 3 * grpprl[j]  # tabs added: positions and descriptors
            size = j - i
        else:
            size = 1 + grpprl[i]
        yield sprm, grpprl[i : i + size]
        i += size


def _mark(grpprl: bytes, extra: bytes) -> _Mark | None:
    in_table = row_end = False
    row: _RowDef | None = None
    for sprm, operand in _sprms(grpprl):
        if sprm == _HUGE_PAPX and len(operand) == 4:  # PrcData: 2-byte size, then the modifiers
            at = struct.unpack("<I", operand)[0]
            size = struct.unpack_from("<h", extra, at)[0]
            return _mark(extra[at + 2 : at + 2 + max(size, 0)], b"")
        if sprm == _IN_TABLE:
            in_table = operand[:1] == b"\x01"
        elif sprm == _TTP:
            row_end = operand[:1] == b"\x01"
        elif sprm == _DEF_TABLE and len(operand) >= 3:
            row = _row_def(operand[2:])
    return _Mark(in_table, row_end, row) if in_table or row_end else None


def _row_def(data: bytes) -> _RowDef | None:
    """TDefTableOperand: cell count, cell edges (twips), then a TC80 (20 bytes) per cell."""
    cells = data[0]
    if len(data) < 1 + 2 * (cells + 1):
        return None
    edges = struct.unpack_from(f"<{cells + 1}h", data, 1)
    at = 1 + 2 * (cells + 1)
    flags = tuple(
        struct.unpack_from("<H", data, at + 20 * i)[0] if at + 20 * i + 2 <= len(data) else 0
        for i in range(cells)
    )
    return _RowDef(edges, flags)


def _cp_of_mark(by_start: list[_Piece], fc_end: int) -> int | None:
    """The character position of the paragraph mark ending just before byte fc_end; pieces
    sorted by where their bytes start (they do not overlap)."""
    for width in (2, 1):
        at = fc_end - width
        i = bisect_right(by_start, at, key=lambda p: p.start) - 1
        if i >= 0:
            p = by_start[i]
            if (
                p.width == width
                and at < p.start + (p.end - p.cp) * width
                and (at - p.start) % width == 0
            ):
                return p.cp + (at - p.start) // width
    return None


@dataclass
class _Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class _Table:
    rows: list[tuple[list[str], _RowDef | None]] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the row being read
    parts: list[str] = field(default_factory=list)  # the cell being read, by paragraph


def _blocks(text: str, marks: dict[int, _Mark]) -> Iterator[str]:
    """HTML blocks in document order: <p> per paragraph, <table> per run of table rows."""
    table = _Table()
    pos = 0
    for m in re.finditer(r"[\r\x07]", text):
        segment, pos = text[pos : m.start()], m.end()
        mark = marks.get(m.start())
        if m.group() == "\x07" and mark is not None and mark.row_end:
            table.rows.append((table.cells, mark.row))
            table.cells, table.parts = [], []
        elif m.group() == "\x07":
            table.cells.append("\n".join([*table.parts, segment]))
            table.parts = []
        elif mark is not None and mark.in_table:
            table.parts.append(segment)
        else:
            yield from _flush(table)
            table = _Table()
            yield _paragraph(segment)
    yield from _flush(table)
    if pos < len(text):
        yield _paragraph(text[pos:])


def _paragraph(text: str) -> str:
    return "".join(
        markup.paragraph(line) for line in _LINE.split(_CONTROL.sub("", text)) if line.strip()
    )


def _flush(table: _Table) -> Iterator[str]:
    if table.rows:
        yield _table_html(table.rows)
    for text in [*table.cells, *table.parts]:  # cells of a row whose end was never marked
        yield _paragraph(text)


def _table_html(rows: list[tuple[list[str], _RowDef | None]]) -> str:
    grid = _grid_lines([d for _, d in rows if d is not None])
    out: list[list[_Cell]] = []
    above: dict[int, _Cell] = {}  # grid column → the cell a vertical merge continues
    for texts, row_def in rows:
        cells: list[_Cell] = []
        geometry = row_def is not None and len(row_def.edges) == len(texts) + 1
        for i, text in enumerate(texts):
            if not geometry or row_def is None:
                cells.append(_Cell(text))
                continue
            start = _column(grid, row_def.edges[i])
            span = max(1, _column(grid, row_def.edges[i + 1]) - start)
            flags = row_def.flags[i]
            horizontal, vertical = flags & 0x3, (flags >> 5) & 0x3
            if horizontal >= 2 and cells:  # merged into the cell before it
                cells[-1].colspan += span
                cells[-1].text = "\n".join(t for t in (cells[-1].text, text) if t.strip())
                continue
            if vertical == 1 and start in above and not text.strip():  # continues the cell above
                above[start].rowspan += 1
                continue
            cell = _Cell(text, span)
            cells.append(cell)
            if vertical == 3:
                above[start] = cell
            else:
                above.pop(start, None)
        out.append(cells)
    body = "".join(
        "<tr>"
        + "".join(
            markup.td(_LINE.sub("\n", _CONTROL.sub("", c.text)), c.colspan, c.rowspan)
            for c in cells
        )
        + "</tr>"
        for cells in out
    )
    return f"<table>{body}</table>"


def _grid_lines(row_defs: list[_RowDef]) -> list[int]:
    """Every row's cell edges, edges closer than _EDGE_SLACK taken as one line."""
    lines: list[int] = []
    for x in sorted({x for d in row_defs for x in d.edges}):
        if not lines or x - lines[-1] > _EDGE_SLACK:
            lines.append(x)
    return lines


def _column(lines: list[int], x: int) -> int:
    i = bisect_left(lines, x - _EDGE_SLACK)
    return min(i, len(lines) - 1) if lines else 0
