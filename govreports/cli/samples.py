"""Where the bundled sample pages and their gold are: the package data `govreports.samples`
(the repository's fixtures/ folder, installed with the package), wherever it is installed."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def samples_root() -> Path:
    """The samples as a folder on disk: wheels install package data as plain files."""
    return Path(str(files("govreports.samples")))
