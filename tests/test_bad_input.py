"""Bad input gets a status and a reason, never a traceback."""

import pytest

from govreports.parsers import parse
from govreports.parsers.model import Report
from tests.conftest import FIXTURES


def bad(name: str) -> bytes:
    return (FIXTURES / "bad" / name).read_bytes()


@pytest.mark.parametrize(
    "name, status, reason",
    [
        ("empty.html", "not_a_report", "empty"),
        ("binary-junk.bin", "not_a_report", "binary"),
        ("undecodable.txt", "not_a_report", "undecodable"),
        ("list-page.html", "not_a_report", "list of reports"),
        ("news-article-gbk.html", "not_a_report", "no 政府信息公开"),
        ("tables-as-images.html", "no_tables", "image"),
        ("tables-in-attachment.html", "no_tables", "attachment"),
    ],
)
def test_bad_pages(name: str, status: str, reason: str) -> None:
    report = parse(bad(name), "https://www.example.gov.cn/x.html")
    assert report.status == status
    assert any(reason in p for p in report.problems), report.problems


def test_attachment_named() -> None:
    report = parse(bad("tables-in-attachment.html"), "https://www.example.gov.cn/x/y.html")
    assert report.attachments == ["https://www.example.gov.cn/files/2023ndbg.pdf"]
    assert all(c.status == "missing" for c in report.cells) and len(report.cells) == 200


def test_a_pdf_shown_in_a_viewer_is_an_attachment() -> None:
    report = parse(
        bad("report-in-pdf-viewer.html"), "https://czj.example.gov.cn/art/2024/1/25/art_1.html"
    )
    assert (
        report.status == "no_tables"
        and report.report.agency == "区财政局"
        and report.report.year == 2023
    )
    assert report.attachments == [
        "https://czj.example.gov.cn/uploadfiles/2024/01/qczj2023ndbg.pdf"
    ]  # pdf.js ?file=
    assert any("may be in the attachment" in p for p in report.problems)


def test_fifty_megabytes_is_refused_by_size() -> None:
    report = parse(b"<p>" + b"x" * (50 * 1024 * 1024) + b"</p>")
    assert report.status == "not_a_report" and "limit" in report.problems[0]


def test_pdf_read_by_its_ruled_tables() -> None:
    report = parse((FIXTURES / "pdf" / "hongze-2023.pdf").read_bytes())
    assert report.source.encoding == "pdf-table" and report.report.year == 2023
    # the agency printed （六）其他处理 as one row in a 2021 report: kept as the aggregate, its
    # three sub-rows missing (not blank), and the outcomes balanced through it
    cells = {(c.row, c.col): c for c in report.cells}
    assert cells["other", "total"].status == "reported" and cells["other", "total"].value == 0
    assert {cells["other_misc", c].status for c in ("natural_person", "total")} == {"missing"}
    assert {c.result for c in report.checks if c.id == "requests_outcomes_other"} == {"pass"}


def test_broken_and_scanned_pdfs_are_named() -> None:
    import io

    from pypdf import PdfWriter

    broken = parse(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    assert broken.status == "not_a_report" and broken.problems[0].startswith(
        "PDF: the PDF cannot be read"
    )
    writer = PdfWriter()
    writer.add_blank_page(
        width=595, height=842
    )  # a page with no text: what a scan looks like to us
    buf = io.BytesIO()
    writer.write(buf)
    scanned = parse(buf.getvalue())
    assert scanned.status == "no_tables" and "no text layer" in scanned.problems[0]


@pytest.mark.parametrize(
    "data",
    [
        b"\x00",
        b"<",
        b"<table><tr><td rowspan='99999' colspan='x'>1",
        b"\xff\xfe\x00\x00",
        b"<p>" * 5000,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 2048,
        b"PK\x03\x04" + b"\x00" * 100,  # OLE and ZIP headers, then junk
    ],
)
def test_junk_never_raises(data: bytes) -> None:
    parse(data)


def test_zips_that_are_not_reports_and_broken_docx_are_named() -> None:
    import io
    import zipfile

    def zipped(files: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        return buf.getvalue()

    xlsx = parse(zipped({"xl/workbook.xml": b"<workbook/>"}))
    assert xlsx.status == "not_a_report" and xlsx.problems[0].startswith(
        "XLSX: the XLSX cannot be read"
    )
    other = parse(zipped({"data.csv": b"1,2"}))
    assert other.status == "not_a_report" and "ZIP archive" in other.problems[0]
    broken = parse(zipped({"word/document.xml": b"<w:document"}))
    assert broken.status == "not_a_report" and broken.problems[0].startswith(
        "DOCX: the DOCX's document.xml is broken"
    )
    # a billion-laughs document and a bomb in the title's part: refused or ignored, never expanded
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>"
    )
    expanded = parse(zipped({"word/document.xml": laughs}))
    assert len(expanded.to_json()["problems"][0]) < 2000 and expanded.status == "not_a_report"
    core_bomb = parse(
        zipped(
            {
                "word/document.xml": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
                "docProps/core.xml": b"<cp:coreProperties>"
                + b" " * (3 * 1024 * 1024)
                + b"</cp:coreProperties>",
            }
        )
    )
    assert core_bomb.status == "not_a_report"


DOC = FIXTURES / "pages" / "synthetic-hongze-2024-blanks.doc"


def _word_stream_flags_at(data: bytes) -> int:
    """Where the WordDocument stream's FIB flags are: its header starts a sector."""
    at = next(i for i in range(512, len(data), 512) if data[i : i + 2] == b"\xec\xa5")
    return at + 0x0A


def test_broken_encrypted_and_unknown_ole_files_are_named() -> None:
    data = DOC.read_bytes()
    truncated = parse(data[:4096])
    assert truncated.status == "not_a_report" and truncated.problems == [
        "an OLE file (DOC/XLS/WPS): its container is damaged"
    ]
    flags = _word_stream_flags_at(data)
    locked = bytearray(data)
    locked[flags + 1] |= 0x01  # fEncrypted
    assert parse(bytes(locked)).problems == ["DOC/WPS: the Word file is encrypted"]
    word6 = bytearray(data)
    word6[flags - 0x0A + 2 : flags - 0x0A + 4] = (104).to_bytes(2, "little")  # nFib of Word 6/95
    assert parse(bytes(word6)).problems == [
        "DOC/WPS: a Word 6/95 file (nFib 104): only Word 97 and later are read"
    ]
    renamed = data.replace("WordDocument".encode("utf-16-le"), "WorkDocument".encode("utf-16-le"))
    other = parse(renamed)
    assert other.problems == ["an OLE file (DOC/XLS/WPS): neither a Word document nor a workbook"]


def test_a_redirect_stub_is_named_and_a_mobile_redirect_leaves_a_report_alone() -> None:
    stub = (
        "<html><head><meta http-equiv='Refresh' content='0; URL=/art/9.html'><title>某县2023年政府信息公开工作年度报告</title>"
        "</head><body>正在跳转……</body></html>"
    ).encode()
    report = parse(stub, "https://www.x.gov.cn/a/b.html")
    assert report.status == "not_a_report" and report.problems == [
        "a redirect page (to https://www.x.gov.cn/art/9.html), not a report"
    ]
    assert (
        report.redirect == "https://www.x.gov.cn/art/9.html"
        and report.to_json()["redirect"] == report.redirect
    )
    page = (FIXTURES / "pages" / "shanghai-2019.html").read_bytes()
    mobile = b"<script>if(/Mobile/.test(navigator.userAgent)){location.href='/m/';}</script>" + page
    assert parse(mobile).status == "ok" and parse(mobile).cells == parse(page).cells


def _report_page(links: str) -> Report:
    """A county's report page whose body holds `links`, parsed at its address."""
    page = (
        "<html><head><meta charset='utf-8'><title>某县2023年政府信息公开工作年度报告</title></head>"
        "<body><div class='content'><p>某县2023年政府信息公开工作年度报告</p>"
        f"<p>{links}</p></div></body></html>"
    )
    return parse(page.encode(), "https://www.x.gov.cn/art/1.html")


def test_a_download_link_is_an_attachment_by_its_text() -> None:
    report = _report_page(
        "附件：<a href='/module/download/downfile.jsp?classid=0&amp;fileid=881'>"
        "某县2023年政府信息公开工作年度报告.pdf</a> <a href='javascript:print()'>打印.pdf</a>"
    )
    assert report.attachments == [
        "https://www.x.gov.cn/module/download/downfile.jsp?classid=0&fileid=881"
    ]


def test_hostile_spans_are_a_problem_not_a_hang() -> None:
    """Every cell rowspan=200 colspan=60 (a megabyte of it) would expand to hundreds of millions
    of grid positions: the table is skipped with a reason; the parse stays bounded."""
    from govreports.parsers import parse

    row = "<tr>" + "<td rowspan=200 colspan=60>1</td>" * 10 + "</tr>"
    page = (
        "<html><body><h1>某县2021年政府信息公开工作年度报告</h1>"
        "<p>三、收到和处理政府信息公开申请情况</p><table><tr><td>申请人情况</td></tr>"
        + row * 3000
        + "</table></body></html>"
    ).encode()
    report = parse(page, "http://hostile.test/spans")
    assert any("expand past" in p for p in report.problems)


def test_a_link_to_a_picture_of_the_tables_is_an_image_to_read() -> None:
    report = _report_page(
        "统计表格详见：<a href='/upload/tables.PNG'>表格</a>"
        " <a href='big.jpg?v=2'><img src='thumb.jpg'></a>"
    )
    assert report.images == [
        "https://www.x.gov.cn/upload/tables.PNG",
        "https://www.x.gov.cn/art/big.jpg?v=2",
        "https://www.x.gov.cn/art/thumb.jpg",
    ]
    assert report.attachments == []
