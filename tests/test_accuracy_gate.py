"""The accuracy gate (as trafilatura gates on its evaluation set): no fixture may get worse than
the committed baseline, and no cell anywhere may be silently wrong. Raise the baseline in the
same commit as the improvement: fixtures/eval-baseline.json."""

import json

from govreports.cli.evaluate import evaluate_all
from tests.conftest import FIXTURES


def test_no_fixture_below_baseline_and_nothing_silently_wrong() -> None:
    baseline = json.loads((FIXTURES / "eval-baseline.json").read_text(encoding="utf-8"))
    scores = {s.name: s for s in evaluate_all()}
    assert set(baseline) <= set(scores)
    for name, s in scores.items():
        assert s.wrong == 0, (name, s.wrong_cells)
        assert s.correct >= baseline.get(name, 0), (name, s.correct, baseline.get(name))
        assert not s.meta_wrong, (name, s.meta_wrong)
