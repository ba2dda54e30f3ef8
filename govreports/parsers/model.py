"""The values a parse produces. Their JSON form (to_json) is the public contract of
`govreports parse --json` and the dataset: fields may be added, never renamed or redefined."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govreports.parsers.statuses import Basis, CellStatus, CheckResult, ReportStatus
from govreports.parsers.values import Number

CELL_STATUSES = tuple(s.value for s in CellStatus)
REPORT_STATUSES = tuple(s.value for s in ReportStatus)
CHECK_RESULTS = tuple(r.value for r in CheckResult)
BASES = tuple(b.value for b in Basis)
# Where a report's publication date was read, most trusted first (metadata/dates.py).
PUBLISHED_BASES = (
    "date_line",
    "meta",
    "pdf_metadata",
    "ofd_properties",
    "signature",
    "docx_properties",
    "url",
)
# What a source was read as: an HTML page whose tables are markup (html-table) or flattened
# text (html-text), Markdown pipe tables, plain text (crawler-text: crawler dumps, saved PDF text), a PDF's
# ruled tables by their geometry (pdf-table), its text layer (pdf-text), a PDF of images read
# by OCR (pdf-ocr) or not (pdf-image), a picture of a table read by OCR (image-ocr),
# an OFD file by its geometry (ofd) or as text lines (ofd-text), Word (docx, doc/wps) and Excel (xlsx, xls) files.
FORMS = (
    "html-table",
    "html-text",
    "html",
    "markdown",
    "crawler-text",
    "pdf-table",
    "pdf-text",
    "pdf-image",
    "pdf-ocr",
    "image-ocr",
    "ofd",
    "ofd-text",
    "docx",
    "doc",
    "xlsx",
    "xls",
)


@dataclass(slots=True)
class Cell:
    table: str
    row: str
    col: str
    value: Number | None = None
    raw: str | None = None
    status: CellStatus = CellStatus.MISSING
    unit: str | None = None
    candidates: list[Number] | None = None
    # The assumption that decided an inferred (or, in flattened text, blank) cell; see BASES.
    basis: Basis | None = None
    # OCR's confidence in the cell's text (0–1, the lowest of its boxes); None unless OCR'd.
    confidence: float | None = None

    @property
    def address(self) -> str:
        return f"{self.table}/{self.row}/{self.col}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "value": self.value,
            "raw": self.raw,
            "status": self.status.value,
            "unit": self.unit,
            "basis": None if self.basis is None else self.basis.value,
        }
        if self.status is CellStatus.AMBIGUOUS:
            out["candidates"] = list(self.candidates or [])
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out


@dataclass(slots=True)
class Check:
    id: str
    subject: str
    result: CheckResult
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "result": self.result.value,
            "detail": self.detail,
        }


@dataclass(slots=True)
class Source:
    location: str
    sha256: str
    encoding: str | None
    bytes: int

    def to_json(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "sha256": self.sha256,
            "encoding": self.encoding,
            "bytes": self.bytes,
        }


@dataclass(slots=True)
class Meta:
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    template: str | None = None
    tampered: bool = False
    tamper_phrases: list[str] = field(default_factory=list)
    agency_kind: str | None = None  # metadata/agency.py: government, its office, a department …
    published_basis: str | None = None  # metadata/dates.py: where the date was read
    on_time: bool | None = None  # by the deadline for its kind of publisher (dates.py)
    form: str | None = None  # what the source was read as (FORMS)
    sections: list[str] = field(default_factory=list)  # metadata/outline.py, template order
    parent: str | None = None  # the body the publisher answers to, where named (agency.py)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "agency": self.agency,
            "agency_kind": self.agency_kind,
            "parent": self.parent,
            "year": self.year,
            "published": self.published,
            "published_basis": self.published_basis,
            "on_time": self.on_time,
            "template": self.template,
            "form": self.form,
            "sections": list(self.sections),
            "tampered": self.tampered,
            "tamper_phrases": list(self.tamper_phrases),
        }


@dataclass(slots=True)
class Report:
    source: Source
    report: Meta
    status: ReportStatus
    problems: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    # Links to attachments (PDF, DOC, …) found in the body: where the tables may really be.
    attachments: list[str] = field(default_factory=list)
    # Images in the body (where a table may be a picture) and a hash of the body text with any
    # injected spam removed: the same report on a mirror with other chrome has the same one.
    images: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    # A redirect stub's target (meta refresh or script): the report is there, not here.
    redirect: str | None = None

    def cell(self, table: str, row: str, col: str) -> Cell | None:
        for c in self.cells:
            if c.table == table and c.row == row and c.col == col:
                return c
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.to_json(),
            "report": self.report.to_json(),
            "status": self.status.value,
            "problems": list(self.problems),
            "attachments": list(self.attachments),
            "images": list(self.images),
            "fingerprint": self.fingerprint,
            "redirect": self.redirect,
            "cells": [c.to_json() for c in self.cells],
            "checks": [c.to_json() for c in self.checks],
        }
