"""The JSON contract of `govreports parse --json` (see README): Report.to_json, pretty-printed."""

from __future__ import annotations

import json

from govreports.parsers.model import Report


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
