"""Where a flattened table's rows are, and what was printed in each.

Two ways in. Forms a, b, d (a cell or a row per line): lines are read in order, a label line
opens a row and the numbers after it (on its line or the next ones) are its tokens; labels that
wrap or break into characters are followed. Form c (digits glued to labels, crawler dumps): the
text is scanned for the template's row labels in order, and the characters between one label
and the next are the row's runs, each possibly several cells (readings.py cuts them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from govreports.parsers.registry import BlockDef, RowDef, TableDef, Template
from govreports.parsers.statuses import CellStatus
from govreports.parsers.tables.grid import row_matcher
from govreports.parsers.tables.labels import ENUMERATOR, FUZZY, normalize
from govreports.parsers.tables.labels import NOISE as _NOISE
from govreports.parsers.values import NA_MARKS, TO_ASCII, CellValue, fold, read_cell

_SECTION_START = re.compile(r"主动公开政府信息情况|收到和处理政府信息公开申请情况|第二十条")
_SECTION_END = re.compile(r"^[五5][、.．]?.{0,20}(问题|改进)")
_APPEALS_HEADING = re.compile(r"行政复议.{0,3}行政诉讼")

# Page numbers of PDF text ("- 4 -", "第 3 页") sit between a table's rows.
PAGE_MARK = re.compile(r"^[-—–－]\s*\d{1,3}\s*[-—–－]$|^第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?$")
_ENUMERATED = re.compile(r"^\s*[(（]?[一二三四五六七八九十\d]+[)）、.．]")


Hit = tuple[RowDef, TableDef, BlockDef]  # the row a label names, its table and its block


@dataclass(eq=False)
class Pool:
    """Lines of numbers printed apart from a block of labels, fewer than the labels (a table
    that leaves its empty rows out): which line is whose, apart.py decides, or nobody."""

    lines: list[list[CellValue]]


@dataclass
class TextRow:
    row: RowDef
    table: TableDef
    block: BlockDef
    tokens: list[CellValue]  # forms a, b, d: one token per printed cell
    runs: list[str] | None = None  # form c: space-separated runs, each holding one or more cells
    exact: bool = False  # the text admits one reading, taken verbatim: its cells are "reported"
    apart: bool = False  # its numbers were printed apart from its label, placed by order
    totals_assumed: bool = False  # its readings take its totals as filled (readings.RowReadings)
    pool: Pool | None = None  # its numbers are one of these lines, or none (labels printed apart)

    @property
    def atoms(self) -> int:
        return len(self.runs) if self.runs is not None else len(self.tokens)


def _split_line(line: str) -> tuple[list[str], list[CellValue]]:
    """A line's label words and the value tokens after them ("行政处罚 26 -3 40"): the values are
    the tokens after the last word that is not one (a label may hold a number: "3 .补正后…")."""
    parts = line.split()
    values: list[CellValue] = []
    while parts and (cell := read_cell(parts[-1])).status in (CellStatus.REPORTED, CellStatus.NA):
        values.append(cell)
        parts.pop()
    return parts, values[::-1]


def _line_items(line: str, template: Template) -> list[tuple[str, list[CellValue]]]:
    """A line's labels, each with its values: PDF text puts an empty row's label on one baseline
    with what follows ("二、上年结转…数量 三、本年度办理结果 （一）予以公开 5 5"), so words that
    name one row, then a group label, another row or a numbered beginning of one, are two labels,
    and so are words naming nothing before a numbered row's label; the values after the last word
    are the last label's. Never split a label that names one row whole."""
    words, values = _split_line(line)
    labels = _labels_in(tuple(words), template) if 2 <= len(words) <= MAX_LABEL_WORDS else None
    if labels is None:
        return [("".join(words), values)]
    return [*((label, []) for label in labels[:-1]), (labels[-1], values)]


MAX_LABEL_WORDS = 24  # words of a line looked at for several labels (a longer line is prose)


@lru_cache(maxsize=4096)
def _labels_in(words: tuple[str, ...], template: Template) -> tuple[str, ...] | None:
    """The labels the words hold, when more than one (None: one label). Each suffix of the words
    is looked at once (remembered), so a line of many numbered words stays quadratic."""
    if normalize("".join(words)) in _exact_labels(template):
        return None
    for k in range(1, len(words)):
        left, right = "".join(words[:k]), words[k:]
        mine = _names(left, template)
        numbered = _ENUMERATED.match(right[0]) is not None
        if mine is None and not numbered:
            continue
        rest = _labels_in(right, template) or ("".join(right),)
        first = _names(rest[0], template)
        # the next row's label may be cut where it wraps ("2.重复申请 3.要求提 0 1" / "供公开出版物"):
        # its enumerator still says a row begins. And a numbered row's label after words that
        # name nothing (the last letter of a group label written down its cell: "理 （七）总计
        # 4 3") begins that row: the words are no wrapped tail of the row above.
        if (
            (mine is not None and first is not None and first != mine)
            or (mine is not None and first is None and numbered)
            or (mine is None and first is not None and numbered and isinstance(first, RowDef))
        ):
            return (left, *rest)
    return None


def _names(label: str, template: Template) -> object | None:
    """What a label names by itself: a row, or a row group (by its normalized text)."""
    if normalize(label) in _group_names(template):
        return normalize(label)
    hit = _label_row(label, template)
    return hit[0] if hit is not None else None


@lru_cache(maxsize=8)
def _exact_labels(template: Template) -> frozenset[str]:
    return frozenset(
        normalize(lab)
        for t in template.tables
        for b in t.blocks
        for r in b.rows
        for lab in r.labels
    )


def _region(lines: list[str]) -> list[str]:
    """From the first table heading (or 信息内容 header, for a fragment) to section 五."""
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if len(ln) <= 40 and (_SECTION_START.search(ln) or ln.startswith("信息内容"))
        ),
        None,
    )
    if start is None:
        return []
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if len(lines[i]) <= 60 and _SECTION_END.search(lines[i])
        ),
        len(lines),
    )
    return lines[start:end]


@lru_cache(maxsize=8)
def _column_words(template: Template) -> frozenset[str]:
    return frozenset(map(normalize, template.column_labels))


def _label_row(label: str, template: Template) -> Hit | None:
    norm = normalize(label)
    if norm in _column_words(template) and not _ENUMERATED.match(label):
        return None  # 总计 in a header line is a column, （七）总计 is the row
    matcher = row_matcher(template.id)
    if len(norm) > 2 * matcher.longest:
        return None  # longer than twice every label: the cover test below cannot pass (prose)
    hit = matcher(label)
    if hit is None or not hit[0].label:
        return None  # the appeals row has no label of its own ("数量" is a header word): found by its heading
    printed, own = _ENUMERATED.match(label), _ENUMERATED.match(hit[0].label)
    if printed and own:
        a, b = _enumerator(printed.group()), _enumerator(own.group())
        if a and b and a != b and a[0].isdigit() == b[0].isdigit():
            return None  # "2.其他…" is not "3.其他": the number says which row of its group it is
    # A row label must be most of the line: prose that merely mentions 行政许可 is not the row.
    cover = max(len(normalize(lab)) for lab in hit[0].labels)
    return hit if norm and cover / len(norm) >= 0.5 else None


@dataclass
class LineRows:
    rows: list[TextRow]
    problems: list[str]
    # tables whose numbers cannot be told apart from their rows' (labels printed apart from
    # numbers nobody can place, a row printed twice): an empty row there may have lost them
    stray: set[str]
    # (table, row) of the rows right beside numbers no row label claims: they may own them
    # (a label the reader could not name stands between), so they are read as nothing
    unsure: set[tuple[str, str]] = field(default_factory=set)


def _joined_wraps(lines: list[str], template: Template) -> list[tuple[str, list[CellValue]]]:
    """Each line's label and values, a label wrapped onto the next line joined back: PDF text
    puts a wrapped label's numbers beside its first part or its second ("四、结转下 0 13" /
    "年度继续办理"), and only the joined label names the row."""
    vertical = _vertical_labels(lines, template)
    split = [
        item
        for i, ln in enumerate(lines)
        if not PAGE_MARK.match(ln) and i not in vertical
        for item in _line_items(ln, template)
    ]
    out: list[tuple[str, list[CellValue]]] = []
    i = 0
    while i < len(split):
        label, values = split[i]
        if i + 1 < len(split) and label and _label_row(label, template) is None:
            nxt_label, nxt_values = split[i + 1]
            # a continuation never opens with an enumerator ("合法权益" + "5.属于三类…" are two rows)
            if (
                nxt_label
                and not (values and nxt_values)
                and not _ENUMERATED.match(nxt_label)
                and _label_row(label + nxt_label, template) is not None
            ):
                out.append((label + nxt_label, values or nxt_values))
                i += 2
                continue
        out.append((label, values))
        i += 1
    return out


_ENCLOSING = frozenset("()（）、")


@lru_cache(maxsize=8)
def _group_names(template: Template) -> frozenset[str]:
    return frozenset(normalize(g) for t in template.tables for g in t.group_labels)


@lru_cache(maxsize=8)
def _group_words(template: Template) -> tuple[str, ...]:
    """Each merged row-group label as its characters would stand down a cell: without
    punctuation, with and without its enumerator, longest first."""
    words = {
        w
        for t in template.tables
        for g in t.group_labels
        for w in (_NOISE.sub("", fold(g)), normalize(g))
        if len(w) >= 3
    }
    return tuple(sorted(words, key=len, reverse=True))


def _vertical_labels(lines: list[str], template: Template) -> set[int]:
    """Lines that are one character of a merged row-group label written down its cell (PDF
    text puts them one per line between the rows beside it: "（", "四", "）", "无", "法"…).
    Found as a run of one-character lines, in order and with rows between them, that spells a
    group label; only then is a lone "无" a letter of 无法提供 and not a cell's "no data"."""
    singles = [
        (i, ch)
        for i, ln in enumerate(lines)
        if len(s := ln.strip()) == 1 and not s.isdigit() and (ch := _NOISE.sub("", fold(s)))
    ]
    if len(singles) < 3:
        return set()
    spelled = "".join(ch for _, ch in singles)
    out: set[int] = set()
    for word in _group_words(template):
        at = spelled.find(word)
        while at >= 0:
            out.update(i for i, _ in singles[at : at + len(word)])
            at = spelled.find(word, at + len(word))
    if out:  # and the brackets around its enumerator ("（", "）", "、" lines) among them
        lo, hi = min(out), max(out)
        out.update(i for i in range(lo, hi + 1) if lines[i].strip() in _ENCLOSING)
    return out


def _enumerator(mark: str) -> str:
    return "".join(
        ch for ch in mark.translate(TO_ASCII) if ch.isdigit() or ch in "一二三四五六七八九十"
    )


MIN_APART = 3  # row labels in a block before their numbers are paired back by order

# How a line was placed: values beside their own label; paired with a label by order; a label
# or values printed apart, fewer lines than labels, placed by the identities if they decide it
# ("pool"); printed apart where nothing can say which numbers are whose ("unpaired").
Placed = Literal["own", "order", "pool", "unpaired"]


def _labels_apart(
    items: list[tuple[str, list[CellValue]]], template: Template
) -> list[tuple[str, list[CellValue], Placed, Pool | None]]:
    """Labels printed apart from their numbers (PDF text that gives a table's label column in
    one block and its rows of numbers in the next) paired back in order, only where the count
    decides it: as many unlabelled lines of numbers as row labels with none. With fewer lines
    (a table that leaves its empty rows out) the lines go to a Pool whose placement the
    identities decide (apart.py), never to the last label; with more, the numbers belong to rows
    nobody can name: they are stray, and the rows stay missing. Unless the table prints its
    numbers beside their labels elsewhere on the page: then the lines are a wrapped label's own
    numbers ("…逾期不补" / "正、…申请" / "67 3 0 0 1 0 71"). A row paired by order must then
    satisfy its identities (flat.py)."""
    items = list(items)  # a label named by its place below is written as the row's own
    hits = [_label_row(label, template) if label else None for label, _ in items]
    inline = {h[1].key for h, (_, values) in zip(hits, items) if h is not None and values}
    out: list[tuple[str, list[CellValue], Placed, Pool | None]] = []
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j][0] and not items[j][1]:
            j += 1  # a block of labels without numbers (group labels among them)
        rows = [k for k in range(i, j) if hits[k] is not None]
        m = j
        while len(rows) >= MIN_APART and m < len(items) and not items[m][0] and items[m][1]:
            m += 1  # then a block of numbers without labels (looked for only after labels: linear)
        # a row per line, never a cell per line (where labels and lone numbers alternate too)
        if len(rows) >= MIN_APART and m > j and all(len(items[k][1]) >= 2 for k in range(j, m)):
            # a line among the labels that names neither a row nor a row group may be a row
            # whose label was not recognized ("其他" for "3.其他"): then the count proves
            # nothing, unless its place among the labels names its row
            groups = _group_names(template)
            unknown = False
            for k in range(rows[0], rows[-1]):
                if hits[k] is None and normalize(items[k][0]) not in groups:
                    hits[k] = place = _named_by_place(k, hits, items, (i, j), groups)
                    if place is None:
                        unknown = True
                    else:
                        items[k] = (place[0].label, items[k][1])
            rows = [k for k in range(i, j) if hits[k] is not None]
            if m - j == len(rows) and not unknown:
                paired = dict(zip(rows, (items[k][1] for k in range(j, m))))
                out.extend((items[k][0], paired.get(k, []), "order", None) for k in range(i, j))
                i = m
                continue
            if not any(h is not None and h[1].key in inline for h in hits[i:j]):
                # one table's rows only: another table's lines could be among the numbers
                one_table = len({h[1].key for h in hits[i:j] if h is not None}) == 1
                if m - j < len(rows) and not unknown and one_table:
                    pool = Pool([items[k][1] for k in range(j, m)])
                    out.extend((items[k][0], [], "pool", pool) for k in range(i, j))
                else:
                    out.extend((*items[k], "unpaired", None) for k in range(i, m))
                i = m
                continue
        out.extend((*items[k], "own", None) for k in range(i, max(j, i + 1)))
        i = max(j, i + 1)
    return out


def _named_by_place(
    k: int,
    hits: list[Hit | None],
    items: list[tuple[str, list[CellValue]]],
    block: tuple[int, int],
    groups: frozenset[str],
) -> Hit | None:
    """The row a label no template row is named by stands for, by its place in a block of labels
    printed apart: labels keep the template's order, so a label alone between two named rows of
    one block, with exactly one row of the template between them not named in the block, is
    that row, if it looks like it (a typo, "（一）子以公开" or "2.重复申清"; too short to be matched
    by similarity alone). Anything else between them (another unknown line, two rows to choose
    from, a label unlike the row's) names nothing."""
    lo, hi = block
    before = next((x for x in range(k - 1, lo - 1, -1) if hits[x] is not None), None)
    after = next((x for x in range(k + 1, hi) if hits[x] is not None), None)
    if before is None or after is None:
        return None
    first, last = hits[before], hits[after]
    assert first is not None and last is not None
    if first[2] is not last[2]:
        return None
    others = [
        x
        for x in range(before + 1, after)
        if x != k and hits[x] is None and normalize(items[x][0]) not in groups
    ]
    keys = [r.key for r in first[2].rows]
    named = {h[0].key for h in hits[lo:hi] if h is not None}
    between = [
        r
        for r in first[2].rows[keys.index(first[0].key) + 1 : keys.index(last[0].key)]
        if r.key not in named
    ]
    if others or len(between) != 1:
        return None
    row, norm = between[0], normalize(items[k][0])
    alike = max(SequenceMatcher(None, norm, normalize(lab)).ratio() for lab in row.labels)
    return (row, first[1], first[2]) if alike >= LIKE_BY_PLACE else None


# How alike a label named by its place must be to its row's: one character in four may be off.
LIKE_BY_PLACE = 0.75


def collect_rows(lines: list[str], template: Template) -> LineRows:
    rows: list[TextRow] = []
    problems: list[str] = []
    stray_at: dict[
        int, int
    ] = {}  # where numbers no row claims stand (a position in rows): how many
    unpaired: set[str] = set()  # tables with labels printed apart from numbers nobody can place
    current: TextRow | None = None
    appeals = template.table("appeals")
    in_appeals = False
    for label, values, placed, pool in _labels_apart(
        _joined_wraps(_region(lines), template), template
    ):
        if placed == "unpaired" and not label:
            if len(rows) not in stray_at:
                problems.append(
                    "labels printed apart from their numbers, more lines of numbers than labels or "
                    "a line no template row is named by among the labels: whose numbers they are "
                    "cannot be told, and those rows are left missing"
                )
            stray_at[len(rows)] = stray_at.get(len(rows), 0) + len(values)
            current = None
            continue
        if label:
            hit = _label_row(label, template)
            if (
                hit is not None
                and current is not None
                and not current.tokens
                and hit[0] is current.row
            ):
                pass  # the label goes on: the same row named again by its second part
            elif hit is not None:
                current = TextRow(hit[0], hit[1], hit[2], [], apart=placed == "order", pool=pool)
                rows.append(current)
                if placed == "unpaired":
                    unpaired.add(hit[1].key)
                in_appeals = False
            elif _APPEALS_HEADING.search(label) and len(label) <= 40:
                block = appeals.blocks[0]
                current = TextRow(block.rows[0], appeals, block, [])
                rows.append(current)
                in_appeals = True
            elif (
                current is not None
                and not current.tokens
                and not in_appeals
                and not _ENUMERATED.match(label)
                and normalize(label) not in _column_words(template)
            ):
                pass  # the row's label wraps onto this line ("…只计这一情\n形，不计其他情形） 447 …")
            elif not in_appeals:
                current = None  # a header or group label ends the row's values
                if values and _ENUMERATED.match(label) and len(values) >= 3:
                    problems.append(
                        f"row not in the {template.id} template, skipped: {label[:40]!r} {' '.join(v.raw or '' for v in values)}"
                    )
        if values and current is not None:
            current.tokens.extend(values)
        elif values and rows:
            stray_at[len(rows)] = stray_at.get(len(rows), 0) + len(values)
    # numbers after a line no label claims are the row's above (the line was its wrapped end),
    # the row's below (its label wrapped around them) or an unnamed row's: never a row's further
    # off, since lines keep the rows' order, nor one that has no room left for them
    unsure = {
        (r.table.key, r.row.key)
        for at, count in stray_at.items()
        for r in rows[max(0, at - 1) : at + 1]
        if r.atoms + count <= len(r.block.cols)
    }
    stray = set(unpaired)
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in rows:
        if (r.table is appeals or r.row.role == "aggregate") and not r.tokens and r.pool is None:
            continue  # a heading or group label with no numbers: not a row printed empty
        key = (r.table.key, r.row.key)
        if key in seen:
            problems.append(f"row {r.table.key}/{r.row.key} printed twice; the first is kept")
            stray.add(r.table.key)
            continue
        seen.add(key)
        unique.append(r)
    return LineRows(unique, problems, stray, unsure)


# --- form c: rows found by scanning the text for their labels --------------------------------------

# The tables start at the first 第二十条第（一）项 header; prose above often names the sections too.
_REGION_STARTS = (
    re.compile(r"第二十条第.{0,6}项"),
    re.compile(r"主动公开政府信息情况"),
    re.compile(r"收到和处理政府信息公开申请情况"),
)
_REGION_END = re.compile(r"[五5][、.．].{0,20}?(?:问题|改进)")
_TRAILING_ENUMERATOR = re.compile(r"\d$")  # the template numbers its sub-rows 1 to 8


def _ascii(text: str) -> str:
    """Full-width forms to ASCII, one character for one: positions stay comparable."""
    return text.translate(TO_ASCII)


# A row enumerator in any style a page uses ("(二)", "二、", "2.", "2、", "(2)") standing right
# before a label's core (the row's own number, whatever the template prints; labels.ENUMERATOR
# is the one at a label's start). A digit enumerator takes one digit: the template numbers its
# sub-rows 1 to 8, so in "…1 12.属于" the cells are 1|1.
_ENUMERATOR_BEFORE = re.compile(
    r"(?:[(]\s*[一二三四五六七八九十\d]{1,2}\s*[)]|[一二三四五六七八九十]{1,2}\s*[、.,]|\d\s*[.、])\s*$"
)


_MIN_CORE = 4


def _core(label: str) -> str:
    """A label without its enumerator: what every page's spelling of the row shares. A short
    one keeps it: "其他" or "总计" alone stand in headers ("其他结果", "尚未审结总计") too."""
    core = ENUMERATOR.sub("", label, count=1).strip()
    return core if len(core) >= _MIN_CORE else label


_Entry = tuple[RowDef, TableDef, BlockDef, tuple[str, ...]]


@lru_cache(maxsize=8)
def _scan_order(template: Template) -> tuple[_Entry, ...]:
    out = []
    for table in template.tables:
        for block in table.blocks:
            for row in block.rows:
                if row.label:  # the appeals row has no label: it is found by its heading
                    cores = {c for x in row.labels if (c := _core(_ascii(x)))}
                    out.append((row, table, block, tuple(sorted(cores, key=len, reverse=True))))
    return tuple(out)


def scan_rows(text: str, template: Template) -> tuple[LineRows, int]:
    """Rows of form c text, found by their labels in template order (a row that prints nothing
    is there, empty); and how many of them have their digits glued to the label (the sign that
    runs hold several cells)."""
    text = _ascii(text)
    span = _table_span(text)
    if span is None:
        return LineRows([], [], set()), 0
    region = text[span[0] : span[1]]
    found = _fill_gaps(region, _scan_labels(region, template), template)
    appeals = template.table("appeals")
    heading = _APPEALS_HEADING.search(region, found[-1][1] if found else 0)
    rows: list[TextRow] = []
    unsure: set[tuple[str, str]] = set()
    glued = 0
    for i, (_at, label_end, row, table, block) in enumerate(found):
        stop = (
            found[i + 1][0] if i + 1 < len(found) else (heading.start() if heading else len(region))
        )
        runs, leftover = _runs(region[label_end:stop])
        if runs or row.role != "aggregate":  # a group label with no numbers is no row
            rows.append(TextRow(row, table, block, [], runs=runs))
        glued += bool(region[label_end : label_end + 1].isdigit())
        if leftover:  # digits after the row's cells that no label claims: its own, or an
            unsure.add((table.key, row.key))  # unnamed row's before the next one found
    if heading:
        after = region[heading.end() :]
        first = _FIRST_CELL.search(after)
        if first:
            runs, leftover = _runs(after[first.start() :])
            if leftover:
                unsure.add((appeals.key, appeals.blocks[0].rows[0].key))
            rows.append(
                TextRow(appeals.blocks[0].rows[0], appeals, appeals.blocks[0], [], runs=runs)
            )
        elif sum(m in after for m in appeals.header_markers) >= 2:
            # the heading and its header words, then nothing: the table is there and empty
            rows.append(TextRow(appeals.blocks[0].rows[0], appeals, appeals.blocks[0], [], runs=[]))
    return LineRows(rows, [], set(), unsure), glued


_Found = tuple[int, int, RowDef, TableDef, BlockDef]


def _scan_labels(region: str, template: Template) -> list[_Found]:
    """The template's rows found by their labels as printed, in template order: each label's
    core with any spacing inside, and the enumerator before it whatever its style."""
    found: list[_Found] = []
    pos = 0
    for row, table, block, labels in _scan_order(template):
        hits = [h for lab in labels if (h := _find_label(region, lab, pos)) is not None]
        if not hits:
            continue
        at, end = min(hits, key=lambda h: (h[0], -h[1]))
        found.append((_with_enumerator(region, at, pos), end, row, table, block))
        pos = end
    return found


def _with_enumerator(region: str, at: int, floor: int) -> int:
    m = _ENUMERATOR_BEFORE.search(region, floor, at)
    return m.start() if m else at


# Words that may be a label: from a CJK character or an opening bracket on, no digit or space
# inside (an enumerator before them is taken by _with_enumerator, one digit at most).
_LABEL_PIECE = re.compile(r"[\u4e00-\u9fff(“][^\d\s]{3,}")


def _like_one(words: str, rows: list[_Entry]) -> _Entry | None:
    """The one row whose whole label the words spell, give or take a character or two (a typo,
    an end cut off): never a row that a part of the words names, since the text after a label
    found by its short form is that label's own tail ("逾期不补正" + "、行政机关不再处理…")."""
    norm = normalize(words)
    scored = []
    for entry in rows:
        label = normalize(entry[0].label)
        if len(label) < _MIN_CORE or abs(len(label) - len(norm)) > max(2, len(label) // 5):
            continue
        ratio = SequenceMatcher(None, label, norm, autojunk=False).ratio()
        if ratio >= FUZZY:
            scored.append((ratio, entry))
    scored.sort(key=lambda x: -x[0])
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _word_starts(words: str) -> list[int]:
    """Where a label may begin inside a stretch of words: its start, and after each mark that
    ends a heading or an enumerator."""
    return [0] + [i + 1 for i, ch in enumerate(words[:-1]) if ch in "、),:;"]


def _fill_gaps(region: str, found: list[_Found], template: Template) -> list[_Found]:
    """Rows whose label is printed in a spelling the literal scan misses (shortened, a typo, an
    OCR misreading), looked for where they must stand: in the text between the rows found before
    and after them in template order, as a stretch of words that matches one of those rows'
    labels and none better. Template order keeps a fuzzy match from taking a row found
    elsewhere."""
    order = _scan_order(template)
    index = {id(entry[0]): i for i, entry in enumerate(order)}
    out: list[_Found] = []
    bounds = [(-1, 0)] + [(index[id(f[2])], f[1]) for f in found] + [(len(order), len(region))]
    for (lo, start), (hi, stop), nxt in zip(bounds, bounds[1:], [*found, None]):
        missing = [order[i] for i in range(lo + 1, hi)]
        stop_at = nxt[0] if nxt is not None else stop
        pos = start
        for piece in _LABEL_PIECE.finditer(region, start, stop_at) if missing else ():
            if piece.start() < pos:
                continue
            words = _TRAILING_MARKS.sub("", piece.group())  # "…反复申请无": 无 is a cell
            for at in _word_starts(words):  # "…申请情况一、本年新收…": the label after a heading
                entry = _like_one(words[at:], missing)
                if entry is not None:
                    break
            if entry is None:
                continue
            row, table, block, _ = entry
            begin, end = piece.start() + at, piece.start() + len(words)
            out.append((_with_enumerator(region, begin, pos), end, row, table, block))
            missing = missing[missing.index(entry) + 1 :]
            pos = end
        if nxt is not None:
            out.append(nxt)
    return out


@lru_cache(maxsize=512)
def _label_pattern(label: str) -> re.Pattern[str]:
    """The label with any spacing inside it: pages break labels with spaces and line breaks."""
    return re.compile(r"\s*".join(map(re.escape, label)))


def _find_label(region: str, label: str, pos: int) -> tuple[int, int] | None:
    """Where the label stands: its first occurrence with numbers after it (prose may name a row
    before the table does); failing that, its first occurrence."""
    pattern = _label_pattern(label)
    first = hit = pattern.search(region, pos)
    while hit is not None:
        if region[hit.end() : hit.end() + 8].lstrip()[:1].isdigit():
            return hit.start(), hit.end()
        hit = pattern.search(region, hit.start() + 1)
    return (first.start(), first.end()) if first else None


# A not-applicable mark is a cell of its own wherever it stands, glued or not ("12无3", "—5",
# "0无三、本年度…"); 无 not where a template word goes on (无法提供, 无正当理由).
# The marks are values.NA_MARKS, less those that glued text cannot tell from a sign or a letter.
_MARK = (
    "(?:"
    + "|".join(
        "无(?!法|正当)"
        if m == "无"
        else re.escape(m) + ("+" if len(m) == 1 else "")  # "———" is one mark
        for m in sorted(NA_MARKS - {"-", "--", "x", "X", "\\", "/ /"}, key=len, reverse=True)
        if len(set(m)) > 1 or len(m) == 1  # "——" is "—" repeated
    )
    + ")"
)
_CHUNK = re.compile(rf"(?:[0-9+\-.\s元万%]|{_MARK})*")
_MARK_SPLIT = re.compile(f"({_MARK})")
_FIRST_CELL = re.compile(rf"\d|{_MARK}")
_TRAILING_MARKS = re.compile(rf"(?:{_MARK})+$")


def _runs(between: str) -> tuple[list[str], bool]:
    """The runs of printed characters right after a label, up to the first character that
    cannot be in a number or a mark; a row enumerator glued on ("…00000002.其他") is not. A space
    or a mark ends a run. And whether digits follow that no label claims."""
    numeric = _CHUNK.match(between)
    chunk = numeric.group() if numeric else ""
    rest = between[len(chunk) :]
    if chunk.endswith(".") or (rest[:1] in ("、",) and _TRAILING_ENUMERATOR.search(chunk)):
        chunk = _TRAILING_ENUMERATOR.sub("", chunk.rstrip("."))
    runs: list[str] = []
    for i, part in enumerate(_MARK_SPLIT.split(chunk)):
        if i % 2:
            runs.append(part)
        else:
            runs.extend(r for r in part.split() if any(ch.isdigit() for ch in r) or r == "-")
    return runs, any(ch.isdigit() for ch in rest)


def _table_span(text: str) -> tuple[int, int] | None:
    """Where the tables are: from the first table header (or section heading) to section 五."""
    start = next((m for m in (p.search(text) for p in _REGION_STARTS) if m), None)
    if start is None:
        return None
    end = _REGION_END.search(text, start.end())
    return start.start(), end.start() if end else len(text)


def prose_text(lines: list[str]) -> str:
    """The report's words outside its tables."""
    text = "\n".join(lines)
    span = _table_span(text)
    return text if span is None else text[: span[0]] + text[span[1] :]
