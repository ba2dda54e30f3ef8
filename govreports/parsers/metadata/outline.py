"""Which of the template's six sections a report has, found by their headings.

Both templates (2019, 2021) prescribe the same six: 一、总体情况; 二、主动公开政府信息情况;
三、收到和处理政府信息公开申请情况; 四、政府信息公开行政复议、行政诉讼情况; 五、存在的主要问题
及改进情况; 六、其他需要报告的事项. Reports renumber and reword a little, so a section is known by
its words, not its ordinal.
"""

from __future__ import annotations

import re

SECTIONS = {
    "overview": "总体情况",
    "proactive": "主动公开政府信息",
    "requests": "收到和处理政府信息公开申请",
    "appeals": "政府信息公开行政复议",
    "problems": "存在的主要问题",
    "other": "其他需要报告",
}
_PREFIX = r"(?:政府信息公开(?:工作)?)?"  # 五、政府信息公开工作存在的主要问题…
_ORDINAL = r"(?:第?[一二三四五六七八九十]+|\d{1,2})\s*[、.．)）章]\s*"
# A heading is a short line starting with the words (its ordinal optional), or, where lines
# were lost (a crawler dump on one line), the words right after an ordinal anywhere.
_AT_LINE_START = {
    key: re.compile(rf"^\s*(?:{_ORDINAL})?{_PREFIX}{words}") for key, words in SECTIONS.items()
}
_AFTER_ORDINAL = {key: re.compile(_ORDINAL + _PREFIX + words) for key, words in SECTIONS.items()}
_HEADING_MAX = 40  # characters: a heading, not a sentence that mentions the words


def sections(lines: list[str]) -> list[str]:
    """The keys of the sections whose heading is found, in the template's order."""
    short = [ln for ln in lines if len(ln) <= _HEADING_MAX]
    text = "\n".join(lines)
    return [
        key
        for key in SECTIONS
        if any(_AT_LINE_START[key].match(ln) for ln in short) or _AFTER_ORDINAL[key].search(text)
    ]
