"""The code-point view of a text column gives the same features as the string path.

A column whose values need no trimming (and hold no NUL) has its first letters, lengths,
spaces and blanks read off the UTF-32 code points of its joined values; any other column
takes the string path (numpy string arrays, trimmed). Both must agree on every value.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.ingest import distinct
from ehcp_check.ingest.distinct import _SPACES, DistinctValues, _Spans, two_letter_codes

SPACES = [chr(c) for c in _SPACES.tolist()]
CHARS = st.one_of(
    st.sampled_from([*SPACES, "\x00", "\u200b", "\ufeff", "A", "z", "N", "/", "a", "é", "ß"]),
    st.sampled_from(list("tTgGnNoOsScC-0123456789 ")),
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
)
texts = st.lists(st.text(CHARS, max_size=10), min_size=1, max_size=40, unique=True)


def features(table: DistinctValues) -> dict[str, object]:
    at = np.arange(len(table), dtype=np.intp)
    return {
        "heads": table.heads.tolist(),
        "lengths": table.lengths.tolist(),
        "spaced": table.spaced.tolist(),
        "blank": table.blank.tolist(),
        "markers": table.markers.tolist(),
        "trimmed": table.trimmed,
        "stripped": [str(s) for s in table.stripped.tolist()],
        "stripped_at": [str(s) for s in table.stripped_at(at).tolist()],
    }


def string_path(values: list[str]) -> DistinctValues:
    table = DistinctValues(np.array(values, dtype=object), True)
    table.__dict__["_spans"] = None  # as if the code-point view did not apply
    return table


@settings(max_examples=300, deadline=None)
@given(texts)
def test_code_points_agree_with_the_string_path(values: list[str]) -> None:
    fast = DistinctValues(np.array(values, dtype=object), True)
    assert features(fast) == features(string_path(values))


@settings(max_examples=50, deadline=None)
@given(texts, st.integers(1, 5))
def test_blocks_of_any_size_agree(values: list[str], block: int) -> None:
    whole = _Spans.of(np.array(values, dtype=object))
    saved = distinct._SPAN_BLOCK
    try:
        distinct._SPAN_BLOCK = block
        blocks = _Spans.of(np.array(values, dtype=object))
    finally:
        distinct._SPAN_BLOCK = saved
    if whole is None:
        assert blocks is None
    else:
        assert blocks is not None
        assert blocks.heads.tolist() == whole.heads.tolist()
        assert blocks.lengths.tolist() == whole.lengths.tolist()
        assert blocks.spaced.tolist() == whole.spaced.tolist()


@pytest.mark.parametrize(
    ("values", "applies"),
    [
        (["C-1", "C-2", ""], True),
        (["C-1", " C-2"], False),  # leading space: trimmed on the string path
        (["C-1", "C-2\u3000"], False),  # ideographic space ends a value
        (["C-1", "C\x002"], False),  # NUL inside: read as a space on the string path
        (["C-1", "C\u200b"], True),  # zero-width space is not white space to str.strip
        (["Total", "note: see below", "x"], True),
    ],
)
def test_when_the_code_point_view_applies(values: list[str], applies: bool) -> None:
    assert (_Spans.of(np.array(values, dtype=object)) is not None) is applies


def test_white_space_is_all_below_u3001() -> None:
    """The table of white space stops at U+3000: nothing past it is white space."""
    assert all(not chr(c).isspace() for c in range(0x3001, sys.maxunicode + 1))


def test_heads_match_the_string_function() -> None:
    values = ["", "a", "AB", "Total", "é", "Nb", "N.B."]
    spans = _Spans.of(np.array(values, dtype=object))
    assert spans is not None
    want = two_letter_codes(np.array(values, dtype=np.dtypes.StringDType()))
    assert spans.heads.tolist() == want.tolist()
