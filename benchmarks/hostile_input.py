"""Hostile and pathological input, each parsed in a fresh process: seconds and peak memory.

Targets (issue 17): none over 2 s or 300 MB at 1 MB of input. Prints a row per case and
asserts nothing; run it after touching the grid, the flattened reader or the spam detector.

    python benchmarks/hostile_input.py
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = "<html><body><h1>某县2021年政府信息公开工作年度报告</h1><p>三、收到和处理政府信息公开申请情况</p>"


def spans(kb: int) -> bytes:
    row = "<tr>" + "<td rowspan=200 colspan=60>1</td>" * 10 + "</tr>"
    n = kb * 1024 // len(row)
    return (
        HEAD + "<table><tr><td>申请人情况</td></tr>" + row * n + "</table></body></html>"
    ).encode()


def spam_phrases(n: int) -> bytes:
    body = "".join(
        f"<p>第{i}段。开{chr(0x4E00 + i % 900)}体育官网-x{i}y.vip正文</p>" for i in range(n)
    )
    return (HEAD + body + "</body></html>").encode()


def number_lines(kb: int) -> bytes:
    line = "1 2 3 4 5 6 7\n"
    return (
        "某县2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        + line * (kb * 1024 // len(line))
    ).encode()


def one_line(kb: int) -> bytes:
    cell = "一、本年新收政府信息公开申请数量1234567"
    return (
        "某县2021年政府信息公开工作年度报告 三、收到和处理政府信息公开申请情况"
        + cell * (kb * 1024 // len(cell.encode()))
    ).encode()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "word/document.xml", b"<w:document>" + b" " * (200 * 1024 * 1024) + b"</w:document>"
        )
        z.writestr("[Content_Types].xml", b"<Types/>")
    return buf.getvalue()


CASES: dict[str, Callable[[], bytes]] = {
    "spans 46 KB": lambda: spans(46),
    "spans 1 MB": lambda: spans(1024),
    "20k spam phrases": lambda: spam_phrases(20_000),
    "number lines 1 MB": lambda: number_lines(1024),
    "one line 1 MB": lambda: one_line(1024),
    "docx zip bomb (200 MB inflated)": zip_bomb,
}


def child(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from govreports.parsers import parse

    data = Path(path).read_bytes()  # made by the parent: the peak is the parser's, not the maker's
    start = time.perf_counter()
    report = parse(data, "http://hostile.test/x")
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kb": len(data) // 1024, "s": took, "mb": peak, "status": report.status}))


def main() -> None:
    print(f"{'case':<34} {'KB':>7} {'seconds':>8} {'peak MB':>8}  status")
    for name in CASES:
        with tempfile.NamedTemporaryFile(suffix=".page") as page:
            # made in a process of its own: a forked child starts with its parent's peak memory
            subprocess.run([sys.executable, __file__, "--make", name, page.name], check=True)
            got = subprocess.run(
                [sys.executable, __file__, "--child", page.name],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
        if got.returncode:
            print(f"{name:<34} failed: {got.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(got.stdout.strip().splitlines()[-1])
        print(f"{name:<34} {r['kb']:>7} {r['s']:>8.2f} {r['mb']:>8.0f}  {r['status']}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--make":
        Path(sys.argv[3]).write_bytes(CASES[sys.argv[2]]())
    elif len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
