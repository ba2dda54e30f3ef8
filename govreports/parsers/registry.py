"""The national templates as data: tables, blocks, rows, columns, label variants, identities.

Everything the parsers know about the report format lives here, so that the HTML path and the
flattened-text path read the same facts and a new label variant or template is a data change.
Keys are the public contract of docs/TABLES.md: never rename one.

Label variants are written as they are printed; matching normalizes them (see normalize.py),
so width, brackets, quotes, spacing and leading enumerators ("1." / "（三）") need no variant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class ColDef:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    # Parent header (e.g. 法人或其他组织, 行政复议): disambiguates leaves such as 其他 / 总计.
    group: str | None = None
    # Unit implied by the template (the cell itself may state another, which wins).
    unit: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class RowDef:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    # Merged group label printed beside the row ("（三）不予公开"), context for short labels.
    group: str | None = None
    # Role in the identities: "in" (received), "out" (processed / carried forward),
    # "outcome" (one of the 办理结果 rows summed into total_processed), "total", "aggregate" (a
    # group's sum that the template leaves out and some pages print in place of its sub-rows: a
    # row only where the page gives it numbers, a group label otherwise).
    role: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class BlockDef:
    """One header-row block of a table. Section 二 has one per 第二十条 item; others have one."""

    id: str
    rows: tuple[RowDef, ...]
    cols: tuple[ColDef, ...]
    heading: str | None = None  # 第二十条第（一）项 ...


@dataclass(frozen=True)
class TableDef:
    key: str
    title: str  # Section heading as in the template.
    blocks: tuple[BlockDef, ...]
    # Printed words that only this table's header has; tell the table from its header rows.
    header_markers: tuple[str, ...] = ()
    # Merged group labels that are not data rows.
    group_labels: tuple[str, ...] = ()

    def cells(self) -> list[tuple[RowDef, ColDef]]:
        return [(r, c) for b in self.blocks for r in b.rows for c in b.cols]

    def block_of(self, row_key: str) -> BlockDef:
        for block in self.blocks:
            if any(r.key == row_key for r in block.rows):
                return block
        raise KeyError(row_key)


Key = tuple[str, str, str]  # (table, row, col): a cell's address


@dataclass(frozen=True)
class IdentityDef:
    """An identity of TABLES.md as data, one definition that the checks, the flattened-text
    reader, the codebook and the docs all read.

    Within one table, in every column (per="col": names are row keys) or in every row (per="row":
    names are column keys), the cells named on the left sum to those on the right. "role:X" names
    every row of that role; "*" every column not on the left. With `groups`, there is one instance
    per group and row, the names being suffixes of the group's column keys ("review" + "total").
    """

    id: str
    table: str
    per: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    describe: str
    zh: str
    groups: tuple[str, ...] = ()

    def instances(self, table: TableDef) -> list[Identity]:
        block = table.blocks[0]
        rows, cols = [r.key for r in block.rows], [c.key for c in block.cols]
        if self.per == "col":
            left, right = self._rows(block, self.left), self._rows(block, self.right)
            return [
                Identity(
                    self.id,
                    f"{table.key}/*/{c}",
                    tuple((table.key, r, c) for r in left),
                    tuple((table.key, r, c) for r in right),
                    self.describe.format(n=len(right)),
                )
                for c in cols
            ]
        out = []
        for r in rows:
            for g in self.groups or ("",):
                prefix = f"{g}_" if g else ""
                left = [prefix + k for k in self.left]
                right = (
                    [c for c in cols if c not in left]
                    if self.right == ("*",)
                    else [prefix + k for k in self.right]
                )
                subject = f"{table.key}/{r}/{g}_*" if g else f"{table.key}/{r}/{left[0]}"
                out.append(
                    Identity(
                        self.id,
                        subject,
                        tuple((table.key, r, c) for c in left),
                        tuple((table.key, r, c) for c in right),
                        self.describe.format(g=g, n=len(right)),
                    )
                )
        return out

    @staticmethod
    def _rows(block: BlockDef, names: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for name in names:
            role = name.removeprefix("role:")
            out += (
                [r.key for r in block.rows if r.role == role]
                if name.startswith("role:")
                else [name]
            )
        return out


@dataclass(frozen=True, slots=True)
class Identity:
    """One instance of an identity: the sum of the left cells equals the sum of the right ones."""

    id: str
    subject: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]
    describe: str

    @property
    def terms(self) -> tuple[tuple[int, Key], ...]:
        """Signed terms: the instance holds when they sum to 0."""
        return (*((1, k) for k in self.left), *((-1, k) for k in self.right))


# eq=False: a template is one object per id, and the caches keyed on it hash it per call;
# a frozen dataclass's own hash walks every table, block, row and label each time.
@dataclass(frozen=True, eq=False)
class Template:
    id: str
    document: str
    tables: tuple[TableDef, ...]
    # Printed labels found only in this template: the strongest evidence of which one a page uses.
    signatures: tuple[str, ...] = field(default=())
    identity_defs: tuple[IdentityDef, ...] = ()

    def table(self, key: str) -> TableDef:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    @cached_property
    def cell_keys(self) -> list[tuple[str, str, str]]:
        """Every cell a report of this template has. An aggregate row's cells are not among
        them: a report has them only where it prints the row."""
        return [
            (t.key, r.key, c.key)
            for t in self.tables
            for r, c in t.cells()
            if r.role != "aggregate"
        ]

    @cached_property
    def column_labels(self) -> tuple[str, ...]:
        """Every printed label of a column, in every table: a line of them is a header."""
        return tuple(lab for t in self.tables for b in t.blocks for c in b.cols for lab in c.labels)

    @cached_property
    def header_words(self) -> tuple[str, ...]:
        """What a header row may print: column labels, column groups, the tables' markers."""
        groups = tuple(c.group for t in self.tables for b in t.blocks for c in b.cols if c.group)
        markers = tuple(m for t in self.tables for m in t.header_markers)
        return self.column_labels + groups + markers

    @cached_property
    def aggregate_rows(self) -> frozenset[str]:
        return frozenset(
            r.key for t in self.tables for b in t.blocks for r in b.rows if r.role == "aggregate"
        )

    @cached_property
    def identities(self) -> tuple[Identity, ...]:
        """Every identity instance of the template, spelled out as cell keys once per process:
        the per-column ones column by column (each column's balance beside its outcome sum, as a
        reader checks a column), then the per-row ones."""
        numbered = [(d, i) for d in self.identity_defs for i in d.instances(self.table(d.table))]
        order = {d: n for n, d in enumerate(self.identity_defs)}

        def key(pair: tuple[IdentityDef, Identity]) -> tuple[int, int, int]:
            d, inst = pair
            if d.per == "col":
                cols = [c.key for c in self.table(d.table).blocks[0].cols]
                return (0, cols.index(inst.left[0][2]), order[d])
            return (1, order[d], 0)

        return tuple(i for _, i in sorted(numbered, key=key))


# --- section 二: proactive disclosure -----------------------------------------------------------

_DECISIONS_2019 = (
    ColDef("previous_items", "上一年项目数量"),
    ColDef("change", "本年增/减", ("本年增减", "增/减")),
    ColDef("decisions", "处理决定数量"),
)
_DECISIONS_2021 = (ColDef("decisions", "本年处理决定数量", ("处理决定数量",)),)

PROACTIVE_2019 = TableDef(
    "proactive",
    "主动公开政府信息情况",
    (
        BlockDef(
            "一",
            (
                RowDef("regulations", "规章"),
                RowDef("normative_documents", "规范性文件", ("行政规范性文件",)),
            ),
            (
                ColDef("made", "本年新制作数量", ("本年制作数量", "新制作数量")),
                ColDef("published", "本年新公开数量", ("本年公开数量", "新公开数量")),
                ColDef("total_published", "对外公开总数量", ("公开总数量",)),
            ),
            "第二十条第（一）项",
        ),
        BlockDef(
            "五",
            (RowDef("licensing", "行政许可"), RowDef("other_services", "其他对外管理服务事项")),
            _DECISIONS_2019,
            "第二十条第（五）项",
        ),
        BlockDef(
            "六",
            (RowDef("penalty", "行政处罚"), RowDef("coercion", "行政强制")),
            _DECISIONS_2019,
            "第二十条第（六）项",
        ),
        BlockDef(
            "八",
            (RowDef("fees", "行政事业性收费"),),
            _DECISIONS_2019[:2],
            "第二十条第（八）项",
        ),
        BlockDef(
            "九",
            (RowDef("procurement", "政府集中采购"),),
            (
                ColDef("projects", "采购项目数量"),
                ColDef("amount", "采购总金额", ("采购金额",)),
            ),
            "第二十条第（九）项",
        ),
    ),
    header_markers=("信息内容",),
)

PROACTIVE_2021 = TableDef(
    "proactive",
    "主动公开政府信息情况",
    (
        BlockDef(
            "一",
            (
                RowDef("regulations", "规章"),
                RowDef("normative_documents", "行政规范性文件", ("规范性文件",)),
            ),
            (
                ColDef("issued", "本年制发件数", ("本年制发数量", "制发件数")),
                ColDef("repealed", "本年废止件数", ("本年废止数量", "废止件数")),
                ColDef("in_force", "现行有效件数", ("现行有效数量", "有效件数")),
            ),
            "第二十条第（一）项",
        ),
        BlockDef("五", (RowDef("licensing", "行政许可"),), _DECISIONS_2021, "第二十条第（五）项"),
        BlockDef(
            "六",
            (RowDef("penalty", "行政处罚"), RowDef("coercion", "行政强制")),
            _DECISIONS_2021,
            "第二十条第（六）项",
        ),
        BlockDef(
            "八",
            (RowDef("fees", "行政事业性收费"),),
            (
                ColDef(
                    "amount_10k_yuan",
                    "本年收费金额（单位：万元）",
                    ("本年收费金额", "收费金额"),
                    unit="万元",
                ),
            ),
            "第二十条第（八）项",
        ),
    ),
    header_markers=("信息内容",),
)

# --- section 三: requests -------------------------------------------------------------------------

_ORG = "法人或其他组织"
REQUEST_COLS = (
    ColDef("natural_person", "自然人"),
    ColDef("commercial", "商业企业", group=_ORG),
    ColDef("research", "科研机构", group=_ORG),
    ColDef("social_welfare", "社会公益组织", group=_ORG),
    ColDef("legal_services", "法律服务机构", group=_ORG),
    ColDef("other_org", "其他", group=_ORG),
    ColDef("total", "总计", ("合计",)),
)

_DENIED, _UNAVAILABLE, _REJECTED, _OTHER = (
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
)

_REQUEST_ROWS_HEAD = (
    RowDef("new_received", "一、本年新收政府信息公开申请数量", ("本年新收申请数量",), role="in"),
    RowDef("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转申请数量",), role="in"),
    RowDef("granted", "（一）予以公开", role="outcome"),
    RowDef(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("部分公开",),
        role="outcome",
    ),
    RowDef("denied_state_secret", "1.属于国家秘密", group=_DENIED, role="outcome"),
    RowDef(
        "denied_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        ("其他法律行政止公开", "法律行政法规禁止公开"),
        group=_DENIED,
        role="outcome",
    ),
    RowDef("denied_security_stability", "3.危及“三安全一稳定”", group=_DENIED, role="outcome"),
    RowDef("denied_third_party", "4.保护第三方合法权益", group=_DENIED, role="outcome"),
    RowDef("denied_internal_affairs", "5.属于三类内部事务信息", group=_DENIED, role="outcome"),
    RowDef("denied_process_info", "6.属于四类过程性信息", group=_DENIED, role="outcome"),
    RowDef("denied_enforcement_files", "7.属于行政执法案卷", group=_DENIED, role="outcome"),
    RowDef("denied_administrative_query", "8.属于行政查询事项", group=_DENIED, role="outcome"),
    RowDef(
        "unavailable_not_held",
        "1.本机关不掌握相关政府信息",
        ("不掌握相关政府信息",),
        group=_UNAVAILABLE,
        role="outcome",
    ),
    RowDef(
        "unavailable_needs_creation",
        "2.没有现成信息需要另行制作",
        group=_UNAVAILABLE,
        role="outcome",
    ),
    RowDef("unavailable_unclear", "3.补正后申请内容仍不明确", group=_UNAVAILABLE, role="outcome"),
    RowDef("rejected_complaint", "1.信访举报投诉类申请", group=_REJECTED, role="outcome"),
    RowDef("rejected_repeated", "2.重复申请", group=_REJECTED, role="outcome"),
    RowDef("rejected_publication", "3.要求提供公开出版物", group=_REJECTED, role="outcome"),
    RowDef("rejected_excessive", "4.无正当理由大量反复申请", group=_REJECTED, role="outcome"),
    RowDef(
        "rejected_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        group=_REJECTED,
        role="outcome",
    ),
)
_REQUEST_ROWS_TAIL = (
    RowDef("total_processed", "（七）总计", role="total"),
    RowDef("carried_forward", "四、结转下年度继续办理", ("结转下年度继续办理",), role="out"),
)
_REQUEST_GROUPS = ("三、本年度办理结果", _DENIED, _UNAVAILABLE, _REJECTED)
_REQUEST_MARKERS = ("自然人", "商业企业", "科研机构", "申请人情况")

REQUESTS_2019 = TableDef(
    "requests",
    "收到和处理政府信息公开申请情况",
    (
        BlockDef(
            "requests",
            (
                *_REQUEST_ROWS_HEAD,
                RowDef("other", "（六）其他处理", role="outcome"),
                *_REQUEST_ROWS_TAIL,
            ),
            REQUEST_COLS,
        ),
    ),
    header_markers=_REQUEST_MARKERS,
    group_labels=_REQUEST_GROUPS,
)

REQUESTS_2021 = TableDef(
    "requests",
    "收到和处理政府信息公开申请情况",
    (
        BlockDef(
            "requests",
            (
                *_REQUEST_ROWS_HEAD,
                # Some pages print the group as one row in place of its three sub-rows.
                RowDef("other", _OTHER, role="aggregate"),
                RowDef(
                    "other_no_correction",
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                    ("逾期不补正", "申请人无正当理由逾期不补正"),
                    group=_OTHER,
                    role="outcome",
                ),
                RowDef(
                    "other_no_fee",
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                    ("逾期未按收费通知要求缴纳费用", "申请人逾期未按收费通知要求缴纳费用"),
                    group=_OTHER,
                    role="outcome",
                ),
                RowDef("other_misc", "3.其他", group=_OTHER, role="outcome"),
                *_REQUEST_ROWS_TAIL,
            ),
            REQUEST_COLS,
        ),
    ),
    header_markers=_REQUEST_MARKERS,
    group_labels=(*_REQUEST_GROUPS, _OTHER),
)

# --- section 四: administrative review and litigation ---------------------------------------------

_REVIEW, _DIRECT, _AFTER = "行政复议", "未经复议直接起诉", "复议后起诉"
_OUTCOMES = (
    ("upheld", "结果维持", ("维持",)),
    ("corrected", "结果纠正", ("纠正",)),
    ("other", "其他结果", ()),
    ("pending", "尚未审结", ("未审结",)),
    ("total", "总计", ("合计",)),
)
APPEAL_COLS = tuple(
    ColDef(f"{prefix}_{suffix}", label, variants, group=group)
    for prefix, group in (
        ("review", _REVIEW),
        ("suit_direct", _DIRECT),
        ("suit_after_review", _AFTER),
    )
    for suffix, label, variants in _OUTCOMES
)

APPEALS = TableDef(
    "appeals",
    "政府信息公开行政复议、行政诉讼情况",
    (BlockDef("appeals", (RowDef("cases", "", ("数量", "件数")),), APPEAL_COLS),),
    header_markers=("结果维持", "结果纠正", "尚未审结", "复议后起诉"),
)

# --- identities (TABLES.md "Identities the tables must satisfy") -----------------------------------

IDENTITY_DEFS = (
    IdentityDef(
        "requests_balance",
        "requests",
        "col",
        ("new_received", "carried_over"),
        ("total_processed", "carried_forward"),
        "new_received + carried_over vs total_processed + carried_forward",
        "每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
    ),
    IdentityDef(
        "requests_outcomes",
        "requests",
        "col",
        ("total_processed",),
        ("role:outcome",),
        "total_processed vs the sum of {n} outcome rows",
        "每列：办理结果总计 = 各项办理结果之和",
    ),
    IdentityDef(
        "requests_row_total",
        "requests",
        "row",
        ("total",),
        ("*",),
        "total vs the sum of the six applicant columns",
        "每行：总计 = 六类申请人之和",
    ),
    IdentityDef(
        "appeals_group_total",
        "appeals",
        "row",
        ("total",),
        ("upheld", "corrected", "other", "pending"),
        "{g}_total vs upheld + corrected + other + pending",
        "行政复议、两类行政诉讼各组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
        groups=("review", "suit_direct", "suit_after_review"),
    ),
)

# 2021 only: where a page prints （六）其他处理 beside its sub-rows, it is their sum.
OTHER_PARTS = IdentityDef(
    "requests_other_parts",
    "requests",
    "col",
    ("other",),
    ("other_no_correction", "other_no_fee", "other_misc"),
    "other vs the sum of its {n} sub-rows",
    "每列：（六）其他处理 = 其下三项之和",
)

# 2021 only: a page that prints （六）其他处理 as one row still balances its outcomes through it.
OUTCOMES_THROUGH_OTHER = IdentityDef(
    "requests_outcomes_other",
    "requests",
    "col",
    ("total_processed",),
    tuple(r.key for r in REQUESTS_2021.blocks[0].rows if r.role == "outcome" and r.group != _OTHER)
    + ("other",),
    "total_processed vs the sum of {n} outcome rows, （六）其他处理 as one row",
    "每列：办理结果总计 = 各项办理结果之和（其他处理按一行计）",
)

IDENTITY_DEFS_2021 = (*IDENTITY_DEFS, OTHER_PARTS, OUTCOMES_THROUGH_OTHER)

TEMPLATES: dict[str, Template] = {
    "2019": Template(
        "2019",
        "国办公开办函〔2019〕60号",
        (PROACTIVE_2019, REQUESTS_2019, APPEALS),
        signatures=(
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
            "上一年项目数量",
            "采购总金额",
        ),
        identity_defs=IDENTITY_DEFS,
    ),
    "2021": Template(
        "2021",
        "国办公开办函〔2021〕30号",
        (PROACTIVE_2021, REQUESTS_2021, APPEALS),
        signatures=(
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "本年收费金额",
            "逾期不补正",
            "逾期未按收费通知要求缴纳费用",
        ),
        identity_defs=IDENTITY_DEFS_2021,
    ),
}

# Words of the pre-2019 统计表 (国办发〔2014〕32号 style): detect, never map onto the keys above.
PRE2019_MARKERS = (
    "指标名称",
    "计量单位",
    "受理依申请公开信息总数",
    "主动公开文件数",
    "对申请的答复总数",
)
IDENTITIES = tuple(dict.fromkeys(d.id for t in TEMPLATES.values() for d in t.identity_defs))
