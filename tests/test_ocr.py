"""Scanned PDFs read by OCR (parsers/formats/ocr.py, the optional extra govreports[ocr])."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govreports.parsers.formats import ocr
from govreports.parsers.report import parse
from tests.scans import scan_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULED = "synthetic-hongze-2024-blanks-ruled"


def _scan() -> bytes:
    return scan_of(FIXTURES / "pdf" / f"{RULED}.pdf")


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
