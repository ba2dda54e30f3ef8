"""The store, the crawl's only state: a SQLite catalog (WAL) and raw bytes on disk by sha256.

Raw bytes are written (temp file, fsync, rename) before the catalog row that names them is
committed, and before any parsing: a crash leaves at worst an unreferenced file, never a row
pointing at nothing. Every step commits on its own, so a killed run loses at most the request
in flight, and the next run picks up from the catalog.

Identity: content is keyed by sha256, so one report reached through two URLs is stored and
parsed once. Parse results live with the content (`contents`), fetch outcomes with the URL
(`urls`); `fingerprint` (the body text without chrome or injected spam) ties mirrors together.
Which contents are one report and which version is current: versions.py.

The store owns its data: no SQL runs outside this module; callers get typed rows.

Schema versions: the catalog's version is `PRAGMA user_version`. Opening a store applies, in
one transaction, every migration above its version (`MIGRATIONS`); a store of 0.3.0 or older
has none (0) and the tables of version 1. A store whose version is newer than this code knows
is refused (`StoreTooNew`), never written to.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from govreports.scraper import retries
from govreports.scraper.versions import (
    EXPORTED_STATUSES,
    WITH_TABLES,
    ReportCopy,
    TablesAttachment,
    Version,
    versions,
)
from govreports.version import __version__

if TYPE_CHECKING:
    from govreports.parsers import Report

# Version 1: the catalog as 0.3.0 and earlier wrote it (unversioned). IF NOT EXISTS: such a
# store has these tables already and only gets its version number.
V1 = """
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


@dataclass(frozen=True)
class Migration:
    """What takes a catalog from version `to - 1` to `to`: statements run in the opening
    transaction, in order, before user_version becomes `to`."""

    to: int
    what: str
    statements: tuple[str, ...]


def statements(script: str) -> tuple[str, ...]:
    """A script's statements, one by one (executescript would commit the transaction)."""
    out, lines = [], []
    for line in script.splitlines(keepends=True):
        lines.append(line)
        if sqlite3.complete_statement("".join(lines)):
            out.append("".join(lines).strip())
            lines = []
    if "".join(lines).strip():
        raise ValueError(f"incomplete SQL statement: {''.join(lines).strip()[:80]}")
    return tuple(out)


# Append only; never edit a released migration. A migration that rewrites rows must keep
# every row and every raw file a store of the previous version holds (tests/test_store.py);
# before adding one, commit a small store of the current version beside tests/data/store-v1.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the catalog of 0.3.0: urls, contents, sites, runs, site_runs", statements(V1)),
    Migration(
        2,
        "url_contents: every content a URL brought, so a page edited in place keeps its earlier "
        "versions' URL (urls.sha256 holds only the newest)",
        statements(
            """
CREATE TABLE IF NOT EXISTS url_contents (
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    first_seen TEXT NOT NULL,      -- when this URL first brought these bytes
    PRIMARY KEY (url, sha256)
);
CREATE INDEX IF NOT EXISTS url_contents_sha ON url_contents(sha256);
INSERT OR IGNORE INTO url_contents (url, sha256, first_seen)
    SELECT url, sha256, COALESCE(fetched_at, last_seen) FROM urls WHERE sha256 IS NOT NULL;
"""
        ),
    ),
    Migration(
        3,
        "retries: a URL's failed fetches in a row and when it may be tried again; failures "
        "recorded before it (not 404/410) are due at the next run",
        statements(
            """
CREATE TABLE IF NOT EXISTS retries (
    url TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,     -- failed fetches in a row
    first_failed TEXT NOT NULL,
    retry_after TEXT               -- not before this (UTC, ISO 8601); NULL: at the next run
);
INSERT OR IGNORE INTO retries (url, attempts, first_failed)
    SELECT url, 1, COALESCE(fetched_at, last_seen) FROM urls
    WHERE outcome IN ('error', 'blocked', 'soft404') AND COALESCE(http_status, 0) NOT IN (404, 410);
"""
        ),
    ),
    Migration(
        4,
        "site_divisions: the division code a site list gives for a site's agency",
        statements(
            """
CREATE TABLE IF NOT EXISTS site_divisions (
    site_id TEXT PRIMARY KEY,
    division_code TEXT NOT NULL    -- 6 digits, from the site list's division_code column
);
"""
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].to


class StoreTooNew(Exception):
    """The catalog was written by a newer govreports than this one."""


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_version(found: int, path: str | Path, known: int = SCHEMA_VERSION) -> int:
    """found, if this code knows it; StoreTooNew otherwise."""
    if found > known:
        raise StoreTooNew(
            f"the store {path} has schema version {found}, newer than this govreports ({__version__}) "
            f"knows (up to {known}): a newer release wrote it; upgrade govreports to use it"
        )
    return found


def migrate(
    db: sqlite3.Connection, path: str | Path, migrations: tuple[Migration, ...] = MIGRATIONS
) -> int:
    """Bring the catalog to the newest version, all or nothing; return the version it had.
    Idempotent: a catalog at the newest version is left alone (not even written to)."""
    known = migrations[-1].to if migrations else 0
    if check_version(schema_version(db), path, known) == known:
        return known
    db.execute(
        "BEGIN IMMEDIATE"
    )  # one migrator at a time; the version is read again under the lock
    try:
        found = check_version(schema_version(db), path, known)
        for m in migrations:
            if m.to > found:
                for statement in m.statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {int(m.to)}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found


CATALOG = "catalog.sqlite"
RETRIED = ("error", "blocked", "soft404")  # outcomes tried again later (retries.py)
log = logging.getLogger("govreports.store")


def store_exists(root: str | Path) -> bool:
    """Whether root holds a store (commands that only read one must not create an empty one)."""
    return (Path(root) / CATALOG).exists()


class Locked(Exception):
    """Another run holds the store."""


@contextmanager
def exclusive(root: str | Path) -> Iterator[None]:
    """Hold the store's lock for a run: two cron runs must never write the same store.
    The OS lock (filelock: flock on POSIX, msvcrt on Windows) dies with its process, so a
    killed run never leaves a stale lock behind; the pid written into the file is only for
    the message the next run gives."""
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    lock_file = path / "run.lock"
    lock = FileLock(lock_file, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        holder = _lock_holder(lock_file)
        raise Locked(f"another govreports run{holder} is using {path} (lock {lock_file})") from None
    try:
        lock_file.write_text(f"{os.getpid()}\n")
        left = remove_partial_raw(path)
        if left:
            log.info("removed %d half-written raw file(s) a killed run left in %s", left, path)
        yield
    finally:
        lock.release()


def _lock_holder(lock_file: Path) -> str:
    try:
        pid = lock_file.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


def remove_partial_raw(root: Path) -> int:
    """Half-written raw files (put_raw's temporaries) of runs killed mid-write. Only under the
    run lock: then no other process is writing one."""
    removed = 0
    for tmp in (root / "raw").glob("*/.*.tmp"):
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    http_status: int | None = None
    retry_after: str | None = None  # set while a failed fetch waits for its next try

    @property
    def gone(self) -> bool:
        """The site said 404 or 410: not fetched again unless asked (--refresh)."""
        return self.outcome == "error" and retries.permanent(self.http_status)

    def waiting(self, at: str) -> bool:
        return self.retry_after is not None and self.retry_after > at


@dataclass(frozen=True)
class StoredPage:
    """A stored report page or readable attachment, with the first URL that brought it."""

    sha256: str
    kind: str
    parser_version: str | None
    parse_status: str | None
    url: str
    content_type: str | None
    site_id: str


@dataclass(frozen=True)
class SiteFetches:
    """A site's URLs by what their last fetch came to, for `govreports status`."""

    site_id: str
    agency: str
    failed: int  # report and attachment URLs whose last fetch failed
    gone: int  # of those, the ones the site answered 404 or 410 (not retried)
    pending: int  # seen and not fetched yet, or fetched and not parsed yet
    refused: int  # robots.txt said no
    next_retry: str | None
    last_error: str | None  # the latest failure's message, list pages included
    last_run: str | None  # when the latest crawl that reached this site started
    last_run_problems: int | None  # that run's errors and blocks on this site


@dataclass(frozen=True)
class PendingUrl:
    """A URL seen but never fetched."""

    url: str
    kind: str


class Store:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.raw_dir = self.root / "raw"
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.root / CATALOG
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        try:
            check_version(
                schema_version(self._db), self.path
            )  # a newer store: refused before anything is written
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            migrate(self._db, self.path)
        except BaseException:
            self._db.close()
            raise

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

    @property
    def schema_version(self) -> int:
        with self._lock:
            return schema_version(self._db)

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def _run(self, sql: str, params: Iterable[Any] = ()) -> None:
        with self._lock:
            self._db.execute(sql, tuple(params))

    def save_site(
        self, site_id: str, agency: str, list_url: str, division_code: str | None = None
    ) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO sites VALUES (?,?,?) ON CONFLICT(site_id) DO UPDATE SET agency=excluded.agency, list_url=excluded.list_url",
                (site_id, agency, list_url),
            )
            if division_code:
                self._db.execute(
                    "INSERT OR REPLACE INTO site_divisions VALUES (?,?)", (site_id, division_code)
                )
            else:
                self._db.execute("DELETE FROM site_divisions WHERE site_id=?", (site_id,))

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (no upgrade deadlock between threads' readers)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def see(
        self, url: str, site_id: str, kind: str, parent: str | None = None, text: str | None = None
    ) -> UrlRow:
        """Record that url was seen (first/last seen); return what is known of it."""
        stamp = now()
        with self._lock:
            self._db.execute(
                "INSERT INTO urls (url, site_id, kind, parent_url, link_text, first_seen, last_seen) VALUES (?,?,?,?,?,?,?)"
                " ON CONFLICT(url) DO UPDATE SET last_seen=excluded.last_seen",
                (url, site_id, kind, parent, text, stamp, stamp),
            )
            row = self._db.execute(
                "SELECT u.*, r.retry_after FROM urls u LEFT JOIN retries r ON r.url = u.url"
                " WHERE u.url=?",
                (url,),
            ).fetchone()
        return UrlRow(
            row["url"],
            row["site_id"],
            row["kind"],
            row["outcome"],
            row["sha256"],
            row["etag"],
            row["last_modified"],
            row["content_type"],
            row["http_status"],
            row["retry_after"],
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
        with self._transaction():
            if sha256 is not None:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO contents (sha256, bytes, content_type, first_seen, kind) VALUES (?,?,?,?,?)",
                    (sha256, size, h.get("content-type"), stamp, kind),
                )
                new = cur.rowcount == 1
            keep = outcome == "not_modified"  # a 304 keeps what the 200 said
            if sha256 is not None:
                self._db.execute(
                    "INSERT OR IGNORE INTO url_contents (url, sha256, first_seen) VALUES (?,?,?)",
                    (url, sha256, stamp),
                )
            self._db.execute(
                "UPDATE urls SET fetched_at=?, outcome=?, http_status=?, error=?, final_url=?,"
                " etag=CASE WHEN ? THEN etag ELSE ? END, last_modified=CASE WHEN ? THEN last_modified ELSE ? END,"
                " content_type=COALESCE(?, content_type), sha256=COALESCE(?, sha256) WHERE url=?",
                (
                    stamp,
                    outcome,
                    status,
                    error,
                    final_url,
                    keep,
                    h.get("etag"),
                    keep,
                    h.get("last-modified"),
                    h.get("content-type"),
                    sha256,
                    url,
                ),
            )
            self._note_retry(url, outcome, status, stamp)
        return new

    def _note_retry(self, url: str, outcome: str, status: int | None, stamp: str) -> None:
        """A transient failure counts one more attempt and waits (retries.py); anything else
        ends the streak."""
        if outcome not in RETRIED or retries.permanent(status):
            self._db.execute("DELETE FROM retries WHERE url=?", (url,))
            return
        row = self._db.execute("SELECT attempts FROM retries WHERE url=?", (url,)).fetchone()
        attempts = (row["attempts"] if row else 0) + 1
        after = retries.next_try(datetime.fromisoformat(stamp), attempts)
        self._db.execute(
            "INSERT INTO retries (url, attempts, first_failed, retry_after) VALUES (?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET attempts=excluded.attempts, retry_after=excluded.retry_after",
            (url, attempts, stamp, after.isoformat(timespec="seconds")),
        )

    def needs_parse(self, sha256: str, version: str) -> bool:
        rows = self._rows(
            "SELECT parser_version, parse_status FROM contents WHERE sha256=?", (sha256,)
        )
        return not rows or rows[0]["parse_status"] is None or rows[0]["parser_version"] != version

    def save_parse(self, sha256: str, report: Report, version: str) -> None:
        m = report.report
        self._run(
            "UPDATE contents SET encoding=?, fingerprint=?, parse_status=?, parser_version=?, parsed_at=?, problems=?,"
            " title=?, agency=?, year=?, template=?, published=?, tampered=?, report_json=? WHERE sha256=?",
            (
                report.source.encoding,
                report.fingerprint,
                report.status,
                version,
                now(),
                len(report.problems),
                m.title,
                m.agency,
                m.year,
                m.template,
                m.published,
                int(m.tampered),
                json.dumps(report.to_json(), ensure_ascii=False),
                sha256,
            ),
        )

    def mark_unparsed_kind(self, sha256: str, status: str, version: str) -> None:
        """Attachments and images: stored, flagged for a later parser that reads them."""
        self._run(
            "UPDATE contents SET parse_status=?, parser_version=?, parsed_at=? WHERE sha256=?",
            (status, version, now(), sha256),
        )

    def report_contents(
        self, site_id: str | None = None, parser_version: str | None = None
    ) -> Iterator[StoredPage]:
        """Stored report pages and readable attachments and images (first URL that brought each),
        for parsing and reparsing; pictures only of pages without tables. One marked unparsed by
        another parser version is included too: a newer parser may read it (DOC files became
        readable in 0.2.0, pictures of tables with the OCR extra)."""
        sql = (
            "SELECT c.sha256, c.kind, c.parser_version, c.parse_status, MIN(u.url) AS url, u.content_type, u.site_id"
            " FROM contents c JOIN urls u ON u.sha256 = c.sha256 WHERE u.kind = c.kind AND (c.kind = 'report'"
            " OR (c.kind IN ('attachment', 'image') AND (COALESCE(c.parse_status, '') NOT LIKE '%_unparsed'"
            " OR COALESCE(c.parser_version, '') != ?)"
            # a picture only where its page has no tables of its own: OCR takes seconds, and
            # the logos and photos of reports with tables hold none
            " AND (c.kind = 'attachment' OR EXISTS (SELECT 1 FROM urls p JOIN contents pc"
            " ON pc.sha256 = p.sha256 WHERE p.url = u.parent_url AND pc.parse_status = 'no_tables'))))"
        )
        params: tuple[Any, ...] = (parser_version or "",)
        if site_id is not None:
            sql += " AND u.site_id=?"
            params += (site_id,)
        for r in self._rows(sql + " GROUP BY c.sha256 ORDER BY c.sha256", params):
            yield StoredPage(
                r["sha256"],
                r["kind"],
                r["parser_version"],
                r["parse_status"],
                r["url"],
                r["content_type"],
                r["site_id"],
            )

    def pending_urls(self, site_id: str, *, retry_all: bool = False) -> list[PendingUrl]:
        """A site's report, attachment and image URLs seen but never fetched, and those whose
        last fetch failed for a passing reason and whose wait is over (all of them with
        retry_all)."""
        rows = self._rows(
            "SELECT u.url, u.kind FROM urls u LEFT JOIN retries r ON r.url = u.url"
            " WHERE u.site_id=? AND u.kind IN ('report','attachment','image')"
            " AND (u.outcome IS NULL OR (r.url IS NOT NULL AND (? OR COALESCE(r.retry_after, '') <= ?)))",
            (site_id, retry_all, now()),
        )
        return [PendingUrl(r["url"], r["kind"]) for r in rows]

    def site_agencies(self) -> dict[str, tuple[str, str | None]]:
        """Each site's agency as the site list names it, and the division code it gives."""
        rows = self._rows(
            "SELECT s.site_id, s.agency, d.division_code FROM sites s"
            " LEFT JOIN site_divisions d USING (site_id)"
        )
        return {r["site_id"]: (r["agency"], r["division_code"]) for r in rows}

    def site_fetches(self) -> list[SiteFetches]:
        failed = (
            "u.outcome IN ('error', 'blocked', 'soft404') AND u.kind IN ('report', 'attachment')"
        )
        rows = self._rows(
            "SELECT s.site_id, s.agency,"
            f" COALESCE(SUM({failed}), 0) AS failed,"
            f" COALESCE(SUM({failed} AND u.http_status IN (404, 410)), 0) AS gone,"
            " COALESCE(SUM(u.kind IN ('report', 'attachment', 'image') AND (u.outcome IS NULL"
            "  OR (u.outcome = 'ok' AND u.kind != 'image' AND c.parse_status IS NULL))), 0) AS pending,"
            " COALESCE(SUM(u.outcome = 'refused'), 0) AS refused,"
            " MIN(r.retry_after) AS next_retry,"
            " (SELECT e.error FROM urls e WHERE e.site_id = s.site_id AND e.outcome IN ('error', 'blocked', 'soft404')"
            "  ORDER BY e.fetched_at DESC LIMIT 1) AS last_error,"
            " (SELECT g.started FROM site_runs sr JOIN runs g USING (run_id) WHERE sr.site_id = s.site_id"
            "  ORDER BY sr.run_id DESC LIMIT 1) AS last_run,"
            " (SELECT sr.errors + sr.blocked FROM site_runs sr WHERE sr.site_id = s.site_id"
            "  ORDER BY sr.run_id DESC LIMIT 1) AS last_run_problems"
            " FROM sites s LEFT JOIN urls u ON u.site_id = s.site_id LEFT JOIN contents c ON c.sha256 = u.sha256"
            " LEFT JOIN retries r ON r.url = u.url GROUP BY s.site_id ORDER BY s.site_id"
        )
        return [SiteFetches(**dict(r)) for r in rows]

    # -- reports as the dataset lists them (the rules: versions.py) ------------------------------

    def report_copies(self) -> list[ReportCopy]:
        """Every content fetched as a report page and parsed into an exported status, ordered by
        first seen, then sha256."""
        rows = self._rows(
            "SELECT c.sha256, c.fingerprint, c.title, c.agency, c.year, c.published, c.first_seen, c.tampered, c.parser_version, c.parse_status,"
            " (SELECT group_concat(u.url, ' ') FROM url_contents h JOIN urls u ON u.url = h.url"
            "  WHERE h.sha256 = c.sha256 AND u.kind = 'report') AS urls,"
            " EXISTS (SELECT 1 FROM urls u WHERE u.sha256 = c.sha256 AND u.kind = 'report') AS live,"
            " COALESCE((SELECT MIN(u.fetched_at) FROM urls u WHERE u.sha256 = c.sha256),"
            "  (SELECT MIN(h.first_seen) FROM url_contents h WHERE h.sha256 = c.sha256)) AS fetched_at,"
            " (SELECT MIN(u.site_id) FROM url_contents h JOIN urls u ON u.url = h.url WHERE h.sha256 = c.sha256) AS site_id"
            f" FROM contents c WHERE c.kind = 'report' AND c.parse_status IN ({','.join('?' * len(EXPORTED_STATUSES))})"
            " ORDER BY c.first_seen, c.sha256",
            EXPORTED_STATUSES,
        )
        return [
            ReportCopy(
                r["sha256"],
                r["fingerprint"],
                r["site_id"],
                r["agency"],
                r["year"],
                r["published"],
                r["first_seen"],
                bool(r["tampered"]),
                r["parser_version"],
                r["parse_status"],
                tuple(sorted(set((r["urls"] or "").split()))),
                r["fetched_at"],
                title=r["title"],
                live=bool(r["live"]),
            )
            for r in rows
        ]

    def tables_attachments(self) -> list[TablesAttachment]:
        """Attachments (linked as attachments) parsed with tables, and the pages that link them."""
        rows = self._rows(
            "SELECT u.parent_url, u.url, c.sha256, c.parse_status FROM urls u JOIN contents c ON c.sha256 = u.sha256"
            f" WHERE u.kind IN ('attachment', 'image') AND c.kind = u.kind AND c.parse_status IN ({','.join('?' * len(WITH_TABLES))})",
            WITH_TABLES,
        )
        return [
            TablesAttachment(r["parent_url"], r["url"], r["sha256"], r["parse_status"])
            for r in rows
        ]

    def reports(self) -> list[Version]:
        """The store's reports: copies grouped, tables' source found, versions marked (versions.py)."""
        return versions(self.report_copies(), self.tables_attachments())

    def documents(self, sha256s: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The saved parse (Report.to_json()) of each content named; contents never parsed as a
        report are left out."""
        wanted = list(dict.fromkeys(sha256s))
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(wanted), 500):  # under SQLite's limit on parameters
            part = wanted[i : i + 500]
            for r in self._rows(
                f"SELECT sha256, report_json FROM contents WHERE sha256 IN ({','.join('?' * len(part))})"
                " AND report_json IS NOT NULL",
                part,
            ):
                out[r["sha256"]] = json.loads(r["report_json"])
        return out

    def start_run(self) -> int:
        with self._lock:
            cur = self._db.execute("INSERT INTO runs (started) VALUES (?)", (now(),))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, exit_code: int, summary: dict[str, Any]) -> None:
        self._run(
            "UPDATE runs SET finished=?, exit_code=?, summary=? WHERE run_id=?",
            (now(), exit_code, json.dumps(summary, ensure_ascii=False), run_id),
        )

    def save_site_run(
        self, run_id: int, site_id: str, counts: dict[str, int], message: str | None
    ) -> None:
        self._run(
            "INSERT OR REPLACE INTO site_runs VALUES (?,?,?,?,?,?,?)",
            (
                run_id,
                site_id,
                counts["pages_fetched"],
                counts["new_reports"],
                counts["errors"],
                counts["blocked"],
                message,
            ),
        )
