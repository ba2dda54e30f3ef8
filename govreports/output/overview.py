"""A one-page HTML overview of an export: requests received and the outcome mix per agency and
year, as stacked bars, so a person sees at a glance what the dataset holds. No JavaScript, no
external assets: it opens from disk in any browser."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

# Outcome groups of table 三, by row-key prefix, with their colours.
OUTCOMES = (
    ("granted", "予以公开 granted", "#2e7d32"),
    ("partially_granted", "部分公开 partly", "#81c784"),
    ("denied_", "不予公开 denied", "#c62828"),
    ("unavailable_", "无法提供 unavailable", "#ef6c00"),
    ("rejected_", "不予处理 not handled", "#6a1b9a"),
    ("other", "其他处理 other", "#757575"),
)


def _group(row: str) -> str | None:
    if row in ("granted", "partially_granted"):
        return row
    return next(
        (p for p in ("denied_", "unavailable_", "rejected_", "other") if row.startswith(p)), None
    )


def write_overview(path: Path, reports: pd.DataFrame, requests: pd.DataFrame) -> None:
    current = reports[reports["current"].fillna(True).astype(bool)]
    totals = requests[["report_id", "row", "total"]].copy()
    totals["group"] = totals["row"].map(_group)
    rows_html = []
    for _, rep in current.sort_values(["agency", "report_year"], na_position="last").iterrows():
        mine = totals[totals["report_id"] == rep["report_id"]]
        received = mine.loc[mine["row"] == "new_received", "total"]
        received_text = (
            "—" if received.empty or pd.isna(received.iloc[0]) else f"{int(received.iloc[0]):,}"
        )
        mix = mine.dropna(subset=["group"]).groupby("group")["total"].sum(min_count=1).dropna()
        whole = float(mix.sum()) if len(mix) else 0.0
        bar = (
            "".join(
                f'<span title="{html.escape(label)}: {int(mix[key]):,}" style="width:{100 * float(mix[key]) / whole:.1f}%;background:{colour}"></span>'
                for key, label, colour in OUTCOMES
                if key in mix and whole > 0 and mix[key] > 0
            )
            or "<em>no outcome numbers</em>"
        )
        year = "—" if pd.isna(rep["report_year"]) else str(int(rep["report_year"]))
        rows_html.append(
            f"<tr><td>{html.escape(str(rep['agency'] if pd.notna(rep['agency']) else '—'))}</td><td>{year}</td>"
            f"<td>{html.escape(str(rep['parse_status']))}</td><td class=n>{received_text}</td><td><div class=bar>{bar}</div></td></tr>"
        )
    legend = " ".join(
        f'<span class=key style="background:{c}"></span>{html.escape(label)}'
        for _, label, c in OUTCOMES
    )
    page = f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>govreports overview</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}}
.n{{text-align:right}}.bar{{display:flex;width:360px;height:14px;background:#eee}}.bar span{{display:block;height:100%}}
.key{{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}}</style></head><body>
<h1>政府信息公开申请：收到与办理结果 · Requests received and outcomes</h1>
<p>{len(current)} current report(s). Received = 三、一 本年新收 总计 as printed (— where blank or missing).
Bars: share of each outcome in the 办理结果 rows' 总计 column; hover for numbers. {legend}</p>
<table><tr><th>机关 agency</th><th>年度 year</th><th>parse</th><th class=n>收到 received</th><th>办理结果 outcomes</th></tr>
{"".join(rows_html)}</table></body></html>"""
    path.write_text(page, encoding="utf-8")
