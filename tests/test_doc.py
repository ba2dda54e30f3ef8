"""Word reports: a Word 97–2003 (.doc) file's text from the piece table and its tables from the
paragraph properties (the fixture was saved by LibreOffice's MS Word 97 filter: make_office_fixtures.py
--office); a DOCX's hidden runs."""

from __future__ import annotations

import pytest

from govreports.parsers import parse
from govreports.parsers.formats.doc import _blocks, _hide_field_codes, _Mark, _RowDef, doc_html
from tests.conftest import FIXTURES

DOC = FIXTURES / "pages" / "synthetic-hongze-2024-blanks.doc"
VERTICAL_RESTART, VERTICAL_CONTINUE, HORIZONTAL_CONTINUE = 0x60, 0x20, 0x02


def test_doc_tables_are_rebuilt_with_blank_cells_kept() -> None:
    report = parse(DOC.read_bytes(), str(DOC))
    assert report.source.encoding == "doc" and report.status == "ok"
    assert (report.report.agency, report.report.year, report.report.template) == (
        "淮安市洪泽区人民政府",
        2024,
        "2021",
    )
    cells = {c.address: c for c in report.cells}
    assert cells["proactive/licensing/decisions"].value == 9487
    # Section 三 leaves its zeros blank: blank cells, not dropped ones, so no reading is needed
    assert (
        cells["requests/new_received/natural_person"].value,
        cells["requests/new_received/total"].value,
    ) == (95, 95)
    assert cells["requests/new_received/commercial"].status == "blank"
    assert {c.status for c in report.cells} == {"reported", "blank"}


def test_merged_cells_become_spans() -> None:
    html = doc_html(DOC.read_bytes())
    assert (
        "<td rowspan='22'>三、本年度办理结果</td>" in html
    )  # vertical merge down the outcome rows
    assert "<td colspan='7'>申请人情况</td>" in html  # a wide cell spans the grid lines under it


def test_rows_from_paragraph_marks() -> None:
    edges = (0, 100, 200, 300)
    head = _RowDef(edges, (VERTICAL_RESTART, 0, 0))
    below = _RowDef(edges, (VERTICAL_CONTINUE, 0, HORIZONTAL_CONTINUE))
    text = "标题\r群组\x07甲\x07乙\x07\x07\x071\x07\x07\x07正文\r"  # row 2: merged, 1, merged
    marks = {
        text.index("\x07\x07"): _Mark(True, False, None),
        text.index("\x07\x07") + 1: _Mark(True, True, head),
        text.rindex("\x07\x07") + 1: _Mark(True, True, below),
    }
    assert "".join(_blocks(text, marks)) == (
        "<p>标题</p><table><tr><td rowspan='2'>群组</td><td>甲</td><td>乙</td></tr>"
        "<tr><td colspan='2'>1</td></tr></table><p>正文</p>"
    )


def test_without_paragraph_properties_a_cell_per_line() -> None:
    # The flattened form: blank cells vanish, and the text reader decides with the identities.
    assert (
        "".join(_blocks("表\r甲\x07\x071\x07\x07后\r", {})) == "<p>表</p><p>甲</p><p>1</p><p>后</p>"
    )


def test_field_codes_keep_their_result_and_the_text_its_length() -> None:
    text = '见\x13 HYPERLINK "http://x" \x14附件\x15，共\x13 = 2 \x13 PAGE \x14 9\x15\x14 2\x15件'
    hidden = _hide_field_codes(text)
    assert len(hidden) == len(text) and hidden.replace("\x00", "") == "见附件，共 2件"


def test_docx_hidden_runs_are_not_text() -> None:
    import io
    import zipfile

    from govreports.parsers.formats.docx import docx_html

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    cell = (
        "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>9</w:t></w:r><w:r><w:t>12</w:t></w:r>"
        "<w:r><w:rPr><w:vanish w:val='0'/></w:rPr><w:t>3</w:t></w:r></w:p>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "word/document.xml",
            f"<w:document xmlns:w='{w}'><w:body><w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl></w:body></w:document>",
        )
    assert "<td>123</td>" in docx_html(buf.getvalue())  # the hidden 9 is no digit of the number


def hidden_and_deleted_docx() -> bytes:
    """规章 12 3 4 / 规范性文件 5 6 8, with a deleted 9 before the 12 (tracked changes), a hidden 7
    after the 6 and a struck-out 7 before the 8. fixtures/bad/hidden-and-deleted.doc is this
    file saved by LibreOffice (soffice --headless --convert-to doc): the 9 and the 7s stay in its
    text stream, marked."""
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def run(text: str, props: str = "") -> str:
        return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}<w:t xml:space='preserve'>{text}</w:t></w:r>"

    deleted = "<w:del w:id='1' w:author='x' w:date='2024-01-01T00:00:00Z'><w:r><w:delText>9</w:delText></w:r></w:del>"
    rows = [
        [run("信息内容"), run("本年新制作数量"), run("本年新公开数量"), run("对外公开总数量")],
        [run("规章"), deleted + run("12"), run("3"), run("4")],
        [
            run("规范性文件"),
            run("5"),
            run("6") + run("7", "<w:vanish/>"),
            run("7", "<w:strike/>") + run("8"),
        ],
    ]
    cell = "<w:tc><w:tcPr><w:tcW w:w='1800' w:type='dxa'/></w:tcPr><w:p>{}</w:p></w:tc>"
    table = (
        "<w:tbl><w:tblGrid>"
        + "<w:gridCol w:w='1800'/>" * 4
        + "</w:tblGrid>"
        + "".join("<w:tr>" + "".join(cell.format(c) for c in row) + "</w:tr>" for row in rows)
        + "</w:tbl>"
    )
    paragraphs = "".join(
        f"<w:p>{run(t)}</w:p>"
        for t in (
            "某县2019年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "第二十条第（一）项",
        )
    )
    body = paragraphs + table + f"<w:p>{run('三、收到和处理政府信息公开申请情况')}</w:p>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            "<?xml version='1.0' encoding='UTF-8'?><Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'>"
            "<Default Extension='rels' ContentType='application/vnd.openxmlformats-package.relationships+xml'/>"
            "<Default Extension='xml' ContentType='application/xml'/><Override PartName='/word/document.xml' "
            "ContentType='application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/></Types>",
        )
        z.writestr(
            "_rels/.rels",
            "<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
            "<Relationship Id='rId1' Type='http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument' "
            "Target='word/document.xml'/></Relationships>",
        )
        z.writestr(
            "word/document.xml",
            f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document xmlns:w='{w}'><w:body>{body}</w:body></w:document>",
        )
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["docx", "doc"])
def test_hidden_and_deleted_text_is_no_part_of_a_value(fmt: str) -> None:
    data = (
        hidden_and_deleted_docx()
        if fmt == "docx"
        else (FIXTURES / "bad" / "hidden-and-deleted.doc").read_bytes()
    )
    cells = {
        c.address: c.value
        for c in parse(data, f"x.{fmt}").cells
        if c.table == "proactive" and c.status == "reported"
    }
    assert cells == {
        "proactive/regulations/made": 12,
        "proactive/regulations/published": 3,
        "proactive/regulations/total_published": 4,
        "proactive/normative_documents/made": 5,
        "proactive/normative_documents/published": 6,
        "proactive/normative_documents/total_published": 8,
    }  # not 912, 67 or 78


def test_pieces_compressed_and_utf16_and_characters_beyond_the_bmp() -> None:
    from govreports.parsers.formats.doc import _main_text, _Piece, _rejoin

    word = b"ab\x00\x00" + "中𠀀".encode("utf-16-le")  # 𠀀 (U+20000) is two UTF-16 code units
    pieces = [_Piece(0, 2, 0, 1), _Piece(2, 5, 4, 2)]  # compressed "ab", then 3 code units
    text = _main_text(word, pieces, 5)
    assert len(text) == 5  # one character per position, so paragraph marks index it
    assert _rejoin(text) == "ab中𠀀"


def test_a_cell_of_several_paragraphs_keeps_them_as_lines() -> None:
    text = "数\r量\x07规章\x07\x07"
    marks = {
        0 + 1: _Mark(True, False, None),
        text.rindex("\x07"): _Mark(True, True, _RowDef((0, 10, 20), (0, 0))),
    }
    assert "".join(_blocks(text, marks)) == "<table><tr><td>数<br>量</td><td>规章</td></tr></table>"
