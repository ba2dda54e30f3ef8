"""The accuracy gate (as trafilatura gates on its evaluation set): no fixture may get worse than
the committed baseline, no cell anywhere may be silently wrong, every gold fixture has a
baseline entry and an edited gold file is noticed (its hash is in the baseline). Raise the
baseline in the same commit as the improvement: `govreports eval --record-baseline`."""

import json
import shutil
from pathlib import Path

import pytest

from govreports.cli import evaluate
from govreports.cli.evaluate import baseline_problems, evaluate_all, format_scores
from tests.conftest import FIXTURES


def test_the_committed_fixtures_pass_the_gate() -> None:
    scores = evaluate_all()
    assert baseline_problems(scores) == []
    assert all(not s.meta_wrong for s in scores), [
        (s.name, s.meta_wrong) for s in scores if s.meta_wrong
    ]
    table = format_scores(scores)
    assert "form pdf" in table and "form html" in table
    assert any(line.startswith("TOTAL") for line in table.splitlines())
    # at the information ceiling: on every flattened fixture whose joint readings can be
    # enumerated, the parser resolves at least what the text decides (more only by prose)
    ceilings = {s.name: (s.correct + s.wrong, s.ceiling) for s in scores if s.ceiling is not None}
    assert {"pingtan-2019", "pingtan-2021"} <= set(ceilings)
    assert all(c < 0 or resolved >= c for resolved, c in ceilings.values()), ceilings


def _copy(tmp_path: Path, names: list[str]) -> Path:
    for sub in ("gold", "pages", "pdf"):
        (tmp_path / sub).mkdir()
    for name in names:
        shutil.copy(FIXTURES / "gold" / f"{name}.json", tmp_path / "gold")
        for page in [
            *(FIXTURES / "pages").glob(f"{name}.*"),
            *(FIXTURES / "pdf").glob(f"{name}.*"),
        ]:
            shutil.copy(page, tmp_path / page.parent.name)
    baseline = json.loads((FIXTURES / "eval-baseline.json").read_text(encoding="utf-8"))
    (tmp_path / "eval-baseline.json").write_text(
        json.dumps({n: baseline[n] for n in names}), encoding="utf-8"
    )
    return tmp_path


def test_a_gold_fixture_without_a_baseline_entry_fails(tmp_path: Path) -> None:
    root = _copy(tmp_path, ["seed-nanhuang-2020"])
    shutil.copy(FIXTURES / "gold" / "pingtan-2021.json", root / "gold")
    shutil.copy(FIXTURES / "pages" / "pingtan-2021.txt", root / "pages")
    assert any("without a baseline entry" in p for p in baseline_problems(evaluate_all(root), root))


def test_an_edited_gold_file_is_noticed(tmp_path: Path) -> None:
    root = _copy(tmp_path, ["seed-nanhuang-2020"])
    gold = root / "gold" / "seed-nanhuang-2020.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    del data[
        "requests/total_processed/total"
    ]  # one cell fewer to get right: the count alone would not tell
    gold.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert any("gold file changed" in p for p in baseline_problems(evaluate_all(root), root))


def test_a_fixture_below_its_baseline_and_a_stale_entry_fail(tmp_path: Path) -> None:
    root = _copy(tmp_path, ["seed-nanhuang-2020"])
    baseline = json.loads((root / "eval-baseline.json").read_text(encoding="utf-8"))
    baseline["seed-nanhuang-2020"]["correct"] += 1
    baseline["gone-fixture"] = {"correct": 1, "gold_sha256": "0"}
    (root / "eval-baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    problems = baseline_problems(evaluate_all(root), root)
    assert any("below the baseline" in p for p in problems)
    assert any("gone-fixture: in the baseline but no gold fixture" in p for p in problems)


def test_a_scan_without_the_ocr_extra_is_skipped_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scanned fixture is read where the OCR extra is installed (CI); elsewhere it is
    skipped with the reason, the gate still holds and a recorded baseline keeps its entry."""
    name = "synthetic-hongze-2024-blanks-scan"
    root = _copy(tmp_path, ["seed-nanhuang-2020", name])
    (root / "scans").mkdir()
    shutil.copy(FIXTURES / "scans" / f"{name}.pdf", root / "scans")
    monkeypatch.setattr(evaluate.ocr, "available", lambda: False)
    scores = evaluate_all(root)
    assert [s.skipped for s in scores if s.name == name] == [evaluate.NO_OCR]
    assert baseline_problems(scores, root) == []
    assert f"{name}" in format_scores(scores) and "OCR extra is not installed" in format_scores(
        scores
    )
    before = json.loads((root / "eval-baseline.json").read_text(encoding="utf-8"))[name]
    evaluate.record_baseline(scores, root)
    assert json.loads((root / "eval-baseline.json").read_text(encoding="utf-8"))[name] == before
