"""An identity is defined once, in the registry, and everything that uses identities reads it
from there: the checks, both parts of the flattened reader (the identities inside one row and
those linking rows), the codebook's vocabulary of check ids and docs/TABLES.md. Adding one to a
template is enough for all of them to use it; a hand-kept list anywhere would fail here."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from govreports.output.schema import CHECKS
from govreports.parsers import parse
from govreports.parsers.checks import evaluate
from govreports.parsers.registry import IDENTITIES, TEMPLATES, IdentityDef, Template
from govreports.parsers.statuses import CellStatus, CheckResult
from govreports.parsers.tables.readings import row_checks
from govreports.parsers.tables.rows import TextRow
from govreports.parsers.tables.solve import linking_equations
from govreports.parsers.values import read_cell

ROOT = Path(__file__).resolve().parent.parent
# Two made-up identities of the 2019 requests table: one inside each row (natural persons are
# the total: false on a real page) and one linking rows (new requests are all processed).
IN_ROW = IdentityDef(
    "test_in_row",
    "requests",
    "row",
    ("total",),
    ("natural_person",),
    "total vs natural_person",
    "测试",
)
LINKING = IdentityDef(
    "test_linking",
    "requests",
    "col",
    ("new_received",),
    ("total_processed",),
    "new_received vs total_processed",
    "测试",
)


def _with(template: Template, *defs: IdentityDef) -> Template:
    return dataclasses.replace(template, identity_defs=(*template.identity_defs, *defs))


def test_an_added_identity_is_checked() -> None:
    base = TEMPLATES["2019"]
    grown = _with(base, IN_ROW, LINKING)
    report = parse((ROOT / "fixtures/pages/shanghai-2019.html").read_bytes(), "shanghai-2019.html")
    cells = {(c.table, c.row, c.col): c for c in report.cells}
    ids = [c.id for c in evaluate(grown, cells)]
    requests = base.table("requests").blocks[0]
    assert ids.count("test_in_row") == len(requests.rows)
    assert ids.count("test_linking") == len(requests.cols)
    assert len(ids) == len(evaluate(base, cells)) + len(requests.rows) + len(requests.cols)


def test_an_added_identity_is_read_by_the_flattened_reader() -> None:
    base = TEMPLATES["2019"]
    grown = _with(base, IN_ROW, LINKING)
    cols = [c.key for c in base.table("requests").blocks[0].cols]
    # inside one row: the row reader tests it while it reads the row
    assert len(row_checks(grown, "requests", "new_received")) == (
        len(row_checks(base, "requests", "new_received")) + 1
    )
    added = ((cols.index("total"),), (cols.index("natural_person"),))
    assert added in row_checks(grown, "requests", "new_received")
    assert added not in row_checks(base, "requests", "new_received")
    # across rows: the solver links the rows it names
    table = base.table("requests")
    block = table.blocks[0]
    rows = [
        TextRow(r, table, block, [read_cell("0")] * len(block.cols))
        for r in block.rows
        if r.key in ("new_received", "total_processed")
    ]
    linked = [e.identity.id for e in linking_equations(grown, rows)]
    assert linked.count("test_linking") == len(block.cols)
    assert "test_linking" not in [e.identity.id for e in linking_equations(base, rows)]


def test_every_identity_reaches_the_codebook_and_the_docs() -> None:
    check_ids = next(f for f in CHECKS.fields if f.name == "check").enum
    assert check_ids is not None and set(check_ids) == set(IDENTITIES)
    doc = (ROOT / "docs/TABLES.md").read_text(encoding="utf-8")
    for identity in IDENTITIES:
        assert f"`{identity}`" in doc


def test_every_identity_of_a_page_is_checked_and_passes_on_gold() -> None:
    """On an exact fixture every identity instance of its template is evaluated, and none
    that the gold satisfies is reported as failed."""
    report = parse((ROOT / "fixtures/pages/shanghai-2019.html").read_bytes(), "shanghai-2019.html")
    template = TEMPLATES[report.report.template or ""]
    assert len(report.checks) == len(template.identities)
    gold = json.loads((ROOT / "fixtures/gold/shanghai-2019.json").read_text(encoding="utf-8"))
    assert gold  # the fixture has gold, so its identities were looked at by hand
    assert all(c.result is not CheckResult.FAIL for c in report.checks)
    assert all(c.status is not CellStatus.AMBIGUOUS for c in report.cells)
