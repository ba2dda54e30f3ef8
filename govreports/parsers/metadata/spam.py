"""Injected spam on hijacked or mirrored government pages.

Hijacked sites and mirrors splice gambling / lottery / SEO brands into titles, source lines and
body text ("澳门英皇娱乐_天下足球网-盘口官网南黄镇…", "官方下载-xxx88.vip白沙县…",
"…建设局开云体育官网2023年…"). Spam is recognised by what it is, not by a list of brands seen
before. A phrase starts at a *signal*:

- strong gambling/lottery vocabulary (never used in a report in that sense): 博彩, 百家乐, 盘口 …;
- a brand: a short name, then a gambling word, then a site word (开云体育官网, 九游娱乐app下载,
  bet365真人平台): 体育, 娱乐, 真人, 棋牌 are report words too (体育局, 娱乐场所, 棋牌室), only
  directly followed by 官网, app, 下载, 入口 … are they a brand;
- a web address that is not a government one: a digit-laden host (xxx88.com) or a top-level
  domain spam favours (.vip, .top, .cc …); .gov.cn, .cn and plain names stay the page's own.

It extends over the segments the spammer glues together with _ - | (site words such as 官方下载
or app官方网站 among them) and ends after the last segment holding a signal (cut after a site word
where the segment runs on into real text). Report text mentions 网站, 平台, 下载, 官方, 体育局 and
体育彩票: none of them alone is a signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
_SITE = (
    r"(?:官方网站|官方下载|官方版|官网|网页版|手机版|客户端|app下载|APP下载|app|APP|App|"
    r"下载|入口|登录|注册|网址)"
)
# A brand's name: a few letters or digits, or two characters that are not the end of an
# agency's name or a joining word (so "…建设局开云体育官网" loses 开云, never 局). Two, not
# three: spam glued into a label ("本年新收河冠捕鱼网页版…") must never take the label's own text.
_BRAND_NAME = r"(?:[A-Za-z0-9]{1,12}|(?:(?![局府会室镇乡处院所站委办厅区县市省年的和与及在了])[\u4e00-\u9fff]){2})?"
_BRAND = rf"{_BRAND_NAME}(?:娱乐|体育|真人|棋牌|电竞|捕鱼){_SITE}"
_SPAM_TLD = r"(?:vip|top|xyz|cc|bet|win|club|app|me|tv|live|site|online|fun|games?|ag|ws|bz|la|pw|icu|buzz|shop)"
# A host of letters and digits on any domain but China's (xxx88.com, bet365.net), or any host
# on a domain spam favours (kaiyun.vip). The page's own .gov.cn / .cn addresses, all-digit
# hosts (163.com, 58.com) and mail addresses (…@126.com) never match.
_DOMAIN = (
    r"(?<![A-Za-z0-9.@])(?:www\.)?(?:"
    rf"(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]*\d[A-Za-z0-9-]*\.(?:com|net|org|{_SPAM_TLD})"
    rf"|[A-Za-z][A-Za-z0-9-]*\.{_SPAM_TLD}"
    r")(?![A-Za-z0-9.])"
)
_STRONG_RE = re.compile(
    "|".join([re.escape(w) for w in sorted(_STRONG, key=len, reverse=True)] + [_BRAND, _DOMAIN]),
    re.I,
)
_STRONG_ONLY = re.compile("|".join(re.escape(w) for w in _STRONG), re.I)
# What every signal holds, found with substring scans in C (a regex alternation of these words
# costs 4× as much): most text is passed over by this alone.
_CHEAP_WORDS = tuple(
    dict.fromkeys([w.lower() for w in _STRONG] + ["娱乐", "体育", "真人", "棋牌", "电竞", "捕鱼"])
)
_DOMAIN_HINT = re.compile(rf"\.(?:{_SPAM_TLD}(?![A-Za-z])|(?<=\d\.)(?:com|net|org))", re.I)


def _hits(text: str) -> list[int]:
    """Where a signal may stand, sorted."""
    lowered = text.lower()
    out = [m.start() for m in _DOMAIN_HINT.finditer(text)]
    for word in _CHEAP_WORDS:
        at = lowered.find(word)
        while at >= 0:
            out.append(at)
            at = lowered.find(word, at + 1)
    return sorted(out)


# Characters a spam brand is made of, and the glue between its parts.
_RUN = re.compile(r"[\w\u4e00-\u9fff.]+(?:[_\-|｜—][\w\u4e00-\u9fff.]+)*")
_RUN_CHAR = re.compile(r"[\w\u4e00-\u9fff._\-|｜—]")
_SITE_END = re.compile(r"(官网|官方网站|网站|网址|平台|app|APP|网)")
_SITE_WORDS = re.compile(
    r"(?:官网|官方网站|官方下载|官方|网站|网址|首页|平台|入口|登录|注册|下载|app|APP|App)+"
)
_SITE_WORDS_END = re.compile(r"(?:app|APP|App)?" + _SITE_WORDS.pattern + "$")


def find_spam(text: str) -> list[str]:
    """Distinct injected phrases in text, in order of first appearance. Only the runs around a
    cheap hit are read closely: a page is scanned once in C, and 体育局 costs one run."""
    phrases: dict[str, None] = {}  # ordered and deduplicated in constant time per phrase
    done = 0
    for at in _hits(text):
        if at < done:
            continue  # inside a run already read
        start = at
        while start > done and _RUN_CHAR.match(text, start - 1):
            start -= 1
        run = _RUN.search(text, start)
        if run is None:
            break
        done = max(run.end(), at + 1)
        phrase = _phrase_in_run(run.group(0)) if _STRONG_RE.search(run.group(0)) else None
        if phrase:
            phrases.setdefault(phrase.strip("."), None)
    return [p for p in phrases if p]


def _phrase_in_run(run: str) -> str | None:
    parts = re.split(r"([_\-|｜—])", run)
    # parts alternates text, glue, text, ...; find the first and last text part with a signal.
    texts = parts[0::2]
    hits = [i for i, t in enumerate(texts) if _STRONG_RE.search(t)]
    if not hits:
        return None
    first, last = hits[0], hits[-1]
    while last + 1 < len(texts) and _SITE_WORDS.fullmatch(texts[last + 1]):
        last += 1  # "_官方网站" / "-app下载" trailing the brand
    head = texts[first]
    # In the first segment the spam starts at its signal: what precedes it is the page's text.
    m = _STRONG_RE.search(head)
    assert m is not None
    start = m.start()
    for prefix in _BRAND_PREFIXES if _STRONG_ONLY.fullmatch(m.group()) else ():
        if head[:start].endswith(prefix):
            start -= len(prefix)
            break
    lead = first
    while start == 0 and lead > 0 and _SITE_WORDS.fullmatch(texts[lead - 1]):
        lead -= 1  # "官方下载-" leading it
    before = ""  # "本年新收app官方网站-" + the brand: the site words that end the segment before
    if start == 0 and lead > 0:
        words = _SITE_WORDS_END.search(texts[lead - 1])
        if words:
            before = words.group() + parts[2 * lead - 1]
    # In the last segment the spam ends after a site word following the signal, else at the end
    # of the signal itself when real text follows.
    tail = texts[last]
    end = _spam_end(tail)
    pieces = [before] + [texts[i] + parts[2 * i + 1] for i in range(lead, first)]
    if first == last:
        pieces.append(head[start:end])
    else:
        pieces.append(head[start:])
        pieces += [parts[2 * i - 1] + texts[i] for i in range(first + 1, last)]
        pieces.append(parts[2 * last - 1] + tail[:end])
    return "".join(pieces) or None


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
    """A title or source value without spam: the phrases, the spam it holds itself (a title
    split at its _ - | glue holds pieces of a phrase: "kxhgt9015.bet淮安市…" of
    "官方下载-kxhgt9015.bet…"), and the glue left at its start."""
    text = remove_phrases(text, [*phrases, *find_spam(text)])
    return re.sub(r"^[\s_\-|:：]+", "", text).strip()


def remove_phrases(text: str, phrases: list[str]) -> str:
    """text without the phrases, longest first where they overlap, and nothing else changed."""
    return phrase_remover(phrases)(text)


def phrase_remover(phrases: list[str]) -> Callable[[str], str]:
    """A function taking the phrases out of a text, built once for many texts (a page's lines):
    a table's lines keep their page marks and spacing. Linear in the text: a page can carry
    thousands of phrases, so each position is looked up by length in a set, never each phrase
    searched for in turn."""
    wanted = set(filter(None, phrases))
    lengths = sorted({len(p) for p in wanted}, reverse=True)
    starts = {p[0] for p in wanted}
    few = len(wanted) <= 64

    def remove(text: str) -> str:
        if not wanted or not text or (few and not any(p in text for p in wanted)):
            return text  # the common line: a few substring scans in C
        out: list[str] = []
        i = 0
        while i < len(text):
            hit = 0
            if text[i] in starts:
                hit = next((n for n in lengths if text[i : i + n] in wanted), 0)
            if hit:
                i += hit
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    return remove
