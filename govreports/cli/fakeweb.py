"""A fake government web on loopback: real HTTP servers, one per "host" (127.0.0.N), serving
the bundled corpus in the shapes real CMSes use. `make demo`, the crawler tests and the crawl
benchmark all run against it, so none of them needs the internet.

Every request is logged per host with its arrival time, so politeness can be checked from the
server's side, where it matters.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from govreports.cli.samples import samples_root

LAST_MODIFIED = "Wed, 29 Jan 2025 08:00:00 GMT"


@dataclass
class Hit:
    at: float
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


Route = Callable[["Request"], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def server_bind(self) -> None:
        """As HTTPServer's, without its reverse DNS lookup of the address (getfqdn), which
        for 127.0.1.x and up waits on a resolver that is not there."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = (
            str(self.server_address[0]),
            int(self.server_address[1]),
        )

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer (a crawler's timeout, a killed run) is the client's
        business: logged, not a traceback between dashes on stderr (socketserver's default),
        which a run's --json stderr must not carry."""
        logging.getLogger("govreports.fakeweb").debug(
            "request from %s failed", client_address, exc_info=True
        )


class Request(BaseHTTPRequestHandler):
    """One request; routes answer through `reply`."""

    host_: FakeHost
    protocol_version = "HTTP/1.1"

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.host_
        with host.lock:
            host.hits.append(
                Hit(time.monotonic(), method, self.path, dict(self.headers.items()), body)
            )
        route = host.routes.get(self.path) or host.routes.get(urlsplit(self.path).path)
        if route is None:
            self.reply(404, b"<html><body>404 Not Found</body></html>")
            return
        route(self)

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {"Content-Type": "text/html; charset=utf-8"}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class FakeHost:
    def __init__(self, ip: str, port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        handler = type("Handler", (Request,), {"host_": self})
        self.httpd = _Server((ip, port), handler)
        # A slow poll: a web of a thousand hosts polling every 50 ms spent the machine on it.
        # stop() waits up to one poll, so FakeWeb stops its hosts together.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True
        )
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, path: str, fn: Route) -> None:
        self.routes[path] = fn

    def page(
        self,
        path: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """A static page with validators: answers If-None-Match with 304, as real servers do."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

        def serve(req: Request) -> None:
            if status == 200 and req.headers.get("If-None-Match") == etag:
                req.reply(304, b"", {"ETag": etag})
                return
            base = {"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED}
            req.reply(status, body, {**base, **(headers or {})})

        self.routes[path] = serve

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for h in self.hits if h.path == path)

    def gaps(self) -> list[float]:
        """Seconds between consecutive requests' arrivals (robots.txt included)."""
        with self.lock:
            times = sorted(h.at for h in self.hits)
        return [b - a for a, b in zip(times, times[1:])]


@dataclass
class FakeWeb:
    """Hosts on 127.0.0.2, 127.0.0.3, … (Linux routes all of 127/8 to loopback)."""

    hosts: dict[str, FakeHost] = field(default_factory=dict)
    _ips: itertools.count[int] = field(default_factory=itertools.count)

    def host(self, name: str) -> FakeHost:
        n = next(self._ips)
        self.hosts[name] = FakeHost(f"127.0.{n // 250}.{n % 250 + 2}")
        return self.hosts[name]

    def stop(self) -> None:
        stopping = [threading.Thread(target=h.stop) for h in self.hosts.values()]
        for t in stopping:
            t.start()
        for t in stopping:
            t.join()

    def __enter__(self) -> FakeWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- the corpus as a small government web ---------------------------------------------------------


def _fixture(*parts: str) -> bytes:
    return samples_root().joinpath(*parts).read_bytes()


def _li(links: list[tuple[str, str]]) -> str:
    return "".join(
        f'<li><a href="{href}" title="{text}">{text}</a><span>2021-01-29</span></li>'
        for href, text in links
    )


def _list_html(title: str, links: list[tuple[str, str]], extra: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a> &gt; <a href='/zwgk/'>政府信息公开</a> &gt; 政府信息公开年报</div>"
        f"<ul class='list'>{_li(links)}</ul>{extra}<div class='footer'>主办单位：示例人民政府办公室</div></body></html>"
    ).encode()


def _robots(disallow: str = "", crawl_delay: float | None = None) -> bytes:
    lines = ["User-agent: *"]
    if disallow:
        lines.append(f"Disallow: {disallow}")
    if crawl_delay is not None:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    return ("\n".join(lines) + "\n").encode()


def corpus_web(web: FakeWeb) -> list[dict[str, str]]:
    """Serve the bundled corpus as five agencies' sites; return their sites.csv rows.

    - 上海 (TRS): `index.html` + `index_1.html` (GBK) by createPageHTML; the GBK 2021 page on page 2;
      robots.txt disallows /private/ (linked, never fetched).
    - 大汉 (Hanweb): the first record inline in `<script type="text/xml">`, the rest from
      dataproxy.jsp; the seed's text and the lying-meta page.
    - 平潭: a plain list with 下一页, text dumps (two pre-2019), the same 2021 report at two
      URLs, and an off-site link to a spam host that must never be visited.
    - 洪泽: a report page whose tables are only in its PDF attachment (read from there).
    - 淮安: a list whose 年报 link is the PDF itself (read as the report).
    """
    rows: list[dict[str, str]] = []
    text = "text/plain; charset=utf-8"

    sh = web.host("shanghai")
    sh.page("/robots.txt", _robots("/private/"), "text/plain")
    sh.page(
        "/nj/index.html",
        _list_html(
            "年报",
            [
                ("./202001/t20200131_1.html", "上海市人民政府办公厅2019年政府信息公开工作年度报告"),
                ("/private/draft.html", "2019年政府信息公开工作年度报告（内部稿）"),
            ],
            '<script>createPageHTML(2, 0, "index", "html");</script>',
        ),
    )
    page2 = _list_html(
        "年报",
        [("./202201/t20220130_9.html", "2021年政府信息公开工作年度报告")],
        '<script>createPageHTML(2, 1, "index", "html");</script>',
    )
    # Page 2 in GBK with a GBK <meta> and no charset in the header, as old TRS sites serve.
    sh.page(
        "/nj/index_1.html",
        page2.decode("utf-8").replace("charset='utf-8'", "charset='gbk'").encode("gbk"),
        "text/html",
    )
    sh.page("/nj/202001/t20200131_1.html", _fixture("pages", "shanghai-2019.html"))
    sh.page(
        "/nj/202201/t20220130_9.html",
        _fixture("pages", "synthetic-trs-2021-gbk.html"),
        "text/html; charset=GBK",
    )
    sh.page("/private/draft.html", b"<html>never fetch me</html>")
    rows.append(
        {
            "site_id": "shanghai-bgt",
            "agency": "上海市人民政府办公厅",
            "list_url": sh.url("/nj/index.html"),
            "cms": "trs",
        }
    )

    hw = web.host("hanweb")
    hw.page("/robots.txt", _robots(), "text/plain")
    proxy = "/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=123&unitid=456&permissiontype=0"
    record = "<record><![CDATA[<li><a href='{0}' title='{1}'>{1}</a></li>]]></record>"
    inline = (
        "<div id='456'><script type='text/xml'><datastore>"
        f'<nextgroup><![CDATA[<a href="{proxy}"></a>]]></nextgroup><recordset>'
        + record.format(
            "/art/2020/1/20/art_123_1.html", "示例区人民政府办公室2019年政府信息公开工作年度报告"
        )
        + "</recordset></datastore></script></div>"
        "<script>$('#456').jpage({totalRecord:2,perPage:1,proxyUrl:'/module/web/jpage/dataproxy.jsp'});</script>"
    )
    hw.page("/col/col123/index.html", _list_html("政府信息公开年报", [], inline))
    hw.page(
        "/module/web/jpage/dataproxy.jsp",
        (
            "<?xml version='1.0' encoding='utf-8'?><datastore><totalrecord>2</totalrecord><recordset>"
            + record.format("/art/2021/1/29/art_123_2.html", "南黄镇2020年政府信息公开工作年度报告")
            + "</recordset></datastore>"
        ).encode("utf-8"),
        "text/xml; charset=utf-8",
    )
    hw.page(
        "/art/2020/1/20/art_123_1.html",
        _fixture("pages", "synthetic-hanweb-2019-lying-meta.html"),
        "text/html",
    )
    hw.page("/art/2021/1/29/art_123_2.html", _fixture("pages", "seed-nanhuang-2020.txt"), text)
    rows.append(
        {
            "site_id": "hanweb-demo",
            "agency": "示例区人民政府办公室",
            "list_url": hw.url("/col/col123/index.html"),
            "cms": "hanweb",
        }
    )

    spam = web.host("spam")
    spam.page("/", b"<html><title>casino</title></html>")
    pt = web.host("pingtan")
    pt.page("/robots.txt", _robots(), "text/plain")
    pt.page(
        "/zfxxgknb/index.htm",
        _list_html(
            "政府信息公开年报",
            [
                ("2022/t2022.htm", "平潭综合实验区2021年政府信息公开工作年度报告"),
                ("/mirror/2021.htm", "平潭综合实验区2021年政府信息公开工作年度报告（转载）"),
                ("2020/t2020.htm", "平潭综合实验区2019年政府信息公开工作年度报告"),
                (spam.url("/"), "2021年度报告 澳门娱乐场"),
            ],
            "<div class='page'><a href='index_1.htm'>下一页</a></div>",
        ),
    )
    pt.page(
        "/zfxxgknb/index_1.htm",
        _list_html(
            "政府信息公开年报",
            [
                ("2019/t2019.htm", "平潭综合实验区2018年政府信息公开工作年度报告"),
                ("2017/t2017.htm", "平潭综合实验区2016年政府信息公开工作年度报告"),
            ],
        ),
    )
    for path, name in (
        ("/zfxxgknb/2022/t2022.htm", "pingtan-2021.txt"),
        ("/mirror/2021.htm", "pingtan-2021.txt"),
        ("/zfxxgknb/2020/t2020.htm", "pingtan-2019.txt"),
        ("/zfxxgknb/2019/t2019.htm", "pingtan-2018.txt"),
        ("/zfxxgknb/2017/t2017.htm", "pingtan-2016.txt"),
    ):
        pt.page(path, _fixture("pages", name), text)
    rows.append(
        {
            "site_id": "pingtan",
            "agency": "平潭综合实验区",
            "list_url": pt.url("/zfxxgknb/index.htm"),
            "cms": "plain",
        }
    )

    hz = web.host("hongze")
    hz.page("/robots.txt", _robots(crawl_delay=0.1), "text/plain")
    hz.page(
        "/col/ndbg/index.html",
        _list_html(
            "政府信息公开年报",
            [
                ("/art/2024/1/25/art_88_1.html", "洪泽区人民政府2023年政府信息公开工作年度报告"),
            ],
        ),
    )
    hz.page(
        "/art/2024/1/25/art_88_1.html",
        (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>洪泽区人民政府2023年政府信息公开工作年度报告</title></head>"
            "<body><div class='nav'><a href='/'>首页</a> &gt; 政府信息公开年报</div><div class='article'>"
            "<h1>洪泽区人民政府2023年政府信息公开工作年度报告</h1><p>发布日期：2024-01-25　来源：洪泽区人民政府办公室</p>"
            "<div class='zoom'><p>本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。报告全文见附件。</p>"
            "<p>附件：<a href='/uploadfiles/2024/hongze-2023.pdf'>洪泽区人民政府2023年政府信息公开工作年度报告.pdf</a></p>"
            "</div></div></body></html>"
        ).encode(),
    )
    hz.page(
        "/uploadfiles/2024/hongze-2023.pdf", _fixture("pdf", "hongze-2023.pdf"), "application/pdf"
    )
    rows.append(
        {
            "site_id": "hongze",
            "agency": "洪泽区人民政府",
            "list_url": hz.url("/col/ndbg/index.html"),
            "cms": "plain",
        }
    )

    ha = web.host("huaian")
    ha.page("/robots.txt", b"", "text/plain")
    ha.page(
        "/col/nb/index.html",
        _list_html(
            "年度报告",
            [("/uploadfiles/2025/huaian-2024.pdf", "淮安市人民政府2024年政府信息公开工作年度报告")],
        ),
    )
    ha.page(
        "/uploadfiles/2025/huaian-2024.pdf", _fixture("pdf", "huaian-2024.pdf"), "application/pdf"
    )
    rows.append(
        {
            "site_id": "huaian",
            "agency": "淮安市人民政府",
            "list_url": ha.url("/col/nb/index.html"),
            "cms": "plain",
        }
    )
    return rows
