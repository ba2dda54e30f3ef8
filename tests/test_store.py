"""The store owns its data: a schema version with migrations, a store of the previous release
opened and migrated without loss, a newer one refused, and no SQL outside the store module.

tests/data/store-v1 is a store written by govreports 0.3.0 (unversioned, schema v0),
tests/data/store-v2 and -v3 ones written at schemas 2 and 3; each with what its release exported from it
(expected.json; see their README.md). They are copied before they are opened: opening migrates.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from govreports.cli.exits import EXIT_OK, EXIT_USAGE
from govreports.cli.main import main
from govreports.parsers import PARSER_VERSION
from govreports.scraper.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Migration,
    Store,
    StoreTooNew,
    migrate,
    schema_version,
)
from govreports.scraper.versions import ReportCopy, TablesAttachment, versions

DATA = Path(__file__).parent / "data"
# One store per schema a release wrote; append, never rewrite.
OLD_STORES = ("store-v1", "store-v2", "store-v3")
PACKAGE = Path(__file__).parent.parent / "govreports"

# What the store decides in an export: report rows (grouping, versions, URLs, the tables'
# source) in full; cells and checks as a hash over the columns the store feeds (the labels
# come from the template registry, which may word them better in a later release).
REPORT_COLS = (
    "report_id",
    "site_id",
    "agency",
    "report_year",
    "template",
    "published",
    "urls",
    "sha256",
    "copies",
    "fetched_at",
    "parse_status",
    "problems",
    "tampered",
    "checks_passed",
    "checks_failed",
    "current",
    "superseded_by",
    "parser_version",
    "tables_source",
)
CELL_COLS = ("report_id", "table", "row", "col", "value", "raw", "status", "unit", "candidates")
CHECK_COLS = ("report_id", "check", "subject", "result")


def _rows(path: Path, cols: tuple[str, ...]) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [[r[c] for c in cols] for r in csv.DictReader(f)]


def _hash(rows: list[list[str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(rows), ensure_ascii=False).encode()).hexdigest()


def export_digest(dataset: Path) -> dict[str, Any]:
    cells, checks = (
        _rows(dataset / "cells.csv", CELL_COLS),
        _rows(dataset / "checks.csv", CHECK_COLS),
    )
    return {
        "reports": [dict(zip(REPORT_COLS, r)) for r in _rows(dataset / "reports.csv", REPORT_COLS)],
        "cells": {"rows": len(cells), "sha256": _hash(cells)},
        "checks": {"rows": len(checks), "sha256": _hash(checks)},
    }


def connect(data: Path) -> sqlite3.Connection:
    return sqlite3.connect(data / "catalog.sqlite", isolation_level=None)


def catalog_counts(data: Path) -> dict[str, Any]:
    db = connect(data)
    try:
        return {
            "urls": [
                list(r)
                for r in db.execute(
                    "SELECT kind, COALESCE(outcome, ''), COUNT(*) FROM urls GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ],
            "contents": [
                list(r)
                for r in db.execute(
                    "SELECT kind, COALESCE(parse_status, ''), COUNT(*) FROM contents GROUP BY 1, 2 ORDER BY 1, 2"
                )
            ],
            "sites": db.execute("SELECT COUNT(*) FROM sites").fetchone()[0],
            "runs": db.execute("SELECT COUNT(*) FROM runs").fetchone()[0],
            "site_runs": db.execute("SELECT COUNT(*) FROM site_runs").fetchone()[0],
        }
    finally:
        db.close()


def dump(data: Path) -> tuple[int, list[tuple[Any, ...]], dict[str, list[tuple[Any, ...]]]]:
    """The catalog entire: its version, its schema, every row of every table."""
    db = connect(data)
    try:
        schema = db.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [
            name for kind, name, _ in schema if kind == "table" and not name.startswith("sqlite_")
        ]
        rows = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
        return schema_version(db), schema, rows
    finally:
        db.close()


@pytest.fixture(params=OLD_STORES)
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    data = tmp_path / "store"
    shutil.copytree(DATA / request.param, data, ignore=shutil.ignore_patterns("*.md", "*.json"))
    return data


def expected(store: Path) -> dict[str, Any]:
    """What the release that wrote the store copied to `store` saw in it."""
    made = {catalog_hash(DATA / name): name for name in OLD_STORES}[catalog_hash(store)]
    return dict(json.loads((DATA / made / "expected.json").read_text(encoding="utf-8")))


def catalog_hash(data: Path) -> str:
    return hashlib.sha256((data / "catalog.sqlite").read_bytes()).hexdigest()


def test_the_committed_stores_are_as_their_releases_wrote_them(old_store: Path) -> None:
    want = expected(old_store)
    assert dump(old_store)[0] == want.get("schema", 0)
    assert catalog_counts(old_store) == want["catalog"]


def test_a_store_of_the_previous_release_migrates_without_loss(
    old_store: Path, tmp_path: Path
) -> None:
    want = expected(old_store)
    version, schema, rows = dump(old_store)
    with Store(old_store) as store:
        assert store.schema_version == SCHEMA_VERSION
        reports = store.reports()
        pages = list(store.report_contents(parser_version=PARSER_VERSION))
        for page in pages:  # every raw file the catalog names is there, with the bytes it hashed
            assert hashlib.sha256(store.get_raw(page.sha256)).hexdigest() == page.sha256
    after_version, after_schema, after_rows = dump(old_store)
    assert (version, after_version) == (want.get("schema", 0), SCHEMA_VERSION)
    assert {t: after_rows[t] for t in rows} == rows  # not a row lost or changed
    assert len(after_rows["url_contents"]) == sum(  # the URL history starts from what urls hold
        1 for r in rows["urls"] if r[-1] is not None
    )
    assert set(after_schema) >= set(schema)  # not a table, column or index lost
    assert catalog_counts(old_store) == want["catalog"]
    assert len(reports) == len(want["export"]["reports"]) and len(pages) == 11

    out = tmp_path / "dataset"
    assert (
        main(["export", "--data", str(old_store), "--out", str(out), "--format", "csv"]) == EXIT_OK
    )
    assert export_digest(out) == want["export"]  # the dataset that release exported from it

    assert (
        main(["reparse", "--data", str(old_store), "--all"]) == EXIT_OK
    )  # raw bytes parse again, offline
    with Store(old_store) as store:
        reparsed = list(store.report_contents(parser_version=PARSER_VERSION))
    assert [p.sha256 for p in reparsed] == [p.sha256 for p in pages]
    assert all(p.parser_version == PARSER_VERSION and p.parse_status for p in reparsed)
    assert catalog_counts(old_store)["urls"] == want["catalog"]["urls"]


def test_migrations_are_idempotent(old_store: Path) -> None:
    Store(old_store).close()
    migrated = dump(old_store)
    Store(old_store).close()  # at the newest version: left alone
    assert dump(old_store) == migrated
    db = connect(old_store)
    try:
        assert migrate(db, old_store) == SCHEMA_VERSION and db.total_changes == 0
        db.execute("PRAGMA user_version = 0")  # every migration again, over what they made
    finally:
        db.close()
    Store(old_store).close()
    assert dump(old_store) == migrated


def test_a_new_store_starts_at_the_newest_version(tmp_path: Path) -> None:
    with Store(tmp_path / "new") as store:
        assert store.schema_version == SCHEMA_VERSION == MIGRATIONS[-1].to == len(MIGRATIONS)
        assert store.reports() == [] and store.documents([]) == {}
    assert [m.to for m in MIGRATIONS] == list(
        range(1, SCHEMA_VERSION + 1)
    )  # one step at a time, none skipped


def test_a_store_written_by_a_newer_release_is_refused_untouched(
    old_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(old_store).close()
    db = connect(old_store)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = dump(old_store)
    with pytest.raises(
        StoreTooNew,
        match=rf"schema version {SCHEMA_VERSION + 1}, newer than .* \(up to {SCHEMA_VERSION}\).*upgrade govreports",
    ):
        Store(old_store)
    assert (
        main(["export", "--data", str(old_store), "--out", str(old_store.parent / "out")])
        == EXIT_USAGE
    )
    assert main(["reparse", "--data", str(old_store)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("newer than this govreports") == 2 and "Traceback" not in err
    assert dump(old_store) == before and not (old_store.parent / "out").exists()


def test_a_failing_migration_changes_nothing(old_store: Path) -> None:
    Store(old_store).close()
    before = dump(old_store)
    broken = (
        *MIGRATIONS,
        Migration(
            SCHEMA_VERSION + 1,
            "half a step",
            (
                "CREATE TABLE notes (sha256 TEXT)",
                "INSERT INTO notes SELECT sha256 FROM contents",
                "SELECT * FROM no_such_table",
            ),
        ),
    )
    db = connect(old_store)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
            migrate(db, old_store, broken)
        assert not db.in_transaction
    finally:
        db.close()
    assert dump(old_store) == before  # no table notes, the version as it was


def test_versions_one_report_per_fingerprint_the_untampered_copy_the_newest_current() -> None:
    def copy(
        sha: str,
        fp: str,
        seen: str,
        *,
        tampered: bool = False,
        published: str | None = None,
        status: str = "ok",
        urls: tuple[str, ...] = (),
    ) -> ReportCopy:
        return ReportCopy(
            sha * 64,
            fp * 64,
            "s",
            "甲局",
            2021,
            published,
            seen,
            tampered,
            "0.3.0",
            status,
            urls,
            seen,
            title="甲局2021年政府信息公开工作年度报告",
        )

    got = versions(
        [
            copy("b", "1", "2", urls=("http://m/2",)),
            copy("a", "1", "1", tampered=True, urls=("http://m/1",)),
            copy("c", "2", "3", published="2022-03-01"),
            copy(
                "d", "3", "4", published="2022-04-01", status="no_tables", urls=("http://p/stub",)
            ),
        ],
        [TablesAttachment("http://p/elsewhere", "http://p/t.pdf", "e" * 64, "ok")],
    )
    assert [(v.report_id, v.sha256[0], v.copies, v.urls, v.fetched_at) for v in got] == [
        ("1" * 16, "b", 2, ["http://m/1", "http://m/2"], "1"),
        ("2" * 16, "c", 1, [], "3"),
        ("3" * 16, "d", 1, ["http://p/stub"], "4"),
    ]
    # a stub without tables never supersedes; of the others the newer published is current
    assert [(v.current, v.superseded_by) for v in got] == [
        (False, "2" * 16),
        (True, None),
        (False, "2" * 16),
    ]


def test_versions_only_where_the_rule_says_so_and_never_by_crawl_order() -> None:
    def copy(
        sha: str,
        title: str | None,
        *,
        published: str | None = "2022-01-20",
        urls: tuple[str, ...] = (),
        live: bool = True,
        seen: str = "1",
        year: int = 2021,
    ) -> ReportCopy:
        return ReportCopy(
            sha * 64, sha * 64, "s", "某县人民政府", year, published, seen, False, "0.5", "ok",
            urls, seen, title=title, live=live,
        )  # fmt: skip

    county = [  # a county column of its departments' reports, all 来源：某县人民政府
        copy(n, f"某县{dept}2021年政府信息公开工作年度报告", urls=(f"http://s/{n}",))
        for n, dept in zip("abc", ("教育局", "卫生健康委员会", "财政局"))
    ]
    edited = [  # one URL, new bytes: the page edited in place; the newest bytes are current
        copy("d", "某县2021年报", urls=("http://s/d",), live=False, seen="9"),
        copy("e", "某县2021年报", urls=("http://s/d",), seen="1"),
    ]
    corrected = [  # same title, a 更正 mark (same date): a correction
        copy("f", "某县审计局2021年政府信息公开工作年度报告", urls=("http://s/f",)),
        copy("g", "某县审计局2021年政府信息公开工作年度报告（更正）", urls=("http://s/g",)),
    ]
    same_day = [  # same generic title, same date, no mark: nothing says they are one report
        copy("h", "2021年政府信息公开工作年度报告", urls=("http://s/h",)),
        copy("i", "2021年政府信息公开工作年度报告", urls=("http://s/i",)),
    ]
    other_year = [copy("j", "年报", urls=("http://s/j",), year=2020)] + [
        copy("k", "年报", urls=("http://s/j",))
    ]  # one URL reused for another year's report: not a version
    every = county + edited + corrected + same_day + other_year
    for order in (every, every[::-1]):  # crawl order decides nothing
        got = {v.sha256[0]: (v.current, v.superseded_by) for v in versions(order, [])}
        assert {k for k, (current, _) in got.items() if not current} == {"d", "f"}
        assert got["d"][1] == "e" * 16 and got["f"][1] == "g" * 16


def test_no_sql_outside_the_store_module() -> None:
    allowed = {PACKAGE / "scraper" / "store.py"}
    sql = re.compile(
        r"\.execute(many|script)?\(|\bsqlite3\b|\b(SELECT|INSERT|UPDATE|DELETE)\s+.*\b(FROM|INTO|SET)\b"
    )
    offenders = [
        f"{p.relative_to(PACKAGE)}:{i}"
        for p in sorted(PACKAGE.rglob("*.py"))
        if p not in allowed
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if sql.search(line)
    ]
    assert offenders == []
