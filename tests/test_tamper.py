from govreports.parsers.metadata.spam import find_spam, strip_spam


def test_seed_spam_found_exactly() -> None:
    text = "澳门英皇娱乐_天下足球网-盘口官网南黄镇2020年政府信息公开工作年度报告\n上级澳门英皇娱乐_天下足球网-盘口官网:政务公开"
    assert find_spam(text) == ["澳门英皇娱乐_天下足球网-盘口官网"]
    assert (
        strip_spam("澳门英皇娱乐_天下足球网-盘口官网南黄镇人民政府", find_spam(text))
        == "南黄镇人民政府"
    )


def test_other_brands_and_site_words() -> None:
    assert find_spam("2019年度报告-威尼斯人娱乐城_官方网站") == ["威尼斯人娱乐城_官方网站"]
    assert find_spam("新葡京百家乐注册送彩金 某某区人民政府") != []


def test_real_government_words_are_not_spam() -> None:
    legit = "澳门特别行政区 公共娱乐场所消防检查 棋牌室整治 金沙江流域 中国体育彩票 科教文体卫生 政府门户网站"
    assert find_spam(legit) == []
