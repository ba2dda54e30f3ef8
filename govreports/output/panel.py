"""The agency-year panel and its cross-year checks, built alongside the streaming export.

The export goes through the store a chunk of reports at a time; the panel needs every report
of an agency at once (to pick one per year and to compare years), so each report leaves one
small record here (its key fields and its measures, ~60 numbers) and the panel is written
after the last chunk. Nothing in the checks rewrites a cell: a carried-forward figure that does
not reappear the next year is a row of panel_checks.csv, not a correction.
"""

from __future__ import annotations

import itertools
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

import pyarrow as pa

from govreports.output.dataset import VALUED, Entry, arrow_table
from govreports.output.indicators import (
    PANEL_CHECKS,
    QUALITY,
    Indicator,
    indicators,
    measures,
    panel_file,
)
from govreports.parsers.registry import TEMPLATES

APPLICANTS = tuple(c.key for c in TEMPLATES["2021"].table("requests").blocks[0].cols)
SLICE = 2_000
_RANK = {status: rank for rank, status in enumerate(QUALITY)}
_META = (  # reports-file columns a panel row carries
    "report_id",
    "agency",
    "agency_kind",
    "agency_level",
    "division_id",
    "division_code",
    "province",
    "city",
    "county",
    "report_year",
    "template",
    "published",
    "on_time",
    "form",
    "tampered",
    "checks_failed",
    "current",
    "superseded_by",
)


_AT = {name: i for i, name in enumerate(_META)}


@dataclass(slots=True)
class _Record:
    """One report as the panel sees it: a view built from _Records' columns when needed."""

    fields: tuple[Any, ...]  # the _META columns, in order
    key: str | None
    values: tuple[float | None, ...]  # per measure, in measures() order
    known: int  # measures with a value: the most complete report of an agency-year is used
    quality: str | None
    carried: tuple[tuple[float | None, float | None], ...]  # per applicant: (over, forward)

    def get(self, name: str) -> Any:
        return self.fields[_AT[name]]


_UNIQUE = {_AT["report_id"], _AT["superseded_by"]}  # never repeated: not worth sharing


class _Records:
    """Every report's record, kept by column: numbers in arrays of doubles (NaN for unknown),
    repeated texts (agency, province, form …) shared. A list of Python objects per report would
    take several kilobytes each and fragment the heap the chunks are built on; at 100k reports
    that doubled the export's peak memory."""

    def __init__(self) -> None:
        self.fields: list[list[Any]] = [[] for _ in _META]
        self.keys: list[str | None] = []
        self.values = [array("d") for _ in measures()]
        self.carried = [array("d") for _ in range(2 * len(APPLICANTS))]
        self.known = array("i")
        self.quality: list[str | None] = []
        self._shared: dict[tuple[type, Any], Any] = {}

    def _share(self, v: Any) -> Any:
        return self._shared.setdefault((type(v), v), v)

    def append(self, rec: _Record) -> None:
        for i, (column, v) in enumerate(zip(self.fields, rec.fields)):
            column.append(v if i in _UNIQUE else self._share(v))
        self.keys.append(self._share(rec.key))
        for arr, v in zip(self.values, rec.values):
            arr.append(_NAN if v is None else v)
        for i, (over, forward) in enumerate(rec.carried):
            self.carried[2 * i].append(_NAN if over is None else over)
            self.carried[2 * i + 1].append(_NAN if forward is None else forward)
        self.known.append(rec.known)
        self.quality.append(rec.quality)

    def __len__(self) -> int:
        return len(self.keys)

    def field(self, name: str, i: int) -> Any:
        return self.fields[_AT[name]][i]

    def __getitem__(self, i: int) -> _Record:
        c = self.carried
        return _Record(
            tuple(column[i] for column in self.fields),
            self.keys[i],
            tuple(_known(arr[i]) for arr in self.values),
            self.known[i],
            self.quality[i],
            tuple((_known(c[2 * j][i]), _known(c[2 * j + 1][i])) for j in range(len(APPLICANTS))),
        )


_NAN = float("nan")


def _known(v: float) -> float | None:
    return None if v != v else v  # NaN is the only value unequal to itself


def agency_key(meta: dict[str, Any]) -> str | None:
    """The division's stable id and the agency's name without the division's names (淮安市洪泽区
    人民政府 and 洪泽区人民政府 are one agency; 洪泽县人民政府 before the county became a district
    has the same stable id), or the name alone where no division is known."""
    name = meta.get("agency")
    if not name:
        return None
    division = meta.get("division_id")
    if not division:
        return str(name)
    for part in (meta.get("province"), meta.get("city"), meta.get("county")):
        if part and name.startswith(part) and len(name) > len(part):
            name = name[len(part) :]
    return f"{division}:{name}"


class PanelBuilder:
    def __init__(self, blank_as_zero: bool = False) -> None:
        self.blank_as_zero = blank_as_zero
        self.records = _Records()
        self._plans: dict[tuple[str, frozenset[str]], list[list[str] | None]] = {}

    def add(self, chunk: list[Entry], reports: pa.Table) -> None:
        """One record per report of the chunk (its documents still loaded)."""
        rows = reports.select(list(_META)).to_pylist()
        for e, meta in zip(chunk, rows):
            doc = e.doc or {}
            cells = {f"{c['table']}/{c['row']}/{c['col']}": c for c in doc.get("cells", [])}
            values, quality = self._measures(meta.get("template"), cells)
            carried = tuple(
                (
                    self._value(cells.get(f"requests/carried_over/{col}")),
                    self._value(cells.get(f"requests/carried_forward/{col}")),
                )
                for col in APPLICANTS
            )
            known = sum(v is not None for v in values)
            self.records.append(
                _Record(
                    tuple(meta[k] for k in _META),
                    agency_key(meta),
                    tuple(values),
                    known,
                    quality,
                    carried,
                )
            )

    def _value(self, cell: dict[str, Any] | None) -> float | None:
        if cell is None:
            return None
        if cell["status"] in VALUED:
            return cell["value"]  # type: ignore[no-any-return]  # an int stays an int: small ones are shared
        return 0 if cell["status"] == "blank" and self.blank_as_zero else None

    def _plan(self, template: str | None, keys: set[str]) -> list[list[str] | None]:
        """Per measure, the cell keys it sums for a report of this template (None: the template
        has no such cells). Remembered per template and extra keys (printed aggregate rows)."""
        base = _template_keys(template)
        extra = frozenset(keys - base)
        plan_key = (template or "", extra)
        if plan_key not in self._plans:
            plan: list[list[str] | None] = []
            for m in measures():
                chosen = None
                for alt in m.alternatives:
                    matched = [[k for k in keys if fnmatchcase(k, p)] for p in alt]
                    if all(matched):
                        chosen = [k for group in matched for k in sorted(group)]
                        break
                plan.append(chosen)
            self._plans[plan_key] = plan
        return self._plans[plan_key]

    def _measures(
        self, template: str | None, cells: dict[str, dict[str, Any]]
    ) -> tuple[list[float | None], str | None]:
        values: list[float | None] = []
        worst = -1
        for keys in self._plan(template, set(cells)):
            if keys is None:
                values.append(None)
                continue
            total: float | None = 0
            for k in keys:
                cell = cells[k]
                status = cell["status"]
                rank = _RANK.get(status, _RANK["incomplete"])
                worst = max(worst, rank)
                v = self._value(cell)
                total = None if v is None or total is None else total + v
            values.append(total)
        return values, (QUALITY[worst] if worst >= 0 else None)

    def tables(self) -> Iterator[tuple[str, pa.Table]]:
        """The panel, then its checks, in slices of SLICE rows: a slice's rows are Python dicts
        for a moment, and 100k of them at once would take gigabytes."""
        chosen = self._chosen()
        spec = panel_file()
        picked = list(chosen.values())
        for start in range(0, max(len(picked), 1), SLICE):
            rows = [self._panel_row(i, n, chosen) for i, n in picked[start : start + SLICE]]
            yield (
                "panel",
                arrow_table(spec.fields, [[r.get(f.name) for r in rows] for f in spec.fields]),
            )
        checks = itertools.chain(self._year_checks(chosen), self._revisions())
        while True:
            part = list(itertools.islice(checks, SLICE * 10))
            yield "panel_checks", arrow_table(PANEL_CHECKS.fields, list(zip(*part)))
            if not part:
                break

    def _chosen(self) -> dict[tuple[str, int], tuple[int, int]]:
        """Per agency-year, the current report with the most measures known (its index), and
        how many current reports that agency-year has."""
        recs = self.records
        groups: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, key in enumerate(recs.keys):
            year = recs.field("report_year", i)
            if key is not None and year is not None and recs.field("current", i) is not False:
                groups[(key, int(year))].append(i)
        return {
            k: (max(ids, key=lambda i: (recs.known[i], recs.field("report_id", i))), len(ids))
            for k, ids in sorted(groups.items())
        }

    def _panel_row(
        self, index: int, n: int, chosen: dict[tuple[str, int], tuple[int, int]]
    ) -> dict[str, Any]:
        rec = self.records[index]
        row: dict[str, Any] = dict(zip(_META, rec.fields))
        row.update(agency_key=rec.key, reports=n, quality=rec.quality)
        names = [m.name for m in measures()]
        row.update(zip(names, rec.values))
        previous = chosen.get((rec.key or "", int(rec.get("report_year")) - 1))
        before = dict(zip(names, self.records[previous[0]].values)) if previous else {}
        now = dict(zip(names, rec.values))
        for ind in indicators():
            row[ind.name], row[f"{ind.name}_base"] = _ratio(ind, now, before)
        return row

    def _year_checks(
        self, chosen: dict[tuple[str, int], tuple[int, int]]
    ) -> Iterator[tuple[Any, ...]]:
        for (key, year), (index, _) in chosen.items():
            nxt = chosen.get((key, year + 1))
            if nxt is None:
                continue
            rec, later = self.records[index], self.records[nxt[0]]
            if not {rec.get("template"), later.get("template")} <= {"2019", "2021"}:
                continue  # a pre-2019 report's tables follow no template: nothing to compare
            note = (
                f"template {rec.get('template')} → {later.get('template')}: the same "
                "applicant columns in both"
                if rec.get("template") != later.get("template")
                else None
            )
            for i, col in enumerate(APPLICANTS):
                forward, over = rec.carried[i][1], later.carried[i][0]
                result = (
                    "not_assessable"
                    if forward is None or over is None
                    else "pass"
                    if forward == over
                    else "fail"
                )
                yield (
                    key,
                    year,
                    "carried_forward",
                    col,
                    forward,
                    year + 1,
                    over,
                    result,
                    note,
                    rec.get("report_id"),
                    later.get("report_id"),
                )

    def _revisions(self) -> Iterator[tuple[Any, ...]]:
        """An earlier version of a report (same URL, new bytes) against the version that
        superseded it: each measure whose number changed."""
        recs = self.records
        by_id = {recs.field("report_id", i): i for i in range(len(recs))}
        names = [m.name for m in measures()]
        for i in range(len(recs)):
            newer_id = by_id.get(recs.field("superseded_by", i) or "")
            if newer_id is None or recs.keys[i] is None:
                continue
            rec, newer = recs[i], recs[newer_id]
            for name, old, new in zip(names, rec.values, newer.values):
                if old is not None and new is not None and old != new:
                    yield (
                        rec.key,
                        rec.get("report_year"),
                        "revised",
                        name,
                        old,
                        newer.get("report_year"),
                        new,
                        "changed",
                        None,
                        rec.get("report_id"),
                        newer.get("report_id"),
                    )


def _ratio(
    ind: Indicator, now: dict[str, float | None], before: dict[str, float | None]
) -> tuple[float | None, float | None]:
    """(rate, denominator): the rate empty, never 0 or infinite, when an input is unknown or
    the denominator is 0."""

    def total(terms: tuple[tuple[int, str, bool], ...]) -> float | None:
        acc = 0.0
        for sign, name, prev in terms:
            v = (before if prev else now).get(name)
            if v is None:
                return None
            acc += sign * v
        return acc

    num, den = total(ind.numerator), total(ind.denominator)
    if num is None or den is None or den == 0:
        return None, den
    return num / den * ind.scale, den


_KEYS: dict[str, frozenset[str]] = {}


def _template_keys(template: str | None) -> frozenset[str]:
    name = template or ""
    if name not in _KEYS:
        t = TEMPLATES.get(name)
        _KEYS[name] = frozenset("/".join(k) for k in (t.cell_keys if t is not None else ()))
    return _KEYS[name]
