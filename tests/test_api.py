"""The Python API as a notebook meets it: govreports.parse on bytes, a path and a URL, to_json as
the CLI prints it, clear errors for a bad source, and read_dataset typed by the codebook."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path

import pandas as pd
import pytest

import govreports
from govreports.cli.fakeweb import FakeHost
from govreports.cli.main import main
from govreports.cli.samples import samples_root
from govreports.output.load import PANDAS_DTYPES
from govreports.output.schema import FILES, file_def
from tests.conftest import FIXTURES, page_bytes

SHANGHAI = FIXTURES / "pages" / "shanghai-2019.html"
# One sample per reader: HTML tables, flattened text, Word, Word 97-2003, a workbook, a PDF.
SAMPLES = [
    "pages/shanghai-2019.html",
    "pages/pingtan-2021.txt",
    "pages/synthetic-hongze-2024.docx",
    "pages/synthetic-hongze-2024-blanks.doc",
    "pages/synthetic-shanghai-2019-excel97.xls",
    "pdf/hongze-2023.pdf",
]


def test_public_names() -> None:
    assert callable(govreports.parse) and callable(govreports.read_dataset)
    assert isinstance(govreports.__version__, str) and govreports.__version__.count(".") == 2
    assert set(govreports.__all__) <= set(dir(govreports))


def test_parse_bytes_path_and_str_agree() -> None:
    from_bytes = govreports.parse(SHANGHAI.read_bytes(), url=str(SHANGHAI))
    from_path = govreports.parse(SHANGHAI)
    from_str = govreports.parse(str(SHANGHAI))
    packaged = govreports.parse(files("govreports.samples") / "pages" / "shanghai-2019.html")
    assert isinstance(from_path, govreports.Report)
    assert from_bytes.to_json() == from_path.to_json() == from_str.to_json()
    assert packaged.to_json()["cells"] == from_path.to_json()["cells"]
    assert (
        from_path.status == "ok"
        and from_path.report.agency == "上海市人民政府办公厅"
        and from_path.report.year == 2019
    )
    assert from_path.source.location == str(SHANGHAI)
    cells = {c.address: c for c in from_path.cells}
    assert cells["requests/new_received/total"].value == 859


def test_parse_bytes_without_url() -> None:
    report = govreports.parse(page_bytes("shanghai-2019.html"))
    assert report.source.location == "-" and report.status == "ok"
    assert (
        govreports.parse(bytearray(page_bytes("shanghai-2019.html"))).to_json() == report.to_json()
    )


def test_parse_url_from_loopback(http_server: FakeHost) -> None:
    http_server.page(
        "/art/2021/report.html", page_bytes("synthetic-trs-2021-gbk.html"), "text/html; charset=GBK"
    )
    url = http_server.url("/art/2021/report.html")
    report = govreports.parse(url)
    assert report.report.agency == "青松县农业农村局" and report.source.encoding == "gb18030"
    assert report.source.location == url
    assert http_server.count("/art/2021/report.html") == 1
    # url= renames the location of what was fetched; bytes with url= read the same as the fetch
    assert (
        govreports.parse(url, url="https://example.gov.cn/r.html").source.location
        == "https://example.gov.cn/r.html"
    )
    assert (
        govreports.parse(page_bytes("synthetic-trs-2021-gbk.html"), url=url).to_json()["cells"]
        == report.to_json()["cells"]
    )


@pytest.mark.parametrize("sample", SAMPLES)
def test_to_json_is_what_the_cli_prints(sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = samples_root() / sample
    main(["parse", "--json", str(path)])
    printed = json.loads(capsys.readouterr().out)
    assert govreports.parse(path).to_json() == printed
    assert (
        json.loads(json.dumps(govreports.parse(path).to_json(), ensure_ascii=False)) == printed
    )  # plain JSON types


def test_bad_sources_are_named(tmp_path: Path, http_server: FakeHost) -> None:
    with pytest.raises(govreports.SourceError, match=r"nope\.html: cannot read file") as missing:
        govreports.parse(tmp_path / "nope.html")
    assert not missing.value.fetch
    with pytest.raises(govreports.SourceError, match="cannot read file"):
        govreports.parse(tmp_path)  # a folder
    with pytest.raises(govreports.SourceError, match="not a file path"):
        govreports.parse("a\x00b.html")
    with pytest.raises(govreports.SourceError, match="fetch failed") as fetch:
        govreports.parse(http_server.url("/missing"))
    assert fetch.value.fetch
    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(govreports.SourceError, match="size cap"):
        govreports.parse(big, max_bytes=1000)
    with pytest.raises(TypeError, match="pass a page's content as bytes"):
        govreports.parse(page_bytes("shanghai-2019.html").decode("utf-8"))
    with pytest.raises(TypeError, match="not int"):
        govreports.parse(42)  # type: ignore[arg-type]


def test_unreadable_page_is_a_report_not_an_exception() -> None:
    for data in (b"", (FIXTURES / "bad" / "binary-junk.bin").read_bytes()):
        report = govreports.parse(data)
        assert report.status == "not_a_report" and report.problems


@pytest.fixture
def demo_dataset(demo_output: Path) -> Path:
    return demo_output / "dataset"


def _assert_codebook_dtypes(frames: dict[str, pd.DataFrame]) -> None:
    assert set(frames) == set(FILES)
    for name, frame in frames.items():
        fields = file_def(name).fields
        assert list(frame.columns) == [f.name for f in fields], name
        for f in fields:
            assert str(frame[f.name].dtype) == PANDAS_DTYPES[f.type], (
                name,
                f.name,
                frame[f.name].dtype,
            )


def test_read_dataset_parquet(demo_dataset: Path) -> None:
    frames = govreports.read_dataset(demo_dataset)
    _assert_codebook_dtypes(frames)
    assert len(frames["reports"]) == 10
    cells = frames["cells"]
    assert cells["value"].isna().any() and not (
        cells.loc[cells["status"] == "blank", "value"].notna().any()
    )


def test_read_dataset_csv_types_as_parquet(demo_dataset: Path, tmp_path: Path) -> None:
    for csv in demo_dataset.glob("*.csv"):
        shutil.copy(csv, tmp_path / csv.name)
    from_csv = govreports.read_dataset(str(tmp_path))
    _assert_codebook_dtypes(from_csv)
    from_parquet = govreports.read_dataset(demo_dataset)
    # the same rows, in the order of the primary key (cells.parquet is a folder per year)
    for name in FILES:
        key = list(file_def(name).primary_key)
        csv_rows, parquet_rows = (
            f[name].sort_values(key, ignore_index=True) for f in (from_csv, from_parquet)
        )
        pd.testing.assert_frame_equal(csv_rows, parquet_rows)


def test_read_dataset_of_no_export(tmp_path: Path) -> None:
    with pytest.raises(govreports.DatasetError, match="no dataset files"):
        govreports.read_dataset(tmp_path)
