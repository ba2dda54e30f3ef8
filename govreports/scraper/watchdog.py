"""One thread that runs callbacks at their deadlines, for every fetch in the process.

A fetch arms a deadline for its whole body and disarms it when the body is in; nearly every
deadline is disarmed, so a thread (threading.Timer) per fetch would be created and torn down
for nothing on every page. Here arming is a heap push under a lock.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Watchdog:
    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._armed: set[int] = set()
        self._ids = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, callback: Callable[[], None]) -> int:
        with self._wake:
            token = next(self._ids)
            heapq.heappush(self._heap, (time.monotonic() + seconds, token, callback))
            self._armed.add(token)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="watchdog", daemon=True)
                self._thread.start()
            elif self._heap[0][1] == token:  # the new deadline comes first
                self._wake.notify()
            return token

    def disarm(self, token: int) -> None:
        with self._wake:
            self._armed.discard(token)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)  # disarmed: dropped when it comes up
                if not self._heap:
                    self._wake.wait()
                    continue
                due, token, callback = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._armed.discard(token)
            callback()


WATCHDOG = Watchdog()
