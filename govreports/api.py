"""The Python entry points for ad-hoc use: one page from bytes, a file or a URL, parsed as
`govreports parse` parses it (the CLI reads its sources through load_source too)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from govreports.parsers import MAX_BYTES, Report
from govreports.parsers import parse as parse_bytes
from govreports.parsers.sizes import megabytes


class SourceError(Exception):
    """A source that could not be read: `fetch` tells a network failure from a local one."""

    def __init__(self, message: str, *, fetch: bool = False) -> None:
        super().__init__(message)
        self.fetch = fetch


@dataclass(frozen=True)
class Loaded:
    data: bytes
    headers: dict[str, str] | None
    location: str


def load_source(source: str | Path, max_bytes: int = MAX_BYTES) -> Loaded:
    """A source's bytes, HTTP headers (for a URL) and location; "-" is standard input."""
    text = str(source)
    if isinstance(source, str) and text.startswith(("http://", "https://")):
        from govreports.scraper.fetch import FetchError, fetch

        try:
            fetched = fetch(text, max_bytes=max_bytes)
        except FetchError as exc:
            raise SourceError(f"fetch failed: {exc}", fetch=True) from None
        return Loaded(fetched.content, fetched.headers, fetched.final_url)
    if isinstance(source, str) and text == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise SourceError(
                f"stdin: more than {megabytes(max_bytes)}, over the size cap (--max-bytes)"
            )
        return Loaded(data, None, "-")
    try:
        size = os.path.getsize(text)
        if size > max_bytes:
            raise SourceError(
                f"{text}: file is {megabytes(size)}, over the {megabytes(max_bytes)} size cap (--max-bytes)"
            )
        return Loaded(Path(text).read_bytes(), None, text)
    except OSError as exc:
        raise SourceError(f"{text}: cannot read file: {exc.strerror or exc}") from None
    except ValueError as exc:  # a path no file system takes: an embedded NUL
        raise SourceError(f"{text!r}: not a file path: {exc}") from None


def parse(
    source: bytes | bytearray | memoryview | str | os.PathLike[str] | Traversable,
    url: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> Report:
    """One report page parsed: `source` is its bytes, a file path or an http(s) URL.

    `url` names where bytes (or a saved file) came from: relative attachment links resolve
    against it and it is the report's location. A source that cannot be read raises
    SourceError; everything wrong with the page itself is in the Report's status and problems.
    A source of another type (a page's text as str, a file object) is a TypeError.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return parse_bytes(bytes(source), url or "-", max_bytes=max_bytes)
    if isinstance(source, os.PathLike):  # a Path, or a sample from importlib.resources.files()
        source = Path(os.fspath(source))
    elif isinstance(source, Traversable):  # a resource inside a zipped package
        if not source.is_file():
            raise SourceError(f"{source}: cannot read file: not a file")
        return parse_bytes(source.read_bytes(), url or str(source), max_bytes=max_bytes)
    if not isinstance(source, (str, Path)):
        raise TypeError(
            f"govreports.parse: source is bytes, a file path or an http(s) URL, not {type(source).__name__}"
        )
    if isinstance(source, str) and ("\n" in source or source.lstrip().startswith("<")):
        raise TypeError(
            "govreports.parse: a str source is a file path or an http(s) URL; "
            "pass a page's content as bytes (as read from the file or the response)"
        )
    loaded = load_source(source, max_bytes)
    return parse_bytes(loaded.data, url or loaded.location, loaded.headers, max_bytes=max_bytes)
