from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govreports.cli.fakeweb import FakeHost, FakeWeb
from govreports.scraper import client as client_module
from govreports.scraper.client import Client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def page_bytes(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()


def gold(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "gold" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def http_server() -> Iterator[FakeHost]:
    """One real HTTP server on loopback (127.0.0.1); routes map a path to a handler."""
    server = FakeHost("127.0.0.1")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    """A fake government web: as many loopback hosts as a test asks for."""
    with FakeWeb() as fake:
        yield fake


class FakeClock:
    """Monotonic time that moves only when code sleeps on it or a test advances it.

    Passed as a Client's `clock` and `sleep`, it makes the throttle's politeness delays and
    the retries' backoffs cost no wall time, and records each wait asked for, so a test
    asserts that the delay was requested instead of timing itself. One lock: the crawler's
    site threads share it, as they share real time.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start  # not 0: code must not rely on the clock starting anywhere
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(seconds, 0.0)

    def advance(self, seconds: float) -> None:
        """Time passing while nobody of ours sleeps: a slow server taking its time to answer."""
        with self._lock:
            self._now += seconds

    def client(self, **options: Any) -> Client:
        """A Client on this clock."""
        return Client(clock=self, sleep=self.sleep, **options)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cli_on_clock(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> FakeClock:
    """`govreports crawl` and `discover`, run in-process, build their Client on the fake clock.

    The commands construct their own Client (imported from govreports.scraper.client when they
    run), so the class is swapped there for one that passes the clock. A test using this should
    assert on `clock.sleeps`: that also catches the swap silently not reaching the command.
    """

    class OnFakeClock(Client):  # the real class: imported here before any swap
        def __init__(self, **options: Any) -> None:
            super().__init__(clock=clock, sleep=clock.sleep, **options)

    monkeypatch.setattr(client_module, "Client", OnFakeClock)
    return clock


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `govreports demo` writes (store, dataset, overview), made once for the tests that read it."""
    from contextlib import redirect_stdout
    from io import StringIO

    from govreports.cli import demo

    out = tmp_path_factory.mktemp("demo") / "demo-output"
    with redirect_stdout(StringIO()):
        assert demo.run(out) == 0
    return out
