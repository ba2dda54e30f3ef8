"""Imports run one way, so each room can be read, tested and replaced without the ones above it:
formats → page → metadata → tables → checks and report; scraper and output above the parsers;
the Python API and the CLI on top. The shared ground (statuses, values, the registry, the
model) sits under everything. A lazy import inside a function counts like any other."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "govreports"

# Longest prefix wins; a module may import from its own layer or any lower one.
LAYERS: dict[str, int] = {
    "govreports.version": 0,
    "govreports.parsers.statuses": 0,
    "govreports.parsers.sizes": 0,
    "govreports.parsers.values": 1,
    "govreports.parsers.registry": 1,
    "govreports.parsers.model": 2,
    "govreports.parsers.formats": 3,
    "govreports.parsers.page": 4,
    "govreports.parsers.metadata": 5,
    "govreports.parsers.tables": 6,
    "govreports.parsers.checks": 7,
    "govreports.parsers.report": 8,
    "govreports.parsers": 8,
    "govreports.scraper": 9,
    "govreports.output": 10,
    "govreports.api": 11,
    "govreports": 11,
    "govreports.cli": 12,
    "govreports.__main__": 13,
}


def layer(module: str) -> int:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{module}: in no layer; add it to LAYERS")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "govreports"}


def test_imports_run_one_way() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "samples" in path.relative_to(PACKAGE).parts:
            continue
        here = module_name(path)
        for target in imports(path):
            if layer(target) > layer(here):
                upward.append(
                    f"{here} (layer {layer(here)}) imports {target} (layer {layer(target)})"
                )
    assert not upward, "\n".join(upward)


def test_no_relative_imports() -> None:
    """Absolute imports only, so the test above sees every edge."""
    relative = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(n, ast.ImportFrom) and n.level
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert not relative, relative
