"""docs/TABLES.md says what the registry holds: every key of every template and table, and
every identity with its number of checks, so the page cannot drift from the one definition."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govreports.output.codebook import ExportSummary, write_datapackage, write_readme
from govreports.parsers.registry import TEMPLATES

DOC = (Path(__file__).resolve().parent.parent / "docs" / "TABLES.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    return DOC.split(heading, 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]


def _keys(text: str) -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9_]*)`", text))


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_proactive_keys(template: str) -> None:
    table = TEMPLATES[template].table("proactive")
    documented = _keys(_section(f"### template {template}\n"))
    assert {r.key for b in table.blocks for r in b.rows} <= documented
    assert {c.key for b in table.blocks for c in b.cols} <= documented


def test_request_rows_and_roles() -> None:
    rows: dict[str, list[tuple[str, str]]] = {}
    for key, templates, role in re.findall(
        r"^\| `(\w+)` \| .* \| (both|2019|2021) \| (\w+) \|$", DOC, re.M
    ):
        rows.setdefault(key, []).append((templates, role))  # a key may have a role per template
    for template in TEMPLATES.values():
        for row in template.table("requests").blocks[0].rows:
            assert row.key in rows, row.key
            assert any(
                t in ("both", template.id) and role == row.role for t, role in rows[row.key]
            ), row.key
    assert set(rows) == {
        r.key for t in TEMPLATES.values() for r in t.table("requests").blocks[0].rows
    }


def test_request_and_appeal_columns() -> None:
    for template in TEMPLATES.values():
        assert {c.key for c in template.table("requests").blocks[0].cols} <= _keys(
            _section("## Table `requests`")
        )
        appeals = template.table("appeals").blocks[0]
        assert {c.key for c in appeals.cols} <= _keys(_section("## Table `appeals`"))
        assert [r.key for r in appeals.rows] == ["cases"]


def test_identities() -> None:
    section = _section("## Identities the tables must satisfy")
    documented = {
        m[0]: m[1] for m in re.findall(r"^\| `(\w+)` \| .* \| (.+?) \| ([^|]+) \|$", section, re.M)
    }
    defs = {d.id: d for t in TEMPLATES.values() for d in t.identity_defs}
    assert set(documented) == set(defs)
    for d in defs.values():
        assert d.zh == documented[d.id]
    for template in TEMPLATES.values():
        assert f"{len(template.identities)} checks for a {template.id} page" in section


def test_the_codebook_points_here(tmp_path: Path) -> None:
    write_readme(tmp_path, ExportSummary(formats=["csv"]))
    write_datapackage(tmp_path, ExportSummary(formats=["csv"]))
    assert "`docs/TABLES.md`" in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "docs/TABLES.md" in (tmp_path / "datapackage.json").read_text(encoding="utf-8")
