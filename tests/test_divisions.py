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


def test_agency_names_are_one_spelling_and_say_their_kind() -> None:
    from govreports.parsers.metadata.agency import agency_kind, normalize_agency

    assert normalize_agency("上海市 人民政府") == "上海市人民政府"
    assert normalize_agency("某县人民政府门户网站") == "某县人民政府"
    assert normalize_agency("ＸＸ市统计局") == "XX市统计局"  # full-width letters
    assert normalize_agency("网站") is None
    kinds = {
        "某县人民政府": "government",
        "某市人民政府办公室": "government_office",
        "某县政府办": "government_office",
        "某县交通运输局": "department",
        "某市发展和改革委员会": "department",
        "某经济开发区管委会": "other",
        "某街道办事处": "other",
    }
    assert {name: agency_kind(name) for name in kinds} == kinds


def test_the_level_comes_from_the_agencys_own_name() -> None:
    from govreports.output.divisions import agency_level

    def level(name: str, year: int = 2023, *more: tuple[str, str | None]) -> str | None:
        return agency_level(name, one(name, year, *more))

    assert level("上海市人民政府办公厅") == "province"
    assert level("淮安市交通运输局") == "city"
    assert level("淮安市洪泽区人民政府") == "county"
    assert level("南黄镇人民政府") == "township"
    assert level("国家统计局") == "central"
    # placed by the site's name, but the name itself says no level: other, not the site's
    assert level("交通运输局", 2023, ("site_agency", "北京市东城区人民政府")) == "other"
