"""`govreports status`: what the store holds per site, and what the next crawl will retry.

Read-only and offline: it takes no lock, so it can be run while a crawl is going.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import asdict
from typing import Any

from govreports.cli import say
from govreports.cli.exits import EXIT_OK, EXIT_USAGE
from govreports.cli.options import add_data, add_json

COLUMNS = ("ok", "partial", "failed", "pending", "refused")


def site_rows(data: str) -> list[dict[str, Any]]:
    """One dict per site: reports ok / partial (current reports, by how their tables read),
    URLs failed / pending / refused, the next retry, the last run and the last error."""
    from govreports.scraper.store import Store

    with Store(data) as store:
        tables: dict[str | None, Counter[str]] = {}
        for report in store.reports():
            if report.current:
                tally = tables.setdefault(report.site_id, Counter())
                tally["ok" if report.tables_parse == "ok" else "partial"] += 1
        fetches = store.site_fetches()
    return [
        {
            "site_id": f.site_id,
            "agency": f.agency,
            "ok": tables.get(f.site_id, Counter())["ok"],
            "partial": tables.get(f.site_id, Counter())["partial"],
            **{k: v for k, v in asdict(f).items() if k not in ("site_id", "agency")},
        }
        for f in fetches
    ]


def format_rows(rows: list[dict[str, Any]], data: str) -> str:
    if not rows:
        return f"store {data}: no site crawled yet"
    width = max(10, *(len(r["site_id"]) for r in rows))
    head = (
        f"{'site':<{width}} "
        + " ".join(f"{c:>7}" for c in COLUMNS)
        + "  last run / next retry / last error"
    )
    lines = [f"store {data}: {len(rows)} site(s)", head, "-" * len(head)]
    for r in rows:
        run = r["last_run"]
        notes = [f"last run {run} ({r['last_run_problems']} problem(s))" if run else "never run"]
        if r["failed"] > r["gone"]:
            notes.append(
                f"{r['failed'] - r['gone']} to retry from {r['next_retry'] or 'the next run'}"
            )
        if r["gone"]:
            notes.append(f"{r['gone']} gone (404/410)")
        if r["last_error"]:
            notes.append(f"last error: {r['last_error']}")
        counts = " ".join(f"{r[c]:>7}" for c in COLUMNS)
        lines.append(f"{r['site_id']:<{width}} {counts}  " + "; ".join(notes))
    total = {c: sum(r[c] for r in rows) for c in COLUMNS}
    lines.append(
        f"reports: {total['ok']} ok, {total['partial']} with gaps; URLs: {total['failed']} failed, "
        f"{total['pending']} pending, {total['refused']} refused by robots.txt"
    )
    return "\n".join(lines)


def cmd_status(args: argparse.Namespace) -> int:
    from govreports.cli.crawl import have_store

    if not have_store(args.data):
        return EXIT_USAGE
    rows = site_rows(args.data)
    say.result(format_rows(rows, args.data), {"data": args.data, "sites": rows})
    return EXIT_OK


def add_status(sub: argparse._SubParsersAction[argparse.ArgumentParser], data_default: str) -> None:
    p = sub.add_parser(
        "status",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="per site: reports ok / with gaps, URLs failed / pending / refused, last run, last error",
        description="Summarise the store per site, offline and without the lock (safe during a crawl): "
        "current reports whose tables read in full (ok) or with gaps (partial: cells missing, tables "
        "absent); report and attachment URLs whose last fetch failed (retried by later crawls after "
        "a wait of 1 h doubling to a week; 404 and 410 are not retried), pending (seen, not yet "
        "fetched or parsed) and refused by robots.txt; when the site was last crawled, the next "
        "retry and the last error message.",
        epilog="example:\n  govreports status --data ./govreports-data --json\n\n"
        "exit codes: 0 shown, 2 no store at --data (or one a newer govreports wrote)",
    )
    add_data(p, data_default)
    add_json(p, "{data, sites: [...]}")
    p.set_defaults(func=cmd_status)
