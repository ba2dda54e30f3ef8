"""The closed vocabularies of a parse: a cell's status, why an unprinted value is what it is, a
check's result, a report's status. StrEnums, so the JSON contract and the dataset carry the same
strings as before (a member equals its value), while a misspelt status is a type error, not a
silently unmatched comparison."""

from __future__ import annotations

from enum import StrEnum


class CellStatus(StrEnum):
    REPORTED = "reported"  # printed in its cell
    BLANK = "blank"  # printed empty (not 0)
    NA = "na"  # a not-applicable mark: —, /, 无
    INFERRED = "inferred"  # not printed where it stands; decided by a Basis
    AMBIGUOUS = "ambiguous"  # several values fit; the candidates are listed
    MISSING = "missing"  # not found on the page


class Basis(StrEnum):
    """Why a value that was not simply printed in its cell is what it is."""

    IDENTITIES = "identities"  # every reading the identities allow agrees
    ZEROS_PRINTED = "zeros_printed"  # and the table's all-zero rows show it prints every 0
    ZERO_OR_BLANK = "zero_or_blank"  # 0 in some readings, dropped in the others
    TOTALS_FILLED = "totals_filled"  # and the row's totals taken as printed, not left blank
    COLUMN_ORDER = "column_order"  # a header naming no column: placed by the template's order
    OCR = "ocr"  # read by OCR from a scan: a recognizer's reading, checked by the identities


class CheckResult(StrEnum):
    PASS = "pass"
    FAIL = "fail"  # a claim: the printed numbers contradict each other
    NOT_ASSESSABLE = "not_assessable"  # a term is missing, ambiguous or not applicable


class ReportStatus(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    NO_TABLES = "no_tables"
    NOT_A_REPORT = "not_a_report"
