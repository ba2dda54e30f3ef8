"""PDF tables read by their geometry (parsers/formats/pdf_layout.py), on real and generated PDFs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govreports.parsers.formats.layout import LayoutUnusable, _lines
from govreports.parsers.formats.pdf_layout import layout_html
from govreports.parsers.report import parse

PDF = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"


def _cells(name: str) -> dict[tuple[str, str], Any]:
    report = parse((PDF / name).read_bytes(), name)
    assert report.report.form == "pdf-table", report.problems
    return {(c.row, c.col): c for c in report.cells}


def test_blank_cells_of_a_ruled_pdf_are_known_blanks() -> None:
    # section 三's zeros were left blank when the report was written: the text layer cannot
    # tell where the missing cells were, the cell boxes can
    cells = _cells("synthetic-hongze-2024-blanks-ruled.pdf")
    assert cells["granted", "commercial"].status == "blank"
    assert cells["new_received", "natural_person"].value == 95
    assert {c.status for c in cells.values()} <= {"reported", "blank"}


def test_a_row_broken_across_a_page_break_is_one_row() -> None:
    # LibreOffice (as Word) breaks "2.重复申请" across the page: "2.重复" with its numbers at the
    # foot of one page, "申请" with empty cells at the top of the next
    report = parse((PDF / "synthetic-shanghai-2019-ruled.pdf").read_bytes())
    cells = {(c.row, c.col): c for c in report.cells}
    assert (cells["rejected_repeated", "natural_person"].value, report.status) == (5, "ok")
    assert not any("not in the template" in p or "twice" in p for p in report.problems)


def test_a_table_split_by_a_page_break_keeps_its_header_and_group_column() -> None:
    # 淮安 2024: table 三 runs onto the next page, whose first cells continue the merged
    # 三、本年度办理结果 column (empty there) and the （四）无法提供 label ("法提供")
    cells = _cells("huaian-2024.pdf")
    assert cells["unavailable_needs_creation", "total"].value == 11
    assert cells["carried_forward", "natural_person"].status == "reported"


def test_frames_around_prose_and_page_numbers_are_not_tables() -> None:
    html = layout_html((PDF / "huaian-2024.pdf").read_bytes())
    assert (
        "<p>本报告由淮安市人民政府办公室根据《中华人民共和国政府</p>" in html
    )  # a framed paragraph
    assert "- 5 -" not in html and "-5-" not in html  # the page footers


def test_a_pdf_without_ruled_tables_is_read_from_its_text_and_says_so() -> None:
    with pytest.raises(LayoutUnusable, match="no ruled table"):
        layout_html((PDF / "synthetic-hongze-2024-unruled.pdf").read_bytes())
    report = parse((PDF / "synthetic-hongze-2024-unruled.pdf").read_bytes())
    assert report.report.form == "pdf-text"
    assert any("text layer" in p and "no ruled table" in p for p in report.problems)


def test_a_broken_pdf_layout_falls_back_to_pypdf_which_names_the_problem() -> None:
    broken = parse(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    assert broken.status == "not_a_report" and "cannot be read" in broken.problems[0]


def _char(text: str, x0: float, size: float = 10.0, top: float = 100.0) -> dict[str, Any]:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + size * 0.6,
        "top": top + (10 - size) * 0.2,
        "bottom": top + 10,
        "size": size,
    }


def test_a_small_raised_digit_is_a_footnote_mark_not_a_digit() -> None:
    # "3¹": a footnote on the number; read as 31 it would be a silently wrong value
    assert _lines([_char("3", 10), _char("1", 16.2, size=6)]) == [(100.0, "3^1")]
    assert _lines([_char("3", 10), _char("1", 16)]) == [(100.0, "31")]
    assert _lines([_char("3", 10), _char("1", 30)]) == [(100.0, "3 1")]  # apart: two numbers


def test_a_page_of_thousands_of_ruling_lines_is_no_table_and_no_hang() -> None:
    # hostile: 2,000 × 2,000 lines would make 4 million crossings for the table search
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    from govreports.parsers.formats.layout import MAX_EDGES, cell_boxes, edge

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    ops = []
    for i in range(2000):
        y, x = 20 + i * 0.4, 20 + i * 0.27
        ops += [f"20 {y:.2f} m 575 {y:.2f} l S", f"{x:.2f} 20 m {x:.2f} 820 l S"]
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(LayoutUnusable, match="no ruled table"):
        layout_html(buf.getvalue())
    lines = [edge(0, 500, y, y, "h") for y in range(MAX_EDGES + 1)]
    assert cell_boxes(lines) == []
