"""Pipe tables (what PDF- and Word-to-Markdown converters write) read as the grids they are.

A pipe is a cell boundary the text states, so a line "| 规章 | 3 |  | 12 |" is a grid row with a
known blank, not a flattened row whose blanks have vanished. Consecutive pipe lines become one
<table> (the `|---|` rule lines dropped) and the grid mapper reads them as it reads HTML; a
converter's habit of one table per row group, or a header broken across tables, is what the
mapper's reading state across tables already follows.
"""

from __future__ import annotations

import re

from lxml import etree

from govreports.parsers.tables.grid import HtmlElement

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_RULE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
MIN_ROWS = 2  # a lone pipe line is not a table


def pipe_tables(lines: list[str]) -> HtmlElement | None:
    """A tree holding a <table> per run of pipe lines, None when the text has none."""
    root = etree.Element("div")
    run: list[str] = []
    for line in [*lines, ""]:
        if _PIPE_ROW.match(line):
            if not _RULE.match(line):
                run.append(line)
            continue
        if len(run) >= MIN_ROWS:
            table = etree.SubElement(root, "table")
            for row in run:
                tr = etree.SubElement(table, "tr")
                for text in row.strip().strip("|").split("|"):
                    etree.SubElement(tr, "td").text = text.strip()
        run = []
    return root if len(root) else None
