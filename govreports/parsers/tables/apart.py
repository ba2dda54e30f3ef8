"""Labels printed apart from their numbers, with fewer lines of numbers than labels: which line
is whose, decided exactly by the count, the order and the identities.

PDF text of a table drawn as two text columns gives the labels in one block and the rows of
numbers in the next; a row left empty prints no line. The lines keep the rows' order, so a
placement gives the lines, in order, to as many rows, in order, the other rows empty; each
line is read into its row's cells as any row of numbers is (readings.py: blanks dropped, the
row's own identities). Of all placements, those whose cells satisfy the identities among these
rows (column balances, outcome sums) are the page's possible readings.

They are enumerated by dynamic programming over the rows in order, with the lines used so far
and the partial sums of the identities as the state: forward the states each row can reach
(pruned by what the rows still to come can add at least and at most), backward those from which
a complete placement closes every identity at 0. What each row holds in some complete
placement is its set of readings. The search runs in passes, each keeping only what some
placement closing its identities allows: the order and count alone, then each column's
identities, then all of them at once. Each pass removes only what no reading of the page has,
so a pass past its budget of states just decides nothing more; where no placement closes a
pass's identities (a source that does not add up), nothing is decided and the rows stay missing.
A "—" in a cell leaves the identities through it unchecked for that placement. A group's own
row (（六）其他处理 over its parts) may be printed as a row or only as the group's heading: left
without a line, it is not known to be empty, so the identities through it go unchecked and its
cells stay missing wherever some placement leaves it so.
"""

from __future__ import annotations

from collections import defaultdict

from govreports.parsers.registry import Identity, Template
from govreports.parsers.statuses import CellStatus
from govreports.parsers.tables.readings import Budget, Reading, number, read_row, row_checks
from govreports.parsers.tables.rows import TextRow
from govreports.parsers.values import CellValue

# Steps (a state meeting a row's choice) of one pass, and of all passes of a table, before a
# pass gives up: bounds a page's time well under a second.
MAX_PASS_STEPS = 20_000
MAX_STEPS = 50_000

Sums = tuple[int | float | None, ...]  # the partial sum of each identity; None: a "—" in it
State = tuple[int, Sums]  # lines used so far, and the sums
Options = list[dict[int, list[Reading]]]  # per row: line index → its readings as that row's


def place(
    rows: list[TextRow], lines: list[list[CellValue]], template: Template, budget: Budget
) -> dict[int, list[Reading]] | str:
    """Each row's readings (by id) over the placements of the lines, or why none is decided."""
    n, m = len(rows), len(lines)
    if not 0 < m <= n:
        return f"{m} lines of numbers for {n} labels"
    options: Options = []
    for r, row in enumerate(rows):
        by_line: dict[int, list[Reading]] = {}
        checks = row_checks(template, row.table.key, row.row.key)
        for k in range(max(0, m - (n - r)), min(r, m - 1) + 1):  # lines before, rows after
            trial = TextRow(row.row, row.table, row.block, list(lines[k]))
            result = read_row(trial, checks, [], budget=budget)
            if result is not None and not (checks and result.relaxed):
                by_line[k] = result.readings  # else its own identities refute the line here
        options.append(by_line)
    keys = {(r.table.key, r.row.key): i for i, r in enumerate(rows)}
    linked = [  # identities across these rows (a row's own hold in each of its readings)
        ident
        for ident in template.identities
        if all(key[:2] in keys for _, key in ident.terms)
        and len({key[:2] for _, key in ident.terms}) > 1
    ]
    by_columns: dict[frozenset[str], list[Identity]] = defaultdict(list)
    for ident in linked:
        by_columns[frozenset(key[2] for _, key in ident.terms)].append(ident)
    empty = [True] * n
    steps = [MAX_STEPS]
    for identities in ([], *by_columns.values(), linked):
        found = _search(rows, keys, options, m, identities, steps)
        if isinstance(found, str):
            return found
        if found is not None:
            options, empty = found
    return {
        id(row): [reading for k in sorted(options[r]) for reading in options[r][k]]
        + ([(None,) * len(row.block.cols)] if empty[r] else [])
        for r, row in enumerate(rows)
        if not (empty[r] and row.row.role == "aggregate")  # a heading, perhaps: missing
    }


def _search(
    rows: list[TextRow],
    keys: dict[tuple[str, str], int],
    options: Options,
    m: int,
    identities: list[Identity],
    steps: list[int],
) -> tuple[Options, list[bool]] | str | None:
    """One pass: the options some placement closing `identities` uses, and which rows some
    such placement leaves empty; a reason where there is none; None past the budget (the
    steps left to all passes, shared)."""
    n = len(rows)
    terms: list[list[tuple[int, int, int]]] = [[] for _ in rows]  # (identity, sign, column)
    for i, ident in enumerate(identities):
        for sign, key in ident.terms:
            at = keys[key[:2]]
            terms[at].append((i, sign, [c.key for c in rows[at].block.cols].index(key[2])))
    zero: Sums = (0,) * len(identities)
    # what a row left without a line adds: nothing, or, for a group's own row, an unknown
    unprinted: list[Sums] = [
        tuple(None if any(t[0] == i for t in terms[r]) else 0 for i in range(len(identities)))
        if row.row.role == "aggregate"
        else zero
        for r, row in enumerate(rows)
    ]
    grouped: list[dict[int, dict[Sums, list[Reading]]]] = []  # by what a reading adds
    for r, by_line in enumerate(options):
        groups: dict[int, dict[Sums, list[Reading]]] = {}
        for k, readings in by_line.items():
            groups[k] = defaultdict(list)
            for reading in readings:
                groups[k][_adds(reading, terms[r], len(identities))].append(reading)
        grouped.append(groups)
    # what the rows from r on can still add to each identity, at least and at most: a state
    # whose sums they cannot bring back to 0 has no complete placement (a bound, never a guess)
    low, high = [zero] * (n + 1), [zero] * (n + 1)
    for r in range(n - 1, -1, -1):
        choices = [a for g in grouped[r].values() for a in g] + [unprinted[r]]
        low[r] = _plus(low[r + 1], tuple(_least(col) for col in zip(*choices)))
        high[r] = _plus(high[r + 1], tuple(_most(col) for col in zip(*choices)))
    layers: list[set[State]] = [{(0, zero)}]
    limit = min(MAX_PASS_STEPS, steps[0])
    for r in range(n):
        nxt: set[State] = set()
        lo, hi = low[r + 1], high[r + 1]
        for k, sums in layers[-1]:
            options_here = grouped[r].get(k, {})
            limit -= 1 + len(options_here)
            if limit < 0:
                steps[0] -= min(MAX_PASS_STEPS, steps[0])
                return None
            if m - k <= n - r - 1 and _closable(after := _plus(sums, unprinted[r]), lo, hi):
                nxt.add((k, after))  # the row is empty: no line of its own
            for adds in options_here:
                after = _plus(sums, adds)
                if _closable(after, lo, hi):
                    nxt.add((k + 1, after))
        layers.append(nxt)
    steps[0] -= min(MAX_PASS_STEPS, steps[0]) - limit
    done = {s for s in layers[n] if s[0] == m and all(v is None or v == 0 for v in s[1])}
    if not done:
        return "no placement of them satisfies the identities"
    # backward: what each row holds in some complete placement
    kept_options: Options = [{} for _ in rows]
    empty = [False] * n
    for r in range(n - 1, -1, -1):
        reach: set[State] = set()
        for k, sums in layers[r]:
            if (k, _plus(sums, unprinted[r])) in done:
                reach.add((k, sums))
                empty[r] = True
            for adds, readings in grouped[r].get(k, {}).items():
                if (k + 1, _plus(sums, adds)) in done:
                    reach.add((k, sums))
                    kept_options[r].setdefault(k, []).extend(readings)
        done = reach
    for by_line in kept_options:
        for k, readings in by_line.items():
            by_line[k] = list(dict.fromkeys(readings))
    return kept_options, empty


def _adds(reading: Reading, terms: list[tuple[int, int, int]], size: int) -> Sums:
    sums: list[int | float | None] = [0] * size
    for i, sign, col in terms:
        cell = reading[col]
        value = sums[i]
        if value is None:
            continue
        sums[i] = (
            None
            if cell is not None and cell.status == CellStatus.NA
            else value + sign * number(cell)
        )
    return tuple(sums)


def _least(values: tuple[int | float | None, ...]) -> int | float | None:
    return None if None in values else min(v for v in values if v is not None)


def _most(values: tuple[int | float | None, ...]) -> int | float | None:
    return None if None in values else max(v for v in values if v is not None)


def _closable(sums: Sums, low: Sums, high: Sums) -> bool:
    """Whether what is still to come (between low and high) can bring every sum to 0."""
    return all(
        s is None or lo is None or hi is None or lo <= -s <= hi
        for s, lo, hi in zip(sums, low, high)
    )


def _plus(a: Sums, b: Sums) -> Sums:
    return tuple(None if x is None or y is None else x + y for x, y in zip(a, b))
