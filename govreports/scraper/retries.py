"""When a failed fetch is tried again: the policy, kept apart from the store that records it.

A cron job runs nightly; a host that is down tonight is usually up tomorrow, and one that has
failed for weeks should not cost a request every night. So a transient failure (timeout,
refused connection, DNS, TLS, 5xx, 429, an anti-bot block) waits before its next try, doubling
from an hour up to a week; the first few retries still come at the next nightly run. A 404 or
410 is the site saying the page is gone: not retried, unless a crawl asks to (--refresh).
"""

from __future__ import annotations

from datetime import datetime, timedelta

PERMANENT = frozenset({404, 410})
FIRST_WAIT = timedelta(hours=1)
LONGEST_WAIT = timedelta(days=7)


def permanent(status: int | None) -> bool:
    return status in PERMANENT


def next_try(failed_at: datetime, attempts: int) -> datetime:
    """When a URL that has now failed `attempts` times in a row may be fetched again."""
    wait = FIRST_WAIT * (1 << min(max(attempts - 1, 0), 16))
    return failed_at + min(wait, LONGEST_WAIT)
