"""Injected spam on hijacked or mirrored government pages.

Hijacked sites and mirrors splice gambling / lottery / SEO brands into titles, source lines and
body text ("澳门英皇娱乐_天下足球网-盘口官网南黄镇…"). A phrase is built around a strong keyword:
it extends over the segments the spammer glues together with _ - | and ends after the last
segment holding a keyword (cut after a site word such as 官网 or 网 where the keyword segment
runs on into real text). Government reports do use words like 体育 or 网站, so only strong
gambling/lottery vocabulary and known brands start a phrase.
"""

from __future__ import annotations

import re

# Strong vocabulary: never found in a government disclosure report in its gambling sense.
_STRONG = (
    "娱乐城",
    "娱乐官网",
    "娱乐平台",
    "娱乐网",
    "英皇娱乐",
    "博彩",
    "赌场",
    "赌博网",
    "赌球",
    "网赌",
    "彩票网",
    "时时彩",
    "六合彩",
    "百家乐",
    "老虎机",
    "盘口",
    "足球网",
    "体育投注",
    "投注网",
    "下注",
    "赔率",
    "真人视讯",
    "电子游艺",
    "葡京",
    "威尼斯人",
    "皇冠体育",
    "bet365",
    "开户送",
    "注册送",
    "彩金",
    "博狗",
    "亚博体育",
    "金沙娱乐",
    "永利娱乐",
    "太阳城集团",
)
# Place words that real text uses too (澳门特别行政区), part of a brand only right before a keyword.
_BRAND_PREFIXES = ("澳门", "新", "香港", "亚洲", "国际")
_STRONG_LOWER = tuple(w.lower() for w in _STRONG)
_STRONG_RE = re.compile(
    "|".join(re.escape(w) for w in sorted(_STRONG, key=len, reverse=True)), re.I
)
# Characters a spam brand is made of, and the glue between its parts.
_RUN = re.compile(r"[\w\u4e00-\u9fff]+(?:[_\-|｜—][\w\u4e00-\u9fff]+)*")
_SITE_END = re.compile(r"(官网|官方网站|网站|网址|平台|app|APP|网)")
_SITE_WORDS = re.compile(r"(?:官网|官方网站|网站|网址|首页|平台|入口|登录|下载|app|APP)+")


def find_spam(text: str) -> list[str]:
    """Distinct injected phrases in text, in order of first appearance."""
    phrases: list[str] = []
    lowered = text.lower()
    if not any(w in lowered for w in _STRONG_LOWER):
        return (
            phrases  # most pages: substring scans in C (2x quicker than the regex), no per-run work
        )
    for run in _RUN.finditer(text):
        segment_text = run.group(0)
        if not _STRONG_RE.search(segment_text):
            continue
        phrase = _phrase_in_run(segment_text)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _phrase_in_run(run: str) -> str | None:
    parts = re.split(r"([_\-|｜—])", run)
    # parts alternates text, glue, text, ...; find the first and last text part with a keyword.
    texts = parts[0::2]
    hits = [i for i, t in enumerate(texts) if _STRONG_RE.search(t)]
    if not hits:
        return None
    first, last = hits[0], hits[-1]
    while last + 1 < len(texts) and _SITE_WORDS.fullmatch(texts[last + 1]):
        last += 1  # "_官方网站" / "-app下载" trailing the brand
    head = texts[first]
    # In the first segment the spam starts at its keyword: what precedes it is the page's text.
    m = _STRONG_RE.search(head)
    assert m is not None
    start = m.start()
    for prefix in _BRAND_PREFIXES:
        if head[:start].endswith(prefix):
            start -= len(prefix)
            break
    # In the last segment the spam ends after a site word following the keyword, else at the end
    # of the keyword itself when real text follows.
    tail = texts[last]
    end = _spam_end(tail)
    if first == last:
        return head[start:end] or None
    pieces = [head[start:]]
    for i in range(first + 1, last):
        pieces.append(parts[2 * i - 1] + texts[i])
    pieces.append(parts[2 * last - 1] + tail[:end])
    return "".join(pieces)


def _spam_end(segment: str) -> int:
    if _SITE_WORDS.fullmatch(segment):
        return len(segment)
    last_kw = None
    for m in _STRONG_RE.finditer(segment):
        last_kw = m
    assert last_kw is not None
    after = segment[last_kw.end() :]
    site = _SITE_END.match(after) or _SITE_END.search(after[:4])
    if site:
        return last_kw.end() + site.end()
    return last_kw.end()


def strip_spam(text: str, phrases: list[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = text.replace(phrase, "")
    return re.sub(r"^[\s_\-|:：]+", "", text).strip()
