"""The panel's measures and indicators, defined once as data (panel_measures.csv, indicators.csv
beside this module) and read here into the panel's file definitions, so the codebook, the
panel builder and the README's tables cannot drift apart.

A measure is a number a report prints (or the sum of a group of its cells), named for the
panel: `source` holds cell keys (`table/row/col`, `*` within a row key for a group), joined by
`+`, with `|` between alternatives for the two templates (the first whose cells the report has).
An indicator is a ratio of measures: numerator and denominator are sums and differences of
measure names, `name@prev` is the measure in the agency's previous report year, and `scale`
multiplies the ratio (100: per 100 requests).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from govreports.output.schema import AGENCY, REPORT_ID, YEAR, Field, FileDef

Term = tuple[int, str, bool]  # sign (+1, −1), measure name, previous year's value


@dataclass(frozen=True)
class Measure:
    name: str
    alternatives: tuple[tuple[str, ...], ...]  # cell-key patterns, each alternative summed
    source: str  # as written in the data file, for the codebook
    zh: str
    en: str


@dataclass(frozen=True)
class Indicator:
    name: str
    numerator: tuple[Term, ...]
    denominator: tuple[Term, ...]
    scale: float
    formula: str  # as written in the data file
    zh: str
    en: str

    @property
    def measures(self) -> set[str]:
        return {name for _, name, _ in (*self.numerator, *self.denominator)}


def _rows(name: str) -> list[dict[str, str]]:
    text = files("govreports.output").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


_TERM = re.compile(r"\s*([+-]?)\s*([a-z_0-9]+)(@prev)?\s*")


def _terms(expression: str, known: set[str]) -> tuple[Term, ...]:
    out: list[Term] = []
    pos = 0
    while pos < len(expression):
        m = _TERM.match(expression, pos)
        if m is None or m.end() == pos or (out and not m.group(1)):
            raise ValueError(f"indicators.csv: cannot read {expression!r} at {pos}")
        if m.group(2) not in known:
            raise ValueError(f"indicators.csv: {m.group(2)!r} is no measure of panel_measures.csv")
        out.append((-1 if m.group(1) == "-" else 1, m.group(2), bool(m.group(3))))
        pos = m.end()
    return tuple(out)


@cache
def measures() -> tuple[Measure, ...]:
    return tuple(
        Measure(
            r["name"],
            tuple(tuple(p.strip() for p in alt.split("+")) for alt in r["source"].split("|")),
            r["source"],
            r["zh"],
            r["en"],
        )
        for r in _rows("panel_measures.csv")
    )


@cache
def indicators() -> tuple[Indicator, ...]:
    known = {m.name for m in measures()}
    return tuple(
        Indicator(
            r["name"],
            _terms(r["numerator"], known),
            _terms(r["denominator"], known),
            float(r["scale"]),
            f"({r['numerator']}) / ({r['denominator']})"
            + (f" × {r['scale']}" if r["scale"] != "1" else ""),
            r["zh"],
            r["en"],
        )
        for r in _rows("indicators.csv")
    )


QUALITY = ("reported", "inferred", "blank", "incomplete")  # from best to worst


def _panel_fields() -> tuple[Field, ...]:
    def text(name: str, zh: str, en: str, enum: tuple[str, ...] | None = None) -> Field:
        return Field(name, "string", zh, en, enum)

    head = (
        text(
            "agency_key",
            "机构标识（跨年度稳定：行政区划的稳定编号＋去掉区划名称的机构名；无区划时为机构名）",
            "agency key, stable across years and renamed divisions: the division's stable id and "
            "the agency's name without the division's; the agency's name where no division is known",
        ),
        AGENCY,
        text("agency_kind", "机构类别", "agency kind"),
        text("agency_level", "机构层级", "agency level"),
        text("division_id", "行政区划稳定编号", "stable division id"),
        text(
            "division_code", "报告年度有效的行政区划代码", "division code valid in the report year"
        ),
        text("province", "省", "province"),
        text("city", "市", "city"),
        text("county", "县", "county"),
        YEAR,
        REPORT_ID,
        Field(
            "reports",
            "integer",
            "该机构该年度的现行报告份数（多于 1 份时取单元格最全的一份）",
            "current reports of the agency for the year (with several, the most complete is used)",
        ),
        text("template", "模板", "template"),
        text("published", "发布日期", "publication date"),
        Field("on_time", "boolean", "按时发布", "published by the deadline"),
        text("form", "来源形式", "form read as"),
        Field("tampered", "boolean", "页面含注入内容", "the page carries injected content"),
        text(
            "quality",
            "本行所用单元格的最差状态：reported 全部印出；inferred 有推断值；blank 有空白格"
            "（其度量为空，除非导出时选 --blank-as-zero）；incomplete 有缺失或歧义的单元格；"
            "无模板表格的报告（2019 年以前）为空",
            "the worst status among the cells this row draws on: reported, inferred, blank "
            "(its measures are empty unless exported with --blank-as-zero), incomplete (missing "
            "or ambiguous cells); empty for a report without template tables (before 2019)",
            QUALITY,
        ),
        Field(
            "checks_failed",
            "integer",
            "报告未通过的表内勾稽关系数",
            "the report's identities that fail (its own arithmetic)",
        ),
    )
    measure_fields = tuple(
        Field(
            m.name,
            "number" if m.name == "fees_10k_yuan" else "integer",
            m.zh,
            f"{m.en} (cells: {m.source})",
        )
        for m in measures()
    )
    indicator_fields = tuple(
        f
        for i in indicators()
        for f in (
            Field(i.name, "number", i.zh, f"{i.en}: {i.formula}; empty when an input is unknown"),
            Field(
                f"{i.name}_base",
                "number",
                f"{i.zh}的分母",
                f"the denominator of {i.name} ({i.formula}): filter on it to drop tiny bases",
            ),
        )
    )
    return head + measure_fields + indicator_fields


@cache
def panel_file() -> FileDef:
    return FileDef(
        "panel",
        "机构—年度面板：每个机构每个报告年度一行，关键单元格、质量标志与指标",
        "agency-year panel: one row per agency and report year, key cells, a quality flag and indicators",
        _panel_fields(),
        ("agency_key", "report_year"),
    )


PANEL_CHECKS = FileDef(
    "panel_checks",
    "跨年度核对：上年结转下年度（t）应等于下一年上年结转（t+1）；发布后修改的报告",
    "cross-year checks: carried forward in year t against carried over in t+1; reports changed after publication",
    (
        Field("agency_key", "string", "机构标识", "agency key"),
        YEAR,
        Field(
            "check",
            "string",
            "核对项：carried_forward 结转衔接；revised 发布后修改",
            "check: carried_forward (year to year) or revised (changed after publication)",
            ("carried_forward", "revised"),
        ),
        Field("column", "string", "列或度量", "column (applicant type) or measure"),
        Field(
            "value", "number", "本年度（或旧版）的值", "the value in year t (or the old version)"
        ),
        Field("other_year", "integer", "对照年度", "the year compared with"),
        Field("other_value", "number", "对照值", "the value compared with"),
        Field(
            "result",
            "string",
            "结果",
            "result",
            ("pass", "fail", "not_assessable", "changed"),
        ),
        Field("note", "string", "说明（如模板切换）", "note (a template switch, say)"),
        REPORT_ID,
        Field("other_report_id", "string", "对照报告编号", "the report compared with"),
    ),
    ("agency_key", "report_year", "check", "column", "report_id"),
)
