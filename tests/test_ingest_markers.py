"""The column-wise marker test agrees with the cell-by-cell reading of each value."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.ingest.distinct import _MARKER_STATUS, NOT_MARKER, DistinctValues
from ehcp_check.ingest.status import marker_status
from ehcp_check.ingest.values import marker_of

MARKERS = sorted(_MARKER_STATUS)


def one_by_one(value: str) -> int:
    marker = marker_of(value)
    return NOT_MARKER if marker is None else int(marker_status(marker))


def spelled(marker: str, style: str, pad: str) -> str:
    text = {"lower": marker, "upper": marker.upper(), "title": marker.title()}[style]
    return pad + text.replace(" ", "\t", 1) + pad if "\t" in pad else pad + text + pad


values = st.one_of(
    st.builds(
        spelled,
        st.sampled_from(MARKERS),
        st.sampled_from(["lower", "upper", "title"]),
        st.sampled_from(["", " ", "  ", "\t"]),
    ),
    st.text(max_size=12),
    st.from_regex(r"C-\d{4}", fullmatch=True),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(values, min_size=1, max_size=40, unique=True))
def test_markers_agree_with_reading_each_value(texts: list[str]) -> None:
    got = DistinctValues(np.array(texts, dtype=object), True).markers.tolist()
    assert got == [one_by_one(t) for t in texts]


def test_every_marker_spelling_is_found() -> None:
    texts = [
        spelled(m, s, p) for m in MARKERS for s in ("lower", "upper", "title") for p in ("", " ")
    ]
    got = DistinctValues(np.array(texts, dtype=object), True).markers.tolist()
    assert got == [one_by_one(t) for t in texts]
    assert NOT_MARKER not in got
