"""From parsed reports to the dataset's tables, a chunk of reports at a time.

Two sources feed the same code: the store (`entries_from_store`, for `govreports export`) and
Report values in hand (`entries_from_reports`, for `govreports parse --out`), so crawled and
ad-hoc data come out identical.

One report, one row: byte-copies with the same body fingerprint (the same report at two URLs,
or on a mirror with other chrome) are one report, listing every URL; the untampered copy
represents it. When a site republishes a report (the same URL edited in place, or the same
title with a later date or a correction mark), the newest is current and earlier versions
stay, flagged; distinct reports sharing an agency and year stay separate. Those rules
are the store's, written out in scraper/versions.py; this module only lays the rows out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govreports.output.divisions import agency_level, locate
from govreports.output.schema import (
    ARROW_TYPES,
    BLANK_AS_ZERO,
    CELLS,
    CHECKS,
    DECIMAL_COLS,
    REPORTS,
    WIDE,
    Field,
    arrow_schema,
    file_def,
    labels,
    wide_cols,
)
from govreports.parsers import PARSER_VERSION, Report
from govreports.scraper.versions import EXPORTED_STATUSES, report_id

if TYPE_CHECKING:
    from govreports.scraper.store import Store

VALUED = ("reported", "inferred")  # the statuses whose value is the page's number


@dataclass
class Entry:
    report_id: str
    sha256: str
    doc: dict[str, Any] | None = None  # the report JSON (Report.to_json()); loaded per chunk
    site_id: str | None = None
    urls: list[str] = field(default_factory=list)
    copies: int = 1
    fetched_at: str | None = None
    current: bool = True
    superseded_by: str | None = None
    parser_version: str | None = PARSER_VERSION
    # A page without tables whose PDF attachment has them: the report's tables come from there.
    tables_url: str | None = None
    tables_sha256: str | None = None
    site_agency: str | None = None  # the site list's name for the publisher (divisions.py)
    site_division: str | None = None  # and the division code it gives, if any


def entries_from_reports(reports: Iterable[Report]) -> list[Entry]:
    """One entry per report (the store's dedup rule: one fingerprint, one report), in order."""
    out: dict[str, Entry] = {}
    for report in reports:
        if report.status not in EXPORTED_STATUSES:
            continue
        rid = report_id(report.fingerprint, report.source.sha256)
        if rid in out:
            out[rid].urls.append(report.source.location)
            out[rid].copies += report.source.sha256 != out[rid].sha256  # other bytes, same report
            continue
        out[rid] = Entry(rid, report.source.sha256, report.to_json(), urls=[report.source.location])
    return list(out.values())


def entries_from_store(store: Store) -> list[Entry]:
    """Every exported report of the store, grouped and versioned by the store's rules
    (scraper/versions.py); documents not yet loaded."""
    agencies = store.site_agencies()
    return [
        Entry(
            v.report_id,
            v.sha256,
            None,
            v.site_id,
            v.urls,
            v.copies,
            v.fetched_at,
            v.current,
            v.superseded_by,
            v.parser_version,
            v.tables_url,
            v.tables_sha256,
            *agencies.get(v.site_id or "", (None, None)),
        )
        for v in store.reports()
    ]


def load_docs(store: Store, chunk: list[Entry]) -> None:
    docs = store.documents(
        [e.sha256 for e in chunk] + [e.tables_sha256 for e in chunk if e.tables_sha256]
    )
    for e in chunk:
        e.doc = docs[e.sha256]
        if e.tables_sha256 and e.tables_url:
            e.doc = with_attachment_tables(e.doc, docs[e.tables_sha256], e.tables_url)


def with_attachment_tables(
    page: dict[str, Any], attachment: dict[str, Any], url: str
) -> dict[str, Any]:
    """The page's report with the tables (cells, checks, template) its attachment holds; where
    the two disagree on agency or year, that is said, not smoothed over; where the page names
    none, the attachment's is taken."""
    doc = dict(page)
    meta, att = dict(page["report"]), attachment["report"]
    problems = [*page["problems"], f"tables read from the attachment {url}"]
    for key in ("agency", "year"):
        if meta.get(key) and att.get(key) and meta[key] != att[key]:
            problems.append(f"the attachment's {key} is {att[key]!r}, the page's {meta[key]!r}")
    meta["template"] = att.get("template") or meta.get("template")
    meta["year"] = meta.get("year") or att.get("year")
    meta["agency"] = meta.get("agency") or att.get("agency")
    doc.update(
        report=meta,
        status=attachment["status"],
        cells=attachment["cells"],
        checks=attachment["checks"],
        problems=problems + attachment["problems"],
    )
    return doc


def chunks(entries: list[Entry], size: int) -> Iterator[list[Entry]]:
    for i in range(0, len(entries), size):
        yield entries[i : i + size]


def _wide_name(table: str, template: str | None) -> str | None:
    if table == "proactive":
        return f"proactive_{template}" if template in ("2019", "2021") else None
    return table if table in WIDE else None


def _place_names(e: Entry) -> tuple[list[tuple[str, str | None]], int | None]:
    """What divisions.locate tries for a report, most trusted first, and its year."""
    meta = (e.doc or {}).get("report", {})
    names = [
        ("site_list", e.site_division),
        ("agency", meta.get("agency")),
        ("site_agency", e.site_agency),
        ("title", meta.get("title")),
    ]
    return names, meta.get("year")


def frames(chunk: list[Entry], *, blank_as_zero: bool = False) -> dict[str, pa.Table]:
    """The dataset's tables for one chunk of reports, as Arrow tables typed by the schema
    (columnar from the start: no per-row pandas work, one conversion shared by the writers)."""
    names = labels()
    reports, cells, checks = [], [], []
    wide: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    places = locate([_place_names(e) for e in chunk])
    wide_names: dict[tuple[str, str | None], str | None] = {}
    for e, place in zip(chunk, places):
        doc = e.doc or {}
        meta, rid = doc.get("report", {}), e.report_id
        year, template, agency = meta.get("year"), meta.get("template"), meta.get("agency")
        results = [c["result"] for c in doc.get("checks", [])]
        reports.append(
            (
                rid,
                e.site_id,
                agency,
                meta.get("agency_kind"),
                meta.get("parent"),
                agency_level(agency, place),
                place.code,
                place.province,
                place.city,
                place.county,
                place.stable_id,
                place.basis,
                year,
                template,
                meta.get("title"),
                meta.get("published"),
                meta.get("published_basis"),
                meta.get("on_time"),
                meta.get("form"),
                "|".join(meta.get("sections", [])) or None,
                " ".join(e.urls),
                e.sha256,
                e.copies,
                e.fetched_at,
                doc.get("status"),
                len(doc.get("problems", [])),
                meta.get("tampered"),
                "|".join(meta.get("tamper_phrases", [])) or None,
                results.count("pass"),
                results.count("fail"),
                e.current,
                e.superseded_by,
                e.parser_version,
                e.tables_url or "page",
            )
        )
        last: tuple[str, str] | None = None  # a row's cells come together: its wide line once
        line: dict[str, Any] | None = None
        for c in doc.get("cells", []):
            table, row, col, status = c["table"], c["row"], c["col"], c["status"]
            value = c["value"] if status in VALUED else None
            row_label, col_label = names.get((table, row, col), (row, col))
            found = c.get("candidates")
            cand = "|".join(str(v) for v in found) or None if found else None
            cells.append(
                (
                    rid,
                    year,
                    template,
                    table,
                    row,
                    col,
                    row_label,
                    col_label,
                    value,
                    c["raw"],
                    status,
                    c["unit"],
                    cand,
                    c.get("basis"),
                    c.get("confidence"),
                    0 if status == "blank" else value,
                )
            )
            if last != (table, row):
                last = (table, row)
                name = wide_names.get((table, template), "")
                if name == "":
                    name = wide_names[(table, template)] = _wide_name(table, template)
                line = None
                if name:
                    by_row = wide[name]
                    line = by_row.get((rid, row))
                    if line is None:  # setdefault would build this dict for every cell
                        line = by_row[(rid, row)] = {
                            "report_id": rid,
                            "agency": agency,
                            "report_year": year,
                            "template": template,
                            "row": row,
                            "row_label": row_label,
                            "flags": [],
                        }
            if line is not None:
                if value is not None and col not in DECIMAL_COLS and value != int(value):
                    line["flags"].append(
                        f"{col}:not_a_whole_number"
                    )  # kept in cells.value, not rounded here
                    value = None
                line[col] = value
                if status != "reported":
                    line["flags"].append(f"{col}:{status}")
        for c in doc.get("checks", []):
            checks.append((rid, year, c["id"], c["subject"], c["result"], c["detail"]))
    out = {
        "reports": arrow_table(REPORTS.fields, list(zip(*reports))),
        "cells": arrow_table(
            CELLS.fields + ((BLANK_AS_ZERO,) if blank_as_zero else ()), list(zip(*cells))
        ),
        "checks": arrow_table(CHECKS.fields, list(zip(*checks))),
    }
    for name in WIDE:
        lines = list(wide[name].values())
        for line in lines:
            line["flags"] = "|".join(line["flags"]) or None
        spec = file_def(name)
        out[name] = arrow_table(
            spec.fields, [[line.get(f.name) for line in lines] for f in spec.fields]
        )
    return out


def arrow_table(fields: tuple[Field, ...], columns: list[Any]) -> pa.Table:
    """Columns (in field order, possibly more) as an Arrow table; empty chunks get the schema too.

    Empty text is written as null: CSV cannot tell "" from a missing value, and the Parquet and
    CSV files of one export must read back the same (a blank cell's status says it was blank).
    """
    arrays = []
    for i, f in enumerate(fields):
        values = list(columns[i]) if i < len(columns) else []
        if f.type == "string" and "" in values:  # the scan in C first: most columns have none
            values = [v if v != "" else None for v in values]
        try:
            arrays.append(pa.array(values, type=ARROW_TYPES[f.type]))
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # e.g. a boolean in an integer column
            if f.type != "integer":
                raise
            arrays.append(pa.array([None if v is None else int(v) for v in values], pa.int64()))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(fields))


__all__ = [
    "Entry",
    "arrow_table",
    "chunks",
    "entries_from_reports",
    "entries_from_store",
    "frames",
    "load_docs",
    "wide_cols",
]
