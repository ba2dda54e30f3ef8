"""An export is all or nothing: staged beside its folder, then moved in, datapackage.json last.

A researcher (or tomorrow's cron job) may read the folder at any moment, and an export may be
killed at any moment. So the files are written into a staging folder beside the target (same
file system: a rename is atomic) while the previous export stays untouched and complete; only
then are they renamed into place, in milliseconds, behind a marker file that says "incomplete"
until datapackage.json, the file that describes the set, has moved in last. Export files this
run does not write (a format dropped since the previous export) are removed, so the folder
never holds a mix; nothing else in the folder is touched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govreports.output.schema import FILES

MARKER = "EXPORT_INCOMPLETE"
PACKAGE = "datapackage.json"
OVERVIEW = "overview.html"
_STAGE = ".{name}.export-"  # + the writing process's id


class IncompleteExport(Exception):
    """The folder holds an export that was interrupted while it was being moved into place."""


def check_complete(folder: Path) -> None:
    if (folder / MARKER).exists():
        raise IncompleteExport(
            f"{folder}: an export was interrupted while moving its files into place "
            f"({MARKER} is there); run the export again"
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_stages(out: Path) -> list[Path]:
    """Staging folders left by killed exports of this folder (their process is gone)."""
    removed = []
    prefix = _STAGE.format(name=out.name)
    for path in out.parent.glob(prefix + "*"):
        pid = path.name[len(prefix) :]
        if path.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _family() -> set[str]:
    """Every file name an export can write (the formats' files, the package, its README)."""
    return {PACKAGE, "README.md", "govreports.xlsx", OVERVIEW} | {
        f"{name}.{ext}" for name in FILES for ext in ("csv", "parquet")
    }


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A folder to write the export into; on leaving without error, its files replace the
    export in `out`. On error (or a kill) the previous export in `out` is as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_stages(out)
    stage = out.parent / (_STAGE.format(name=out.name) + str(os.getpid()))
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
        _publish(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _replace(src: Path, dst: Path, aside: Path) -> None:
    """Rename src to dst; a folder in the way (a partitioned Parquet file) is moved aside first."""
    if dst.exists() and (dst.is_dir() or src.is_dir()):
        _remove(dst, aside)
    os.replace(src, dst)


def _remove(path: Path, aside: Path) -> None:
    """A file unlinked, a folder moved aside (one rename; it is deleted with the stage)."""
    if path.is_dir() and not path.is_symlink():
        os.replace(path, aside / path.name)
    else:
        path.unlink(missing_ok=True)


def _publish(stage: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    new = sorted(p.name for p in stage.iterdir())
    for path in stage.rglob("*"):
        if path.is_file():
            _fsync(path)  # the bytes are on disk before any rename makes them the export
    previous = {p.name for p in out.iterdir() if p.name in _family()}
    aside = stage / ".previous"
    aside.mkdir()
    marker = out / MARKER
    marker.write_text(
        "govreports was moving a new export into this folder and did not finish; "
        "run the export again. The files here may mix two exports.\n",
        encoding="utf-8",
    )
    for name in new:
        if name != PACKAGE:
            _replace(stage / name, out / name, aside)
    for name in sorted(previous - set(new)):
        _remove(out / name, aside)  # the previous export's, not written this time
    if PACKAGE in new:
        os.replace(stage / PACKAGE, out / PACKAGE)
    marker.unlink()
    _fsync(out)
