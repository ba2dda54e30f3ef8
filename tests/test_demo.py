"""`make demo` end to end, and the README's loading examples run against its output as pasted."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from govreports import demo

README = Path(__file__).resolve().parent.parent / "README.md"


def test_demo_crawls_exports_and_the_readme_examples_work(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert demo.run() == 0
    out = capsys.readouterr().out
    assert "reports found and parsed: 9" in out and "identities:" in out
    dataset = tmp_path / "demo-output" / "dataset"
    assert (dataset / "datapackage.json").exists() and (tmp_path / "demo-output" / "overview.html").exists()
    overview = (tmp_path / "demo-output" / "overview.html").read_text(encoding="utf-8")
    assert "上海市人民政府办公厅" in overview and "class=bar" in overview

    section = README.read_text(encoding="utf-8").split("### Loading the dataset", 1)[1]
    snippets = re.findall(r"```python\n(.*?)```", section, re.S)
    assert snippets
    for code in snippets:
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README, as a user pastes it
    assert "new_received" not in capsys.readouterr().err
    assert os.path.exists(dataset / "govreports.xlsx")
