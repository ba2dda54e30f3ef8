"""Readable tables for a terminal: Chinese labels, aligned columns, a mark per cell status.

Alignment counts East Asian wide characters as two columns, as terminals draw them.
"""

from __future__ import annotations

import re
import unicodedata

from govreports.parsers.model import Cell, Report
from govreports.parsers.registry import TEMPLATES, BlockDef, TableDef
from govreports.parsers.statuses import CellStatus, CheckResult

MARKS = {"blank": "·", "na": "/", "missing": "?"}
LEGEND = "· blank   / not applicable   ? missing   * inferred   ~a|b ambiguous (candidates)"
_LABEL_WIDTH = 30
_SECTION = {"proactive": "二、", "requests": "三、", "appeals": "四、"}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, size: int) -> str:
    """Cut to size display columns (with …), then pad."""
    if width(text) > size:
        out = ""
        for ch in text:
            if width(out + ch) > size - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (size - width(text))


def show(cell: Cell | None) -> str:
    if cell is None:
        return "?"
    if cell.status in MARKS:
        return MARKS[cell.status]
    if cell.status == "ambiguous":
        return "~" + "|".join(_num(v) for v in (cell.candidates or []))
    text = _num(cell.value)
    if cell.unit and cell.unit != "万元":
        text += cell.unit
    return text + ("*" if cell.status == "inferred" else "")


def _num(value: float | int | None) -> str:
    if value is None:
        return "?"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(int(value))


def _short(label: str) -> str:
    return re.sub(r"（区分处理的.*）", "", label)


def _grid(header: list[str], rows: list[tuple[str, list[str]]]) -> list[str]:
    widths = [max([width(h)] + [width(r[1][i]) for r in rows]) for i, h in enumerate(header)]
    lines = [
        " " * _LABEL_WIDTH + "  ".join(" " * (w - width(h)) + h for h, w in zip(header, widths))
    ]
    for label, values in rows:
        lines.append(
            fit(label, _LABEL_WIDTH)
            + "  ".join(" " * (w - width(v)) + v for v, w in zip(values, widths))
        )
    return lines


def _block_lines(
    table: TableDef, block: BlockDef, cells: dict[tuple[str, str, str], Cell]
) -> list[str]:
    groups = [c.group for c in block.cols]
    if len(block.rows) == 1 and all(groups) and len(set(groups)) > 1:
        # appeals: one row of 15 → a row per group (行政复议 / 直接起诉 / 复议后起诉), 5 columns
        order = list(dict.fromkeys(g for g in groups if g))
        header = [c.label for c in block.cols if c.group == order[0]]
        row = block.rows[0]
        rows = [
            (g, [show(cells.get((table.key, row.key, c.key))) for c in block.cols if c.group == g])
            for g in order
        ]
        return _grid(header, rows)
    header = [c.label for c in block.cols]
    rows = [
        (_short(r.label), [show(cells.get((table.key, r.key, c.key))) for c in block.cols])
        for r in block.rows
    ]
    lines = [block.heading] if block.heading else []
    return lines + _grid(header, rows)


def render_report(report: Report) -> str:
    meta = report.report
    out = [meta.title or "(no title)"]
    facts = [
        f"agency {meta.agency or '?'}",
        f"report year {meta.year or '?'}",
        f"published {meta.published or '?'}"
        + (f" ({meta.published_basis})" if meta.published_basis else "")
        + {True: ", on time", False: ", late", None: ""}[meta.on_time],
        f"template {meta.template or '?'}",
        f"read as {meta.form or '?'}",
        f"encoding {report.source.encoding or '?'}",
    ]
    out.append(" · ".join(facts))
    if meta.tampered:
        out.append("TAMPERED: injected spam found: " + "; ".join(meta.tamper_phrases))
    template = TEMPLATES.get(meta.template or "")
    if template is not None and report.cells:
        cells = {(c.table, c.row, c.col): c for c in report.cells}
        for table in template.tables:
            out.append("")
            out.append(f"{_SECTION.get(table.key, '')}{table.title}  [{table.key}]")
            for block in table.blocks:
                out.extend(_block_lines(table, block, cells))
        out.append("")
        out.append(LEGEND)
    out.append("")
    out.append(summary_line(report))
    for problem in report.problems:
        out.append(f"  problem: {problem}")
    for check in report.checks:
        if check.result == "fail":
            out.append(f"  identity failed: {check.id} {check.subject}: {check.detail}")
    return "\n".join(out)


def summary_line(report: Report) -> str:
    results = [c.result for c in report.checks]
    counts = {k: sum(1 for c in report.cells if c.status == k) for k in CellStatus}
    cells = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
    return (
        f"{report.report.agency or '?'} {report.report.year or '?'} · template {report.report.template or '?'} · "
        f"status {report.status} · cells: {cells or 'none'} · identities: {results.count(CheckResult.PASS)} passed, "
        f"{results.count(CheckResult.FAIL)} failed, {results.count(CheckResult.NOT_ASSESSABLE)} not assessable"
    )
