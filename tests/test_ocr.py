"""Scanned PDFs read by OCR (parsers/formats/ocr.py, the optional extra govreports[ocr])."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from govreports.parsers.formats import ocr
from govreports.parsers.report import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULED = "synthetic-hongze-2024-blanks-ruled"


def _scan() -> bytes:
    """The ruled fixture as a scan: every page rendered to a grey image, saved as an image PDF."""
    import pypdfium2 as pdfium

    pages = [
        p.render(scale=2).to_pil().convert("L")
        for p in pdfium.PdfDocument(FIXTURES / "pdf" / f"{RULED}.pdf")
    ]
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=144)
    return buf.getvalue()


def test_the_extra_is_part_of_the_parser_version() -> None:
    # a store parsed without OCR is reparsed once the extra is installed: its scans get read
    from govreports.parsers import PARSER_VERSION

    assert PARSER_VERSION.endswith("+ocr") == ocr.available()


def test_without_the_extra_a_scan_says_how_to_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise ocr.OcrUnavailable("OCR is not installed")

    monkeypatch.setattr(ocr, "_engine", missing)
    report = parse(_scan())
    assert (report.status, report.report.form) == ("no_tables", "pdf-image")
    assert "install govreports[ocr]" in report.problems[0]


@pytest.mark.skipif(not ocr.available(), reason="the OCR extra (govreports[ocr]) is not installed")
def test_a_scanned_fixture_is_read_back_by_ocr_and_never_silently_wrong() -> None:
    report = parse(_scan())
    gold = json.loads((FIXTURES / "gold" / f"{RULED}.json").read_text(encoding="utf-8"))
    assert report.report.form == "pdf-ocr" and any("read by OCR" in p for p in report.problems)
    correct = flagged = 0
    for c in report.cells:
        key = c.address
        if key not in gold:
            continue
        if c.status in ("missing", "ambiguous"):
            flagged += 1
            continue
        assert (None if c.status == "blank" else c.value) == gold[key], (key, c)
        correct += 1
        if c.status == "reported":
            assert c.basis == "ocr"
    assert correct >= 190, (correct, flagged)  # a few unsure digits are left missing


@pytest.mark.skipif(not ocr.available(), reason="the OCR extra (govreports[ocr]) is not installed")
def test_a_crawled_page_whose_tables_are_a_picture_gets_them_by_ocr(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from govreports.cli.fakeweb import FakeWeb
    from govreports.scraper.client import Client
    from govreports.scraper.crawl import Crawler
    from govreports.scraper.sites import Site
    from govreports.scraper.store import Store
    from tests.test_crawl import exported_reports, list_page

    # the table part of the 上海 2019 report as a picture, as a CMS shows a screenshot of it
    page = pdfium.PdfDocument(FIXTURES / "pdf" / "synthetic-shanghai-2019-ruled.pdf")[0]
    picture = io.BytesIO()
    page.render(scale=2).to_pil().save(picture, "PNG")
    with FakeWeb() as web:
        host = web.host("a")
        host.page("/list.html", list_page([("/r.html", "2019年政府信息公开工作年度报告")]))
        host.page(
            "/r.html",
            "<html><head><meta charset='utf-8'><title>上海市人民政府办公厅2019年政府信息公开工作年度报告</title>"
            "</head><body><div class='content'><h1>上海市人民政府办公厅2019年政府信息公开工作年度报告</h1>"
            "<p>统计表如下：</p><img src='/img/tables.png'><img src='/img/logo.png'></div></body></html>".encode(),
        )
        host.page("/img/tables.png", picture.getvalue(), "image/png")
        host.page("/img/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
        with Store(tmp_path) as store:
            Crawler(store, Client(delay=0)).run(
                [Site("site-a", "上海市人民政府办公厅", host.url("/list.html"), 0)]
            )
    (report,) = exported_reports(tmp_path)
    assert report["tables_source"].endswith("/img/tables.png"), report
    assert report["parse_status"] in ("ok", "partial")
