"""The README's parse examples work as pasted (the shell ones from the repository root, after make test)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SH = [
    line.split("  #")[0].strip()
    for block in re.findall(r"```sh\n(.*?)```", README, re.S)
    for line in block.splitlines()
]
OFFLINE = [line for line in SH if "govreports parse" in line or "govreports sites check" in line]
ON_DEMO = [line for line in SH if "demo-output/" in line]  # run beside what `govreports demo` wrote
BIN = Path(sys.executable).parent  # the venv running the tests: .venv/bin under make test


@pytest.mark.parametrize("line", OFFLINE)
def test_shell_examples(line: str) -> None:
    command = line.replace(".venv/bin/", f"{BIN}/")
    run = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode in (0, 1), run.stderr  # 1: parsed, with cells the page leaves open
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("line", ON_DEMO)
def test_shell_examples_on_the_demo_output(line: str, demo_output: Path) -> None:
    command = line.replace(".venv/bin/", f"{BIN}/")
    run = subprocess.run(
        ["bash", "-c", command], cwd=demo_output.parent, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr


@pytest.fixture
def run_example(
    demo_output: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[str], str]:
    """The README's Python block under a heading, pasted into a folder with nothing but what
    `govreports demo` wrote; what it printed."""

    def run(heading: str) -> str:
        (code,) = re.findall(rf"### {heading}\n.*?```python\n(.*?)```", README, re.S)
        monkeypatch.chdir(demo_output.parent)
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
        return capsys.readouterr().out

    return run


def test_the_loading_example_runs_on_the_demo_dataset(run_example: Callable[[str], str]) -> None:
    out = run_example("Loading the dataset")
    assert "江苏省" in out and "上海市" in out  # by province, from the division columns


def test_the_panel_example_runs_on_the_demo_dataset(run_example: Callable[[str], str]) -> None:
    out = run_example("The panel")
    assert "江苏省" in out and "substantive_rate" in out and "reported" in out


def test_the_duckdb_and_polars_examples_run_on_the_partitioned_dataset(
    run_example: Callable[[str], str],
) -> None:
    out = run_example("Beyond one machine's memory")
    # 江苏 2023 (洪泽) and 2024 (淮安), once in DuckDB's table and once in Polars'
    assert out.count("江苏省") == 4 and "substantive_rate" in out


def test_python_example(run_example: Callable[[str], str]) -> None:
    """The sample comes from the installed package, the dataset from ./demo-output."""
    out = run_example("From Python")
    assert out.splitlines() == [
        "ok 上海市人民政府办公厅 2019 2019",
        "859 blank",
        "198 cells 40 checks",
        "Int64 string 10 reports",
    ]
