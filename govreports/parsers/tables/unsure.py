"""Numbers a recognizer was unsure of (OCR below its confidence threshold), settled honestly.

OCR writes such a number with a leading UNSURE mark. Its reading is a guess, so the cell is never
`reported`; but the guess is evidence, and so is arithmetic: an identity whose other terms are
all printed numbers implies the cell's value. When every such identity implies the OCR reading,
two independent sources agree and the cell is `inferred` (basis identities). Otherwise it is
`ambiguous` with the OCR reading and the implied values as candidates, never a confident guess.
A cell with ink but no reading at all (the mark alone) is what the identities make it: one
implied value, inferred; several, ambiguous; none, it stays `missing`.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from govreports.parsers.registry import Identity, Key
from govreports.parsers.statuses import Basis, CellStatus
from govreports.parsers.values import UNSURE, CellValue, Number, is_unsure, read_cell

_KNOWN = (CellStatus.REPORTED, CellStatus.INFERRED)


def settle_unsure(cells: MutableMapping[Key, CellValue], identities: tuple[Identity, ...]) -> None:
    """Turn the missing cells OCR marked unsure into inferred or ambiguous ones, in place.
    Decided from the cells as read, before any of them is settled: one unsure cell's guess
    never becomes another's evidence."""
    unsure: dict[Key, Number | None] = {}  # the OCR reading; None: ink the recognizer did not read
    for key, value in cells.items():
        if value.status != CellStatus.MISSING or not is_unsure(value.raw):
            continue
        rest = (value.raw or "").strip()[len(UNSURE) :]
        reading = read_cell(rest)
        if not rest or reading.status == CellStatus.REPORTED:
            unsure[key] = reading.value
    settled: dict[Key, CellValue] = {}
    for key, guess in unsure.items():
        implied = {v for ident in identities if (v := _implied(ident, key, cells)) is not None}
        raw, sure = cells[key].raw, cells[key].confidence
        seen = implied | ({guess} if guess is not None else set())
        if implied and len(seen) == 1:
            settled[key] = CellValue(
                seen.pop(), CellStatus.INFERRED, raw, basis=Basis.IDENTITIES, confidence=sure
            )
        elif seen:
            settled[key] = CellValue(
                None, CellStatus.AMBIGUOUS, raw, None, tuple(sorted(seen)), confidence=sure
            )
    cells.update(settled)


def _implied(ident: Identity, key: Key, cells: MutableMapping[Key, CellValue]) -> Number | None:
    """The value `ident` gives the cell at `key` when every other term is a known number
    (blanks are no numbers here: a blank total is often just unfilled), else None."""
    sign = 0
    rest: Number = 0
    for s, k in ident.terms:
        if k == key:
            if sign:
                return None  # the cell stands twice: no single value follows
            sign = s
            continue
        value = cells.get(k)
        if value is None or value.status not in _KNOWN or value.value is None:
            return None
        rest += s * value.value
    if not sign:
        return None
    implied = -rest * sign
    return implied if implied >= 0 else None
