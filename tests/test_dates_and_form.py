"""Who/when metadata a researcher filters by: the publication date with where it was read,
whether that was on time, the sections present, and what form the source was."""

from __future__ import annotations

import pytest

from govreports.parsers import parse
from govreports.parsers.metadata.dates import deadline, on_time, published
from govreports.parsers.page.body import read_page
from tests.conftest import FIXTURES, page_bytes

HEAD = "<html><head><meta charset='utf-8'>{meta}<title>{title}</title></head><body>{body}</body></html>"
TITLE = "某县交通运输局2023年政府信息公开工作年度报告"


def page(body: str, meta: str = "") -> str:
    return HEAD.format(meta=meta, title=TITLE, body=body)


@pytest.mark.parametrize(
    ("html", "location", "expected"),
    [
        (page("<p>发布日期：2024-01-15</p><p>正文</p>"), "-", ("2024-01-15", "date_line")),
        (
            page("<p>正文</p>", "<meta name='PubDate' content='2024-01-16 09:00'>"),
            "-",
            ("2024-01-16", "meta"),
        ),
        (
            page("<p>正文</p><p>某县交通运输局</p><p>2024年1月17日</p>"),
            "-",
            ("2024-01-17", "signature"),
        ),
        (
            page("<p>正文</p><p>某县交通运输局 二〇二四年一月二十八日</p>"),
            "-",
            ("2024-01-28", "signature"),
        ),
        (
            page("<p>正文</p>"),
            "http://x.gov.cn/zwgk/202401/t20240119_88.html",
            ("2024-01-19", "url"),
        ),
        (page("<p>正文</p>"), "http://x.gov.cn/art/2024/1/9/art_1_2.html", ("2024-01-09", "url")),
        # a URL or signature date outside the year after the report year describes something else
        (page("<p>正文</p>"), "http://x.gov.cn/202001/t20200119_88.html", (None, None)),
        (page("<p>正文</p><p>2024年2月30日</p>"), "-", (None, None)),  # not a date
    ],
)
def test_the_publication_date_and_where_it_was_read(
    html: str, location: str, expected: tuple[str | None, str | None]
) -> None:
    found = published(read_page(html), location, 2023)
    assert (found.date, found.basis) == expected


def test_a_date_line_wins_over_weaker_sources() -> None:
    html = page("<p>发布时间：2024-03-02</p><p>正文</p><p>2024年1月17日</p>")
    found = published(read_page(html), "http://x.gov.cn/202401/t20240110_1.html", 2023)
    assert (found.date, found.basis) == ("2024-03-02", "date_line")


@pytest.mark.parametrize(
    ("agency", "due"),
    [
        ("某县交通运输局", "2024-01-31"),
        ("某市人民政府办公室", "2024-01-31"),  # the office's own report: a department's
        ("某县人民政府", "2024-03-31"),
        ("某镇人民政府", None),  # the Regulations set no date for townships
        ("某街道办事处", None),
        ("某经济开发区管委会", None),
        (None, None),
    ],
)
def test_the_deadline_follows_the_kind_of_publisher(agency: str | None, due: str | None) -> None:
    assert deadline(agency, 2023) == due


def test_on_time_is_empty_where_anything_is_unknown() -> None:
    assert on_time("2024-01-31", "某县交通运输局", 2023) is True
    assert on_time("2024-02-01", "某县交通运输局", 2023) is False
    assert on_time("2024-03-31", "某县人民政府", 2023) is True
    assert on_time(None, "某县人民政府", 2023) is None
    assert on_time("2024-01-01", "某镇人民政府", 2023) is None


@pytest.mark.parametrize(
    ("name", "form", "basis", "on_time"),
    [
        ("shanghai-2019.html", "html-table", "date_line", True),
        # a functional zone (平潭综合实验区): the Regulations set no deadline for it
        ("pingtan-2021.txt", "crawler-text", "date_line", None),
        ("synthetic-hongze-2024.docx", "docx", "date_line", True),
        ("synthetic-hongze-2024-blanks.doc", "doc", "date_line", True),
    ],
)
def test_fixtures_say_their_form_and_date(
    name: str, form: str, basis: str, on_time: bool | None
) -> None:
    meta = parse(page_bytes(name), name).report
    assert (meta.form, meta.published_basis, meta.on_time) == (form, basis, on_time)


def test_a_pdf_gives_its_creation_date_and_sections() -> None:
    pdf = FIXTURES / "pdf" / "huaian-2024.pdf"
    if not pdf.exists():
        pytest.skip(f"no {pdf}")
    meta = parse(pdf.read_bytes(), str(pdf)).report
    assert (meta.form, meta.published, meta.published_basis) == (
        "pdf-table",
        "2025-02-25",
        "pdf_metadata",
    )
    assert meta.sections == ["overview", "proactive", "requests", "appeals", "problems", "other"]


def test_sections_are_found_by_their_words_even_on_one_line() -> None:
    from govreports.parsers.metadata.outline import sections

    assert sections(["一、总体情况", "五、政府信息公开工作存在的主要问题及改进情况"]) == [
        "overview",
        "problems",
    ]
    one_line = "报告全文包括总体情况、主动公开政府信息情况。一、总体情况 本年度… 三、收到和处理政府信息公开申请情况 …"
    assert sections([one_line]) == ["overview", "requests"]  # the list of contents is no heading


def test_a_scanned_pdf_is_pdf_image_and_markdown_is_markdown() -> None:
    import io

    from pypdf import PdfWriter

    from tests.fuzz.render import render
    from tests.fuzz.tables import synthetic_table

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # no text layer: what a scan looks like
    buf = io.BytesIO()
    writer.write(buf)
    assert parse(buf.getvalue()).report.form == "pdf-image"
    markdown, _, _ = render(synthetic_table(1, 0), "markdown", 1)
    assert parse(markdown).report.form == "markdown"
    cells_per_line, _, _ = render(synthetic_table(1, 0), "cell_per_line", 1)
    assert parse(cells_per_line).report.form == "crawler-text"


def test_a_word_files_creation_time_dates_it_when_nothing_better_does() -> None:
    import io
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{TITLE}</dc:title>"
        "<dcterms:created>2024-01-22T08:00:00Z</dcterms:created></cp:coreProperties>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>{TITLE}</w:t></w:r></w:p>'
            "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:document>",
        )
        z.writestr("docProps/core.xml", core)
    meta = parse(buf.getvalue(), "report.docx").report
    assert (meta.form, meta.published, meta.published_basis) == (
        "docx",
        "2024-01-22",
        "docx_properties",
    )
    assert meta.on_time is True  # a department by 31 January
