"""List-page reading, as pure functions: report links, pagination shapes, site boundaries."""

from __future__ import annotations

from govreports.scraper.discover import (
    Link,
    is_report_link,
    kind_of,
    off_site,
    read_list_page,
    read_proxy_answer,
    site_domain,
)

BASE = "http://www.example.gov.cn/col/nb/index.html"


def test_trs_page_count_from_create_page_html_variants() -> None:
    plain = read_list_page('<script>createPageHTML(3, 0, "index", "html");</script>', BASE)
    assert plain.next_pages == [
        "http://www.example.gov.cn/col/nb/index_1.html",
        "http://www.example.gov.cn/col/nb/index_2.html",
    ]
    with_div = read_list_page(
        "<script>createPageHTML('page_div',2, 1,'index','shtml',40);</script>", BASE
    )
    assert with_div.next_pages == ["http://www.example.gov.cn/col/nb/index_1.shtml"]
    count_var = read_list_page("<script>var countPage = 2;var currentPage = 0;</script>", BASE)
    assert count_var.next_pages == ["http://www.example.gov.cn/col/nb/index_1.html"]
    assert (
        read_list_page('<script>createPageHTML(1, 0, "index", "html");</script>', BASE).next_pages
        == []
    )


def test_next_page_link() -> None:
    page = read_list_page("<a href='list_2.html'>下一页</a><a href='list_9.html'>尾页</a>", BASE)
    assert page.next_pages == ["http://www.example.gov.cn/col/nb/list_2.html"]


def test_hanweb_inline_records_and_proxy() -> None:
    html = (
        "<script type='text/xml'><datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&amp;columnid=9\"></a>]]>"
        "</nextgroup><recordset><record><![CDATA[<li><a href='/art/2021/1/1/art_9_1.html' title='某局2020年政府信息公开工作年度报告'>某局2020年…</a></li>]]></record>"
        "</recordset></datastore></script><script>$('#1').jpage({totalRecord:31,perPage:15});</script>"
    )
    page = read_list_page(html, BASE)
    assert [lk.text for lk in page.links] == [
        "某局2020年政府信息公开工作年度报告"
    ]  # the whole title, not the cut text
    assert (
        page.hanweb is not None
        and page.hanweb.total == 31
        and page.hanweb.per_page == 15
        and page.hanweb.seen == 1
    )
    assert (
        page.hanweb.url
        == "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=9"
    )
    answer = "<datastore><recordset><record><![CDATA[<a href='/art/2.html'>2019年度报告</a>]]></record></recordset></datastore>"
    assert read_proxy_answer(answer, page.hanweb.url) == [
        Link("http://www.example.gov.cn/art/2.html", "2019年度报告")
    ]


def test_report_links_name_a_year() -> None:
    assert is_report_link(Link("u", "某县2021年政府信息公开工作年度报告"))
    assert is_report_link(Link("u", "二〇二〇年政府信息公开年报"))
    assert not is_report_link(Link("u", "政府信息公开年报"))  # the column, not a report
    assert not is_report_link(Link("u", "2021年工作总结"))


def test_site_boundaries() -> None:
    domain = site_domain("https://www.pingtan.gov.cn/zwgk/nb/index.htm")
    assert domain == "pingtan.gov.cn"
    assert off_site("https://xxgk.pingtan.gov.cn/a.html", domain) is None
    assert (
        off_site("https://www.casino-example.com/", domain)
        == "off the site's domain pingtan.gov.cn"
    )
    assert (
        off_site("https://evilpingtan.gov.cn/", domain) is not None
    )  # a suffix is not a subdomain
    assert off_site("javascript:void(0)", domain) is not None


def test_kinds() -> None:
    assert (
        kind_of("http://x/a.pdf", listed=True) == "report"
    )  # a PDF in the 年报 column is the report
    assert (
        kind_of("http://x/a.docx", listed=True) == "report"
        and kind_of("http://x/a.doc", listed=True) == "report"
    )
    assert (
        kind_of("http://x/a.WPS", listed=True) == "report"
        and kind_of("http://x/a.xls", listed=True) == "attachment"
    )
    assert (
        kind_of("http://x/a.pdf") == "attachment" and kind_of("http://x/a.DOCX?v=1") == "attachment"
    )
    assert kind_of("http://x/t.jpg") == "image" and kind_of("http://x/a.html") == "report"


def test_json_list_answers() -> None:
    answer = (
        '{"rows": [{"Title": "<em>2023年</em>某县政府信息公开工作年度报告&nbsp;", "LinkUrl": "../art/1.html"}],'
        ' "html": "<li><a href=\\"/art/2.html\\">2022年某县政府信息公开工作年度报告</a></li>", "page": {"url": "/x"}}'
    )
    page = read_list_page(answer, "https://x.gov.cn/api/list")
    assert page.links == [
        Link("https://x.gov.cn/art/1.html", "2023年某县政府信息公开工作年度报告"),
        Link("https://x.gov.cn/art/2.html", "2022年某县政府信息公开工作年度报告"),
    ]
    assert (
        read_list_page("[1, 2", "https://x.gov.cn/").links == []
    )  # broken JSON: read as a page, finds nothing
