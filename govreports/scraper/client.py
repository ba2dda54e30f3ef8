"""The crawler's one way to the web, layered like scrapelib: robots → throttle → retry → fetch.

robots.txt is read once per origin with Protego (a maintained parser that knows wildcards,
Allow/Disallow precedence and Crawl-delay, which the standard library's parser does not).
Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be
fetched (5xx, no connection) disallows everything for this run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import requests
from protego import Protego

from govreports.scraper.fetch import (
    MAX_BYTES,
    MAX_READ_SECONDS,
    TIMEOUT,
    Blocked,
    Fetched,
    FetchError,
    Refused,
    fetch,
    make_session,
)
from govreports.scraper.throttle import DEFAULT_DELAY, Clock, HostThrottle, Sleep

AGENT_TOKEN = "govreports"


class Client:
    def __init__(
        self,
        *,
        delay: float = DEFAULT_DELAY,
        max_bytes: int = MAX_BYTES,
        timeout: tuple[float, float] = TIMEOUT,
        max_seconds: float = MAX_READ_SECONDS,
        attempts: int = 3,
        obey_robots: bool = True,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        """`clock` and `sleep` reach everything that waits or times: the per-host throttle and
        every fetch's retries, robots.txt's included. Tests pass a fake pair (a sleep that moves
        the clock) so politeness delays and backoffs are asserted as asked for, not waited out."""
        self.throttle = HostThrottle(delay, clock=clock, sleep=sleep)
        self.clock = clock
        self.sleep = sleep
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.max_seconds = max_seconds
        self.attempts = attempts
        self.obey_robots = obey_robots
        self._local = threading.local()
        self._robots: dict[str, Protego | str | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """One session per thread: requests' sessions are not promised to be thread-safe."""
        sess: requests.Session | None = getattr(self._local, "session", None)
        if sess is None:
            sess = self._local.session = make_session()
        return sess

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        allow: Callable[[str], str | None] | None = None,
    ) -> Fetched:
        reason = self.disallowed(url)
        if reason:
            raise Refused(f"{reason}: {url}")

        def allow_hop(target: str) -> str | None:
            return (allow(target) if allow else None) or self.disallowed(target)

        return fetch(
            url,
            session=self.session,
            max_bytes=self.max_bytes,
            timeout=self.timeout,
            attempts=self.attempts,
            headers=headers,
            data=data,
            pacer=self.throttle,
            allow=allow_hop,
            clock=self.clock,
            sleep=self.sleep,
            max_seconds=self.max_seconds,
        )

    def disallowed(self, url: str) -> str | None:
        """Why robots.txt forbids url, or None."""
        if not self.obey_robots:
            return None
        rules = self._rules(url)
        if rules is None:
            return None
        if isinstance(rules, str):
            return rules
        assert isinstance(rules, Protego)
        if not rules.can_fetch(url, AGENT_TOKEN):
            return "disallowed by robots.txt"
        return None

    def _rules(self, url: str) -> Protego | str | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        with self._guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
            return self._robots[origin]

    def _load_robots(self, origin: str) -> Protego | str | None:
        try:
            got = fetch(
                origin + "/robots.txt",
                session=self.session,
                max_bytes=512 * 1024,
                timeout=self.timeout,
                attempts=2,
                pacer=self.throttle,
                clock=self.clock,
                sleep=self.sleep,
            )
        except Blocked:
            return None  # the gateway will block the pages too; that is recorded there
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return None
            # the cause as fetch named it (refused, timed out, HTTP 503 …), never another
            cause = str(exc).removesuffix(f": {origin}/robots.txt")
            return f"robots.txt could not be fetched ({cause}): the site is skipped this run"
        rules = Protego.parse(got.content.decode("utf-8", "replace"))
        crawl_delay = rules.crawl_delay(AGENT_TOKEN)
        if crawl_delay:
            self.throttle.raise_floor(origin + "/", float(crawl_delay))
        return rules
