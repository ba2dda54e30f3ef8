"""Options several commands share, defined once so they read the same in every --help."""

from __future__ import annotations

import argparse


def add_data(p: argparse.ArgumentParser, default: str, what: str = "the store") -> None:
    """--data DIR; its default is $GOVREPORTS_DATA or ./govreports-data (main.DATA_DIR)."""
    p.add_argument("--data", default=default, metavar="DIR", help=f"{what} (default {default})")


def add_json(p: argparse.ArgumentParser, result: str) -> None:
    """--json: the result as one JSON object on stdout, every stderr line a JSON object (say.py)."""
    p.add_argument(
        "--json",
        action="store_true",
        help=f"print {result} as one JSON object on stdout; errors, warnings and log lines go "
        "to stderr as one JSON object per line",
    )
