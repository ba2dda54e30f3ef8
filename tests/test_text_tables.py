"""Flattened tables: the real seed and PDF-text fragment, and random tables rendered as text."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from govreports.cli.evaluate import cell_verdict
from govreports.parsers import parse
from govreports.parsers.model import Cell
from govreports.parsers.registry import REQUEST_COLS, TEMPLATES
from tests.conftest import gold, page_bytes


def test_seed_every_cell_resolved() -> None:
    report = parse(page_bytes("seed-nanhuang-2020.txt"))
    expected = gold("seed-nanhuang-2020")
    assert report.status == "ok" and report.report.template == "2019" and report.report.tampered
    for cell in report.cells:
        assert cell.status in ("reported", "inferred"), cell
        assert cell.value == expected[cell.address]
    assert all(c.result == "pass" for c in report.checks)
    # the assumption that decided the dropped cells is named
    assert any("cannot tell a blank cell from a 0" in p for p in report.problems)


def test_pdf_text_fragment_rows_per_line() -> None:
    """huaian page 4: rows on lines, labels wrapped and split into characters; gold is the PDF's."""
    report = parse(page_bytes("huaian-2024-page4.txt"))
    expected = gold("huaian-2024")
    present = [c for c in report.cells if c.status != "missing"]
    assert len(present) == 94
    for cell in present:
        assert cell_verdict(expected[cell.address], cell.status, cell.value) == "correct", cell
    assert report.cell("requests", "partially_granted", "total").value == 454  # type: ignore[union-attr]


def test_ambiguity_is_reported_not_guessed() -> None:
    text = "\n".join(
        [
            "2021年某某镇政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            "四、结转下年度继续办理",
            "3",
            "3",
            "五、存在的主要问题及改进情况",
        ]
    )
    report = parse(text.encode("utf-8"))
    cell = report.cell("requests", "carried_forward", "commercial")
    assert cell is not None and cell.status == "ambiguous" and cell.value is None
    assert cell.candidates == [0, 3]


# --- property: random tables that satisfy the identities, flattened, parsed back -------------

ORG = [c.key for c in REQUEST_COLS if c.key != "total"]
small = st.integers(min_value=0, max_value=30)
mostly_zero = st.one_of(st.just(0), st.just(0), st.just(0), small)


@st.composite
def tables_2019(draw: Any) -> dict[str, Any]:
    t = TEMPLATES["2019"]
    req = t.table("requests").blocks[0]
    outcome_rows = [r.key for r in req.rows if r.role == "outcome"]
    cells: dict[str, int | None] = {}
    for col in ORG:
        outs = {r: draw(mostly_zero) for r in outcome_rows}
        processed = sum(outs.values())
        forward = draw(mostly_zero)
        over = draw(st.integers(min_value=0, max_value=processed + forward))
        col_vals = {
            **outs,
            "total_processed": processed,
            "carried_forward": forward,
            "carried_over": over,
            "new_received": processed + forward - over,
        }
        for r, v in col_vals.items():
            cells[f"requests/{r}/{col}"] = v
    for r in req.rows:
        cells[f"requests/{r.key}/total"] = sum(cells[f"requests/{r.key}/{c}"] or 0 for c in ORG)  # type: ignore[misc]
    for g in ("review", "suit_direct", "suit_after_review"):
        parts = [draw(mostly_zero) for _ in range(4)]
        for k, v in zip(("upheld", "corrected", "other", "pending"), parts):
            cells[f"appeals/cases/{g}_{k}"] = v
        cells[f"appeals/cases/{g}_total"] = sum(parts)
    for block in t.table("proactive").blocks:
        for r in block.rows:
            for c in block.cols:
                cells[f"proactive/{r.key}/{c.key}"] = draw(small)
    blank_zeros = draw(st.booleans())  # many agencies leave zeros blank
    if blank_zeros:
        cells = {k: (None if v == 0 and draw(st.booleans()) else v) for k, v in cells.items()}
    return cells


def render(cells: dict[str, Any], form: str) -> str:
    t = TEMPLATES["2019"]
    lines = [
        "某某县2019年政府信息公开工作年度报告",
        "发布日期：2020-01-20",
        "二、主动公开政府信息情况",
    ]

    def row(label: str, values: list[Any]) -> None:
        printed = [str(v) for v in values if v is not None]
        if form in ("a", "d"):
            lines.append(label)
            lines.extend(printed)
        elif form == "c":  # a crawler's dump: cells run together, a stray space now and then
            lines.append(
                label
                + "".join(p + (" " if (len(p) + i) % 3 == 0 else "") for i, p in enumerate(printed))
            )
        else:
            lines.append(" ".join([label, *printed]))

    for block in t.table("proactive").blocks:
        lines += [block.heading or "", "信息内容", *[c.label for c in block.cols]]
        for r in block.rows:
            row(r.label, [cells[f"proactive/{r.key}/{c.key}"] for c in block.cols])
    lines += [
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    for r in t.table("requests").blocks[0].rows:
        row(r.label, [cells[f"requests/{r.key}/{c.key}"] for c in REQUEST_COLS])
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]
    appeal_values = [
        str(v)
        for v in (cells[f"appeals/cases/{c.key}"] for c in t.table("appeals").blocks[0].cols)
        if v is not None
    ]
    if form in ("a", "d"):
        lines += appeal_values
    else:
        lines.append(("" if form == "c" else " ").join(appeal_values))
    lines.append("五、存在的主要问题及改进情况")
    if form == "c":  # the whole table region on one line, as the pingtan dumps have it
        head, body = lines[:2], lines[2:]
        return "\n".join([*head, "".join(body)])
    if form == "d":  # a <p> per cell inside an HTML page
        paragraphs = "".join(f"<p>{line}</p>" for line in lines)
        return f"<html><head><title>{lines[0]}</title></head><body><div class='content'>{paragraphs}</div></body></html>"
    return "\n".join(lines)


def verdict(expected: Any, status: str, value: Any) -> str:
    if expected is None and status == "inferred" and value == 0:
        return "correct"  # blank or 0: flattened text cannot tell, and says so
    return cell_verdict(expected, status, value)


@settings(max_examples=80, deadline=None)
@given(tables_2019(), st.sampled_from(["a", "b", "c", "d"]))
def test_flattened_tables_never_silently_wrong(cells: dict[str, Any], form: str) -> None:
    report = parse(render(cells, form).encode("utf-8"))
    verdicts = {c.address: verdict(cells[c.address], c.status, c.value) for c in report.cells}
    wrong = {k: (cells[k], report.cell(*k.split("/"))) for k, v in verdicts.items() if v == "wrong"}
    assert not wrong
    if all(v is not None for v in cells.values()) and form in ("a", "b", "d"):
        assert set(verdicts.values()) == {"correct"}  # nothing dropped: every cell known
    if form == "c":  # tables 三 and 四 are bound by identities; 二 may stay ambiguous, never wrong
        assert any("digits run together" in p for p in report.problems)


# --- form c: crawler dumps with digits run together ---------------------------------------------


def test_pingtan_dumps_table_three_correct_others_correct_or_ambiguous() -> None:
    """三 prints its zeros (its own all-zero rows say so) and its identities settle it. 四 is one
    row: nothing in its own text says it prints zeros, so in 2021 its run "10203120001200000"
    stays open where a dropped cell would fit (三's habit is not 四's evidence)."""
    for name in ("pingtan-2019", "pingtan-2021"):
        report = parse(page_bytes(f"{name}.txt"))
        expected = gold(name)
        assert any("digits run together" in p for p in report.problems)
        assert any(
            p.startswith("requests: every all-zero row prints one 0 per cell")
            for p in report.problems
        )
        for cell in report.cells:
            want = expected[cell.address]
            if cell.table == "requests":
                assert cell.status in ("reported", "inferred") and cell.value == want, (name, cell)
            elif cell.status == "ambiguous":
                assert want in (cell.candidates or []), (
                    name,
                    cell,
                )  # the truth is among the candidates
            else:
                assert cell.value == want, (name, cell)


def test_glued_enumerator_of_the_next_row_is_not_a_cell() -> None:
    """'…0000000' + '2.其他法律…': the 2 is the next row's number, not an eighth cell."""
    from govreports.parsers.tables.rows import scan_rows

    text = (
        "三、收到和处理政府信息公开申请情况（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000"
        "3.危及“三安全一稳定”1000001（七）总计1000001 四、结转下年度继续办理0000000五、存在的主要问题"
    )
    rows, glued = scan_rows(text, TEMPLATES["2019"])
    assert glued == 5 and [r.runs for r in rows.rows] == [
        ["0000000"],
        ["0000000"],
        ["1000001"],
        ["1000001"],
        ["0000000"],
    ]


def test_hostile_runs_exhaust_the_budget_quickly_and_guess_nothing() -> None:
    rows = [r.label for r in TEMPLATES["2019"].table("requests").blocks[0].rows]
    text = (
        "某县2019年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况"
        + "".join(r + "9876543219876543219876543219876" for r in rows)
        + "五、存在的主要问题及改进情况"
    )
    report = parse(text.encode("utf-8"))
    assert any("search budget exhausted" in p for p in report.problems)
    assert {c.status for c in report.cells if c.table == "requests"} == {"missing"}


def test_prose_decides_what_the_table_leaves_open_and_says_so() -> None:
    """Only the total printed: no placement satisfies the row identity, so the total is open
    (3 in the total, or 3 for one applicant kind). The report's words settle it."""
    table = [
        "三、收到和处理政府信息公开申请情况",
        "四、结转下年度继续办理",
        "3",
        "五、存在的主要问题及改进情况",
    ]
    silent = parse("\n".join(["2021年某某镇政府信息公开工作年度报告", *table]).encode("utf-8"))
    assert silent.cell("requests", "carried_forward", "total").status == "ambiguous"  # type: ignore[union-attr]
    told = parse(
        "\n".join(
            [
                "2021年某某镇政府信息公开工作年度报告",
                "全年办结申请5件，3件结转下年度继续办理。",
                *table,
            ]
        ).encode("utf-8")
    )
    total = told.cell("requests", "carried_forward", "total")
    assert total is not None and total.status == "inferred" and total.value == 3
    assert told.cell("requests", "carried_forward", "natural_person").status == "blank"  # type: ignore[union-attr]
    assert any(p.startswith("prose evidence: '3件结转下年度'") for p in told.problems)


def test_page_habit_needs_every_row_to_agree() -> None:
    """Zero rows printed in full, but one row with fewer numbers than cells: the page does leave
    blanks, so dropped cells stay possible there."""
    zero = " ".join(["0"] * 7)
    lines = [
        "2021年某某镇政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        f"二、上年结转政府信息公开申请数量 {zero}",
        f"（一）予以公开 {zero}",
        f"1.属于国家秘密 {zero}",
        "四、结转下年度继续办理 3 3",
        "五、存在的主要问题及改进情况",
    ]
    report = parse("\n".join(lines).encode("utf-8"))
    assert not any("every all-zero row prints one 0 per cell" in p for p in report.problems)
    # "3 3": one applicant column and its total, or two columns with the total left blank
    total = report.cell("requests", "carried_forward", "total")
    assert total is not None and total.status == "ambiguous" and total.candidates == [0, 3]


def test_zeros_printed_in_one_table_say_nothing_of_another() -> None:
    """三 prints every 0; 二 leaves its zeros blank. 三's habit must not rule out dropped cells in
    二: 行政处罚 "26 3" is previous_items 26 and one of change/decisions 3, the other blank."""
    zero = " ".join(["0"] * 7)
    lines = [
        "2021年某某镇政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",
        "信息内容 本年新制作数量 本年新公开数量 对外公开总数量",
        "规章 0 0 0",
        "规范性文件 5 5",
        "第二十条第（六）项",
        "信息内容 上一年项目数量 本年增/减 处理决定数量",
        "行政处罚 26 3",
        "三、收到和处理政府信息公开申请情况",
        f"二、上年结转政府信息公开申请数量 {zero}",
        f"（一）予以公开 {zero}",
        f"1.属于国家秘密 {zero}",
        "四、结转下年度继续办理 " + zero,
        "五、存在的主要问题及改进情况",
    ]
    report = parse("\n".join(lines).encode("utf-8"))
    assert any(
        p.startswith("requests: every all-zero row prints one 0 per cell") for p in report.problems
    )
    for col in ("change", "decisions"):
        assert report.cell("proactive", "penalty", col).status == "ambiguous"  # type: ignore[union-attr]


def test_a_glued_not_applicable_mark_is_a_cell_and_the_row_goes_on() -> None:
    """'0无3…': 无 is a cell of its own (na), and the digits after it still belong to the row."""
    from govreports.parsers.tables.rows import scan_rows

    text = (
        "三、收到和处理政府信息公开申请情况二、上年结转政府信息公开申请数量0无300003"
        "三、本年度办理结果（一）予以公开0000000五、存在的主要问题"
    )
    rows, glued = scan_rows(text, TEMPLATES["2019"])
    assert glued == 2 and rows.rows[0].runs == ["0", "无", "300003"]


def test_labels_printed_apart_are_paired_only_where_count_and_identities_decide() -> None:
    head = ["某县2019年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（七）总计",
        "四、结转下年度继续办理",
    ]
    numbers = ["5 0 0 0 0 0 5", "1 0 0 0 0 0 1", "6 0 0 0 0 0 6", "0 0 0 0 0 0 0"]
    tail = ["五、存在的主要问题及改进情况"]
    cells = {
        (c.row, c.col): c for c in parse("\n".join(head + labels + numbers + tail).encode()).cells
    }
    assert (
        cells["carried_over", "natural_person"].value == 1
        and cells["total_processed", "total"].value == 6
    )
    # a row whose own identity refutes the order: nothing is paired
    numbers[1] = "1 0 0 0 0 0 9"
    cells = {
        (c.row, c.col): c for c in parse("\n".join(head + labels + numbers + tail).encode()).cells
    }
    assert cells["carried_over", "natural_person"].status == "missing"
    assert cells["new_received", "natural_person"].status == "missing"


def test_fewer_lines_of_numbers_than_labels_apart_are_placed_only_where_identities_decide() -> None:
    """A table that leaves its empty rows out prints fewer lines of numbers than labels. The lines
    keep the rows' order; of all the ways to give them to rows in order, only those that close
    the identities (new + carried over = processed + carried forward) are the page's readings: a
    cell is decided where they all agree, ambiguous where they differ, and where none closes
    them nothing is placed (never the last label's, as a wrapped label's numbers would be)."""
    head = ["某县2019年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
        "（七）总计",
        "四、结转下年度继续办理",
    ]
    tail = ["五、存在的主要问题及改进情况"]

    def requests(numbers: list[str]) -> tuple[dict[tuple[str, str], Cell], list[str]]:
        report = parse("\n".join(head + labels + numbers + tail).encode())
        cells = {(c.row, c.col): c for c in report.cells if c.table == "requests"}
        return cells, report.problems

    # 5 | 2 | 3: only new (or carried over) = 5, processed = 2, carried forward = 3 close it
    cells, _ = requests(["5 0 0 0 0 0 5", "2 0 0 0 0 0 2", "3 0 0 0 0 0 3"])
    assert (cells["total_processed", "total"].value, cells["total_processed", "total"].status) == (
        2,
        "inferred",
    )
    assert cells["carried_forward", "total"].value == 3
    assert cells["new_received", "total"].status == "ambiguous"
    assert cells["new_received", "total"].candidates == [0, 5]
    assert cells["carried_over", "total"].status == "ambiguous"
    assert (cells["granted", "total"].status, cells["granted", "total"].basis) == (
        "blank",
        "identities",
    )
    # 1 | 5: no placement balances the table: nothing is placed, nothing is claimed blank
    cells, problems = requests(["1 0 0 0 0 0 1", "5 0 0 0 0 0 5"])
    assert all(c.status == "missing" for c in cells.values())
    assert any("no placement of them satisfies the identities" in p for p in problems)
    # the same lines where the table prints other rows beside their labels: a wrapped label's
    # numbers on the line after it, as PDF text gives them
    inline = ["一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1", *labels[1:], "0 0 0 0 0 0 0"]
    cells = {
        (c.row, c.col): c
        for c in parse("\n".join(head + inline + tail).encode()).cells
        if c.table == "requests"
    }
    assert cells["carried_forward", "total"].value == 0
    assert cells["carried_forward", "total"].status == "reported"


def test_a_misspelled_label_printed_apart_is_named_by_its_place_only_where_one_row_fits() -> None:
    """Labels printed apart keep the template's order: a typo too short for similarity
    ("（一）子以公开") alone between two named rows, with one row of the template between them,
    is that row, and the count pairs the lines again. With two rows between them it names
    nothing and the block stays unpaired."""
    from govreports.parsers.tables.rows import collect_rows

    head = ["某县2019年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）子以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ]
    numbers = ["3 0 0 0 0 0 3", "0 0 0 0 0 0 0", "2 0 0 0 0 0 2", "1 0 0 0 0 0 1"]
    found = collect_rows(head + labels + numbers, TEMPLATES["2019"])
    assert [(r.row.key, len(r.tokens)) for r in found.rows] == [
        ("new_received", 7),
        ("carried_over", 7),
        ("granted", 7),
        ("partially_granted", 7),
    ]
    # 子以公开 between 上年结转 and （三）不予公开's first row: granted and partially_granted
    # both fit, so its place names neither
    labels[3] = "1.属于国家秘密"
    found = collect_rows(head + labels + numbers, TEMPLATES["2019"])
    assert all(not r.tokens for r in found.rows) and "requests" in found.stray


def test_labels_of_two_tables_printed_apart_are_no_pool() -> None:
    """A block of labels running from one table into the next, then fewer lines of numbers:
    the lines may be either table's, so no placement is tried and the rows stay missing."""
    from govreports.parsers.tables.rows import collect_rows

    lines = [
        "某县2019年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "规章",
        "规范性文件",
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "3 0 0 0 0 0 3",
        "2 1 3",
        "五、存在的主要问题及改进情况",
    ]
    found = collect_rows(lines, TEMPLATES["2019"])
    assert found.rows and all(r.pool is None and not r.tokens for r in found.rows)
    assert {"proactive", "requests"} <= found.stray


def test_a_total_left_blank_is_not_read_as_the_last_part() -> None:
    """复议后起诉 prints 7 1 0 8 and leaves its total blank. "7 1 0 _ 8" (8 as the total, the
    pending cell blank) satisfies the identity, but the page may leave a total blank: a dropped
    total tests nothing, so the pending cell and the total stay open, never 0 and 8."""
    text = "\n".join(
        [
            "2021年某某镇政府信息公开工作年度报告",
            "三、收到和处理政府信息公开申请情况",
            "四、结转下年度继续办理",
            "0",
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议",
            "行政诉讼",
            *"结果维持 结果纠正 其他结果 尚未审结 总计".split(),
            "未经复议直接起诉",
            "复议后起诉",
            *"结果维持 结果纠正 其他结果 尚未审结 总计".split() * 2,
            *"4 11 10 25 0 10 0 10 7 1 0 8".split(),
            "五、存在的主要问题及改进情况",
        ]
    )
    report = parse(text.encode("utf-8"))
    for col in ("suit_after_review_pending", "suit_after_review_total"):
        cell = report.cell("appeals", "cases", col)
        assert cell is not None and cell.status == "ambiguous", (col, cell)
        assert cell.candidates is not None and 8 in cell.candidates


def test_run_together_rows_found_whatever_their_enumerator_or_spelling() -> None:
    """Crawler dump labels as pages print them: another enumerator style ("(2)", "二、"), a space
    inside one ("7 ."), a misspelling (中请 for 申请) and a shortened label; each row keeps its
    own digits, and the enumerator's digit is never a cell."""
    from govreports.parsers.tables.rows import scan_rows

    text = (
        "三、收到和处理政府信息公开申请情况一、本年新收政府信息公开中请数量 3 3"
        "二、部分公开(区分处理的,只计这一情形,不计其他情形) 1 1（三）不予公开1.属于国家秘密2 2"
        "(2)其他法律行政法规禁止公开4 47 .属于行政执法案卷5 5"
        "（四）无法提供1.本机关不掌握相关政府信 6 6 四、结转下年度继续办理 无 五、存在的主要问题"
    )
    rows, _ = scan_rows(text, TEMPLATES["2019"])
    got = {r.row.key: r.runs for r in rows.rows}
    assert got == {
        "new_received": ["3", "3"],
        "partially_granted": ["1", "1"],
        "denied_state_secret": ["2", "2"],
        "denied_prohibited_by_law": ["4", "4"],
        "denied_enforcement_files": ["5", "5"],
        "unavailable_not_held": ["6", "6"],
        "carried_forward": ["无"],
    }
    assert not rows.stray


def test_a_group_label_written_down_its_cell_is_no_cell() -> None:
    """PDF text of a merged row-group label: one character per line between the rows. The 无 of
    无法提供 is a letter, not the n/a of the row above it."""
    from govreports.parsers.tables.rows import collect_rows

    lines = [
        "三、收到和处理政府信息公开申请情况",
        "（",
        "1.本机关不掌握相关政府信息 3 3",
        "四",
        "2.没有现成信息需要另行制作",
        "）",
        "3.补正后申请内容仍不明确 1 1",
        "无",
        "法",
        "提",
        "供",
        "四、结转下年度继续办理 2 2",
    ]
    rows = collect_rows(lines, TEMPLATES["2019"]).rows
    got = {r.row.key: [t.raw for t in r.tokens] for r in rows}
    assert got == {
        "unavailable_not_held": ["3", "3"],
        "unavailable_needs_creation": [],
        "unavailable_unclear": ["1", "1"],
        "carried_forward": ["2", "2"],
    }


def test_rows_beside_numbers_nobody_claims_are_missing_not_blank() -> None:
    """Digits no label claims ("99" after a label the reader cannot name) may be the row's before
    them, or the unnamed row's: those rows are read as nothing, in the output and in the
    identities that decide the others (taken as blanks, they made a printed total of 95 read as
    blank). A row further off keeps what the page shows: 上年结转 printed nothing."""
    text = (
        "2021年某某县政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况"
        "一、本年新收政府信息公开申请数量 9595二、上年结转政府信息公开申请数量"
        "三、本年度办理结果（一）予以公开 8686 (二)部份公开!区分 99（七）总计9595"
        "四、结转下年度继续办理\n五、存在的主要问题及改进情况"
    )
    report = parse(text.encode("utf-8"))
    for row in ("granted", "partially_granted"):
        for col in REQUEST_COLS:
            assert report.cell("requests", row, col.key).status == "missing"  # type: ignore[union-attr]
    assert report.cell("requests", "carried_over", "total").status == "blank"  # type: ignore[union-attr]
    total = report.cell("requests", "new_received", "total")
    assert total is not None and total.status != "blank"


def test_an_empty_rows_label_sharing_a_line_with_the_next_keeps_no_values() -> None:
    """PDF text puts an empty row's label on one baseline with what follows: a group label and
    the next row, or the next row's label cut where it wraps. The values are the last label's."""
    from govreports.parsers.tables.rows import collect_rows

    lines = [
        "三、收到和处理政府信息公开申请情况",
        "二、上年结转政府信息公开申请数量 三、本年度办理结果 （一）予以公开 5 5",
        "（五）不予处理",
        "2.重复申请 3.要求提 1 1",
        "供公开出版物",
        "（六）其他处理",
        "理 （七）总计 4 4",
        "四、结转下年度继续办理 2 2",
    ]
    rows = collect_rows(lines, TEMPLATES["2019"]).rows
    got = {r.row.key: [t.raw for t in r.tokens] for r in rows}
    assert got == {
        "carried_over": [],
        "granted": ["5", "5"],
        "rejected_repeated": [],
        "rejected_publication": ["1", "1"],
        "other": [],
        "total_processed": ["4", "4"],
        "carried_forward": ["2", "2"],
    }
