"""Gold tables: the real fixtures' gold and synthetic tables that satisfy every identity.

A gold table maps "table/row/col" to what the truth is: a number, None (a blank cell) or "na".
Synthetic tables hold numbers only (the renderer decides what is printed blank or n/a); the
fixtures' gold keeps its blanks and n/a marks, and may break an identity (gold records what the
agency printed).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from govreports.cli.samples import samples_root
from govreports.parsers.registry import TEMPLATES, Template

Value = int | float | str | None  # a number, None (blank) or "na"
TEMPLATE_IDS = ("2019", "2021")


@dataclass
class GoldTable:
    name: str  # "fixture:NAME" or "synthetic:SEED:I"
    template: str
    cells: dict[str, Value]
    year: int
    agency: str
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.name.startswith("synthetic:")


def key(table: str, row: str, col: str) -> str:
    return f"{table}/{row}/{col}"


def fixture_tables(root: Path | None = None) -> list[GoldTable]:
    """The gold of every real fixture whose template is 2019 or 2021."""
    root = root or samples_root()
    out: list[GoldTable] = []
    for path in sorted((root / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        template = gold.get("meta/template")
        if template not in TEMPLATE_IDS:
            continue
        cells = {k: v for k, v in gold.items() if not k.startswith("meta/")}
        agency = gold.get("meta/agency")
        name = agency[0] if isinstance(agency, list) and agency else str(agency or "某县人民政府")
        year = gold.get("meta/year")
        out.append(
            GoldTable(
                f"fixture:{path.stem}",
                template,
                cells,
                year if isinstance(year, int) else (2020 if template == "2019" else 2022),
                name,
                {k[5:]: v for k, v in gold.items() if k.startswith("meta/")},
            )
        )
    return out


_PLACES = (
    "青山",
    "白水",
    "东岭",
    "南河",
    "西坪",
    "北桥",
    "临江",
    "安平",
    "永宁",
    "丰台",
    "长乐",
    "和平",
)
_KINDS = (
    "县人民政府",
    "镇人民政府",
    "区人民政府",
    "市人民政府办公室",
    "县教育局",
    "区卫生健康委员会",
)


def _count(rng: random.Random, scale: str, dominant: bool = False) -> int:
    """A realistic count: mostly 0 or small, now and then large (3-5 digits)."""
    r = rng.random()
    if scale == "empty":
        return 0 if r < 0.95 else rng.randint(1, 3)
    if scale == "small":
        if r < (0.45 if dominant else 0.8):
            return 0
        return rng.randint(1, 9) if r < 0.97 else rng.randint(10, 60)
    # large
    if r < (0.2 if dominant else 0.65):
        return 0
    if dominant:
        return (
            rng.randint(1, 99)
            if r < 0.7
            else rng.randint(100, 3000)
            if r < 0.97
            else rng.randint(3000, 40000)
        )
    return rng.randint(1, 20) if r < 0.95 else rng.randint(20, 400)


def _proactive(rng: random.Random, template: Template) -> dict[str, Value]:
    out: dict[str, Value] = {}
    big = rng.random() < 0.4
    for row, col in template.table("proactive").cells():
        k = key("proactive", row.key, col.key)
        r = rng.random()
        if col.key == "change":
            out[k] = 0 if r < 0.5 else rng.randint(-20, 30)
        elif col.key in ("amount", "amount_10k_yuan"):
            if r < 0.3:
                out[k] = 0
            elif r < 0.6:
                out[k] = round(rng.uniform(0.1, 5000), rng.choice((1, 2)))
            else:
                out[k] = rng.randint(1, 999999)
        elif r < 0.35:
            out[k] = 0
        elif big and r > 0.7:
            out[k] = rng.randint(100, 99999)
        else:
            out[k] = rng.randint(1, 99)
    return out


def _requests(rng: random.Random, template: Template) -> dict[str, Value]:
    table = template.table("requests")
    block = table.blocks[0]
    rows = [r.key for r in block.rows if r.role != "aggregate"]
    outcome_rows = [r.key for r in block.rows if r.role == "outcome"]
    applicants = [c.key for c in block.cols if c.key != "total"]
    scale = rng.choices(("empty", "small", "large"), (0.25, 0.5, 0.25))[0]
    grid: dict[tuple[str, str], int] = {}
    for c in applicants:
        dominant = c == "natural_person"
        col_scale = scale if dominant or rng.random() < 0.5 else "empty"
        for r in outcome_rows:
            grid[r, c] = _count(rng, col_scale, dominant)
        processed = sum(grid[r, c] for r in outcome_rows)
        forward = _count(rng, col_scale if rng.random() < 0.5 else "empty", dominant)
        over = rng.randint(0, processed + forward) if rng.random() < 0.4 else 0
        grid["total_processed", c] = processed
        grid["carried_forward", c] = forward
        grid["carried_over", c] = over
        grid["new_received", c] = processed + forward - over
    out: dict[str, Value] = {}
    for r in rows:
        for c in applicants:
            out[key("requests", r, c)] = grid[r, c]
        out[key("requests", r, "total")] = sum(grid[r, c] for c in applicants)
    return out


def _appeals(rng: random.Random) -> dict[str, Value]:
    out: dict[str, Value] = {}
    busy = rng.random() < 0.4
    for g in ("review", "suit_direct", "suit_after_review"):
        parts = {
            s: (rng.randint(0, 12) if busy and rng.random() < 0.5 else 0)
            for s in ("upheld", "corrected", "other", "pending")
        }
        if busy and rng.random() < 0.05:
            parts["upheld"] = rng.randint(100, 2000)
        for s, v in parts.items():
            out[key("appeals", "cases", f"{g}_{s}")] = v
        out[key("appeals", "cases", f"{g}_total")] = sum(parts.values())
    return out


def synthetic_table(seed: int, index: int, template_id: str | None = None) -> GoldTable:
    rng = random.Random(f"{seed}:{index}")
    tid = template_id or rng.choice(TEMPLATE_IDS)
    template = TEMPLATES[tid]
    cells = {**_proactive(rng, template), **_requests(rng, template), **_appeals(rng)}
    year = rng.choice((2019, 2020)) if tid == "2019" else rng.randint(2021, 2024)
    agency = rng.choice(_PLACES) + rng.choice(_KINDS)
    return GoldTable(f"synthetic:{seed}:{index}", tid, cells, year, agency)


def satisfied(table: GoldTable) -> list[str]:
    """The identity instances a table's numbers break (empty for every synthetic table)."""
    broken: list[str] = []
    for ident in TEMPLATES[table.template].identities:
        if any(key(t, r, c) not in table.cells for _, (t, r, c) in ident.terms):
            continue  # through a row the table does not have (an aggregate it does not print)
        total = 0.0
        for sign, (t, r, c) in ident.terms:
            v = table.cells.get(key(t, r, c))
            total += sign * (float(v) if isinstance(v, (int, float)) else 0.0)
        if abs(total) > 1e-6:
            broken.append(ident.subject)
    return broken
