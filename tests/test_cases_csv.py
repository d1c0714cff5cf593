"""The CSV writer formats from the verdict table's codes (``report/cases_csv.py``); these
tests check it against the way it used to be written, by formatting each column of the
flat case table (:func:`~ehcp_check.report.figures.case_columns`) value by value, on
generated audits and verdict tables: any text, formula-like and quoted cells, missing
values, columns of unexpected types, and any block size."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cases_json import any_text, case_facts, rows, verdict_table, write_csv

from ehcp_check.api import CaseFacts
from ehcp_check.audit import audit
from ehcp_check.report import cases_csv
from ehcp_check.report.cases_csv import csv_chunks, csv_field
from ehcp_check.report.figures import BOOL_COLUMNS, DATE_COLUMNS, case_columns
from ehcp_check.report.files import render_csv
from ehcp_check.report.safe import FORMULA_START, neutralise_text

ROOT = Path(__file__).resolve().parents[1]


# --- the flat case table, formatted value by value (how the CSV used to be written) --------


def _format(name: str) -> Callable[[Any], str]:
    if name in DATE_COLUMNS:
        return lambda d: f"{d:%Y-%m-%d}"
    if name in BOOL_COLUMNS:
        return lambda b: "true" if b else "false"
    if name in ("weeks_to_final", "weeks_open"):
        return lambda w: f"{float(w):.1f}"
    if name in ("row", "days_late"):
        return lambda n: str(int(n))
    return lambda t: neutralise_text(str(t))


def _text_fields(uniques: list[str]) -> list[str]:
    out = list(uniques)
    if not out:
        return out
    first = np.array(out, dtype="U1")
    for i in np.flatnonzero(np.isin(first, list(FORMULA_START))).tolist():
        out[i] = neutralise_text(out[i])
    if any(c in "\x00".join(out) for c in ',"\n\r'):
        out = [csv_field(t) for t in out]
    return out


def _int_fields(values: pd.Series) -> list[str]:
    missing = values.isna().to_numpy()
    arr = values.to_numpy(dtype=np.float64, na_value=0).astype(np.int64).astype(str)
    arr = arr.astype(object)
    arr[missing] = ""
    return list(arr.tolist())


def table_csv(verdicts: pd.DataFrame) -> str:
    columns: dict[str, list[str]] = {}
    for name, col in case_columns(verdicts).items():
        if name == "row":
            columns[name] = _int_fields(col)
            continue
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        if col.dtype == object and name not in BOOL_COLUMNS:
            fields = _text_fields([str(u) for u in uniques])
        else:
            fmt = _format(name)
            fields = [csv_field(fmt(u)) for u in uniques]
        columns[name] = np.array([*fields, ""], dtype=object)[codes].tolist()
    lines = [",".join(csv_field(c) for c in columns)]
    lines += map(",".join, zip(*columns.values(), strict=True))
    return "\n".join(lines) + "\n"


def assert_same(verdicts: pd.DataFrame) -> None:
    assert "".join(csv_chunks(verdicts)) == table_csv(verdicts)


# --- whole audits ----------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(rows(), min_size=1, max_size=25), min_size=1, max_size=3),
    st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 6, 30)),
)
def test_audits_match_the_flat_table(files: list[list[dict[str, str]]], as_of: date) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, table in enumerate(files):
            paths.append(Path(tmp) / f"cases-{i}.csv")
            write_csv(paths[-1], table)
        result = audit(paths, as_of=as_of)
        assert render_csv(result) == table_csv(result.verdicts)


@pytest.mark.parametrize(
    ("path", "as_of"),
    [
        ("examples/foi-reply-2024.xlsx", "2025-03-31"),
        ("examples/multi-year.xlsx", "2025-06-30"),
        ("tests/golden/outputs/cases-400.csv", "2025-06-30"),
    ],
)
def test_examples_match_the_flat_table(path: str, as_of: str) -> None:
    result = audit([ROOT / path], as_of=date.fromisoformat(as_of))
    assert render_csv(result) == table_csv(result.verdicts)


# --- verdict tables built directly ---------------------------------------------------------

csv_text = st.none() | st.text(max_size=10) | st.sampled_from(["=1+1", "-3", "+x", "@a", 'a,"b"'])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(case_facts, any_text, any_text, csv_text, csv_text, csv_text, csv_text),
        min_size=1,
        max_size=30,
    )
)
def test_any_text_in_any_field(cases: list[tuple[Any, ...]]) -> None:
    """Files, sheets, references, council names, exception and delay text: any characters,
    formula-like starts, commas, quotes and line breaks, missing values."""
    v = verdict_table([c[0] for c in cases], date(2026, 1, 1))
    names = ("file", "sheet", "case_id", "la", "exception", "delay_reason")
    for j, name in enumerate(names, start=1):
        v[name] = pd.Series([c[j] for c in cases], dtype=object)
    v["row"] = np.arange(len(cases)) + 2
    assert_same(v)


@settings(max_examples=30, deadline=None)
@given(st.lists(case_facts, min_size=1, max_size=20))
def test_columns_of_python_objects(facts: list[CaseFacts]) -> None:
    v = verdict_table(facts, date(2026, 1, 1))
    assert_same(v.astype(object))


def test_references_that_need_neutralising_or_quoting() -> None:
    """The references are copied as they are only when none needs work."""
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))] * 5, date(2025, 1, 1))
    for refs in (
        ["C-1", "=HYPERLINK()", None, "-2", "C-5"],
        ["C-1", "a,b", 'say "hi"', "line\nbreak", ""],
        ["C-1", "C-2", None, "C-4", "C-5"],
        [1, "1", 2.5, None, "x"],
    ):
        v["case_id"] = pd.Series(refs, dtype=object)
        assert_same(v)


def test_missing_columns() -> None:
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))] * 3, date(2025, 1, 1))
    gone = ["file", "sheet", "row", "case_id", "exception", "final_date", "state_20w"]
    assert set(gone) <= set(v.columns)
    assert_same(v.drop(columns=gone))


def test_an_empty_table_is_its_header() -> None:
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))], date(2025, 1, 1)).iloc[:0]
    text = "".join(csv_chunks(v))
    assert text == table_csv(v)
    assert text.count("\n") == 1


@pytest.mark.parametrize("chunk", [1, 3, 50])
def test_blocks_of_any_size(chunk: int) -> None:
    result = audit([ROOT / "examples/foi-reply-2024.xlsx"], as_of=date(2025, 3, 31))
    with mock.patch.object(cases_csv, "CHUNK", chunk):
        pieces = list(csv_chunks(result.verdicts))
    assert len(pieces) == 1 + -(-len(result.verdicts) // chunk)
    assert "".join(pieces) == table_csv(result.verdicts)


@pytest.mark.parametrize("sample", [1, 3, 40])
def test_a_misleading_sample_of_rows_changes_nothing(sample: int) -> None:
    result = audit([ROOT / "tests/golden/outputs/cases-400.csv"], as_of=date(2025, 6, 30))
    with mock.patch.object(cases_csv, "_SAMPLE", sample):
        assert_same(result.verdicts)


def test_row_numbers_of_any_size() -> None:
    rows = [0, 7, 999, 1000, 1001, 1099, 12345, 10**9 + 5]
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))] * len(rows), date(2025, 1, 1))
    v["row"] = rows
    assert_same(v)
    v["row"] = [-1, *rows[1:]]
    assert_same(v)
