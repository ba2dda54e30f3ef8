"""Publishers placed on the map of their report year: code of the year, stable id, basis."""

from __future__ import annotations

from govreports.output.divisions import Division, locate


def one(name: str | None, year: int | None, *more: tuple[str, str | None]) -> Division:
    return locate([([("agency", name), *more], year)])[0]


def test_a_renamed_county_keeps_its_year_code_and_a_stable_id() -> None:
    then, now = one("洪泽县人民政府", 2015), one("淮安市洪泽区人民政府", 2024)
    assert (then.code, then.county, then.stable_id) == ("320829", "洪泽县", "320813")
    assert (now.code, now.county, now.stable_id) == ("320813", "洪泽区", "320813")
    assert then.city == now.city == "淮安市" and then.basis == "agency"


def test_provincial_and_municipal_bodies_get_their_level() -> None:
    shanghai = one("上海市人民政府办公厅", 2019)
    assert (shanghai.code, shanghai.province, shanghai.city) == ("310000", "上海市", None)
    assert one("淮安市人民政府", 2024).code == "320800"


def test_zones_come_from_the_override_table_and_unknowns_stay_empty() -> None:
    zone = one("平潭综合实验区管委会", 2021)
    assert (zone.code, zone.basis) == ("350128", "override")
    assert one("南黄镇人民政府", 2020) == Division()  # a township without its county: no guess
    assert one(None, None) == Division()


def test_later_candidates_stand_in_for_a_name_that_says_no_place() -> None:
    found = one("交通运输局", 2023, ("site_agency", "北京市东城区人民政府"))
    assert (found.code, found.basis) == ("110101", "site_agency")


def test_years_after_cnlocs_map_use_its_last_year() -> None:
    assert one("淮安市洪泽区人民政府", 2025).code == "320813"
