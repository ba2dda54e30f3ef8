"""Numbers a report states in its own words ("共收到政府信息公开申请70件"), as evidence for cells
the flattened tables leave open.

Only a few statements are read, each tied to one cell whose meaning the sentence fixes: new
requests received, requests carried forward, requests handled, administrative reviews. The
evidence is used only to choose among readings the table text already allows, never to
override a cell the text decides, and every use is named in `problems`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govreports.parsers.values import Number


@dataclass(frozen=True)
class Fact:
    table: str
    row: str
    col: str
    value: Number
    phrase: str


_N = r"(\d{1,7})\s*(?:件|个|起|宗)"
_SENTENCE_END = r"[^。；;，,]"
_PATTERNS = (
    (
        ("requests", "new_received", "total"),
        re.compile(
            rf"(?:新收|共收到|收到|受理){_SENTENCE_END}{{0,14}}?申请(?:共|合计)?{_N}|共?收到{_N}{_SENTENCE_END}{{0,8}}?申请"
        ),
    ),
    (
        ("requests", "carried_forward", "total"),
        re.compile(
            rf"{_N}{_SENTENCE_END}{{0,4}}?结转(?:至)?下一?年度|结转(?:至)?下一?年度(?:继续办理)?(?:的)?(?:申请)?{_N}"
        ),
    ),
    (
        ("requests", "total_processed", "total"),
        re.compile(rf"(?:办结|办理完结|答复)(?:申请)?(?:共)?{_N}"),
    ),
    (
        ("appeals", "cases", "review_total"),
        re.compile(rf"(?:行政复议案件|被申请行政复议|行政复议){_N}"),
    ),
)


def prose_facts(text: str) -> list[Fact]:
    """Statements found in text (the report without its tables); one per cell, the first."""
    facts: dict[tuple[str, str, str], Fact] = {}
    for key, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            digits = next(g for g in m.groups() if g is not None)
            facts.setdefault(key, Fact(*key, int(digits), m.group(0)))
            break
    return list(facts.values())
