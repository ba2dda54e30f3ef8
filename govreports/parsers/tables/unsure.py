"""Numbers a recognizer was unsure of (OCR below its confidence threshold), settled honestly.

OCR writes such a number with a leading UNSURE mark. Its reading is a guess, so the cell is never
`reported`; but the guess is evidence, and so is arithmetic: an identity whose other terms are
all printed numbers implies the cell's value. When every such identity implies the OCR reading,
two independent sources agree and the cell is `inferred` (basis identities). Otherwise it is
`ambiguous` with the OCR reading and the implied values as candidates, never a confident guess.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from govreports.parsers.registry import Identity, Key
from govreports.parsers.statuses import Basis, CellStatus
from govreports.parsers.values import CellValue, Number, read_cell

UNSURE = "?"
_KNOWN = (CellStatus.REPORTED, CellStatus.INFERRED)


def settle_unsure(cells: MutableMapping[Key, CellValue], identities: tuple[Identity, ...]) -> None:
    """Turn the missing cells OCR marked unsure into inferred or ambiguous ones, in place.
    Decided from the cells as read, before any of them is settled: one unsure cell's guess
    never becomes another's evidence."""
    unsure = {
        key: reading
        for key, value in cells.items()
        if value.status == CellStatus.MISSING
        and value.raw
        and value.raw.startswith(UNSURE)
        and (reading := read_cell(value.raw[len(UNSURE) :])).status == CellStatus.REPORTED
    }
    for key, reading in unsure.items():
        implied = {v for ident in identities if (v := _implied(ident, key, cells)) is not None}
        guess = reading.value
        assert guess is not None
        raw = cells[key].raw
        if implied == {guess}:
            cells[key] = CellValue(
                guess, CellStatus.INFERRED, raw, reading.unit, basis=Basis.IDENTITIES
            )
        else:
            candidates = tuple(sorted(implied | {guess}))
            cells[key] = CellValue(None, CellStatus.AMBIGUOUS, raw, reading.unit, candidates)


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
