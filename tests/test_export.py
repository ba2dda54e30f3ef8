"""The dataset as researchers load it: files, types, honesty of values, one report one row,
the codebook, and `parse --out` giving the same files as a crawl + export."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govreports.cli.exits import EXIT_OK, EXIT_USAGE
from govreports.cli.fakeweb import FakeWeb, corpus_web
from govreports.cli.main import main
from govreports.output.load import YEAR_PARTITIONS
from govreports.output.schema import FILES, file_def
from govreports.output.writers import neutralise
from govreports.scraper.client import Client
from govreports.scraper.crawl import Crawler
from govreports.scraper.sites import Site
from govreports.scraper.store import Store
from tests.conftest import FIXTURES, page_bytes

EXPECTED = {f"{name}.{ext}" for name in FILES for ext in ("csv", "parquet")} | {
    "govreports.xlsx",
    "datapackage.json",
    "README.md",
    "overview.html",
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("store")
    with FakeWeb() as web, Store(data) as store:
        rows = corpus_web(web)
        Crawler(store, Client(delay=0)).run(
            [Site(r["site_id"], r["agency"], r["list_url"], 0.0) for r in rows]
        )
    return data


@pytest.fixture(scope="module")
def dataset(crawled: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dataset")
    assert (
        main(
            [
                "export",
                "--data",
                str(crawled),
                "--out",
                str(out),
                "--format",
                "csv,parquet,xlsx",
                "--blank-as-zero",
            ]
        )
        == EXIT_OK
    )
    return out


def test_every_file_is_written(dataset: Path) -> None:
    assert {p.name for p in dataset.iterdir()} == EXPECTED
    assert (
        (dataset / "cells.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    )  # Excel needs the BOM for Chinese
    sheets = pd.ExcelFile(dataset / "govreports.xlsx").sheet_names
    assert set(sheets) == set(FILES)


def test_excel_holds_what_the_csv_holds_text_as_text(dataset: Path) -> None:
    """Streamed sheets: the same rows and values as the CSV files; a title that looks like a
    formula or a URL stays text (neutralised with an apostrophe, never run or linked)."""
    sheets = pd.read_excel(dataset / "govreports.xlsx", sheet_name=None, dtype=str)
    for name in FILES:
        csv_frame = pd.read_csv(dataset / f"{name}.csv", encoding="utf-8-sig", dtype=str)
        sheet = sheets[name]
        assert list(sheet.columns) == list(csv_frame.columns), name
        assert len(sheet) == len(csv_frame), name
    reports = sheets["reports"]
    assert reports["urls"].str.startswith("http").all()
    cells = sheets["cells"]
    assert (
        pd.to_numeric(cells["value"]).dropna().astype(int).sum()
        == pd.read_csv(dataset / "cells.csv", encoding="utf-8-sig")["value"]
        .dropna()
        .astype(int)
        .sum()
    )


def test_excel_cuts_what_excel_cannot_hold_and_says_so(tmp_path: Path) -> None:
    import zipfile

    import pyarrow as pa
    from lxml import etree

    from govreports.output.writers import EXCEL_MAX_CHARS, XlsxWriter

    writer = XlsxWriter(tmp_path)
    long_text = "长" * (EXCEL_MAX_CHARS + 10)
    writer.write(
        "notes",
        pa.table({"text": ['=HYPERLINK("http://x")', long_text, None], "n": [1, None, 3]}),
    )
    writer.write("notes", pa.table({"text": ["<&>", "a\x01b", "_x0041_"], "n": [4, 5, 6]}))
    (note,) = writer.close()
    assert "1 Excel cell(s) longer than 32,767 characters" in note
    with zipfile.ZipFile(tmp_path / "govreports.xlsx") as book:
        for part in book.namelist():  # every part well-formed XML
            etree.fromstring(book.read(part))
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "&lt;&amp;&gt;" in sheet_xml and "\x01" not in sheet_xml
    assert "_x005F_x0041_" in sheet_xml  # Excel would read _x0041_ as "A"
    sheet = pd.read_excel(tmp_path / "govreports.xlsx", sheet_name="notes")
    assert sheet["text"][0] == '\'=HYPERLINK("http://x")'  # text, not a formula
    assert len(sheet["text"][1]) == EXCEL_MAX_CHARS and pd.isna(sheet["text"][2])
    assert sheet["n"].tolist()[0] == 1 and pd.isna(sheet["n"][1])
    assert sheet["text"][3] == "<&>" and sheet["text"][4] == "ab" and len(sheet) == 6


def test_one_report_one_row_with_every_url(dataset: Path) -> None:
    reports = pd.read_parquet(dataset / "reports.parquet", dtype_backend="numpy_nullable")
    assert reports["report_id"].is_unique and len(reports) == 10
    pingtan = reports[reports["urls"].str.contains("mirror/2021.htm")].iloc[0]
    assert pingtan["copies"] == 1 and len(pingtan["urls"].split()) == 2  # same bytes at two URLs
    seed = reports[reports["agency"] == "南黄镇人民政府"].iloc[0]
    assert bool(seed["tampered"]) and "澳门英皇娱乐" in seed["tamper_phrases"]


def test_a_page_takes_its_tables_from_its_pdf_attachment(dataset: Path) -> None:
    reports = pd.read_parquet(dataset / "reports.parquet", dtype_backend="numpy_nullable")
    hongze = reports[reports["tables_source"].str.endswith("hongze-2023.pdf")].iloc[0]
    assert (
        hongze["report_year"] == 2023
        and hongze["template"] == "2021"
        and hongze["parse_status"] == "partial"
    )
    assert hongze["urls"].endswith(
        "art_88_1.html"
    )  # the report is the page; its tables came from the PDF
    requests = pd.read_parquet(dataset / "requests.parquet", dtype_backend="numpy_nullable")
    received = requests[
        (requests["report_id"] == hongze["report_id"]) & (requests["row"] == "new_received")
    ]
    assert received["total"].tolist() == [
        21
    ]  # as the PDF prints it (fixtures/gold/hongze-2023.json)
    assert (reports["tables_source"] == "page").sum() == len(reports) - 1


def test_values_are_honest_and_typed(dataset: Path) -> None:
    cells = pd.read_parquet(
        dataset / "cells.parquet", dtype_backend="numpy_nullable", partitioning=YEAR_PARTITIONS
    )
    shanghai = cells[
        cells["report_id"].isin(
            pd.read_parquet(dataset / "reports.parquet").query("agency == '上海市人民政府办公厅'")[
                "report_id"
            ]
        )
    ]
    blank = shanghai[shanghai["status"] == "blank"]
    assert (
        len(blank) > 0 and blank["value"].isna().all() and (blank["value_blank_as_zero"] == 0).all()
    )
    assert cells.loc[cells["status"].isin(["ambiguous", "missing", "na"]), "value"].isna().all()
    # every inferred cell says what decided it; nothing here was read by OCR
    assert cells.loc[cells["status"] == "inferred", "basis"].notna().all()
    assert set(cells["basis"].dropna()) <= {
        "identities",
        "zeros_printed",
        "zero_or_blank",
        "totals_filled",
        "column_order",
    }
    assert cells["ocr_confidence"].isna().all()
    amount = shanghai[(shanghai["row"] == "procurement") & (shanghai["col"] == "amount")].iloc[0]
    assert amount["value"] == 251000 and amount["unit"] == "元"
    schema = pq.read_schema(dataset / "requests.parquet")
    assert (
        str(schema.field("natural_person").type) == "int64"
        and str(schema.field("report_year").type) == "int64"
    )
    requests = pd.read_parquet(dataset / "requests.parquet", dtype_backend="numpy_nullable")
    assert str(requests["natural_person"].dtype) == "Int64"
    csv_requests = pd.read_csv(
        dataset / "requests.csv", encoding="utf-8-sig", dtype={"report_id": "string"}
    )
    assert len(csv_requests) == len(requests)


def test_codebook_matches_the_files(dataset: Path) -> None:
    package = json.loads((dataset / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        header = pd.read_csv(
            dataset / resource["path"], nrows=0, encoding="utf-8-sig"
        ).columns.tolist()
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert header == fields, resource["name"]
        assert all(
            "/" in f["description"] for f in resource["schema"]["fields"]
        )  # Chinese / English
    status = next(f for f in package["resources"][1]["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == [
        "reported",
        "blank",
        "na",
        "inferred",
        "ambiguous",
        "missing",
    ]
    assert "Blank is not 0" in (dataset / "README.md").read_text(encoding="utf-8")


def test_formula_text_is_neutralised() -> None:
    table = pa.table(
        {
            "t": ['=HYPERLINK("http://x")', "+cmd", "@SUM(A1)", "-3", "普通", None],
            "n": [1, 2, 3, 4, 5, 6],
        }
    )
    out = neutralise(table).column("t").to_pylist()
    assert out == ['\'=HYPERLINK("http://x")', "'+cmd", "'@SUM(A1)", "-3", "普通", None]


def test_republished_report_supersedes_the_earlier(tmp_path: Path) -> None:
    web = FakeWeb()
    host = web.host("gov")
    page = page_bytes("synthetic-trs-2021-gbk.html")
    corrected = page.replace(
        "2022-01-28".encode("gb18030"), "2022-03-01".encode("gb18030")
    ).replace("本报告根据".encode("gb18030"), "（更正版）本报告根据".encode("gb18030"))
    assert corrected != page
    links = "".join(
        f"<li><a href='/{n}.html'>2021年政府信息公开工作年度报告{n}</a></li>" for n in ("a", "b")
    )
    host.page("/list.html", f"<html><body><ul>{links}</ul></body></html>".encode())
    host.page("/a.html", page, "text/html; charset=GBK")
    host.page("/b.html", corrected, "text/html; charset=GBK")
    with web, Store(tmp_path / "d") as store:
        Crawler(store, Client(delay=0)).run(
            [Site("gov", "青松县农业农村局", host.url("/list.html"), 0.0)]
        )
    assert (
        main(
            [
                "export",
                "--data",
                str(tmp_path / "d"),
                "--out",
                str(tmp_path / "o"),
                "--format",
                "parquet",
            ]
        )
        == EXIT_OK
    )
    reports = pd.read_parquet(tmp_path / "o" / "reports.parquet").set_index("published")
    assert bool(reports.loc["2022-03-01", "current"]) and not bool(
        reports.loc["2022-01-28", "current"]
    )
    assert reports.loc["2022-01-28", "superseded_by"] == reports.loc["2022-03-01", "report_id"]


def test_a_newer_page_without_tables_does_not_supersede_the_report(tmp_path: Path) -> None:
    web = FakeWeb()
    host = web.host("gov")
    stub = (
        "<html><head><meta charset='utf-8'><title>青松县农业农村局2021年政府信息公开工作年度报告</title></head><body>"
        "<h1>青松县农业农村局2021年政府信息公开工作年度报告</h1><p>发布时间：2022-03-01 来源：青松县农业农村局</p>"
        "<div class='content'><p>本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。详见正文。</p></div></body></html>"
    )
    links = "".join(
        f"<li><a href='/{n}.html'>2021年政府信息公开工作年度报告{n}</a></li>" for n in ("a", "b")
    )
    host.page("/list.html", f"<html><body><ul>{links}</ul></body></html>".encode())
    host.page(
        "/a.html", page_bytes("synthetic-trs-2021-gbk.html"), "text/html; charset=GBK"
    )  # published 2022-01-28
    host.page("/b.html", stub.encode("utf-8"))
    with web, Store(tmp_path / "d") as store:
        Crawler(store, Client(delay=0)).run(
            [Site("gov", "青松县农业农村局", host.url("/list.html"), 0.0)]
        )
    assert (
        main(
            [
                "export",
                "--data",
                str(tmp_path / "d"),
                "--out",
                str(tmp_path / "o"),
                "--format",
                "parquet",
            ]
        )
        == EXIT_OK
    )
    reports = pd.read_parquet(tmp_path / "o" / "reports.parquet").set_index("parse_status")
    assert bool(reports.loc["ok", "current"]) and not bool(reports.loc["no_tables", "current"])


def test_parse_out_writes_the_same_file_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "one"
    source = str(FIXTURES / "pages" / "shanghai-2019.html")
    assert main(["parse", source, "--out", str(out), "--format", "csv,parquet,xlsx"]) == EXIT_OK
    assert {p.name for p in out.iterdir()} == EXPECTED
    cells = pd.read_csv(out / "cells.csv", encoding="utf-8-sig")
    assert len(cells) == 198 and list(cells.columns) == file_def("cells").columns
    assert "wrote 1 report(s)" in capsys.readouterr().out


def test_export_without_a_store_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["export", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "o")])
        == EXIT_USAGE
    )
    assert "no store" in capsys.readouterr().err
    assert (
        main(["export", "--data", str(tmp_path), "--out", str(tmp_path / "o"), "--format", "json"])
        == EXIT_USAGE
    )


# -- all or nothing: a killed export leaves the previous one -------------------------------------


def _rows_read(folder: Path, fmt: str) -> dict[str, int]:
    """What a researcher loads from the folder: rows per file (per sheet for Excel)."""
    from govreports.output.load import read_dataset

    if fmt == "xlsx":
        sheets = pd.read_excel(folder / "govreports.xlsx", sheet_name=None)
        return {name: len(frame) for name, frame in sheets.items()}
    return {name: len(frame) for name, frame in read_dataset(folder).items()}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough reports that an export takes a second or two: kills land while it writes."""
    from benchmarks.export_speed import fill

    data = tmp_path_factory.mktemp("big")
    fill(data, 300)
    return data


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_a_killed_export_leaves_the_previous_export_complete(
    big_store: Path, tmp_path: Path, fmt: str
) -> None:
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    from govreports.output.load import read_dataset
    from govreports.output.publish import MARKER

    data = big_store
    out = tmp_path / "out"
    command = [sys.executable, "-m", "govreports", "export", "--data", str(data)]
    command += ["--out", str(out), "--format", fmt]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    started = time.monotonic()
    assert subprocess.run(command, env=env, cwd=root).returncode == EXIT_OK
    took = time.monotonic() - started
    previous = _snapshot(out)
    rows = _rows_read(out, fmt)
    rng = random.Random(fmt)
    for _ in range(3):
        proc = subprocess.Popen(command, env=env, cwd=root)
        time.sleep(rng.uniform(0.3 * took, 1.2 * took))  # past the imports, into the writing
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if (out / MARKER).exists():  # killed in the milliseconds of moving files in: said so
            with pytest.raises(Exception, match="interrupted"):
                read_dataset(out)
            assert subprocess.run(command, env=env, cwd=root).returncode == EXIT_OK
        now = _snapshot(out)
        assert set(now) == set(previous)  # never a file missing, truncated or left over
        assert _rows_read(out, fmt) == rows
    assert main(["export", "--data", str(data), "--out", str(out), "--format", fmt]) == EXIT_OK
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # killed runs' staging folders removed


def test_sigterm_stops_an_export_cleanly(big_store: Path, tmp_path: Path) -> None:
    """SIGTERM unwinds like Ctrl-C: exit 143, the staging folder removed at once (not left
    for the next run), the previous export untouched."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    command = [sys.executable, "-m", "govreports", "export", "--data", str(big_store)]
    command += ["--out", str(out), "--format", "csv"]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    assert subprocess.run(command, env=env, cwd=root).returncode == EXIT_OK
    previous, rows = _snapshot(out), _rows_read(out, "csv")
    proc = subprocess.Popen(command, env=env, cwd=root, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # until the staging folder beside out/ exists: writing has begun
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and "the previous one is as it was" in err, err
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert _snapshot(out) == previous and _rows_read(out, "csv") == rows


def test_dropping_a_format_removes_its_files_and_keeps_the_rest(
    crawled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    args = ["export", "--data", str(crawled), "--out", str(out), "--format"]
    assert main([*args, "csv,parquet"]) == EXIT_OK
    assert main([*args, "csv"]) == EXIT_OK
    names = {p.name for p in out.iterdir()}
    assert not any(n.endswith(".parquet") for n in names)
    assert {"cells.csv", "datapackage.json", "README.md", "notes.txt"} <= names


def test_a_sheet_past_excels_row_limit_stops_there_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa

    from govreports.output import writers

    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 3)
    writer = writers.XlsxWriter(tmp_path)
    for start in (0, 2):  # two chunks: the second passes the limit
        writer.write("cells", pa.table({"n": list(range(start, start + 2))}))
    (note,) = writer.close()
    assert "'cells' was cut at 3 rows" in note and "CSV and Parquet files are whole" in note
    assert pd.read_excel(tmp_path / "govreports.xlsx")["n"].tolist() == [0, 1, 2]
