"""Render a gold table as a report page, in one of the forms real pages take.

Two steps. First the *printed table*: what each cell shows, decided per table by a habit drawn
for that table alone (zeros printed, zeros left blank, mixed within the table, all-zero rows left
empty), with now and then n/a marks, totals left blank or a total that does not add up. The
printed table is the truth the parser is scored against: a cell left blank is blank in the
truth, a "—" is na. Second the *layout*: the printed table written out as a cell per line, a
`<p>` per cell, a row per line (PDF text: wrapped labels, page footers, repeated headers),
labels and digits run together (a table per line, or the whole body on one line), Markdown
pipe tables, or an HTML `<table>`; wrapped in CMS chrome, encoded GBK or UTF-8.

The layout never prints anything that makes the truth an invalid reading: cells are separated
by at least a line break, a space or a pipe wherever two printed cells could otherwise run into
one number that the reader's rules would cut differently (the run-together forms rely on the
rules the reader states: no leading zeros, a sign starts a number, a space always separates).
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field

from govreports.parsers.registry import TEMPLATES, BlockDef, TableDef, Template
from govreports.parsers.tables.labels import normalize
from tests.fuzz.tables import GoldTable, Value, key

FORMS = (
    "cell_per_line",
    "p_per_cell",
    "row_per_line",
    "labels_apart",
    "run_together",
    "one_line",
    "markdown",
    "html_table",
)
HABITS = ("zeros_printed", "zeros_blank", "mixed", "zero_rows_blank")
NA_MARKS = ("—", "/", "／", "无")


@dataclass
class Printed:
    """What each cell of one page prints: a string ("" for a blank), and the truth it implies."""

    text: dict[str, str] = field(default_factory=dict)
    truth: dict[str, Value] = field(default_factory=dict)
    habits: dict[str, str] = field(default_factory=dict)


def _number_text(v: int | float) -> str:
    return str(int(v)) if isinstance(v, float) and v == int(v) else str(v)


def print_table(gold: GoldTable, rng: random.Random, separators: bool = True) -> Printed:
    """Decide what each cell prints, with a habit per table; the page now and then writes its
    digits full-width, or large numbers with thousands separators (where cells are separated:
    `separators`; a run of glued digits with commas inside is no text any reader could cut)."""
    template = TEMPLATES[gold.template]
    out = Printed()
    full_width = rng.random() < 0.05
    thousands = separators and rng.random() < 0.2
    for table in template.tables:
        habit = rng.choice(HABITS)
        na_share = 0.08 if rng.random() < 0.15 else 0.0
        blank_totals = table.key != "proactive" and rng.random() < 0.08
        out.habits[table.key] = (
            habit + (" +na" if na_share else "") + (" +blank totals" if blank_totals else "")
        )
        for block in table.blocks:
            for row in block.rows:
                keys = [key(table.key, row.key, c.key) for c in block.cols]
                if not any(k in gold.cells for k in keys):
                    continue  # a row this table does not have (an aggregate the page leaves out)
                zero_row = all(gold.cells.get(k) in (0, None) for k in keys)
                for col, k in zip(block.cols, keys):
                    v = gold.cells.get(k)
                    text = _cell_text(v, habit, zero_row, rng)
                    if thousands and isinstance(v, int) and v >= 1000 and text:
                        text = f"{v:,}"
                    if full_width:
                        text = text.translate(_FULL_WIDTH)
                    if text == "0" and na_share and rng.random() < na_share * 6:
                        text = rng.choice(NA_MARKS)
                    if (
                        blank_totals
                        and col.key.endswith("total")
                        and text not in ("",)
                        and rng.random() < 0.7
                    ):
                        text = ""
                    out.text[k] = text
                    out.truth[k] = None if text == "" else "na" if text in NA_MARKS else v
    return out


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _cell_text(v: Value, habit: str, zero_row: bool, rng: random.Random) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return rng.choice(NA_MARKS) if v == "na" else ""
    if v != 0:
        return _number_text(v)
    if habit == "zeros_printed":
        return "0"
    if habit == "zeros_blank":
        return ""
    if habit == "zero_rows_blank":
        return "" if zero_row else "0"
    return "0" if rng.random() < 0.5 else ""


# --- the table as header lines, group labels and rows ---------------------------------------------


@dataclass
class Line:
    kind: str  # "heading" | "header" | "group" | "row" | "note"
    cells: list[str]  # header: its words; row: the label then each cell's text ("" blank)


def table_lines(table: TableDef, printed: Printed, rng: random.Random) -> list[Line]:
    lines: list[Line] = []
    if table.key == "appeals":
        lines.append(Line("header", ["行政复议", "行政诉讼"]))
        lines.append(
            Line(
                "header",
                [
                    "结果维持",
                    "结果纠正",
                    "其他结果",
                    "尚未审结",
                    "总计",
                    "未经复议直接起诉",
                    "复议后起诉",
                ],
            )
        )
        lines.append(Line("header", ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
        block = table.blocks[0]
        lines.append(
            Line("row", [""] + [printed.text[key("appeals", "cases", c.key)] for c in block.cols])
        )
        return lines
    for block in table.blocks:
        lines.extend(_block_lines(table, block, printed, rng))
    if table.key == "requests" and rng.random() < 0.3:
        # a note under the table, with digits of its own
        lines.append(Line("note", [f"注：本表数据统计截至{rng.randint(2019, 2024)}年12月31日。"]))
    return lines


def _block_lines(
    table: TableDef, block: BlockDef, printed: Printed, rng: random.Random
) -> list[Line]:
    lines: list[Line] = []
    if table.key == "proactive":
        lines.append(Line("heading", [block.heading or ""]))
        lines.append(Line("header", ["信息内容", *[c.label for c in block.cols]]))
    else:
        if rng.random() < 0.5:
            lines.append(
                Line(
                    "heading",
                    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"],
                )
            )
        lines.append(Line("header", ["申请人情况"]))
        lines.append(Line("header", ["自然人", "法人或其他组织", "总计"]))
        lines.append(
            Line("header", ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
        )
    group: str | None = None
    for row in block.rows:
        if key(table.key, row.key, block.cols[0].key) not in printed.text:
            continue
        if row.role == "outcome" and row.key == "granted":
            lines.append(Line("group", ["三、本年度办理结果"]))
        if row.group and row.group != group:
            lines.append(Line("group", [row.group]))
        group = row.group
        label = _label_variant(row.label, rng, ALL_LABELS)
        lines.append(
            Line(
                "row", [label] + [printed.text[key(table.key, row.key, c.key)] for c in block.cols]
            )
        )
    return lines


# Enumerator styles real pages use for the template's "（一）" and "1." (or none at all).
_ENUM_STYLES = {
    "cjk": ("（{}）", "({})", "{}、", "{}．", ""),
    "arabic": ("{}.", "{}、", "（{}）", "{}．", ""),
}
_CJK_ENUM = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]|^([一二三四五六七八九十]+)、")
_ARABIC_ENUM = re.compile(r"^(\d{1,2})[.．、]")
# Characters an OCR engine or a hurried typist confuses (the first for the second).
_CONFUSED = {"已": "己", "未": "末", "于": "干", "予": "子", "申": "中", "请": "清", "理": "埋"}


def _label_variant(label: str, rng: random.Random, others: frozenset[str] = frozenset()) -> str:
    """Label noise real pages show: full-width or ASCII punctuation, spaces inside, another
    enumerator style or none, a shortened label, an OCR misspelling. Never a variant that is
    another row's label (`others`, normalized): the page would then name the wrong row."""
    r = rng.random()
    if r < 0.15:
        out = label.replace("（", "(").replace("）", ")").replace("，", ",")
    elif r < 0.25:
        out = label.replace(".", "．") if "." in label[:3] else label
    elif r < 0.3 and len(label) > 4:
        at = rng.randint(1, len(label) - 1)
        out = label[:at] + " " + label[at:]
    elif r < 0.4:
        out = _enumerator_variant(label, rng)
    elif r < 0.45 and len(label) >= 10:
        out = label[: len(label) - rng.randint(1, 2)]  # shortened: the end cut off
    elif r < 0.5 and any(ch in _CONFUSED for ch in label):
        at = rng.choice([i for i, ch in enumerate(label) if ch in _CONFUSED])
        out = label[:at] + _CONFUSED[label[at]] + label[at + 1 :]
    else:
        out = label
    return label if normalize(out) in others - {normalize(label)} else out


def _enumerator_variant(label: str, rng: random.Random) -> str:
    m = _CJK_ENUM.match(label)
    if m:
        style = rng.choice(_ENUM_STYLES["cjk"])
        return style.format(m.group(1) or m.group(2)) + label[m.end() :]
    m = _ARABIC_ENUM.match(label)
    if m:
        return rng.choice(_ENUM_STYLES["arabic"]).format(m.group(1)) + label[m.end() :]
    return label


# Every row label of both templates, normalized: the labels a variant must not turn into.
ALL_LABELS = frozenset(
    normalize(lab)
    for template in TEMPLATES.values()
    for table in template.tables
    for block in table.blocks
    for row in block.rows
    for lab in row.labels
)


# --- layouts ----------------------------------------------------------------------------------------


TITLES = {
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}


def _prose(gold: GoldTable) -> tuple[list[str], list[str]]:
    head = [
        "一、总体情况",
        f"{gold.year}年，{gold.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，深化政务公开，"
        "持续提升政府信息公开工作质量。现将本年度政府信息公开工作情况报告如下。",
    ]
    tail = [
        "五、存在的主要问题及改进情况",
        "公开内容的全面性和及时性仍需提高。下一步将加强培训，完善制度，规范信息发布。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    return head, tail


def _stream_items(lines: list[Line]) -> list[str]:
    """Every printed string in reading order: blanks vanish."""
    out: list[str] = []
    for ln in lines:
        out.extend(c for c in ln.cells if c != "")
    return out


def _row_line(ln: Line, rng: random.Random) -> list[str]:
    """A row per line, values space-separated; the label sometimes wraps onto a second line."""
    label, values = ln.cells[0], [c for c in ln.cells[1:] if c != ""]
    text = " ".join(values)
    if ln.kind != "row":
        return [" ".join(ln.cells)]
    if len(label) > 8 and rng.random() < 0.25:
        at = rng.randint(2, len(label) - 2)
        if rng.random() < 0.5:
            return [label[:at], f"{label[at:]} {text}".strip()]
        return [f"{label[:at]} {text}".strip(), label[at:]] if text else [label[:at], label[at:]]
    return [f"{label} {text}".strip()]


def _pdf_text_lines(lines: list[Line], rng: random.Random) -> list[str]:
    """A table as PDF text: a row per line, now and then a page footer and the table's header
    repeated on the next page; in some tables a merged row-group label is written down its cell,
    one character per line between the rows beside it; an empty row's label sharing its line
    with what follows (a group label, the next row: they stand on one baseline); values
    separated by ideographic spaces, tabs or runs of spaces in some tables."""
    out: list[str] = []
    vertical = rng.random() < 0.3
    joins = rng.random() < 0.3
    sep = rng.choice((" ", " ", " ", "\u3000", "\t", "   "))
    join_next = False
    headers: list[Line] = []
    queue: list[str] = []  # characters of a vertical group label still to print
    page = 1
    for ln in lines:
        if ln.kind == "heading":
            out.append(ln.cells[0])
            headers = []
            continue
        if ln.kind == "header":
            headers.append(ln)
        if ln.kind == "group" and vertical:
            out.extend(queue)
            queue = [ch for ch in ln.cells[0] if not ch.isspace()]
            continue
        if queue and ln.kind == "row":
            out.append(queue.pop(0))
        printed = _row_line(ln, rng)
        if join_next and out:
            out[-1] += " " + printed.pop(0)
        out.extend(printed)
        join_next = (
            joins
            and ln.kind == "row"
            and not any(ln.cells[1:])
            and len(printed) == 1
            and rng.random() < 0.5
        )
        if ln.kind == "row" and rng.random() < 0.06:
            page += 1
            out.append(f"- {page} -")
            if rng.random() < 0.5:
                out.extend(["续表"] if rng.random() < 0.4 else [])
                out.extend(" ".join(h.cells) for h in headers)
            join_next = False
    out.extend(queue)
    return [ln.replace(" ", sep) for ln in out]


def _glued(ln: Line, rng: random.Random) -> str:
    """A row as a crawler dump of its <td> text: the label, then cells with nothing or a space
    between them. A space is forced where gluing would read differently (the next cell starts
    with a zero after digits, a mark, a decimal point)."""
    if ln.kind != "row":
        return "".join(ln.cells)
    out = ln.cells[0]
    prev = ""
    for c in (c for c in ln.cells[1:] if c != ""):
        glue = rng.random() < 0.7 and prev != "" and _can_glue(prev, c)
        if prev == "" and ln.cells[0] and rng.random() < 0.5:
            glue = True  # digits glued right after the label
        out += ("" if glue else " ") + c
        prev = c
    return out


def _can_glue(prev: str, nxt: str) -> bool:
    if not (prev[-1].isdigit() and (nxt[0].isdigit() or nxt[0] in "+-")):
        return False
    return not nxt.startswith("0") or nxt == "0"


def _markdown(lines: list[Line], table: TableDef, rng: random.Random) -> list[str]:
    """Pipe tables as converters write them, a habit drawn per table: one table per block, or a
    table per row group (each with its own header and rule line); the applicant header as
    written, or as generic "数据1…" column names; now and then the header repeated above the
    last rows."""
    split = rng.random() < 0.3
    generic = table.key == "requests" and rng.random() < 0.25
    stray = table.key == "requests" and rng.random() < 0.2
    label_cells = 0 if table.key == "appeals" else 1
    width = max((len(x.cells) - 1 + label_cells for x in lines if x.kind == "row"), default=1)
    body_rows = [ln for ln in lines if ln.kind == "row"]

    def pipe(cells: list[str]) -> str:
        return "| " + " | ".join(cells + [""] * (width - len(cells))) + " |"

    out: list[str] = []
    headers: list[Line] = []
    started = False  # a table is open: its header and rule line written
    for ln in lines:
        if ln.kind in ("heading", "note"):
            out.extend(["", ln.cells[0], ""])
            headers, started = [], False
            continue
        if ln.kind == "header":
            headers.append(ln)
            continue
        if generic and headers:
            headers = [Line("header", ["申请人情况", *(f"数据{i}" for i in range(1, width))])]
        if not started or (split and ln.kind == "group"):
            head = [pipe(h.cells) for h in headers] or [pipe([""] * width)]
            out.extend(["", head[0], "|" + "---|" * width, *head[1:]])
            started = True
        if stray and len(body_rows) > 3 and ln is body_rows[-2] and headers:
            out.append(pipe(headers[-1].cells))
        out.append(pipe(ln.cells[1:] if table.key == "appeals" and ln.kind == "row" else ln.cells))
    return out


def _html_table(table: TableDef, printed: Printed) -> str:
    """The template's own grid: merged header cells and row-group labels as colspan/rowspan."""

    def td(text: str, cols: int = 1, rows: int = 1) -> str:
        span = (f' colspan="{cols}"' if cols > 1 else "") + (
            f' rowspan="{rows}"' if rows > 1 else ""
        )
        return f"<td{span}>{html.escape(text)}</td>"

    def values(row_key: str, block: BlockDef) -> str:
        return "".join(td(printed.text[key(table.key, row_key, c.key)]) for c in block.cols)

    trs: list[str] = []
    if table.key == "proactive":
        for block in table.blocks:
            trs.append(td(block.heading or "", 1 + len(block.cols)))
            trs.append(td("信息内容") + "".join(td(c.label) for c in block.cols))
            trs.extend(td(r.label) + values(r.key, block) for r in block.rows)
    elif table.key == "requests":
        block = table.blocks[0]
        trs.append(
            td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
            + td("申请人情况", 7)
        )
        trs.append(td("自然人", 1, 3 - 1) + td("法人或其他组织", 5) + td("总计", 1, 2))
        trs.append("".join(td(c.label) for c in block.cols if c.group))
        outcomes = [
            r
            for r in block.rows
            if r.role in ("outcome", "aggregate")
            and key(table.key, r.key, block.cols[0].key) in printed.text
        ]
        for row in block.rows:
            if key(table.key, row.key, block.cols[0].key) not in printed.text:
                continue
            cells = ""
            if row is outcomes[0]:
                cells += td("三、本年度办理结果", 1, len(outcomes) + 1)
            if row.group:
                first = next(r for r in block.rows if r.group == row.group)
                if row is first:
                    cells += td(row.group, 1, sum(1 for r in block.rows if r.group == row.group))
                cells += td(row.label)
            elif row.role in ("outcome", "total", "aggregate"):
                cells += td(row.label, 2)
            else:
                cells += td(row.label, 3)
            trs.append(cells + values(row.key, block))
    else:
        block = table.blocks[0]
        trs.append(td("行政复议", 5) + td("行政诉讼", 10))
        trs.append(
            "".join(td(x, 1, 2) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
            + td("未经复议直接起诉", 5)
            + td("复议后起诉", 5)
        )
        trs.append(
            "".join(td(x) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2)
        )
        trs.append(values("cases", block))
    return '<table border="1">' + "".join(f"<tr>{r}</tr>" for r in trs) + "</table>"


def render(gold: GoldTable, form: str, seed: int) -> tuple[bytes, Printed, str]:
    """The page's bytes, the printed table (the truth) and a one-line description."""
    rng = random.Random(f"{gold.name}:{form}:{seed}")
    template: Template = TEMPLATES[gold.template]
    printed = print_table(gold, rng, separators=form not in ("run_together", "one_line"))
    head, tail = _prose(gold)
    title = f"{gold.agency}{gold.year}年政府信息公开工作年度报告"
    blocks = [
        (t, [Line("heading", [TITLES[t.key]])] + table_lines(t, printed, rng))
        for t in template.tables
    ]
    encoding = "gbk" if rng.random() < 0.3 else "utf-8"
    chrome_top = [
        "首页 > 政务公开 > 政府信息公开年报",
        title,
        f"发布日期：{gold.year + 1}-01-2{rng.randint(0, 9)}",
        f"来源：{gold.agency}",
    ]
    chrome_bottom = [
        "主办单位：" + gold.agency,
        "网站标识码：1234567890",
        "ICP备案号：某ICP备12345678号",
    ]
    body: list[str]
    as_html = False
    if form == "cell_per_line":
        body = [*head]
        for _, lines in blocks:
            body.extend(_stream_items(lines))
        body.extend(tail)
        text = "\n\n".join([*chrome_top, *body, *chrome_bottom])
    elif form == "p_per_cell":
        body = [*head]
        for _, lines in blocks:
            body.extend(_stream_items(lines))
        body.extend(tail)
        text = "".join(f"<p>{html.escape(x)}</p>" for x in body)
        as_html = True
    elif form == "row_per_line":
        body = [*head]
        for _, lines in blocks:
            body.extend(_pdf_text_lines(lines, rng))
        body.extend(tail)
        text = "\n".join([*chrome_top, *body, *chrome_bottom])
    elif form == "labels_apart":
        # PDF text of a table drawn as two text columns: table 三's labels in one block, then
        # its rows of numbers (an empty row prints no line); the other tables a row per line.
        body = [*head]
        for table, lines in blocks:
            if table.key != "requests":
                body.extend(x for ln in lines for x in _row_line(ln, rng))
                continue
            body.extend(
                " ".join(c for c in ln.cells[:1] if c) if ln.kind == "row" else " ".join(ln.cells)
                for ln in lines
            )
            body.extend(
                " ".join(c for c in ln.cells[1:] if c)
                for ln in lines
                if ln.kind == "row" and any(ln.cells[1:])
            )
        body.extend(tail)
        text = "\n".join([*chrome_top, *body, *chrome_bottom])
    elif form in ("run_together", "one_line"):
        parts = [*head]
        for _, lines in blocks:
            parts.append("".join(_glued(ln, rng) for ln in lines))
        parts.extend(tail)
        text = "\n".join(
            [*chrome_top, *(["".join(parts)] if form == "one_line" else parts), *chrome_bottom]
        )
    elif form == "markdown":
        body = [*head]
        for table, lines in blocks:
            body.append(lines[0].cells[0])
            body.extend(_markdown(lines[1:], table, rng))
        body.extend(tail)
        text = "\n".join([f"# {title}", *body])
    elif form == "html_table":
        parts = [f"<p>{html.escape(x)}</p>" for x in head]
        for table, lines in blocks:
            parts.append(f"<p>{html.escape(lines[0].cells[0])}</p>" + _html_table(table, printed))
        parts.extend(f"<p>{html.escape(x)}</p>" for x in tail)
        text = "".join(parts)
        as_html = True
    else:
        raise ValueError(form)
    if as_html:
        nav = "".join(
            f"<li>{html.escape(x)}</li>" for x in ("首页", "政务公开", "政府信息公开年报")
        )
        text = (
            f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>{html.escape(title)}</title></head>'
            f'<body><ul class="nav">{nav}</ul><h1>{html.escape(title)}</h1>'
            f'<div class="info">发布日期：{gold.year + 1}-01-20 来源：{html.escape(gold.agency)}</div>'
            f'<div class="content">{text}</div><div class="footer">{html.escape(" ".join(chrome_bottom))}</div>'
            "</body></html>"
        )
    habits = "; ".join(f"{k}: {v}" for k, v in printed.habits.items())
    return text.encode(encoding), printed, f"{form} {encoding} [{habits}]"
