import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreports.parsers.values import fold, read_cell


@pytest.mark.parametrize(
    "raw, value, status, unit",
    [
        ("12", 12, "reported", None),
        ("1,234", 1234, "reported", None),
        ("１２", 12, "reported", None),
        ("+3", 3, "reported", None),
        ("-18", -18, "reported", None),
        ("0.5", 0.5, "reported", None),
        ("251000元", 251000, "reported", "元"),
        ("45.6 万元", 45.6, "reported", "万元"),
        ("22（其中修订16件）", 22, "reported", None),
        ("", None, "blank", None),
        ("\xa0", None, "blank", None),
        (" \u3000 ", None, "blank", None),
        ("/", None, "na", None),
        ("—", None, "na", None),
        ("-", None, "na", None),
        ("无", None, "na", None),
        ("不适用", None, "na", None),
        ("见附件", None, "missing", None),
        ("1 2", None, "missing", None),  # two numbers (or a broken one): never 12
        ("1\n\n2", None, "missing", None),  # 1<br>2
        ("１\u3000２", None, "missing", None),
        ("12 件", 12, "reported", "件"),
        ("3①", None, "missing", None),  # a footnote mark: never 31
        ("5¹", None, "missing", None),
        ("12²", None, "missing", None),
        ("⑴", None, "missing", None),
        ("٣", None, "missing", None),  # a digit of another script: flagged, not guessed
        ("3（注①）", 3, "reported", None),  # a bracketed note may hold anything
    ],
)
def test_read_cell(raw: str, value: object, status: str, unit: str | None) -> None:
    cell = read_cell(raw)
    assert (cell.value, cell.status, cell.unit) == (value, status, unit)
    assert cell.raw == raw  # the printed text is always kept


def test_blank_is_not_zero() -> None:
    assert read_cell("").value is None and read_cell("0").value == 0


@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from("１２３，（）：；　ａＺ①ﬁ\u00a0\u2003\t\n 12ab规章、。"),
            st.characters(min_codepoint=0xFF00, max_codepoint=0xFF65),
            st.characters(),
        )
    )
)
def test_fold_is_nfkc_without_whitespace(text: str) -> None:
    """fold's shortcuts (full-width forms mapped first, NFKC only when still needed) change
    nothing: it is NFKC with every whitespace character removed."""
    assert fold(text) == "".join(unicodedata.normalize("NFKC", text).split())
