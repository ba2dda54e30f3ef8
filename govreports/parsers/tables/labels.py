"""Label normalization and matching: how printed labels in the wild meet the registry's labels.

Real labels differ from the template in width (（ vs (), quotes, stray spaces, 1、 for 1.,
leading enumerators, shortening and the odd typo. Both sides are normalized the same way, then
matched exactly, by containment, and last by similarity — in that order, so a fuzzy match never
beats a literal one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Generic, TypeVar

from govreports.parsers.values import fold

T = TypeVar("T")

ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.,，．]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.,，．](?!\d)|[(（]\d{1,2}[)）])"
)
# Everything that is neither a CJK character, a letter nor a digit is noise for matching.
# Similarity is only trusted on long labels: "予公开" (a broken line) is 86% like 予以公开.
_MIN_FUZZY = 6
NOISE = re.compile(r"[^\w\u4e00-\u9fff]|_")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Width-fold, drop leading enumerators, whitespace and punctuation."""
    s = fold(text)
    while True:
        stripped = ENUMERATOR.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return NOISE.sub("", s)


class Matcher(Generic[T]):
    """best_match over a fixed candidate set, compiled once: labels normalized once, exact labels
    in a dict, a character index that bounds every label's similarity before difflib is asked,
    and every answer remembered (the same few hundred labels recur on every page of a crawl)."""

    def __init__(self, candidates: Iterable[tuple[T, Iterable[str]]]) -> None:
        self.labels = _prepare(candidates)
        self.exact: dict[str, T] = {}
        for item, lab in self.labels:
            self.exact.setdefault(lab, item)
        self.longest = max((len(k) for k in self.exact), default=0)
        # character -> (label index, count): the characters a line and a label share, summed
        # over the line's few characters. A label sharing none cannot contain the line, be
        # contained in it or resemble it, so only the labels found here are visited.
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, (_, lab) in enumerate(self.labels):
            for ch, n in Counter(lab).items():
                self.postings.setdefault(ch, []).append((i, n))
        self.memo: dict[str, T | None] = {}

    def __call__(self, text: str) -> T | None:
        norm = normalize(text)
        if norm in self.exact:
            return self.exact[norm]
        if norm not in self.memo:
            if len(self.memo) > 10_000:
                self.memo.clear()
            shared: dict[int, int] = {}
            for ch, n in Counter(norm).items():
                for i, m in self.postings.get(ch, ()):
                    shared[i] = shared.get(i, 0) + min(n, m)
            self.memo[norm] = _best(norm, self.labels, shared)
        return self.memo[norm]


def _prepare(candidates: Iterable[tuple[T, Iterable[str]]]) -> list[tuple[T, str]]:
    return [(item, lab) for item, labels in candidates for lab in map(normalize, labels) if lab]


def best_match(
    text: str,
    candidates: Iterable[tuple[T, Iterable[str]]],
) -> T | None:
    """The candidate whose label best matches text, or None.

    Exact beats containment (longest contained label wins, so 部分公开…不计其他情形 is not taken
    for 其他), containment beats similarity. Short labels (规章, 其他) only ever match exactly.
    """
    labels = _prepare(candidates)
    return _best(normalize(text), labels, {i: len(lab) for i, (_, lab) in enumerate(labels)})


FUZZY = 0.8
_MIN_CONTAIN = 4


def _best(norm: str, labels: list[tuple[T, str]], shared: dict[int, int]) -> T | None:
    """best_match on normalized text among the labels in shared, by index, each with an upper
    bound of the characters it has in common with the text: containment needs all of one side's
    characters shared, and similarity (2·matches over both lengths) needs enough of them, so
    most labels need neither a substring test nor difflib."""
    if not norm:
        return None
    contained: tuple[int, T] | None = None
    fuzzy_best: tuple[float, T] | None = None
    matcher: SequenceMatcher[str] | None = None
    for i in sorted(shared):  # in label order: the first of equal matches wins
        item, lab = labels[i]
        bound = shared[i]
        if bound < min(len(lab), len(norm)) and 2 * bound < FUZZY * (len(lab) + len(norm)):
            continue  # neither side can contain the other, nor can they be alike
        if lab == norm:
            return item
        if len(lab) >= _MIN_CONTAIN and lab in norm:
            if contained is None or len(lab) > contained[0]:
                contained = (len(lab), item)
        elif len(norm) >= _MIN_CONTAIN and len(lab) >= _MIN_CONTAIN and norm in lab:
            score = len(norm) / len(lab)
            if score >= 0.5 and (contained is None or len(norm) > contained[0]):
                contained = (len(norm), item)
        elif len(lab) >= _MIN_FUZZY and abs(len(lab) - len(norm)) <= max(3, len(lab) // 3):
            if 2 * bound < FUZZY * (len(lab) + len(norm)):
                continue
            if matcher is None:  # text as the second sequence: difflib indexes that once
                matcher = SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(norm)
            matcher.set_seq1(lab)
            if matcher.quick_ratio() < FUZZY:
                continue
            ratio = matcher.ratio()
            if ratio >= FUZZY and (fuzzy_best is None or ratio > fuzzy_best[0]):
                fuzzy_best = (ratio, item)
    if contained is not None:
        return contained[1]
    return fuzzy_best[1] if fuzzy_best else None
