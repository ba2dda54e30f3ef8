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


# -- hijacked pages made by a generator: brands and domains the code has never seen -------------

import random  # noqa: E402
import re  # noqa: E402

import pytest  # noqa: E402

from govreports.parsers import parse  # noqa: E402
from tests.fuzz.render import render  # noqa: E402
from tests.fuzz.score import golds  # noqa: E402

# Characters brand names are made of: drawn at random, never a list of brands.
_NAME_CHARS = "开云九游乐鱼华米半岛金博爱星空必威亚宝盈天鸿运凯发皇冠银河新濠永利雷火万博沙巴龙虎"
_WORDS = ("娱乐", "体育", "真人", "棋牌", "电竞", "捕鱼")
_SITES = ("官网", "官方网站", "app下载", "官方下载", "入口", "网页版", "APP", "手机版")
_TLDS = ("vip", "com", "cc", "top", "xyz", "net", "app", "bet", "club")


def _brand(rng: random.Random) -> str:
    if rng.random() < 0.3:
        name = "".join(rng.choice("abcdefghkmnpqrstwxyz") for _ in range(rng.randint(2, 5)))
        name += str(rng.randint(10, 9999))
    else:
        name = "".join(rng.choice(_NAME_CHARS) for _ in range(2))
    return name + rng.choice(_WORDS) + rng.choice(_SITES)


def _domain(rng: random.Random) -> str:
    host = "".join(rng.choice("abcdefghkmnpqrstwxyz") for _ in range(rng.randint(2, 6)))
    return (
        f"{'www.' if rng.random() < 0.3 else ''}{host}{rng.randint(10, 9999)}.{rng.choice(_TLDS)}"
    )


def injection(rng: random.Random) -> str:
    """A spam phrase as hijacked mirrors print it: a brand, an address, site words, glued."""
    brand, domain = _brand(rng), _domain(rng)
    return rng.choice(
        [
            brand,
            domain,
            f"{brand}-{domain}",
            f"官方下载-{domain}",
            f"{domain}_{brand}",
            f"app官方网站-{brand}",
        ]
    )


def hijack(page: str, rng: random.Random) -> tuple[str, list[str]]:
    """The page with spam spliced into its title, its 来源 line, a sentence of its prose and a
    row label of table 三."""
    spam = [injection(rng) for _ in range(4)]
    page = page.replace("本年新收政府信息公开申请数量", f"本年新收{spam[3]}政府信息公开申请数量", 1)
    page = re.sub(
        r"(<title>|^)(?=[^\n<]*年度报告)", lambda m: m.group(1) + spam[0], page, count=1, flags=re.M
    )
    page = page.replace("来源：", "来源：" + spam[1], 1)
    at = page.find("。", page.find("本报告"))
    if at > 0:
        page = page[:at] + spam[2] + page[at:]
    return page, spam


PAGES = [
    (g, form) for g in golds(11, 12) for form in ("html_table", "cell_per_line", "row_per_line")
]


@pytest.mark.parametrize("index", range(len(PAGES)))
def test_every_generated_hijack_is_caught_and_the_page_reads_as_before(index: int) -> None:
    gold, form = PAGES[index]
    data, _, description = render(gold, form, 11)
    encoding = "gbk" if " gbk " in description else "utf-8"
    clean = parse(data, f"http://mirror.test/{index}")
    assert not clean.report.tampered, clean.report.tamper_phrases  # the clean page is never flagged
    rng = random.Random(index)
    page, spam = hijack(data.decode(encoding), rng)
    hijacked = parse(page.encode(encoding, "replace"), f"http://mirror.test/{index}")
    got = hijacked.report
    assert got.tampered, spam
    for field in ("title", "agency", "year"):
        assert getattr(got, field) == getattr(clean.report, field), (field, spam)
    assert not any(p in (got.title or "") + (got.agency or "") for p in got.tamper_phrases)
    assert [(c.address, c.status, c.value) for c in hijacked.cells] == [
        (c.address, c.status, c.value) for c in clean.cells
    ]


def test_clean_pages_are_never_flagged() -> None:
    """Real report words: 体育局, 体育彩票管理中心, 娱乐场所, 棋牌室, 门户网站, app, 下载, mail and
    government addresses."""
    legit = (
        "县文化广电旅游体育局 中国体育彩票管理中心 公共娱乐场所消防检查 棋牌室整治 真人秀节目备案 "
        "政府门户网站 政务服务app 下载申请表 官方微博 电子邮箱 zwgk2020@163.com xxgk@126.com "
        "www.gov.cn www.pingtan.gov.cn 12345.gov.cn 12306.cn 全民健身体育平台 电竞产业园规划"
    )
    assert find_spam(legit) == []


def test_no_clean_fixture_is_flagged() -> None:
    from tests.conftest import FIXTURES

    files = [p for d in ("pages", "pdf") for p in sorted((FIXTURES / d).iterdir()) if p.is_file()]
    flagged = {
        p.name: r.report.tamper_phrases
        for p in files
        if (r := parse(p.read_bytes(), str(p))).report.tampered
    }
    assert flagged == {"seed-nanhuang-2020.txt": ["澳门英皇娱乐_天下足球网-盘口官网"]}
