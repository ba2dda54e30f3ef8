from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def page_bytes(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()


def gold(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "gold" / f"{name}.json").read_text(encoding="utf-8"))


Route = Callable[[BaseHTTPRequestHandler], None]


class LoopbackServer:
    """A real HTTP server on 127.0.0.1; routes map a path to a handler function."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.hits[self.path] = server.hits.get(self.path, 0) + 1
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def serve(self, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> None:
        def route(h: BaseHTTPRequestHandler) -> None:
            h.send_response(status)
            for k, v in (headers or {"Content-Type": "text/html"}).items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)

        self.routes[path] = route


@pytest.fixture
def http_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
