"""Whole pages: the real corpus and the CMS-shaped pages in fixtures/, against hand-checked gold."""

import pytest

from govreports.cli.evaluate import score
from govreports.parsers import parse
from tests.conftest import FIXTURES, gold, page_bytes

HTML_GOLD = ["shanghai-2019", "synthetic-trs-2021-gbk", "synthetic-hanweb-2019-lying-meta"]


@pytest.mark.parametrize("name", HTML_GOLD)
def test_every_cell_and_meta_as_gold(name: str) -> None:
    path = next((FIXTURES / "pages").glob(f"{name}.*"))
    report = parse(path.read_bytes(), str(path))
    s = score(name, report, gold(name))
    assert s.wrong_cells == [] and s.meta_wrong == []
    assert s.correct == s.total  # nothing flagged either: real <table> markup leaves no doubt
    assert report.status == "ok"


def test_every_template_cell_appears_once_with_a_status() -> None:
    report = parse(page_bytes("shanghai-2019.html"))
    addresses = [c.address for c in report.cells]
    assert len(addresses) == len(set(addresses)) == 198
    assert {c.status for c in report.cells} <= {"reported", "blank", "na", "missing"}


def test_shanghai_units_and_identities() -> None:
    report = parse(page_bytes("shanghai-2019.html"))
    amount = report.cell("proactive", "procurement", "amount")
    assert amount is not None and (amount.value, amount.unit, amount.raw) == (
        251000,
        "元",
        "251000元",
    )
    checks = {(c.id, c.subject): c for c in report.checks}
    balance = checks[("requests_balance", "requests/*/natural_person")]
    assert balance.result == "pass"  # 821 + 18 = 767 + 72
    # most 总计 cells are blank on this page: an unfilled total is no failure of the source
    granted = checks[("requests_row_total", "requests/granted/total")]
    assert granted.result == "not_assessable" and "blank cells are not numbers" in granted.detail
    assert checks[("appeals_group_total", "appeals/cases/review_*")].result == "pass"
    total = report.cell("requests", "granted", "total")
    assert total is not None and total.status == "blank" and total.value is None  # never repaired


def test_2021_page_special_cells() -> None:
    report = parse(page_bytes("synthetic-trs-2021-gbk.html"), "https://www.qs.gov.cn/a.html")
    assert report.source.encoding == "gb18030"
    issued = report.cell("proactive", "normative_documents", "issued")
    assert issued is not None and issued.value == 22 and issued.raw == "22（其中修订16件）"
    fee = report.cell("proactive", "fees", "amount_10k_yuan")
    assert fee is not None and (fee.value, fee.unit) == (12.5, "万元")
    na = report.cell("requests", "denied_security_stability", "natural_person")
    assert na is not None and na.status == "na"
    # chrome is not the body: the script's fake 统计期限 and the related links do not leak in
    assert report.report.year == 2021


def test_seed_metadata_and_tamper() -> None:
    report = parse(page_bytes("seed-nanhuang-2020.txt"))
    meta = report.report
    assert meta.agency == "南黄镇人民政府"
    assert (meta.year, meta.published, meta.template) == (2020, "2021-01-29", "2019")
    assert meta.tampered and meta.tamper_phrases == ["澳门英皇娱乐_天下足球网-盘口官网"]
    assert meta.title == "南黄镇2020年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "name, agency, year, published, template",
    [
        ("pingtan-2019.txt", "平潭综合实验区", 2019, "2020-01-20", "2019"),
        (
            "pingtan-2021.txt",
            "平潭综合实验区",
            2021,  # the title's, not 来源：平潭县人民政府
            "2022-02-08",
            "2021",
        ),
        ("pingtan-2016.txt", "平潭综合实验区", 2016, "2017-01-18", "pre2019"),
        ("pingtan-2018.txt", "平潭综合实验区", 2018, "2019-01-10", "pre2019"),
    ],
)
def test_text_dump_metadata(
    name: str, agency: str, year: int, published: str, template: str
) -> None:
    meta = parse(page_bytes(name)).report
    assert (meta.agency, meta.year, meta.published, meta.template, meta.tampered) == (
        agency,
        year,
        published,
        template,
        False,
    )


def test_pre2019_is_never_mapped_onto_the_keys() -> None:
    report = parse(page_bytes("pingtan-2018.txt"))
    assert report.status == "no_tables" and report.cells == []
    assert any("pre-2019" in p for p in report.problems)


def test_nested_layout_table_and_attachment_links() -> None:
    report = parse(
        page_bytes("synthetic-hanweb-2019-lying-meta.html"), "http://www.baisha.gov.cn/art/1.html"
    )
    assert report.attachments == ["http://www.baisha.gov.cn/attach/0/baisha-2019-tables.xls"]
    assert report.source.encoding == "utf-8"
    assert any("contradicted" in p for p in report.problems)


def test_cell_text_keeps_lines_apart_only_where_the_cell_breaks() -> None:
    from lxml import etree

    from govreports.parsers.tables.grid import build_grid

    table = etree.fromstring(
        "<table><tr><td><p>12</p></td><td>1<br/>2</td><td><p>3</p><p>4</p></td><td><span>5</span><span>6</span></td>"
        "<td>本年新<br/>制作数量</td></tr></table>"
    )
    cells = [cell for cell in build_grid(table)[0] if cell is not None]
    assert ["|".join(cell.text.split()) for cell in cells] == [
        "12",
        "1|2",
        "3|4",
        "56",
        "本年新|制作数量",
    ]
    assert [cell.value.value for cell in cells[:4]] == [
        12,
        None,
        None,
        56,
    ]  # 1<br>2 is never the number 12
    assert cells[1].value.status == "missing" and cells[1].value.raw == cells[1].text


def test_a_footnote_mark_never_joins_the_number() -> None:
    from lxml import etree

    from govreports.parsers.page.body import read_page
    from govreports.parsers.tables.grid import build_grid

    table = etree.fromstring(
        "<table><tr><td>规章<sup>注</sup></td><td>3<sup>1</sup></td><td><span>4</span></td></tr></table>"
    )
    cells = [cell for cell in build_grid(table)[0] if cell is not None]
    assert [(c.text, c.value.status) for c in cells] == [
        ("规章^注", "missing"),
        ("3^1", "missing"),
        ("4", "reported"),
    ]
    assert read_page("<html><body><p>规章 3<sup>1</sup> 0</p></body></html>").lines == [
        "规章 3^1 0"
    ]  # not 31


def test_text_the_page_hides_is_no_part_of_a_value() -> None:
    page = page_bytes("shanghai-2019.html")
    junk = page.replace(
        b">821<", b"><span style='DISPLAY: none'>9</span>821<", 1
    )  # anti-copy junk, or Word's mso-hide
    assert junk != page
    clean, hidden = parse(page), parse(junk)
    assert [c.value for c in hidden.cells] == [c.value for c in clean.cells]  # 821, not 9821
    assert (
        "1 hidden or struck-out element(s) in the tables ignored (text the page does not show, or corrects)"
        in hidden.problems
    )
    corrected = page.replace(b">821<", b"><del>820</del>821<", 1)
    assert [c.value for c in parse(corrected).cells] == [
        c.value for c in clean.cells
    ]  # 821, not 820821


def test_one_number_spanning_two_columns_is_not_copied_into_both() -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>某县2019年政府信息公开工作年度报告</title></head><body><div class='content'>"
        "<p>某县2019年政府信息公开工作年度报告</p><p>二、主动公开政府信息情况</p><table><tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>"
        "<tr><td>规章</td><td colspan='2'>5</td><td>9</td></tr><tr><td>规范性文件</td><td>1</td><td>2</td><td>3</td></tr>"
        "</table></div></body></html>"
    )
    report = parse(page.encode())
    cells = {c.address: c for c in report.cells}
    assert [
        (cells[f"proactive/regulations/{k}"].status, cells[f"proactive/regulations/{k}"].raw)
        for k in ("made", "published")
    ] == [
        ("missing", "5"),
        ("missing", "5"),
    ]  # "both 5", "5 in all" or "one of them": the page does not say
    assert (
        cells["proactive/regulations/total_published"].value == 9
        and cells["proactive/normative_documents/published"].value == 2
    )
    assert any("one printed number spans the columns made, published" in p for p in report.problems)


def test_values_placed_by_template_order_are_inferred_not_reported() -> None:
    page = (
        "<html><head><meta charset='utf-8'><title>某县2019年政府信息公开工作年度报告</title></head><body><div class='content'>"
        "<p>某县2019年政府信息公开工作年度报告</p><p>二、主动公开政府信息情况</p><table><tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>甲</td><td>乙</td><td>丙</td></tr>"  # a header that names no template column
        "<tr><td>规章</td><td>1</td><td>2</td><td></td></tr></table></div></body></html>"
    )
    report = parse(page.encode())
    cells = {c.address: c for c in report.cells}
    assert [
        (cells[f"proactive/regulations/{k}"].status, cells[f"proactive/regulations/{k}"].value)
        for k in ("made", "published", "total_published")
    ] == [("inferred", 1), ("inferred", 2), ("blank", None)]
    assert any("values taken in template column order (inferred)" in p for p in report.problems)
