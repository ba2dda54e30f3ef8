"""What a command tells its caller: its result on stdout, errors and warnings on stderr.

Plain lines by default. With --json (every command has it) the result is one JSON object on
stdout and every line on stderr (errors, warnings, log lines) is a JSON object of its own, so
a scheduled job reads what happened without scraping text. The mode is set once per command
by main(); commands call these functions instead of printing.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

_mode = {"json": False}


def use_json(on: bool) -> None:
    _mode["json"] = on


def json_mode() -> bool:
    return _mode["json"]


def _stderr(level: str, message: str, plain: str, extra: dict[str, Any]) -> None:
    if _mode["json"]:
        line = json.dumps({"level": level, "message": message, **extra}, ensure_ascii=False)
        print(line, file=sys.stderr)
    else:
        print(plain, file=sys.stderr)


def error(message: str, **extra: Any) -> None:
    _stderr("error", message, f"govreports: {message}", extra)


def warning(message: str, **extra: Any) -> None:
    _stderr("warning", message, f"warning: {message}", extra)


def note(message: str, **extra: Any) -> None:
    """A side remark that is not the command's result (stderr under --json, else stdout)."""
    if _mode["json"]:
        _stderr("info", message, message, extra)
    else:
        print(message)


def result(text: str, data: dict[str, Any]) -> None:
    """The command's result: text for a person, or data as one JSON object."""
    if _mode["json"]:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


class JsonLines(logging.Formatter):
    """Log records as JSON objects, one per line, for --json runs."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "level": record.levelname.lower(),
                "message": record.getMessage(),
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
                "logger": record.name,
            },
            ensure_ascii=False,
        )
