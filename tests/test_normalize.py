from govreports.parsers.registry import TEMPLATES
from govreports.parsers.tables.labels import best_match, normalize


def rows(template: str) -> list[tuple[str, tuple[str, ...]]]:
    t = TEMPLATES[template]
    return [
        (r.key, r.labels)
        for table in t.tables
        for b in table.blocks
        for r in b.rows
        if any(r.labels)
    ]


def test_normalize_folds_width_quotes_enumerators() -> None:
    assert (
        normalize("3、危及“三安全一稳定”")
        == normalize('3.危及"三安全一稳定"')
        == "危及三安全一稳定"
    )
    assert normalize("（二）部分 公开") == "部分公开"
    assert normalize("第二十条第（一）项") == "第二十条第一项"


def test_row_labels_in_the_wild() -> None:
    r21 = rows("2021")
    assert best_match("2．其他法律行政止公开", r21) == "denied_prohibited_by_law"  # real typo
    assert best_match("1、本机关不掌握相关政府信息", r21) == "unavailable_not_held"
    assert best_match("3.其他", r21) == "other_misc"
    assert (
        best_match("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", r21)
        == "partially_granted"
    )
    assert best_match("四、结转下年度继续办理", r21) == "carried_forward"
    assert best_match("四、政府信息公开行政复议、行政诉讼情况", r21) is None
    assert best_match("（六）其他处理", rows("2019")) == "other"


def test_short_labels_match_only_exactly() -> None:
    assert best_match("规章制度建设情况说明", rows("2019")) is None


def test_the_parent_is_named_by_the_office_or_by_the_report_text() -> None:
    from govreports.parsers.metadata.agency import parent_agency

    assert parent_agency("淮安市洪泽区人民政府办公室", "") == "淮安市洪泽区人民政府"
    assert parent_agency("某县政府办", "") == "某县人民政府"
    text = "在淮安市洪泽区人民政府的领导下，淮安市洪泽区财政局……"
    assert parent_agency("淮安市洪泽区财政局", text) == "淮安市洪泽区人民政府"  # the longest place
    assert parent_agency("淮安市洪泽区财政局", "本局……") is None  # the text does not name it
    assert parent_agency("财政局", text) is None and parent_agency("淮安市人民政府", text) is None
