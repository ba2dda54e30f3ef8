"""The promises downstream code relies on: the shape of `parse --json` and the dataset's fields.

Researchers' scripts and scheduled jobs read these by name; a refactor may add a key or a
field, never rename, drop or retype one. The recorded contract (tests/data/contract.json) was
taken from the fixtures' parse output and the codebook; the test fails when anything recorded
is gone or changed. Values are not part of it: `make eval` and its baseline guard those.

Re-record after a deliberate, documented change (and say so in the CHANGELOG):
    GOVREPORTS_RECORD_CONTRACT=1 python -m pytest tests/test_contract.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import govreports
from govreports.output.schema import FILES, file_def
from tests.conftest import FIXTURES

CONTRACT = Path(__file__).resolve().parent / "data" / "contract.json"


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape(value: object, path: str, out: set[str]) -> None:
    """Every key path with the JSON types seen there: "cells[].value: integer"."""
    out.add(f"{path}: {json_type(value)}")
    if isinstance(value, dict):
        for key, item in value.items():
            shape(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        for item in value:
            shape(item, f"{path}[]", out)


def current() -> dict[str, Any]:
    paths: set[str] = set()
    for page in sorted((FIXTURES / "pages").iterdir()):
        shape(govreports.parse(page.read_bytes(), url=page.name).to_json(), "", paths)
    fields = {
        name: {
            f.name: {"type": f.type, **({"enum": list(f.enum)} if f.enum else {})}
            for f in file_def(name).fields
        }
        for name in FILES
    }
    return {"parse_json": sorted(paths), "dataset_fields": fields}


def test_contract_holds() -> None:
    now = current()
    if os.environ.get("GOVREPORTS_RECORD_CONTRACT"):
        CONTRACT.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip(f"contract re-recorded to {CONTRACT}")
    recorded = json.loads(CONTRACT.read_text(encoding="utf-8"))

    gone = sorted(set(recorded["parse_json"]) - set(now["parse_json"]))
    assert not gone, f"parse --json lost or retyped: {gone}"

    broken = []
    for name, fields in recorded["dataset_fields"].items():
        have = now["dataset_fields"].get(name)
        if have is None:
            broken.append(f"{name}: file gone")
            continue
        for field, spec in fields.items():
            if field not in have:
                broken.append(f"{name}.{field}: gone")
            elif have[field]["type"] != spec["type"]:
                broken.append(f"{name}.{field}: {spec['type']} -> {have[field]['type']}")
            elif set(spec.get("enum", ())) - set(have[field].get("enum", spec.get("enum", ()))):
                broken.append(f"{name}.{field}: enum lost values")
    assert not broken, broken
