"""Large text files read their repetitive columns as categoricals: the cells read, and so
everything loaded from them, must be exactly what the plain text read gives."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp_check.ingest import load, readers
from ehcp_check.ingest.distinct import Distinct
from ehcp_check.ingest.source import Source
from ehcp_check.model import DataIssue, SheetInput

ROOT = Path(__file__).resolve().parent.parent
TEXT_FILES = sorted(
    p
    for pattern in ("tests/fixtures/**/*.csv", "examples/*.csv", "tests/golden/outputs/cases-*.csv")
    for p in ROOT.glob(pattern)
    if "closures" not in p.name
)


@contextlib.contextmanager
def every_column_categorical() -> Iterator[None]:
    """Any file, any column: read as categoricals (the widest use of that path)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(readers, "_CATEGORY_MIN_BYTES", 0)
        mp.setattr(readers, "_REPETITIVE_SAMPLE", 1)
        mp.setattr(readers, "_UNIQUE_SHARE", 2.0)
        mp.setattr(readers, "_wordy", lambda text: True)  # numbers too: read, then read again
        yield


def _loaded(path: Path) -> tuple[pd.DataFrame, list[DataIssue], list[SheetInput]]:
    result = load([path])
    return result.cases, result.issues, result.inputs


def test_there_are_text_files_to_compare() -> None:
    assert len(TEXT_FILES) >= 10


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_a_file_loads_the_same_through_categoricals(path: Path) -> None:
    refused: Exception | None = None
    try:
        plain = _loaded(path)
    except Exception as exc:  # a file refused whole must be refused the same way
        refused = exc
    if refused is not None:
        with every_column_categorical(), pytest.raises(type(refused)) as again:
            _loaded(path)
        assert str(again.value) == str(refused)
        return
    with every_column_categorical():
        coded = _loaded(path)
    pd.testing.assert_frame_equal(coded[0], plain[0])
    assert coded[1] == plain[1]
    assert coded[2] == plain[2]


def test_a_big_export_reads_dates_and_codes_as_categoricals_and_references_as_text() -> None:
    lines = ["Case ref,Date request received,Outcome"]
    lines += [f"C-{i:06d},{1 + i % 28:02d}/0{1 + i % 9}/2024,Ongoing" for i in range(150_000)]
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) >= readers._CATEGORY_MIN_BYTES
    raw = readers.read_text(Source("big.csv", data))
    kinds = [str(raw.frame[c].dtype) for c in raw.frame.columns]
    assert kinds == ["str", "category", "category"]
    # The references stay text; every cell is what was written.
    assert raw.frame.iat[1, 0] == "C-000000"
    assert raw.frame.iat[150_000, 2] == "Ongoing"


def test_distinct_values_of_a_categorical_are_in_order_of_first_row() -> None:
    column = pd.Series(pd.Categorical(["b", "a", "b", None, "c", "a"]))
    distinct = Distinct.of(column)
    assert distinct.values.tolist() == ["b", "a", "c"]
    assert distinct.codes.tolist() == [0, 1, 0, -1, 2, 1]
    assert distinct.table.all_text
    text = pd.Series(["b", "a", "b", "x", "c", "a"], dtype="str").iloc[[0, 1, 2, 4, 5]]
    assert Distinct.of(text).values.tolist() == ["b", "a", "c"]


CELL = st.one_of(
    st.sampled_from(["", " ", "01/03/2024", "Yes", "N/A", '"quoted, comma"', "a\nb", "Total"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=30))
def test_any_text_reads_the_same_cells_through_categoricals(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    plain = readers.read_text(Source("any.csv", data)).frame
    with every_column_categorical():
        coded = readers.read_text(Source("any.csv", data)).frame
    assert coded.astype(object).to_numpy().tolist() == plain.astype(object).to_numpy().tolist()


@pytest.mark.parametrize(
    "cells",
    [["007", "7", "7.0"], ["True", "TRUE", "true"], ["1", "0", "1.0"], ["1e5", "100000"]],
)
def test_a_column_of_numbers_or_booleans_keeps_its_text(cells: list[str]) -> None:
    """The parser turns a categorical of numbers into numbers ("007" -> 7, "1.0" = "1"):
    such a column is read again as text, every cell as written."""
    rows = [[cell, "Ongoing"] for cell in cells * 40]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode()
    with every_column_categorical():
        frame = readers.read_text(Source("flags.csv", data)).frame
    assert str(frame[0].dtype) == "str"
    assert str(frame[1].dtype) == "category"
    assert frame[0].tolist() == cells * 40


@pytest.mark.parametrize(
    ("text", "wordy"),
    [("Ongoing", True), ("01/03/2024", False), ("1e5", False), ("True", False), ("nan", False),
     ("Yes", True), ("inf", False), ("N/A", True), ("", False)],
)  # fmt: skip
def test_which_text_the_parser_would_not_read_as_a_number(text: str, wordy: bool) -> None:
    assert readers._wordy(text) is wordy
