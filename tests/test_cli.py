"""The command line as a user or cron job meets it: output, JSON contract, exit codes, fetching."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govreports.cli.fakeweb import FakeHost, Request
from govreports.cli.main import EXIT_FETCH, EXIT_GAPS, EXIT_NOT_REPORT, EXIT_OK, EXIT_USAGE, main
from tests.conftest import FIXTURES, FakeClock, page_bytes

SHANGHAI = str(FIXTURES / "pages" / "shanghai-2019.html")


def test_parse_prints_tables_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", SHANGHAI]) == EXIT_OK
    out = capsys.readouterr().out
    assert "三、收到和处理政府信息公开申请情况" in out and "自然人" in out
    assert "上海市人民政府办公厅 2019 · template 2019 · status ok" in out
    assert (
        "identities: 28 passed, 0 failed, 12 not assessable" in out
    )  # its blank 总计 cells are no failure


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", SHANGHAI]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"source", "report", "status", "problems", "cells", "checks"}
    assert set(doc["source"]) >= {"location", "sha256", "encoding", "bytes"}
    assert set(doc["report"]) >= {
        "title",
        "agency",
        "year",
        "published",
        "template",
        "tampered",
        "tamper_phrases",
    }
    cell = next(
        c
        for c in doc["cells"]
        if (c["table"], c["row"], c["col"]) == ("requests", "new_received", "total")
    )
    assert cell == {
        "table": "requests",
        "row": "new_received",
        "col": "total",
        "value": 859,
        "raw": "859",
        "status": "reported",
        "unit": None,
        "basis": None,
    }
    assert {c["result"] for c in doc["checks"]} <= {"pass", "fail", "not_assessable"}


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(page_bytes("shanghai-2019.html")))
    )
    assert main(["parse", "--json", "-"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["source"]["location"] == "-"


def test_exit_codes(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["parse", str(FIXTURES / "bad" / "tables-as-images.html")]) == EXIT_GAPS
    assert main(["parse", str(FIXTURES / "bad" / "news-article-gbk.html")]) == EXIT_NOT_REPORT
    assert main(["parse", str(tmp_path / "nope.html")]) == EXIT_NOT_REPORT
    assert main(["parse"]) == EXIT_USAGE
    assert main(["frobnicate"]) == EXIT_USAGE
    assert main([]) == EXIT_USAGE
    # several sources: go on with the rest, the worst code wins
    assert main(["parse", SHANGHAI, str(tmp_path / "nope.html")]) == EXIT_NOT_REPORT
    err = capsys.readouterr().err
    assert "nope.html: cannot read file" in err and "Traceback" not in err


def test_big_file_refused_before_reading(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.html"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    assert main(["parse", str(big)]) == EXIT_NOT_REPORT
    assert "over the 20 MB size cap" in capsys.readouterr().err


def test_fetch_parse_from_loopback(
    http_server: FakeHost, capsys: pytest.CaptureFixture[str]
) -> None:
    http_server.page(
        "/report.html", page_bytes("synthetic-trs-2021-gbk.html"), "text/html; charset=GBK"
    )
    assert main(["parse", "--json", http_server.base + "/report.html"]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["report"]["agency"] == "青松县农业农村局" and doc["source"]["encoding"] == "gb18030"


def test_fetch_errors_are_named(http_server: FakeHost, capsys: pytest.CaptureFixture[str]) -> None:
    http_server.route("/loop", lambda req: req.reply(302, b"", {"Location": "/loop"}))
    assert main(["parse", http_server.base + "/missing"]) == EXIT_FETCH
    assert main(["parse", http_server.base + "/loop"]) == EXIT_FETCH
    http_server.page("/big", b"x" * 2000)
    assert main(["parse", "--max-bytes", "1000", http_server.base + "/big"]) == EXIT_FETCH
    err = capsys.readouterr().err
    assert "HTTP 404" in err and "redirect" in err and "size cap" in err


def test_a_server_trickling_bytes_is_cut_at_the_total_read_deadline(http_server: FakeHost) -> None:
    """The read timeout is per wait, so a byte every second would never trip it: the whole
    body has a deadline of its own, and the connection is shut down when it passes."""
    import time

    from govreports.scraper.fetch import FetchError, fetch

    def trickle(req: Request) -> None:
        req.send_response(200)
        req.send_header("Content-Length", "1000")
        req.end_headers()
        try:
            for _ in range(1000):
                req.wfile.write(b"x")
                req.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass  # the client hung up, as it should

    http_server.route("/slow", trickle)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"sent too slowly: the page was not complete after 0.5s"):
        fetch(http_server.base + "/slow", max_seconds=0.5, attempts=1)
    assert time.monotonic() - started < 5  # not the 50 s the server would take


def test_transient_failure_retried(http_server: FakeHost, clock: FakeClock) -> None:
    from govreports.scraper.fetch import fetch

    calls = {"n": 0}
    body = page_bytes("shanghai-2019.html")

    def flaky(req: Request) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            req.reply(503, b"", {"Retry-After": "0"})
        else:
            req.reply(200, body)

    http_server.route("/flaky", flaky)
    fetched = fetch(http_server.base + "/flaky", clock=clock, sleep=clock.sleep)
    assert fetched.content == body and calls["n"] == 2
    assert clock.sleeps == [0.0]  # one retry, after the Retry-After asked for, not the backoff


def test_user_agent_is_descriptive(http_server: FakeHost) -> None:
    from govreports.scraper.fetch import fetch

    seen: dict[str, str] = {}

    def record(req: Request) -> None:
        seen["ua"] = req.headers.get("User-Agent", "")
        req.reply(200, b"ok")

    http_server.route("/ua", record)
    fetch(http_server.base + "/ua")
    assert seen["ua"].startswith("govreports/") and "contact" in seen["ua"]


def test_console_script_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "govreports", "parse", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "exit codes" in out.stdout and "SOURCE" in out.stdout


def test_the_readme_exit_code_table_is_the_code() -> None:
    """The README's table is the contract a cron wrapper reads: every code the package defines
    has its row, and every row is a code the package defines."""
    import re
    from pathlib import Path

    from govreports.cli import exits

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = {int(m) for m in re.findall(r"^\| (\d+) \|", section, re.M)}
    defined = {v for k, v in vars(exits).items() if k.startswith("EXIT_")}
    assert rows == defined


def _every_command(demo: Path, scratch: Path) -> list[list[str]]:
    """One invocation of every command, the ones that write on copies of the demo's store."""
    import shutil

    store = scratch / "store"
    shutil.copytree(demo / "store", store)
    unreachable = scratch / "down.csv"
    unreachable.write_text("site_id,agency,list_url\ndown,甲,http://127.0.0.1:9/list\n")
    return [
        ["parse", SHANGHAI],
        ["parse", SHANGHAI, "--out", str(scratch / "one")],
        ["eval"],
        ["sites", "check", str(unreachable)],
        ["crawl", str(unreachable), "--data", str(scratch / "empty"), "--delay", "0"],
        ["discover", "http://127.0.0.1:9/", "--delay", "0"],
        ["reparse", "--data", str(store), "--workers", "1"],
        ["export", "--data", str(store), "--out", str(scratch / "dataset")],
        ["status", "--data", str(store)],
        ["demo", "--out", str(scratch / "demo")],
    ]


def test_every_command_speaks_json_with_json(
    demo_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scheduled job reads what a command did: with --json, stdout is one JSON object (or
    nothing, when the command failed before it had a result) and every stderr line is one."""
    from govreports.cli.main import build_parser

    argvs = _every_command(demo_output, tmp_path)
    commands = {a[0] for a in argvs}
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert commands == set(sub.choices)  # type: ignore[arg-type]  # every command is tried
    for argv in argvs:
        code = main([*argv, "--json"])
        out, err = capsys.readouterr()
        assert code in (EXIT_OK, EXIT_GAPS, EXIT_FETCH), (argv, err)
        if out.strip() or code == EXIT_OK:
            assert isinstance(json.loads(out), dict), argv
        lines = [json.loads(line) for line in err.splitlines()]
        assert all(line["level"] in ("error", "warning", "info") for line in lines), argv
        if not out.strip():  # no result: then an error says why
            assert any(line["level"] == "error" for line in lines), argv
