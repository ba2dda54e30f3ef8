"""The store, the crawl's only state: a SQLite catalog (WAL) and raw bytes on disk by sha256.

Raw bytes are written (temp file, fsync, rename) before the catalog row that names them is
committed, and before any parsing: a crash leaves at worst an unreferenced file, never a row
pointing at nothing. Every step commits on its own, so a killed run loses at most the request
in flight, and the next run picks up from the catalog.

Identity: content is keyed by sha256, so one report reached through two URLs is stored and
parsed once. Parse results live with the content (`contents`), fetch outcomes with the URL
(`urls`); `fingerprint` (the body text without chrome or injected spam) ties mirrors together.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from govreports.parsers import Report

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    kind TEXT NOT NULL,            -- list | report | attachment | image
    parent_url TEXT,               -- the page that linked here
    link_text TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    fetched_at TEXT,
    outcome TEXT,                  -- NULL (not yet) | ok | not_modified | error | blocked | refused | soft404
    http_status INTEGER,
    error TEXT,
    final_url TEXT,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT,
    sha256 TEXT
);
CREATE INDEX IF NOT EXISTS urls_site ON urls(site_id, kind);
CREATE INDEX IF NOT EXISTS urls_sha ON urls(sha256);
CREATE TABLE IF NOT EXISTS contents (
    sha256 TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL,
    content_type TEXT,
    first_seen TEXT NOT NULL,
    kind TEXT NOT NULL,            -- as the URL that brought it
    encoding TEXT,
    fingerprint TEXT,
    parse_status TEXT,             -- NULL (not parsed) | a report status | attachment | image
    parser_version TEXT,
    parsed_at TEXT,
    problems INTEGER,
    title TEXT, agency TEXT, year INTEGER, template TEXT, published TEXT, tampered INTEGER,
    report_json TEXT
);
CREATE INDEX IF NOT EXISTS contents_fp ON contents(fingerprint);
CREATE TABLE IF NOT EXISTS sites (
    site_id TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    list_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    exit_code INTEGER,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS site_runs (
    run_id INTEGER NOT NULL,
    site_id TEXT NOT NULL,
    pages_fetched INTEGER NOT NULL,
    new_reports INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    blocked INTEGER NOT NULL,
    message TEXT,
    PRIMARY KEY (run_id, site_id)
);
"""


CATALOG = "catalog.sqlite"


def store_exists(root: str | Path) -> bool:
    """Whether root holds a store (commands that only read one must not create an empty one)."""
    return (Path(root) / CATALOG).exists()


class Locked(Exception):
    """Another run holds the store."""


@contextmanager
def exclusive(root: str | Path) -> Iterator[None]:
    """Hold the store's lock for a run: two cron runs must never write the same store.
    flock dies with its process, so a killed run never leaves a stale lock behind."""
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "run.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(f"another govreports run is using {path} (lock {path / 'run.lock'})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class UrlRow:
    url: str
    site_id: str
    kind: str
    outcome: str | None
    sha256: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None


class Store:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.raw_dir = self.root / "raw"
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.root / CATALOG
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- raw bytes ---------------------------------------------------------------------------

    def raw_path(self, sha256: str) -> Path:
        return self.raw_dir / sha256[:2] / sha256

    def put_raw(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = self.raw_path(sha)
        if path.exists():
            return sha
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f".{sha}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        return sha

    def get_raw(self, sha256: str) -> bytes:
        return self.raw_path(sha256).read_bytes()

    # -- catalog -----------------------------------------------------------------------------

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def save_site(self, site_id: str, agency: str, list_url: str) -> None:
        self.execute(
            "INSERT INTO sites VALUES (?,?,?) ON CONFLICT(site_id) DO UPDATE SET agency=excluded.agency, list_url=excluded.list_url",
            (site_id, agency, list_url),
        )

    def see(self, url: str, site_id: str, kind: str, parent: str | None = None, text: str | None = None) -> UrlRow:
        """Record that url was seen (first/last seen); return what is known of it."""
        stamp = now()
        with self._lock:
            self._db.execute(
                "INSERT INTO urls (url, site_id, kind, parent_url, link_text, first_seen, last_seen) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET last_seen=excluded.last_seen",
                (url, site_id, kind, parent, text, stamp, stamp),
            )
            row = self._db.execute("SELECT * FROM urls WHERE url=?", (url,)).fetchone()
        return UrlRow(
            row["url"], row["site_id"], row["kind"], row["outcome"], row["sha256"], row["etag"], row["last_modified"], row["content_type"]
        )

    def record_fetch(
        self,
        url: str,
        outcome: str,
        *,
        status: int | None = None,
        error: str | None = None,
        final_url: str | None = None,
        headers: dict[str, str] | None = None,
        sha256: str | None = None,
        size: int = 0,
        kind: str = "report",
    ) -> bool:
        """Record a fetch outcome (the raw bytes are already on disk); True if the content is new."""
        h = {k.lower(): v for k, v in (headers or {}).items()}
        stamp = now()
        new = False
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if sha256 is not None:
                    cur = self._db.execute(
                        "INSERT OR IGNORE INTO contents (sha256, bytes, content_type, first_seen, kind) VALUES (?,?,?,?,?)",
                        (sha256, size, h.get("content-type"), stamp, kind),
                    )
                    new = cur.rowcount == 1
                keep = outcome == "not_modified"  # a 304 keeps what the 200 said
                self._db.execute(
                    "UPDATE urls SET fetched_at=?, outcome=?, http_status=?, error=?, final_url=?,"
                    " etag=CASE WHEN ? THEN etag ELSE ? END, last_modified=CASE WHEN ? THEN last_modified ELSE ? END,"
                    " content_type=COALESCE(?, content_type), sha256=COALESCE(?, sha256) WHERE url=?",
                    (stamp, outcome, status, error, final_url, keep, h.get("etag"), keep, h.get("last-modified"),
                     h.get("content-type"), sha256, url),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return new

    def needs_parse(self, sha256: str, version: str) -> bool:
        rows = self.execute("SELECT parser_version, parse_status FROM contents WHERE sha256=?", (sha256,))
        return not rows or rows[0]["parse_status"] is None or rows[0]["parser_version"] != version

    def save_parse(self, sha256: str, report: Report, version: str) -> None:
        m = report.report
        self.execute(
            "UPDATE contents SET encoding=?, fingerprint=?, parse_status=?, parser_version=?, parsed_at=?, problems=?,"
            " title=?, agency=?, year=?, template=?, published=?, tampered=?, report_json=? WHERE sha256=?",
            (report.source.encoding, report.fingerprint, report.status, version, now(), len(report.problems),
             m.title, m.agency, m.year, m.template, m.published, int(m.tampered),
             json.dumps(report.to_json(), ensure_ascii=False), sha256),
        )

    def mark_unparsed_kind(self, sha256: str, status: str, version: str) -> None:
        """Attachments and images: stored, flagged for a later parser that reads them."""
        self.execute(
            "UPDATE contents SET parse_status=?, parser_version=?, parsed_at=? WHERE sha256=?", (status, version, now(), sha256)
        )

    def report_contents(self, site_id: str | None = None, parser_version: str | None = None) -> Iterator[sqlite3.Row]:
        """Stored report pages and readable attachments (first URL that brought each), for parsing
        and reparsing. An attachment marked unparsed by another parser version is included too:
        a newer parser may read it (DOC files became readable in 0.2.0)."""
        sql = (
            "SELECT c.sha256, c.kind, c.parser_version, c.parse_status, MIN(u.url) AS url, u.content_type, u.site_id"
            " FROM contents c JOIN urls u ON u.sha256 = c.sha256 WHERE u.kind = c.kind AND (c.kind = 'report'"
            " OR (c.kind = 'attachment' AND (COALESCE(c.parse_status, '') NOT LIKE '%_unparsed'"
            " OR COALESCE(c.parser_version, '') != ?)))"
        )
        params: tuple[Any, ...] = (parser_version or "",)
        if site_id is not None:
            sql += " AND u.site_id=?"
            params += (site_id,)
        yield from self.execute(sql + " GROUP BY c.sha256 ORDER BY c.sha256", params)

    def start_run(self) -> int:
        with self._lock:
            cur = self._db.execute("INSERT INTO runs (started) VALUES (?)", (now(),))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, exit_code: int, summary: dict[str, Any]) -> None:
        self.execute(
            "UPDATE runs SET finished=?, exit_code=?, summary=? WHERE run_id=?",
            (now(), exit_code, json.dumps(summary, ensure_ascii=False), run_id),
        )

    def save_site_run(self, run_id: int, site_id: str, counts: dict[str, int], message: str | None) -> None:
        self.execute(
            "INSERT OR REPLACE INTO site_runs VALUES (?,?,?,?,?,?,?)",
            (run_id, site_id, counts["pages_fetched"], counts["new_reports"], counts["errors"], counts["blocked"], message),
        )
