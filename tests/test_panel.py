"""The agency-year panel, its indicators and its cross-year checks (output/panel.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from govreports.output.dataset import entries_from_reports
from govreports.output.export import export
from govreports.output.indicators import indicators, measures
from govreports.output.load import read_dataset
from govreports.output.panel import agency_key
from govreports.parsers import parse
from tests.conftest import FIXTURES

HONGZE = ("pdf/hongze-2023.pdf", "pdf/hongze-2024.pdf")


def _entries(names: tuple[str, ...]) -> list[Any]:
    return entries_from_reports([parse((FIXTURES / n).read_bytes(), n) for n in names])


def _cell(entry: Any, key: str) -> dict[str, Any]:
    table, row, col = key.split("/")
    return next(
        c for c in entry.doc["cells"] if (c["table"], c["row"], c["col"]) == (table, row, col)
    )


@pytest.fixture(scope="module")
def panel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("panel")
    names = (*HONGZE, "pages/seed-nanhuang-2020.txt", "pdf/huaian-2024.pdf")
    export(_entries(names), out)
    return out


def test_one_row_per_agency_year_across_spellings_of_the_agency(panel_dir: Path) -> None:
    panel = read_dataset(panel_dir)["panel"]
    hongze = panel[panel["agency_key"] == "320813:人民政府"]  # 洪泽区人民政府, 淮安市洪泽区人民政府
    assert sorted(hongze["report_year"]) == [2023, 2024]
    assert not panel.duplicated(["agency_key", "report_year"]).any()
    huaian = panel[panel["report_year"] == 2024].set_index("agency")
    row = huaian.loc["淮安市人民政府"]
    assert (row["new_received"], row["total_processed"], row["quality"]) == (3119, 3050, "reported")
    assert row["substantive_rate"] == pytest.approx((1362 + 454) / 3050)
    assert row["substantive_rate_base"] == 3050
    assert row["reviews_per_100"] == pytest.approx(351 / 3119 * 100)


def test_a_rate_over_zero_or_an_unknown_is_empty_never_zero(panel_dir: Path) -> None:
    panel = read_dataset(panel_dir)["panel"].set_index("agency")
    nanhuang = panel.loc["南黄镇人民政府"]  # no requests at all in 2020
    assert nanhuang["new_received"] == 0 and nanhuang["share_natural_person_base"] == 0
    assert pd.isna(nanhuang["share_natural_person"]) and pd.isna(nanhuang["granted_rate"])
    # no previous year in the panel: no year-on-year change
    assert pd.isna(panel.loc["淮安市人民政府"]["new_received_change"])


def test_year_on_year_change_and_carried_forward_checks(panel_dir: Path) -> None:
    data = read_dataset(panel_dir)
    panel, checks = data["panel"], data["panel_checks"]
    h = panel[panel["agency_key"] == "320813:人民政府"].set_index("report_year")
    assert h.loc[2024, "new_received_change"] == pytest.approx((95 - 21) / 21)
    carried = checks[(checks["check"] == "carried_forward") & (checks["report_year"] == 2023)]
    assert len(carried) == 7 and set(carried["result"]) == {"pass"}  # 0 forward, 0 over


def test_a_carried_figure_that_does_not_reappear_is_a_failed_check_and_no_cell_changes(
    tmp_path: Path,
) -> None:
    entries = _entries(HONGZE)
    later = next(e for e in entries if e.doc["report"]["year"] == 2024)
    _cell(later, "requests/carried_over/natural_person").update(value=3, raw="3")
    export(entries, tmp_path)
    data = read_dataset(tmp_path)
    checks = data["panel_checks"].set_index("column")
    assert checks.loc["natural_person", "result"] == "fail"
    assert checks.loc["natural_person", "other_value"] == 3
    assert checks.loc["commercial", "result"] == "pass"
    panel = data["panel"].set_index("report_year")
    assert panel.loc[2023, "carried_forward"] == 0  # as printed: never repaired


def test_a_report_changed_after_publication_is_listed_with_both_versions(tmp_path: Path) -> None:
    (old,) = _entries(HONGZE[1:])
    new = copy.deepcopy(old)
    new.report_id, new.sha256 = "f" * 16, "f" * 64
    _cell(new, "requests/granted/total").update(value=51, raw="51")
    old.current, old.superseded_by = False, new.report_id
    export([old, new], tmp_path)
    data = read_dataset(tmp_path)
    revised = data["panel_checks"][data["panel_checks"]["check"] == "revised"]
    row = revised.set_index("column").loc["granted"]
    assert (row["value"], row["other_value"], row["report_id"], row["other_report_id"]) == (
        50,
        51,
        old.report_id,
        new.report_id,
    )
    assert list(data["panel"]["report_id"]) == [new.report_id]  # the current version


def test_blank_cells_leave_measures_empty_unless_blank_as_zero(tmp_path: Path) -> None:
    name = "pdf/synthetic-hongze-2024-blanks-ruled.pdf"
    export(_entries((name,)), tmp_path / "honest")
    export(_entries((name,)), tmp_path / "zero", blank_as_zero=True)
    honest = read_dataset(tmp_path / "honest")["panel"].iloc[0]
    zero = read_dataset(tmp_path / "zero")["panel"].iloc[0]
    assert honest["quality"] == "blank" and pd.isna(honest["denied"])
    assert zero["denied"] == 3 and zero["new_received"] == 95


def test_every_measure_and_indicator_is_in_the_codebook_with_its_formula(panel_dir: Path) -> None:
    package = json.loads((panel_dir / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["name"] == "panel" and r["format"] == "csv"]
    described = {f["name"]: f["description"] for f in resource["schema"]["fields"]}
    for m in measures():
        assert m.source in described[m.name]
    for i in indicators():
        assert i.formula in described[i.name] and f"{i.name}_base" in described
    assert "substantive_rate" in (panel_dir / "README.md").read_text(encoding="utf-8")


def test_agency_key_without_a_division_is_the_name() -> None:
    assert agency_key({"agency": "南黄镇人民政府"}) == "南黄镇人民政府"
    meta = {
        "agency": "淮安市洪泽区人民政府",
        "division_id": "320813",
        "city": "淮安市",
        "county": "洪泽区",
    }
    assert agency_key(meta) == agency_key({**meta, "agency": "洪泽区人民政府"}) == "320813:人民政府"


def test_every_export_draws_a_self_contained_overview(panel_dir: Path) -> None:
    from lxml import html

    page = html.fromstring((panel_dir / "overview.html").read_bytes())
    assert page.xpath("//meta[@name='viewport']")  # readable on a phone
    assert not page.xpath("//script|//link|//img|//*[@src]")  # nothing fetched: opens offline
    assert [h.get("id") for h in page.xpath("//h2")] == [
        "coverage",
        "quality",
        "checks",
        "indicators",
    ]
    coverage = page.xpath("//h2[@id='coverage']/following-sibling::div[1]//tr")
    header = [th.text_content() for th in coverage[0]]
    jiangsu = next(tr for tr in coverage if tr[0].text_content() == "江苏省")
    row = dict(zip(header, (td.text_content() for td in jiangsu)))
    assert (row["2023"], row["2024"]) == ("1", "2")  # 洪泽区 in 2023; 洪泽区 and 淮安市 in 2024
    quality = {
        tr[0].text_content(): [td.text_content() for td in tr[1:4]]
        for tr in page.xpath("//h2[@id='quality']/following-sibling::div[1]//tr[td]")
    }
    assert quality["crawler-text"] == [
        "1",
        "198",
        "0.0%",
    ]  # the seed: one report, 198 cells, none flagged
    assert "pdf-table" in quality
    checks = page.xpath("//h2[@id='checks']/following-sibling::table[1]//td/text()")
    assert "carried_forward" in checks and "pass" in checks


def test_the_overview_opens_in_a_real_browser(panel_dir: Path, tmp_path: Path) -> None:
    """Headless Chromium (Debian's, which .ci/run installs where it can) loads the page from disk
    at a phone's width with the network off, and what it rendered holds every section."""
    import shutil
    import subprocess

    browser = next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )
    if browser is None:
        pytest.skip("no Chromium on this machine: the overview was checked as a DOM only")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=390,844",  # a phone
    ]
    url = (panel_dir / "overview.html").as_uri()
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    ).stdout
    assert 'id="coverage"' in dom and 'id="indicators"' in dom and "江苏省" in dom
    shot = tmp_path / "overview.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", url], capture_output=True, timeout=120)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
