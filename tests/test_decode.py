import codecs

import pytest

from govreports.parsers.formats.decode import DecodeError, decode

TEXT = "南黄镇2020年政府信息公开工作年度报告"


def test_bom_wins() -> None:
    d = decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), {"Content-Type": "text/html; charset=gbk"})
    assert (d.text, d.encoding, d.how) == (TEXT, "utf-8", "bom")


def test_http_charset_used_when_true() -> None:
    d = decode(TEXT.encode("gbk"), {"Content-Type": "text/html; charset=GBK"})
    assert (d.text, d.encoding, d.how) == (TEXT, "gb18030", "http")


def test_requests_latin1_default_is_not_a_declaration() -> None:
    # no charset in the header: requests would say ISO-8859-1; we detect instead
    d = decode(TEXT.encode("gbk"), {"Content-Type": "text/html"})
    assert d.text == TEXT and d.how == "detected"


def test_declared_latin1_is_overruled_for_chinese_bytes() -> None:
    d = decode(TEXT.encode("utf-8"), {"content-type": "text/html; charset=ISO-8859-1"})
    assert d.text == TEXT and d.encoding == "utf-8"


def test_meta_charset() -> None:
    page = f'<html><head><meta charset="gb2312"></head><body>{TEXT}</body></html>'
    d = decode(page.encode("gbk"))
    assert TEXT in d.text and d.how == "meta" and d.encoding == "gb18030"


def test_lying_meta_is_overruled_by_the_bytes() -> None:
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>{TEXT}</body></html>'
    d = decode(page.encode("utf-8"))
    assert TEXT in d.text and d.encoding == "utf-8"
    assert any("contradicted" in n for n in d.notes)


def test_lying_utf8_meta_on_gbk_bytes() -> None:
    page = f'<meta charset="utf-8"><p>{TEXT}</p>'
    d = decode(page.encode("gbk"))
    assert TEXT in d.text and d.encoding == "gb18030"


def test_gbk_only_characters_read_as_gb18030() -> None:
    text = "镕基" * 20  # 镕 is in GBK, not in GB2312
    d = decode(f'<meta charset="gb2312"><p>{text}</p>'.encode("gbk"))
    assert text in d.text


def test_garbage_is_refused() -> None:
    with pytest.raises(DecodeError):
        decode(b"\x81\x30" * 10 + bytes(range(0x80, 0x100)) * 40)
