"""The values a parse produces. Their JSON form (to_json) is the public contract of
`govreports parse --json` and the dataset: fields may be added, never renamed or redefined."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govreports.parsers.values import Number

CELL_STATUSES = ("reported", "blank", "na", "inferred", "ambiguous", "missing")
REPORT_STATUSES = ("ok", "partial", "no_tables", "not_a_report")
CHECK_RESULTS = ("pass", "fail", "not_assessable")
# Why a value that was not simply printed in its cell is what it is:
# identities — every reading the identities allow agrees; zeros_printed — and the table's own
# all-zero rows show it prints every 0, so no cell was dropped; zero_or_blank — 0 in some
# readings, dropped in the others (flattened text cannot tell a blank from a 0); column_order —
# a table whose header names no column, placed by the template's column order.
BASES = ("identities", "zeros_printed", "zero_or_blank", "column_order")


@dataclass(slots=True)
class Cell:
    table: str
    row: str
    col: str
    value: Number | None = None
    raw: str | None = None
    status: str = "missing"
    unit: str | None = None
    candidates: list[Number] | None = None
    # The assumption that decided an inferred (or, in flattened text, blank) cell; see BASES.
    basis: str | None = None

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
            "status": self.status,
            "unit": self.unit,
            "basis": self.basis,
        }
        if self.status == "ambiguous":
            out["candidates"] = list(self.candidates or [])
        return out


@dataclass(slots=True)
class Check:
    id: str
    subject: str
    result: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "result": self.result,
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

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "published": self.published,
            "template": self.template,
            "tampered": self.tampered,
            "tamper_phrases": list(self.tamper_phrases),
        }


@dataclass(slots=True)
class Report:
    source: Source
    report: Meta
    status: str
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
            "status": self.status,
            "problems": list(self.problems),
            "attachments": list(self.attachments),
            "images": list(self.images),
            "fingerprint": self.fingerprint,
            "redirect": self.redirect,
            "cells": [c.to_json() for c in self.cells],
            "checks": [c.to_json() for c in self.checks],
        }
