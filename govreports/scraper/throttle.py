"""Per-host pacing: one request at a time per host, a floor delay with jitter between them,
and adaptive backoff in the spirit of Scrapy's AutoThrottle.

A government server answering slowly is telling us it is busy: the delay moves towards the
observed latency, doubles on errors, and relaxes back to the floor when the host recovers.
Hosts are independent, so many can be crawled in parallel while each sees a polite trickle.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_DELAY = 1.0
MAX_DELAY = 60.0
JITTER = 0.5  # each wait is delay × uniform(1, 1 + JITTER): never below the floor

# Time is passed in, never read from the time module directly, so a test can run the throttle
# (and the retries: fetch.py takes the same pair) on a fake clock: the politeness delay is then
# asserted as asked for rather than waited out. Defaults are the real monotonic clock and sleep.
Clock = Callable[[], float]  # monotonic seconds
Sleep = Callable[[float], None]


@dataclass
class _Host:
    floor: float
    delay: float
    next_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0


class HostThrottle:
    def __init__(
        self,
        default_delay: float = DEFAULT_DELAY,
        *,
        jitter: float = JITTER,
        max_delay: float = MAX_DELAY,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        """`clock` and `sleep` must agree (a sleep of s moves the clock by s): every wait is
        computed on the one and served by the other."""
        self.default_delay = default_delay
        self.jitter = jitter
        self.max_delay = max_delay
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, _Host] = {}
        self._guard = threading.Lock()

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._guard:
            state = self._hosts.get(key)
            if state is None:
                state = self._hosts[key] = _Host(self.default_delay, self.default_delay)
            return state

    def set_floor(self, url: str, seconds: float) -> None:
        """The least delay for url's host: a site's own setting replaces the default."""
        state = self._host(url)
        state.floor = state.delay = min(max(seconds, 0.0), self.max_delay)

    def raise_floor(self, url: str, seconds: float) -> None:
        """robots.txt's Crawl-delay can only make us slower."""
        state = self._host(url)
        state.floor = max(state.floor, min(seconds, self.max_delay))
        state.delay = max(state.delay, state.floor)
        state.next_at = max(state.next_at, self._clock() + state.floor)

    def delay(self, url: str) -> float:
        return self._host(url).delay

    @contextmanager
    def slot(self, url: str) -> Iterator[object]:
        state = self._host(url)
        with state.lock:
            wait = state.next_at - self._clock()
            if wait > 0:
                self._sleep(wait)
            state.requests += 1
            yield state

    def observe(self, url: str, seconds: float, trouble: bool) -> None:
        """Called inside the slot once the response (or failure) is in."""
        state = self._host(url)
        if trouble:
            state.delay = min(self.max_delay, max(state.delay * 2, state.floor * 2, 0.5))
        else:
            state.delay = min(self.max_delay, max(state.floor, (state.delay + seconds) / 2))
        pause = state.delay * (1 + random.random() * self.jitter) if state.delay > 0 else 0.0
        state.next_at = self._clock() + pause
