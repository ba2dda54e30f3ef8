"""Label normalization and matching: how printed labels in the wild meet the registry's labels.

Real labels differ from the template in width (（ vs (), quotes, stray spaces, 1、 for 1.,
leading enumerators, shortening and the odd typo. Both sides are normalized the same way, then
matched exactly, by containment, and last by similarity — in that order, so a fuzzy match never
beats a literal one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Generic, TypeVar

from govreports.parsers.values import fold

T = TypeVar("T")

_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.,，．]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.,，．](?!\d)|[(（]\d{1,2}[)）])"
)
# Everything that is neither a CJK character, a letter nor a digit is noise for matching.
# Similarity is only trusted on long labels: "予公开" (a broken line) is 86% like 予以公开.
_MIN_FUZZY = 6
_NOISE = re.compile(r"[^\w\u4e00-\u9fff]|_")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Width-fold, drop leading enumerators, whitespace and punctuation."""
    s = fold(text)
    while True:
        stripped = _ENUMERATOR.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return _NOISE.sub("", s)


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


class Matcher(Generic[T]):
    """best_match over a fixed candidate set, compiled once: exact labels in a dict, and every
    answer remembered (the same few hundred labels recur on every page of a crawl)."""

    def __init__(self, candidates: Iterable[tuple[T, Iterable[str]]]) -> None:
        self.candidates = [(item, tuple(labels)) for item, labels in candidates]
        self.exact: dict[str, T] = {}
        for item, labels in self.candidates:
            for label in labels:
                self.exact.setdefault(normalize(label), item)
        self.memo: dict[str, T | None] = {}

    def __call__(self, text: str) -> T | None:
        norm = normalize(text)
        if norm in self.exact:
            return self.exact[norm]
        if norm not in self.memo:
            if len(self.memo) > 10_000:
                self.memo.clear()
            self.memo[norm] = best_match(norm, self.candidates)
        return self.memo[norm]


def best_match(
    text: str,
    candidates: Iterable[tuple[T, Iterable[str]]],
    *,
    fuzzy: float = 0.8,
    min_contain: int = 4,
) -> T | None:
    """The candidate whose label best matches text, or None.

    Exact beats containment (longest contained label wins, so 部分公开…不计其他情形 is not taken
    for 其他), containment beats similarity. Short labels (规章, 其他) only ever match exactly.
    """
    norm = normalize(text)
    if not norm:
        return None
    contained: tuple[int, T] | None = None
    fuzzy_best: tuple[float, T] | None = None
    for item, labels in candidates:
        for label in labels:
            lab = normalize(label)
            if not lab:
                continue
            if lab == norm:
                return item
            if len(lab) >= min_contain and lab in norm:
                if contained is None or len(lab) > contained[0]:
                    contained = (len(lab), item)
            elif len(norm) >= min_contain and len(lab) >= min_contain and norm in lab:
                score = len(norm) / len(lab)
                if score >= 0.5 and (contained is None or len(norm) > contained[0]):
                    contained = (len(norm), item)
            elif len(lab) >= _MIN_FUZZY and abs(len(lab) - len(norm)) <= max(3, len(lab) // 3):
                ratio = similarity(lab, norm)
                if ratio >= fuzzy and (fuzzy_best is None or ratio > fuzzy_best[0]):
                    fuzzy_best = (ratio, item)
    if contained is not None:
        return contained[1]
    return fuzzy_best[1] if fuzzy_best else None
