"""Fetching one page politely and safely: bounded in time, size and redirects, retried only
when a retry can help (timeouts, connection errors, 5xx, 429 with its Retry-After).

Redirects are followed here, one hop at a time, rather than by requests: every hop is checked
against the caller's `allow` rule (hijacked pages redirect to spam sites) and paced like any
other request to its host.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin

import requests
from tenacity import RetryCallState, retry, retry_if_exception_type, stop_after_attempt

from govreports.parsers.sizes import megabytes
from govreports.scraper.challenge import challenge
from govreports.scraper.throttle import Clock, Sleep
from govreports.scraper.watchdog import WATCHDOG
from govreports.version import __version__

# The operator's own contact (an email or URL a site's webmaster can reach), never a default
# that points at someone else: without one the agent says so and `crawl` warns.
CONTACT_ENV = "GOVREPORTS_CONTACT"


def contact() -> str | None:
    return os.environ.get(CONTACT_ENV, "").strip() or None


def user_agent() -> str:
    """HTTP headers are Latin-1: the agent names itself in ASCII."""
    who = (contact() or "not given").encode("ascii", "replace").decode()
    return (
        f"govreports/{__version__} (research crawler for government information-disclosure "
        f"annual reports; contact: {who})"
    )


MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = (10.0, 30.0)  # connect, read (each wait for bytes)
# A whole body must arrive within this: the read timeout is per wait, so a server trickling a
# byte every 29 s would hold a crawl thread for ever without it.
MAX_READ_SECONDS = 120.0
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0


def connection_cause(exc: BaseException) -> str:
    """What went wrong under a requests ConnectionError, in words a log reader can act on:
    refused (nothing listens), DNS, TLS, reset, else a plain "connection failed"."""
    text = repr(exc)
    if isinstance(exc, requests.exceptions.SSLError) or "SSLError" in text:
        return "TLS handshake failed"
    if "ConnectionRefusedError" in text or "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if (
        "NameResolutionError" in text
        or "Failed to resolve" in text
        or "Name or service not known" in text
        or "gaierror" in text
    ):
        return "DNS lookup failed"
    if "ConnectionResetError" in text or "Connection reset" in text:
        return "connection reset by the server"
    return f"connection failed ({type(exc).__name__})"


class FetchError(Exception):
    """A page could not be fetched; the message names why, for people and logs."""

    status: int | None = None


class Blocked(FetchError):
    """An anti-bot gateway answered instead of the site: recorded, never retried."""


class Refused(FetchError):
    """We chose not to ask (robots.txt, off-site redirect)."""


class _Transient(FetchError):
    def __init__(
        self, message: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


class _Permanent(FetchError):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Pacer(Protocol):
    """Spaces requests to a host; `slot` is held for the duration of one request."""

    def slot(self, url: str) -> AbstractContextManager[object]: ...

    def observe(self, url: str, seconds: float, trouble: bool) -> None: ...


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = user_agent()
    session.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
    return session


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None  # an HTTP date: fall back to exponential backoff


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Transient) and exc.retry_after is not None:
        return exc.retry_after
    return float(min(0.5 * 2 ** (state.attempt_number - 1), 8.0))


def fetch(
    url: str,
    *,
    session: requests.Session | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = TIMEOUT,
    attempts: int = 3,
    headers: Mapping[str, str] | None = None,
    data: Mapping[str, str] | None = None,
    pacer: Pacer | None = None,
    allow: Callable[[str], str | None] | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
    max_seconds: float = MAX_READ_SECONDS,
) -> Fetched:
    """GET (or POST `data` to) url; raise FetchError with a clear message when that is not
    possible. `headers` carry conditional-GET validators (a 304 comes back as status 304,
    empty content); `allow(url)` returns a reason to refuse a redirect target, or None.
    `clock` times each request for the pacer and `sleep` serves the waits between attempts
    (backoff, Retry-After), so a test on a fake clock sees the waits asked for without waiting."""
    own = session is None
    sess = session or make_session()

    # tenacity sleeps through its `sleep=` argument (its default is time.sleep, bound inside
    # tenacity.nap, which nothing of ours reaches). Its own timestamps (RetryCallState.start_time,
    # the statistics, what stop_after_delay reads) always use the real time.monotonic and cannot
    # be injected: so the stop is by attempts, never by elapsed time.
    @retry(
        retry=retry_if_exception_type(_Transient),
        stop=stop_after_attempt(max(1, attempts)),
        wait=_wait,
        sleep=sleep,
        reraise=True,
    )
    def attempt() -> Fetched:
        target, method_data = url, data
        for _ in range(MAX_REDIRECTS + 1):
            with _paced(pacer, target, clock):
                resp_or_next = _request(
                    sess, target, method_data, headers, (max_bytes, max_seconds), timeout
                )
            if isinstance(resp_or_next, Fetched):
                resp_or_next.url = url
                return resp_or_next
            target, method_data = resp_or_next, None  # a redirect turns POST into GET
            if allow is not None:
                reason = allow(target)
                if reason:
                    raise Refused(f"redirect to {target} refused: {reason}")
        raise _Permanent(f"more than {MAX_REDIRECTS} redirects (a redirect loop?): {url}")

    try:
        return attempt()
    finally:
        if own:
            sess.close()


@contextmanager
def _paced(pacer: Pacer | None, url: str, clock: Clock) -> Iterator[None]:
    """Hold the host's slot for one request and tell the pacer how it went, timed on the
    caller's clock (the pacer's own, when the client built both)."""
    if pacer is None:
        yield
        return
    with pacer.slot(url):
        started = clock()  # the latency, not our own wait for the slot
        trouble = False  # slow or failing: the pacer backs off
        try:
            yield
        except _Transient:
            trouble = True
            raise
        finally:
            pacer.observe(url, clock() - started, trouble)


def _request(
    session: requests.Session,
    url: str,
    data: Mapping[str, str] | None,
    headers: Mapping[str, str] | None,
    caps: tuple[int, float],
    timeout: tuple[float, float],
) -> Fetched | str:
    """One request: a Fetched, or the next URL of a redirect."""
    try:
        method = "POST" if data is not None else "GET"
        resp = session.request(
            method,
            url,
            data=data,
            headers=dict(headers or {}),
            timeout=timeout,
            stream=True,
            allow_redirects=False,
        )
    except requests.Timeout:
        raise _Transient(
            f"timed out after {timeout[0]:g}s connect / {timeout[1]:g}s read: {url}"
        ) from None
    except requests.ConnectionError as exc:
        raise _Transient(f"{connection_cause(exc)}: {url}") from None
    except requests.RequestException as exc:
        raise _Permanent(f"request failed: {url} ({exc})") from None
    with resp:
        status = resp.status_code
        if status in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
            return urljoin(url, resp.headers["Location"])
        if status == 304:
            return Fetched(url, url, status, b"", dict(resp.headers))
        content = _read_body(resp, url, *caps) if status < 400 or status in (412, 521) else b""
        blocked = challenge(status, content)
        if blocked:
            error = Blocked(f"blocked by {blocked}: {url}")
            error.status = status
            raise error
        if status == 429 or status >= 500:
            raise _Transient(
                f"HTTP {status} {resp.reason or ''}".strip() + f": {url}",
                _retry_after(resp.headers.get("Retry-After")),
                status,
            )
        if status >= 400:
            raise _Permanent(f"HTTP {status} {resp.reason or ''}".strip() + f": {url}", status)
        return Fetched(url, url, status, content, dict(resp.headers))


def _read_body(resp: requests.Response, url: str, max_bytes: int, max_seconds: float) -> bytes:
    """The body, decompressed, within max_bytes and max_seconds (a watchdog shuts the socket
    down at the deadline: a blocked read cannot be interrupted otherwise)."""
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _Permanent(_too_big(int(declared), max_bytes, url))
    chunks: list[bytes] = []
    size = 0
    late = threading.Event()

    def cut() -> None:
        late.set()
        sock = getattr(getattr(resp.raw, "connection", None), "sock", None)
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    deadline = WATCHDOG.arm(max_seconds, cut)
    try:
        for chunk in resp.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > max_bytes:
                raise _Permanent(_too_big(size, max_bytes, url, at_least=True))
            chunks.append(chunk)
    except requests.RequestException as exc:
        if not late.is_set():
            raise _Transient(
                f"connection broke while reading: {url} ({type(exc).__name__})"
            ) from None
    finally:
        WATCHDOG.disarm(deadline)
    if late.is_set():  # whatever arrived before the cut is not the page
        raise _Permanent(
            f"sent too slowly: the page was not complete after {max_seconds:g}s "
            f"({megabytes(size)} received): {url}"
        )
    return b"".join(chunks)


def _too_big(size: int, cap: int, url: str, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"page is {more}{megabytes(size)}, over the {megabytes(cap)} size cap (--max-bytes): {url}"
    )
