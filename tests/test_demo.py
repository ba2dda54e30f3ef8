"""`make demo` end to end, and the README's loading examples run against its output as pasted."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from govreports.cli import demo

README = Path(__file__).resolve().parent.parent / "README.md"
LOADING = (
    README.read_text(encoding="utf-8").split("### Loading the dataset", 1)[1].split("\n### ", 1)[0]
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    where = tmp_path_factory.mktemp("demo")
    before = os.getcwd()
    os.chdir(where)
    try:
        from contextlib import redirect_stdout
        from io import StringIO

        out = StringIO()
        with redirect_stdout(out):
            assert demo.run() == 0
        yield where, out.getvalue()
    finally:
        os.chdir(before)


def test_demo_crawls_exports_and_draws(demo_dir: tuple[Path, str]) -> None:
    where, out = demo_dir
    assert "reports found and parsed: 10" in out and "identities:" in out
    dataset = where / "demo-output" / "dataset"
    assert (dataset / "datapackage.json").exists() and (dataset / "govreports.xlsx").exists()
    overview = (dataset / "overview.html").read_text(encoding="utf-8")
    assert "上海市" in overview and "class=bar" in overview and "id=checks" in overview


def test_readme_pandas_examples_work_as_pasted(
    demo_dir: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(demo_dir[0])
    snippets = re.findall(r"```python\n(.*?)```", LOADING, re.S)
    assert snippets
    for code in snippets:
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README, as a user pastes it


@pytest.mark.skipif(
    shutil.which("Rscript") is None,
    reason="R is not installed here: the README's R example was not run",
)
def test_readme_r_examples_work_as_pasted(demo_dir: tuple[Path, str]) -> None:
    snippets = re.findall(r"```r\n(.*?)```", LOADING, re.S)
    assert snippets
    for code in snippets:
        run = subprocess.run(
            ["Rscript", "-e", code], capture_output=True, text=True, cwd=demo_dir[0], timeout=180
        )
        assert run.returncode == 0, run.stderr
        assert "reported" in run.stdout
