"""overview.html, written by every export: what the dataset holds at a glance, from the panel.

Coverage by province and year, the cells' statuses by the form the reports were read as, the
cross-year checks, and the spread of a few indicators. Built from aggregates (one row per
agency-year, counts per form), so it stays one screen for a store of any size. No JavaScript,
no external assets: it opens from disk in any browser, and reads on a phone.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

UNPLACED = "（未定位 unplaced）"
NO_FORM = "—"
SHOWN = (  # indicators whose spread is drawn: (column, label)
    ("substantive_rate", "实质公开率 substantive disclosure"),
    ("backlog_rate", "结转率 backlog"),
    ("reviews_per_100", "每百件申请复议数 reviews per 100 requests"),
    ("review_correction_rate", "复议纠错率 review correction"),
)
STATUS_COLOURS = (
    ("reported", "#2e7d32"),
    ("inferred", "#81c784"),
    ("blank", "#bdbdbd"),
    ("na", "#90a4ae"),
    ("ambiguous", "#ef6c00"),
    ("missing", "#c62828"),
)
_STYLE = """body{font-family:sans-serif;margin:1em;max-width:60em}h2{margin-top:1.5em}
.scroll{overflow-x:auto}table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}
td:first-child,th:first-child{text-align:left}.bar{display:flex;width:16em;max-width:60vw;height:12px;background:#eee}
.bar span{display:block;height:100%}.hist{display:flex;align-items:flex-end;height:40px;gap:1px}
.hist span{display:block;width:10px;background:#1565c0}.key{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px}"""


def _e(value: object) -> str:
    return html.escape(str(value))


@dataclass
class Overview:
    """What the page shows, gathered from every table as the export writes it (a chunk's
    reports before its cells, the panel after the last chunk)."""

    cells: Counter[tuple[str, str]] = field(default_factory=Counter)  # (form, status) → cells
    reports: Counter[str] = field(default_factory=Counter)  # form → reports
    coverage: Counter[tuple[str, int]] = field(default_factory=Counter)
    agencies: set[str] = field(default_factory=set)
    rows: int = 0
    spreads: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c, _ in SHOWN})
    checks: Counter[tuple[str, str]] = field(default_factory=Counter)

    _chunk: pa.Table | None = None  # the current chunk's report ids and forms

    def add(self, name: str, table: pa.Table) -> None:
        if name == "reports":
            forms = pc.fill_null(table.column("form"), NO_FORM)
            self.reports.update(forms.to_pylist())
            self._chunk = pa.table({"report_id": table.column("report_id"), "form": forms})
        elif name == "cells" and self._chunk is not None:
            counts = (
                table.select(["report_id", "status"])
                .join(self._chunk, "report_id")
                .group_by(["form", "status"])
                .aggregate([("status", "count")])
            )
            self.cells.update(
                dict(
                    zip(
                        zip(counts.column("form").to_pylist(), counts.column("status").to_pylist()),
                        counts.column("status_count").to_pylist(),
                    )
                )
            )
        elif name == "panel":
            provinces = table.column("province").to_pylist()
            years = table.column("report_year").to_pylist()
            self.coverage.update(zip((p or UNPLACED for p in provinces), years))
            self.agencies.update(table.column("agency_key").to_pylist())
            self.rows += table.num_rows
            for column, values in self.spreads.items():
                values += [v for v in table.column(column).to_pylist() if v is not None]
        elif name == "panel_checks":
            self.checks.update(
                zip(table.column("check").to_pylist(), table.column("result").to_pylist())
            )


def _coverage(counts: Counter[tuple[str, int]]) -> str:
    years = sorted({y for _, y in counts})
    provinces = sorted({p for p, _ in counts}, key=lambda p: (p == UNPLACED, p))
    head = "".join(f"<th>{y}</th>" for y in years)
    body = "".join(
        f"<tr><td>{_e(p)}</td>"
        + "".join(f"<td>{counts.get((p, y), '')}</td>" for y in years)
        + "</tr>"
        for p in provinces
    )
    return f"<div class=scroll><table><tr><th>省 province</th>{head}</tr>{body}</table></div>"


def _statuses(cells: Counter[tuple[str, str]], reports: Counter[str]) -> str:
    rows = []
    for form in sorted(reports):
        total = sum(n for (f, _), n in cells.items() if f == form)
        bar = "".join(
            f'<span title="{s}: {cells[(form, s)]:,}" style="width:{100 * cells[(form, s)] / total:.1f}%;background:{c}"></span>'
            for s, c in STATUS_COLOURS
            if total and cells[(form, s)]
        )
        flagged = cells[(form, "ambiguous")] + cells[(form, "missing")]
        share = f"{100 * flagged / total:.1f}%" if total else "—"
        rows.append(
            f"<tr><td>{_e(form)}</td><td>{reports[form]:,}</td><td>{total:,}</td><td>{share}</td>"
            f"<td><div class=bar>{bar}</div></td></tr>"
        )
    legend = "".join(
        f"<span class=key style='background:{c}'></span>{s}" for s, c in STATUS_COLOURS
    )
    return (
        f"<p>{legend}</p><div class=scroll><table><tr><th>form</th><th>reports</th><th>cells</th>"
        f"<th>flagged</th><th>statuses</th></tr>{''.join(rows)}</table></div>"
    )


def _checks(counts: Counter[tuple[str, str]]) -> str:
    if not counts:
        return "<p>No agency has two consecutive report years here, and no report was revised.</p>"
    body = "".join(
        f"<tr><td>{_e(c)}</td><td>{_e(r)}</td><td>{n:,}</td></tr>"
        for (c, r), n in sorted(counts.items())
    )
    return f"<table><tr><th>check</th><th>result</th><th>rows</th></tr>{body}</table>"


def _quantile(values: list[float], p: float) -> str:
    return f"{values[min(int(p * len(values)), len(values) - 1)]:.3g}"


def _spread(spreads: dict[str, list[float]]) -> str:
    out = []
    for column, label in SHOWN:
        values = sorted(spreads[column])
        if not values:
            out.append(f"<tr><td>{_e(label)}</td><td>0</td><td colspan=4>—</td></tr>")
            continue
        top = max(values[-1], 1e-9)
        bins = Counter(min(int(10 * v / top), 9) for v in values)
        most = max(bins.values())
        hist = "".join(
            f'<span title="{n}" style="height:{100 * n / most:.0f}%"></span>'
            for n in (bins.get(i, 0) for i in range(10))
        )
        p10, p50, p90 = (_quantile(values, p) for p in (0.1, 0.5, 0.9))
        out.append(
            f"<tr><td>{_e(label)}</td><td>{len(values):,}</td><td>{p10}</td><td>{p50}</td>"
            f"<td>{p90}</td><td><div class=hist>{hist}</div></td></tr>"
        )
    return (
        "<div class=scroll><table><tr><th>indicator</th><th>n</th><th>p10</th><th>median</th>"
        f"<th>p90</th><th>0 … max</th></tr>{''.join(out)}</table></div>"
    )


def write_overview(path: Path, view: Overview) -> None:
    page = f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>govreports overview</title>
<style>{_STYLE}</style></head><body>
<h1>政府信息公开年度报告数据集 · govreports dataset</h1>
<p>{sum(view.reports.values()):,} report(s); {len(view.agencies):,} agencies in {view.rows:,} agency-years (the panel).</p>
<h2 id=coverage>覆盖 Coverage: agencies by province and report year</h2>{_coverage(view.coverage)}
<h2 id=quality>解析质量 Parse quality: cell statuses by form read as</h2>{_statuses(view.cells, view.reports)}
<h2 id=checks>跨年度核对 Cross-year checks (panel_checks)</h2>{_checks(view.checks)}
<h2 id=indicators>指标分布 Indicators (panel rows with a value)</h2>{_spread(view.spreads)}
</body></html>"""
    path.write_text(page, encoding="utf-8")
