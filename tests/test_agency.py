"""Who published a report: one rule over the 发布机构 field, the 来源 field, the title and the
signature (metadata/fields.py), checked on generated pages with the publisher spelled the ways
pages spell it. Each case is generated, not listed: places × bodies × spellings × where the
name stands."""

from __future__ import annotations

import random

import pytest

from govreports.parsers.metadata.fields import extract_metadata
from govreports.parsers.page.body import read_page

PLACES = ("淮安市洪泽区", "白沙黎族自治县", "上海市", "平潭县", "南黄镇", "某某市高新区")
BODIES = (
    "人民政府",
    "人民政府办公室",
    "财政局",
    "卫生健康委员会",
    "市场监督管理局",
    "自然资源和规划局",
)
NOISE = ("", "门户网站", "政府网站", "官网")


def _spelled(name: str, rng: random.Random) -> str:
    """The name as a page prints it: spaces (ASCII, ideographic, several) inside."""
    chars = list(name)
    for _ in range(rng.randrange(3)):
        chars.insert(rng.randrange(1, len(chars)), rng.choice((" ", "\u3000", "  ")))
    return "".join(chars)


def _page(title: str, source: str | None, signer: str | None, year: int = 2023) -> str:
    lines = [title, f"发布时间：{year + 1}-01-20"]
    if source is not None:
        lines.append(f"来源：{source}")
    lines += [
        title,
        "一、总体情况",
        "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    if signer is not None:
        lines += [signer, f"{year + 1}年1月20日"]
    return "\n".join(lines)


CASES = [(place, body, seed) for place in PLACES for body in BODIES for seed in range(3)]


@pytest.mark.parametrize(("place", "body", "seed"), CASES)
def test_the_publisher_comes_out_as_one_spelling_wherever_it_stands(
    place: str, body: str, seed: int
) -> None:
    rng = random.Random(f"{place}{body}{seed}")
    agency = place + body
    printed = _spelled(agency, rng) + rng.choice(NOISE)
    county = place + "人民政府"  # the site's owner, which a department's page names as 来源
    title_names = rng.random() < 0.5
    title = f"{agency if title_names else ''}2023年政府信息公开工作年度报告"
    where = rng.choice(("source", "signature", "both"))
    if title_names:  # the title names it: the 来源 may be the site's owner instead
        page = _page(title, rng.choice((printed, _spelled(county, rng), None)), None)
    elif where == "source":
        page = _page(title, printed, None)
    elif where == "signature":  # no 来源 field: the signature says who signed
        page = _page(title, None, _spelled(agency, rng))
    else:  # the 来源 names the county; the signature names the department
        page = _page(title, _spelled(county, rng), _spelled(agency, rng))
    assert extract_metadata(read_page(page)).agency == agency, page


def test_a_publisher_field_outranks_every_other_name() -> None:
    page = _page("某县财政局2023年政府信息公开工作年度报告", "某县人民政府", "某县财政局")
    page = page.replace("来源：某县人民政府", "发布机构：某县审计局")
    assert extract_metadata(read_page(page)).agency == "某县审计局"


def test_the_source_spelling_out_the_titles_name_in_full_is_kept() -> None:
    page = _page("上海市2019年政府信息公开工作年度报告", "上海市人民政府办公厅", None, 2019)
    assert extract_metadata(read_page(page)).agency == "上海市人民政府办公厅"
