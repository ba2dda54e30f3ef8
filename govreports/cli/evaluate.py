"""Accuracy on the gold fixtures: how many cells come out right, flagged, or silently wrong.

Gold files (fixtures/gold/NAME.json) map "table/row/col" to a number, null (blank) or "na", plus
meta/* keys. A cell is correct when its value and status say what the page says; flagged when
the parser said it could not tell (ambiguous or missing); silently wrong otherwise — the one
number that must stay 0.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govreports.cli.samples import samples_root
from govreports.parsers import Report, parse
from govreports.parsers.formats import ocr
from govreports.parsers.tables import ceiling


@dataclass
class Score:
    name: str
    form: str = ""  # what the page was read as (model.FORMS): html-table, text, pdf-table, …
    gold_sha256: str = ""
    correct: int = 0
    flagged: int = 0
    wrong: int = 0
    meta_wrong: list[str] = field(default_factory=list)
    wrong_cells: list[str] = field(default_factory=list)
    # flattened text only: the gold cells the printed text decides at all (tables/ceiling.py),
    # -1 where the joint readings are too many to enumerate; None for other forms
    ceiling: int | None = None
    skipped: str = ""  # why the fixture was not read here (a scan without the OCR extra)

    @property
    def total(self) -> int:
        return self.correct + self.flagged + self.wrong


def cell_verdict(expected: Any, status: str, value: Any) -> str:
    """correct / flagged / wrong for one cell against its gold (a number, None for blank, "na").

    `inferred` 0 claims "0 or blank": where flattened text drops blank cells, a cell that every
    reading makes 0 or empty is honestly that (TABLES.md: blanks close the identities as 0), so
    it matches a blank gold cell. `blank` claims the page left the cell empty: a printed 0
    reported blank is wrong.
    """
    if status in ("ambiguous", "missing"):
        return "flagged"
    if expected is None:
        return "correct" if status == "blank" or (status == "inferred" and value == 0) else "wrong"
    if expected == "na":
        return "correct" if status == "na" else "wrong"
    ok = (
        status in ("reported", "inferred")
        and value is not None
        and abs(float(value) - float(expected)) < 1e-9
    )
    return "correct" if ok else "wrong"


def score(name: str, report: Report, gold: dict[str, Any]) -> Score:
    s = Score(name)
    cells = {c.address: c for c in report.cells}
    for key, expected in gold.items():
        if key.startswith("meta/"):
            field_name = key[5:]
            got = getattr(report.report, field_name, None)
            ok = got in expected if isinstance(expected, list) else got == expected
            if not ok:
                s.meta_wrong.append(f"{field_name}: {got!r} (gold {expected!r})")
            continue
        cell = cells.get(key)
        verdict = cell_verdict(expected, cell.status, cell.value) if cell else "flagged"
        setattr(s, verdict, getattr(s, verdict) + 1)
        if verdict == "wrong" and cell is not None:
            s.wrong_cells.append(f"{key}: {cell.status} {cell.value!r} (gold {expected!r})")
    return s


# Where a gold file's page may be: a scan (scans/) is read only where the OCR extra is installed.
PAGE_FOLDERS = ("pages", "pdf", "scans")
NO_OCR = "skipped: the OCR extra is not installed (pip install 'govreports[ocr]')"


def page_for(name: str, root: Path) -> Path | None:
    for folder in PAGE_FOLDERS:
        for path in sorted((root / folder).glob(f"{name}.*")):
            return path
    return None


class NothingToEvaluate(Exception):
    """No gold file with its page: an accuracy gate that scored nothing must not pass."""


def evaluate_all(root: Path | None = None) -> list[Score]:
    root = root or samples_root()
    scores = []
    golds = sorted((root / "gold").glob("*.json"))
    for gold_path in golds:
        name = gold_path.stem
        page = page_for(name, root)
        if page is None:
            raise NothingToEvaluate(
                f"{gold_path}: no page named {name}.* in "
                + ", ".join(str(root / folder) for folder in PAGE_FOLDERS)
            )
        raw = gold_path.read_bytes()
        if page.parent.name == "scans" and not ocr.available():
            scores.append(Score(name, "scan", hashlib.sha256(raw).hexdigest(), skipped=NO_OCR))
            continue
        with ceiling.recording() as recorded:
            report = parse(page.read_bytes(), str(page))
        gold = json.loads(raw.decode("utf-8"))
        s = score(name, report, gold)
        if recorded.snapshots:
            s.ceiling = _ceiling(recorded.snapshots[-1], gold)
        s.form = report.report.form or page.suffix.lstrip(".")
        s.gold_sha256 = hashlib.sha256(raw).hexdigest()
        scores.append(s)
    if not scores:
        raise NothingToEvaluate(
            f"{root}: no gold files (gold/NAME.json beside pages/NAME.*) to evaluate"
        )
    return scores


def _ceiling(snapshot: ceiling.Snapshot, gold: dict[str, Any]) -> int:
    try:
        decided = ceiling.decided_cells(snapshot)
    except ceiling.TooMany:
        return -1
    return sum(1 for key in gold if tuple(key.split("/")) in decided)


def _by_form(scores: list[Score]) -> dict[str, Score]:
    """Totals per form, and over all ("")."""
    forms: dict[str, Score] = {}
    for s in scores:
        if s.skipped:
            continue
        for t in (forms.setdefault(s.form, Score(s.form)), forms.setdefault("", Score("TOTAL"))):
            t.correct, t.flagged, t.wrong = (
                t.correct + s.correct,
                t.flagged + s.flagged,
                t.wrong + s.wrong,
            )
    return dict(sorted(forms.items(), key=lambda kv: (kv[0] == "", kv[0])))


def format_scores(scores: list[Score]) -> str:
    lines = [
        f"{'fixture':<36}{'form':>11}{'cells':>7}{'correct':>9}{'flagged':>9}{'wrong':>7}"
        f"{'resolved':>9}{'ceiling':>8}  meta"
    ]
    for s in scores:
        if s.skipped:
            lines.append(f"{s.name:<36}{s.form:>11}  {s.skipped}")
            continue
        meta = "ok" if not s.meta_wrong else "; ".join(s.meta_wrong)
        lines.append(
            f"{s.name:<36}{s.form:>11}{s.total:>7}{s.correct:>9}{s.flagged:>9}{s.wrong:>7}"
            f"{_resolved(s):>9}{_ceiling_text(s):>8}  {meta}"
        )
        for w in s.wrong_cells[:10]:
            lines.append(f"    silently wrong: {w}")
    for form, t in _by_form(scores).items():
        label = "TOTAL" if form == "" else f"form {form}"
        lines.append(f"{label:<36}{'':>11}{t.total:>7}{t.correct:>9}{t.flagged:>9}{t.wrong:>7}")
    lines.append(
        "resolved: cells not flagged; ceiling (flattened text): cells the printed text decides at "
        "all, every joint reading of it enumerated (— where too many); prose evidence may resolve more"
    )
    return "\n".join(lines)


def _resolved(s: Score) -> str:
    return str(s.correct + s.wrong) if s.ceiling is not None else ""


def _ceiling_text(s: Score) -> str:
    return "" if s.ceiling is None else "—" if s.ceiling < 0 else str(s.ceiling)


def scores_json(scores: list[Score], problems: list[str]) -> dict[str, Any]:
    def counts(s: Score) -> dict[str, int]:
        return {"cells": s.total, "correct": s.correct, "flagged": s.flagged, "wrong": s.wrong}

    forms = _by_form(scores)
    return {
        "fixtures": [
            {
                "name": s.name,
                "form": s.form,
                **counts(s),
                "meta_wrong": s.meta_wrong,
                "wrong_cells": s.wrong_cells,
                **({"ceiling": s.ceiling} if s.ceiling is not None else {}),
                **({"skipped": s.skipped} if s.skipped else {}),
            }
            for s in scores
        ],
        "forms": {form: counts(t) for form, t in forms.items() if form},
        "total": counts(forms.get("", Score("TOTAL"))),
        "problems": problems,
    }


BASELINE = "eval-baseline.json"


def baseline_problems(scores: list[Score], root: Path | None = None) -> list[str]:
    """Why the gate fails against the committed baseline: every gold fixture needs an entry
    (correct cells and its gold file's hash), no entry without its fixture, no edited gold
    unnoticed, no fixture below its entry, no cell silently wrong anywhere."""
    path = (root or samples_root()) / BASELINE
    if not path.exists():
        return [
            f"{path}: no baseline (record one with --record-baseline after checking the gold by hand)"
        ]
    baseline: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    by_name = {s.name: s for s in scores}
    out = [
        f"{name}: in the baseline but no gold fixture"
        for name in sorted(set(baseline) - set(by_name))
    ]
    for s in scores:
        entry = baseline.get(s.name)
        if s.wrong:
            out.append(f"{s.name}: {s.wrong} cell(s) silently wrong")
        if not isinstance(entry, dict):
            out.append(
                f"{s.name}: a gold fixture without a baseline entry (record it with --record-baseline)"
            )
            continue
        if entry.get("gold_sha256") != s.gold_sha256:
            out.append(
                f"{s.name}: its gold file changed since the baseline was recorded; check it by hand, "
                "then --record-baseline"
            )
        if not s.skipped and s.correct < int(entry.get("correct", 0)):
            out.append(
                f"{s.name}: {s.correct} correct cells, below the baseline's {entry.get('correct')}"
            )
    return out


def record_baseline(scores: list[Score], root: Path | None = None) -> Path:
    path = (root or samples_root()) / BASELINE
    old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data = {  # a fixture skipped here keeps the entry recorded where it was read
        s.name: old[s.name]
        if s.skipped and s.name in old
        else {"correct": s.correct, "gold_sha256": s.gold_sha256}
        for s in scores
    }
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path
