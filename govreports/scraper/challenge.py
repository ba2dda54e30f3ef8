"""Anti-bot gateways and soft 404s: responses that are not the page they claim to be.

Chinese government sites sit behind Ruishu (瑞数, `$_ts`, HTTP 412), Jiasule (加速乐,
`__jsl_clearance`, HTTP 521) and the wzws (网站卫士) gateway. Their challenge pages want a
browser to run JavaScript; a crawler retrying them only earns a ban, and storing one as a
report would put a script in the dataset. So they are recognised, recorded as blocked and
left alone.
"""

from __future__ import annotations

import re

CHALLENGE_STATUSES = {
    412: "HTTP 412 (Ruishu/瑞数 anti-bot challenge)",
    521: "HTTP 521 (Jiasule/加速乐 anti-bot challenge)",
}
# (bytes that must be present, the pattern that confirms, what it is): the plain search is
# cheap, so the pattern runs only on pages that have the marker at all.
_MARKERS = (
    ((b"$_ts",), re.compile(rb"\$_ts\s*=|\$_ts\["), "a Ruishu/瑞数 ($_ts) challenge script"),
    ((b"__jsl_clearance",), None, "a Jiasule/加速乐 (__jsl_clearance) challenge"),
    (
        (b"wzws", b"WZWS", b"Wzws"),
        re.compile(rb"wzws_cid|/WZWS|wzwschallenge", re.I),
        "a wzws/网站卫士 challenge",
    ),
)
# Challenge pages are small; a real report that merely mentions a marker is long.
_CHALLENGE_MAX_BYTES = 64 * 1024
_SOFT_404 = re.compile(
    "(页面不存在|页面未找到|找不到(该|此|您要访问的)?页面|访问的页面不存在|文章不存在|信息不存在|已被删除|404 Not Found|"
    "Page Not Found|您访问的页面|该信息已撤销)",
    re.I,
)


def challenge(status: int, content: bytes) -> str | None:
    """What blocks us, or None for an ordinary response."""
    if status in CHALLENGE_STATUSES:
        return CHALLENGE_STATUSES[status]
    if len(content) <= _CHALLENGE_MAX_BYTES:
        for needles, pattern, what in _MARKERS:
            if any(n in content for n in needles) and (pattern is None or pattern.search(content)):
                return what
    return None


SOFT_404_MAX_CHARS = 6000
SOFT_404_MAX_BYTES = 4 * SOFT_404_MAX_CHARS  # no encoding spends more on a character


def soft_404(text: str) -> bool:
    """A 200 page that says the page does not exist: small, and says so near its title.
    Callers skip pages over SOFT_404_MAX_BYTES without decoding them."""
    return len(text) < SOFT_404_MAX_CHARS and bool(_SOFT_404.search(text[:3000]))
