from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from govreports.cli.fakeweb import FakeHost, FakeWeb

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
