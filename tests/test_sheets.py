"""Spreadsheet 统计表 (XLSX, XLS): cells, merges as spans, tables split at empty rows. Fixtures
written by make_office_fixtures.py from the 上海 2019 page's numbers (the XLS saved by LibreOffice)."""

from __future__ import annotations

import io

import pytest

from govreports.parsers import parse
from govreports.parsers.formats.sheets import cell_text, sheet_html
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    "name, encoding",
    [("synthetic-shanghai-2019.xlsx", "xlsx"), ("synthetic-shanghai-2019-excel97.xls", "xls")],
)
def test_workbooks_are_read_as_tables(name: str, encoding: str) -> None:
    report = parse((FIXTURES / "pages" / name).read_bytes(), name)
    assert report.source.encoding == encoding and report.status == "ok"
    assert (report.report.agency, report.report.year, report.report.template) == (
        "上海市人民政府办公厅",
        2019,
        "2019",
    )
    cells = {c.address: c for c in report.cells}
    assert cells["proactive/procurement/amount"].value == 251000
    assert (
        cells["appeals/cases/review_corrected"].status == "blank"
    )  # an empty cell is blank, not 0


def test_merges_become_spans_and_tables_split_at_empty_rows() -> None:
    html = sheet_html((FIXTURES / "pages" / "synthetic-shanghai-2019.xlsx").read_bytes())
    # the sheet is as wide as the appeals table, the others are not: one table per run of rows
    assert html.count("<table>") == 4 and html.endswith(
        "<p>五、存在的主要问题及改进情况</p></body></html>"
    )
    assert "<td rowspan='2'>行政复议</td>" not in html and "<td colspan='5'>行政复议</td>" in html
    assert (
        "<td colspan='3' rowspan='3'>（本列数据的勾稽关系为" in html
        and "<td rowspan='2'>总计</td>" in html
    )


def test_section_headings_split_tables_that_no_empty_row_separates() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["二、主动公开政府信息情况"],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", 1, 2, 3],
        ["三、收到和处理政府信息公开申请情况"],
        ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    html = sheet_html(buf.getvalue())
    assert (
        "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>" in html
    )  # four cells, not the sheet's eight
    assert "<p>三、收到和处理政府信息公开申请情况</p>" in html


def test_a_formula_without_a_saved_result_is_missing_not_blank() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2019年某县政府信息公开工作年度报告统计表"])
    sheet.append(["行政复议", "结果维持", "总计"])
    sheet.append(["", 3, "=SUM(B3:B3)"])  # openpyxl saves no result: only Excel computes one
    buf = io.BytesIO()
    book.save(buf)
    assert "<td>=SUM(B3:B3)</td>" in sheet_html(buf.getvalue())


@pytest.mark.parametrize(
    "value, text",
    [(12.0, "12"), (45.6, "45.6"), (0.1 + 0.2, "0.3"), (None, ""), (True, "TRUE"), ("无", "无")],
)
def test_cell_text_as_printed(value: object, text: str) -> None:
    assert cell_text(value) == text


def hidden_parts_workbook() -> bytes:
    """A 统计表 with what Excel does not show: a hidden sheet holding a decoy table, a hidden row
    repeating 规章 with other numbers, and a hidden helper column. (fixtures/bad/hidden-parts.xls
    is this workbook saved by LibreOffice: soffice --headless --convert-to xls.)"""
    from openpyxl import Workbook

    book = Workbook()
    decoy = book.active
    assert decoy is not None
    decoy.title = "旧表"
    decoy.append(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
    decoy.append(["规章", 7, 7, 7])
    decoy.sheet_state = "hidden"
    sheet = book.create_sheet("统计表")
    sheet.append(["某县2019年政府信息公开工作年度报告统计表"])
    sheet.append(["二、主动公开政府信息情况"])
    sheet.append(["第二十条第（一）项"])
    sheet.append(["信息内容", "本年新制作数量", "辅助列", "本年新公开数量", "对外公开总数量"])
    sheet.append(["规章", 8, 999, 8, 8])  # hidden below: an old version of the row
    sheet.append(["规章", 1, 999, 2, 3])
    sheet.append(["规范性文件", 4, 999, 5, 6])
    sheet.row_dimensions[5].hidden = True
    sheet.column_dimensions["C"].hidden = True
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_hidden_sheets_rows_and_columns_are_not_read(fmt: str) -> None:
    data = (
        hidden_parts_workbook()
        if fmt == "xlsx"
        else (FIXTURES / "bad" / "hidden-parts.xls").read_bytes()
    )
    report = parse(data, f"hidden-parts.{fmt}")
    cells = {
        c.address: c.value
        for c in report.cells
        if c.table == "proactive" and c.status == "reported"
    }
    assert cells == {
        "proactive/regulations/made": 1,
        "proactive/regulations/published": 2,
        "proactive/regulations/total_published": 3,
        "proactive/normative_documents/made": 4,
        "proactive/normative_documents/published": 5,
        "proactive/normative_documents/total_published": 6,
    }


def test_a_damaged_workbook_is_named() -> None:
    data = bytearray((FIXTURES / "pages" / "synthetic-shanghai-2019-excel97.xls").read_bytes())
    at = next(
        i for i in range(512, len(data), 512) if data[i : i + 2] == b"\x09\x08"
    )  # the workbook's BOF record
    data[at : at + 4] = bytes(4)
    report = parse(bytes(data))
    assert report.status == "not_a_report" and report.problems[0].startswith(
        "XLS: not a readable XLS workbook"
    )
