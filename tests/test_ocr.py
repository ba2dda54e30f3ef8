"""Scanned PDFs read by OCR (parsers/formats/ocr.py, the optional extra govreports[ocr])."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from govreports.parsers.formats import ocr
from govreports.parsers.registry import TEMPLATES, Key
from govreports.parsers.report import parse
from govreports.parsers.tables.unsure import settle_unsure
from govreports.parsers.values import CellValue, read_cell
from tests.scans import scan_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULED = "synthetic-hongze-2024-blanks-ruled"
SCANNED = "synthetic-hongze-2024-blanks-scan"  # its gold is RULED's: the same tables, scanned


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
@pytest.mark.parametrize(
    ("scan", "least_correct"),
    [
        # the ruled PDF's pages rendered clean: unsure digits the identities confirm count
        pytest.param(_scan, 195, id="clean-render"),
        # as a scanner gives it (fixtures/tools/make_scan_fixture.py): turned, blurred,
        # speckled, JPEG; thin 1s the recognizer does not find are ink in an empty-read cell,
        # left missing, never read as printed blanks
        pytest.param(
            lambda: (FIXTURES / "scans" / f"{SCANNED}.pdf").read_bytes(), 190, id="scanned"
        ),
    ],
)
def test_a_scanned_fixture_is_read_back_by_ocr_and_never_silently_wrong(
    scan: Callable[[], bytes], least_correct: int
) -> None:
    report = parse(scan())
    gold = json.loads((FIXTURES / "gold" / f"{RULED}.json").read_text(encoding="utf-8"))
    assert report.report.form == "pdf-ocr" and any("read by OCR" in p for p in report.problems)
    correct = flagged = 0
    for c in report.cells:
        if (c.raw or "").startswith("?"):  # unsure: never taken as printed, a reading never dropped
            assert c.status != "reported" and (c.raw == "?" or c.status != "missing"), c
        key = c.address
        if key not in gold:
            continue
        if c.status in ("missing", "ambiguous"):
            flagged += 1
            continue
        assert (None if c.status == "blank" else c.value) == gold[key], (key, c)
        correct += 1
        if c.status == "reported":
            assert c.basis == "ocr" and c.confidence is not None and 0.9 <= c.confidence <= 1
    assert correct >= least_correct, (correct, flagged)


def _unsure_cells(raw_total: str, upheld: str) -> dict[Key, CellValue]:
    """An appeals row as OCR gave it: review_total = upheld + corrected + other + pending."""

    template = TEMPLATES["2021"]
    row = ("appeals", "cases")
    cells = {
        (*row, "review_upheld"): read_cell(upheld),
        (*row, "review_corrected"): read_cell("1"),
        (*row, "review_other"): read_cell("0"),
        (*row, "review_pending"): read_cell("0"),
        (*row, "review_total"): read_cell(raw_total),
    }
    settle_unsure(cells, template.identities)
    return cells


def test_an_unsure_ocr_number_the_identities_confirm_is_inferred() -> None:
    total = _unsure_cells("?3", "2")[("appeals", "cases", "review_total")]
    assert (total.value, total.status, total.basis, total.raw) == (
        3,
        "inferred",
        "identities",
        "?3",
    )


def test_an_unsure_ocr_number_the_identities_contradict_is_ambiguous_with_both() -> None:
    total = _unsure_cells("?8", "2")[("appeals", "cases", "review_total")]
    assert (total.value, total.status, total.candidates) == (None, "ambiguous", (3, 8))


def test_an_unsure_ocr_number_nothing_checks_is_ambiguous_not_a_guess() -> None:
    cells = _unsure_cells("?3", "?2")  # two unsure terms: neither is evidence for the other
    for col in ("review_total", "review_upheld"):
        cell = cells[("appeals", "cases", col)]
        assert cell.status == "ambiguous" and cell.value is None
    assert cells[("appeals", "cases", "review_total")].candidates == (3,)


def test_ink_the_recognizer_did_not_read_is_what_the_identities_make_it() -> None:
    cells = _unsure_cells("?", "2")  # the total's cell has ink but no reading
    total = cells[("appeals", "cases", "review_total")]
    assert (total.value, total.status, total.basis) == (3, "inferred", "identities")
    cells = _unsure_cells("?", "?")  # nothing known to check it by: it stays missing
    assert cells[("appeals", "cases", "review_total")].status == "missing"


def test_one_unsure_cell_settled_is_no_evidence_for_another() -> None:
    """new_received/natural_person is settled by its column's balance; the row's total has only
    the row identity through that same unsure cell, so it stays ambiguous."""
    template = TEMPLATES["2021"]
    cols = [c.key for c in template.table("requests").blocks[0].cols]
    cells = {("requests", "new_received", c): read_cell("0") for c in cols}
    cells[("requests", "new_received", "natural_person")] = read_cell("?5")
    cells[("requests", "new_received", "total")] = read_cell("?5")
    for row, raw in (("carried_over", "0"), ("total_processed", "5"), ("carried_forward", "0")):
        cells[("requests", row, "natural_person")] = read_cell(raw)
    settle_unsure(cells, template.identities)
    person = cells[("requests", "new_received", "natural_person")]
    total = cells[("requests", "new_received", "total")]
    assert (person.value, person.status) == (5, "inferred")
    assert (total.status, total.candidates) == ("ambiguous", (5,))
