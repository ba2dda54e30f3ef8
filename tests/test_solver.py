"""The joint solver is sound and complete: on generated tables small enough to enumerate, the
readings it keeps for each row are exactly those some joint reading satisfying every linking
identity contains — compared with a brute-force enumeration of every combination."""

from __future__ import annotations

import random
from itertools import product

import pytest

from govreports.parsers.registry import TEMPLATES
from govreports.parsers.tables import ceiling
from govreports.parsers.tables.readings import Reading, read_row, row_checks
from govreports.parsers.tables.rows import TextRow
from govreports.parsers.tables.solve import Equation, linking_equations, solve
from govreports.parsers.values import read_cell

TEMPLATE = TEMPLATES["2021"]
REQUESTS = TEMPLATE.table("requests")
BLOCK = REQUESTS.blocks[0]


def consistent_table(rng: random.Random) -> dict[str, list[int]]:
    """Requests rows (six applicant columns and the total) satisfying every identity."""
    outcome = [r.key for r in BLOCK.rows if r.role == "outcome"]
    rows: dict[str, list[int]] = {}
    for key in outcome:
        rows[key] = [rng.choice((0, 0, 0, 1, 2, 3)) if rng.random() < 0.35 else 0 for _ in range(6)]
    processed = [sum(rows[k][c] for k in outcome) for c in range(6)]
    forward = [rng.choice((0, 0, 1, 2)) for _ in range(6)]
    over = [min(rng.choice((0, 0, 1)), processed[c] + forward[c]) for c in range(6)]
    rows["total_processed"] = processed
    rows["carried_forward"] = forward
    rows["carried_over"] = over
    rows["new_received"] = [processed[c] + forward[c] - over[c] for c in range(6)]
    return {k: [*v, sum(v)] for k, v in rows.items()}


def text_rows(rng: random.Random, table: dict[str, list[int]]) -> list[TextRow]:
    """Each row's printed numbers; in a few rows the zeros are left blank (they vanish)."""
    blank_rows = set(rng.sample(sorted(table), 4))
    out = []
    for row in BLOCK.rows:
        if row.role == "aggregate":
            continue  # the template leaves it out; a page that prints it is another test
        values = table[row.key]
        printed = [v for v in values if not (row.key in blank_rows and v == 0)]
        out.append(TextRow(row, REQUESTS, BLOCK, [read_cell(str(v)) for v in printed]))
    return out


def brute_force(
    equations: list[Equation], state: dict[int, list[Reading]]
) -> dict[int, set[Reading]]:
    rows = list({id(r): r for eq in equations for _, r, _ in eq.terms}.values())
    kept: dict[int, set[Reading]] = {id(r): set() for r in rows}
    for choice in product(*(state[id(r)] for r in rows)):
        picked = {id(r): reading for r, reading in zip(rows, choice)}
        if all(
            sum(
                sign * ((picked[id(row)][col].value or 0) if picked[id(row)][col] else 0)  # type: ignore[union-attr]
                for sign, row, col in eq.terms
            )
            == 0
            for eq in equations
        ):
            for r in rows:
                kept[id(r)].add(picked[id(r)])
    return kept


@pytest.mark.parametrize("seed", range(40))
def test_solver_keeps_exactly_what_brute_force_keeps(seed: int) -> None:
    rng = random.Random(seed)
    table = consistent_table(rng)
    rows = text_rows(rng, table)
    state: dict[int, list[Reading]] = {}
    for row in rows:
        result = read_row(row, row_checks(TEMPLATE, "requests", row.row.key), [])
        assert result is not None and not result.relaxed  # the table adds up: its rows do too
        state[id(row)] = result.readings
    combos = 1
    for readings in state.values():
        combos *= len(readings)
    if combos > 200_000:
        pytest.skip(f"{combos} combinations: too many to enumerate")
    equations = linking_equations(TEMPLATE, rows)
    expected = brute_force(equations, state)
    enumerated = ceiling.joint_projection(
        ceiling.Snapshot(rows, {k: list(v) for k, v in state.items()}, equations)
    )
    problems: list[str] = []
    assert solve(equations, state, problems) == set()
    assert not problems
    for row in rows:
        assert set(state[id(row)]) == expected[id(row)], row.row.key
        # the eval's ceiling enumeration (tables/ceiling.py) agrees too
        assert set(enumerated[id(row)]) == expected[id(row)], row.row.key
