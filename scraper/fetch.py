"""Fetching one page politely and safely: bounded in time, size and redirects, retried only
when a retry can help (timeouts, connection errors, 5xx, 429 with its Retry-After)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import requests

from parsers.sizes import megabytes
from tenacity import RetryCallState, retry, retry_if_exception_type, stop_after_attempt

# HTTP headers are Latin-1: the agent names itself in ASCII. Operators can say who runs it.
USER_AGENT = (
    "govreports/0.1 (research crawler for government information-disclosure annual reports; "
    "contact: " + os.environ.get("GOVREPORTS_CONTACT", "https://github.com/govreports/govreports/issues") + ")"
)
MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = (10.0, 30.0)  # connect, read
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 120.0


class FetchError(Exception):
    """A page could not be fetched; the message names why, for people and logs."""


class _Transient(FetchError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


def make_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.headers["Accept-Language"] = "zh-CN,zh;q=0.9"
    session.max_redirects = MAX_REDIRECTS
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
) -> Fetched:
    """GET url; raise FetchError with a clear message when that is not possible."""
    own = session is None
    sess = session or make_session()

    @retry(
        retry=retry_if_exception_type(_Transient),
        stop=stop_after_attempt(max(1, attempts)),
        wait=_wait,
        reraise=True,
    )
    def attempt() -> Fetched:
        return _get(sess, url, max_bytes, timeout)

    try:
        return attempt()
    finally:
        if own:
            sess.close()


def _get(session: requests.Session, url: str, max_bytes: int, timeout: tuple[float, float]) -> Fetched:
    try:
        resp = session.get(url, timeout=timeout, stream=True)
    except requests.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?): {url}") from None
    except requests.Timeout:
        raise _Transient(f"timed out after {timeout[0]:g}s connect / {timeout[1]:g}s read: {url}") from None
    except requests.ConnectionError as exc:
        raise _Transient(f"connection failed: {url} ({type(exc).__name__})") from None
    except requests.RequestException as exc:
        raise FetchError(f"request failed: {url} ({exc})") from None
    with resp:
        if resp.status_code == 429 or resp.status_code >= 500:
            raise _Transient(
                f"HTTP {resp.status_code} {resp.reason or ''}".strip() + f": {url}",
                _retry_after(resp.headers.get("Retry-After")),
            )
        if resp.status_code >= 400:
            raise FetchError(f"HTTP {resp.status_code} {resp.reason or ''}".strip() + f": {url}")
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(_too_big(int(declared), max_bytes, url))
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(_too_big(size, max_bytes, url, at_least=True))
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise _Transient(f"connection broke while reading: {url} ({type(exc).__name__})") from None
        return Fetched(url, resp.url, resp.status_code, b"".join(chunks), dict(resp.headers))


def _too_big(size: int, cap: int, url: str, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return f"page is {more}{megabytes(size)}, over the {megabytes(cap)} size cap (--max-bytes): {url}"
