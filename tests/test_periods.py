"""Reporting periods: labels at year and quarter boundaries, Period constructors."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcp_check.periods import (
    GroupBy,
    Period,
    YearType,
    code_label,
    period_codes,
    period_keys,
)


def keys(days: list[str | None], by: GroupBy, year_type: YearType) -> list[str | None]:
    arr = np.array([d if d is not None else "NaT" for d in days], dtype="datetime64[D]")
    return list(period_keys(arr, by, year_type))


@pytest.mark.parametrize(
    ("year_type", "expected"),
    [
        (YearType.CALENDAR, ["2023", "2024", "2024", "2024", "2024", "2025"]),
        (YearType.FINANCIAL, ["2023-24", "2023-24", "2023-24", "2024-25", "2024-25", "2024-25"]),
        (YearType.ACADEMIC, ["2023/24", "2023/24", "2023/24", "2023/24", "2024/25", "2024/25"]),
    ],
)
def test_year_labels_at_boundaries(year_type: YearType, expected: list[str]) -> None:
    days: list[str | None] = [
        "2023-12-31",
        "2024-01-01",
        "2024-03-31",
        "2024-08-31",
        "2024-09-01",
        "2025-01-01",
    ]
    if year_type is YearType.FINANCIAL:
        days[3] = "2024-04-01"
    assert keys(days, GroupBy.YEAR, year_type) == expected


def test_financial_year_turns_on_1_april() -> None:
    got = keys(["2024-03-31", "2024-04-01", "2025-03-31"], GroupBy.YEAR, YearType.FINANCIAL)
    assert got == ["2023-24", "2024-25", "2024-25"]


def test_academic_year_turns_on_1_september() -> None:
    got = keys(["2024-08-31", "2024-09-01", "2025-08-31"], GroupBy.YEAR, YearType.ACADEMIC)
    assert got == ["2023/24", "2024/25", "2024/25"]


def test_century_label() -> None:
    assert keys(["2099-05-01"], GroupBy.YEAR, YearType.FINANCIAL) == ["2099-00"]


@pytest.mark.parametrize(
    ("year_type", "expected"),
    [
        (YearType.CALENDAR, ["2024-Q1", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]),
        (
            YearType.FINANCIAL,
            ["2023-24 Q4", "2023-24 Q4", "2024-25 Q1", "2024-25 Q2", "2024-25 Q3"],
        ),
        (
            YearType.ACADEMIC,
            ["2023/24 Q2", "2023/24 Q3", "2023/24 Q3", "2023/24 Q4", "2024/25 Q1"],
        ),
    ],
)
def test_quarter_labels(year_type: YearType, expected: list[str]) -> None:
    days: list[str | None] = ["2024-01-15", "2024-03-31", "2024-04-01", "2024-07-01", "2024-10-01"]
    if year_type is YearType.ACADEMIC:
        days = ["2024-02-29", "2024-03-01", "2024-05-31", "2024-06-01", "2024-09-01"]
    assert keys(days, GroupBy.QUARTER, year_type) == expected


def test_academic_q1_is_september_to_november() -> None:
    got = keys(["2024-09-01", "2024-11-30", "2024-12-01"], GroupBy.QUARTER, YearType.ACADEMIC)
    assert got == ["2024/25 Q1", "2024/25 Q1", "2024/25 Q2"]


def test_financial_q1_is_april_to_june() -> None:
    got = keys(["2024-04-01", "2024-06-30", "2024-07-01"], GroupBy.QUARTER, YearType.FINANCIAL)
    assert got == ["2024-25 Q1", "2024-25 Q1", "2024-25 Q2"]


@pytest.mark.parametrize("year_type", list(YearType))
def test_month_labels_ignore_year_type(year_type: YearType) -> None:
    got = keys(["2024-05-31", "2024-12-01", None], GroupBy.MONTH, year_type)
    assert got == ["2024-05", "2024-12", None]


def test_nat_has_no_period() -> None:
    assert keys([None, "2024-01-01"], GroupBy.YEAR, YearType.CALENDAR) == [None, "2024"]


def test_la_is_not_a_period() -> None:
    with pytest.raises(ValueError, match="not periods"):
        period_codes(np.array(["2024-01-01"], dtype="datetime64[D]"), GroupBy.LA)


def test_period_month() -> None:
    assert Period.month("2024-02") == Period(date(2024, 2, 1), date(2024, 2, 29), "2024-02")
    assert Period.month("2023-12") == Period(date(2023, 12, 1), date(2023, 12, 31), "2023-12")
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.month("2024-13")
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.month("May 2024")


def test_period_between_and_contains() -> None:
    p = Period.between(date(2024, 1, 1), date(2024, 3, 31))
    assert p.label == "2024-01-01 to 2024-03-31"
    days = np.array(["2023-12-31", "2024-01-01", "2024-03-31", "2024-04-01", "NaT"], "M8[D]")
    assert p.contains(days).tolist() == [False, True, True, False, False]
    with pytest.raises(ValueError, match="ends before it starts"):
        Period.between(date(2024, 2, 1), date(2024, 1, 1))


@pytest.mark.parametrize(
    ("year_type", "start", "end", "label"),
    [
        (YearType.CALENDAR, date(2024, 1, 1), date(2024, 12, 31), "2024"),
        (YearType.FINANCIAL, date(2024, 4, 1), date(2025, 3, 31), "2024-25"),
        (YearType.ACADEMIC, date(2024, 9, 1), date(2025, 8, 31), "2024/25"),
    ],
)
def test_period_year(year_type: YearType, start: date, end: date, label: str) -> None:
    assert Period.year(2024, year_type) == Period(start, end, label)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from([GroupBy.YEAR, GroupBy.QUARTER, GroupBy.MONTH]),
    st.sampled_from(list(YearType)),
)
def test_codes_are_chronological_and_labels_sort_with_them(
    day: date, by: GroupBy, year_type: YearType
) -> None:
    later = day + timedelta(days=1)
    arr = np.array([day, later], dtype="datetime64[D]")
    c0, c1 = period_codes(arr, by, year_type).tolist()
    assert c1 in (c0, c0 + 1)
    l0, l1 = code_label(c0, by, year_type), code_label(c1, by, year_type)
    assert (l0 < l1) == (c0 < c1)
    assert (l0 == l1) == (c0 == c1)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_year_period_contains_exactly_its_days(day: date) -> None:
    for year_type in YearType:
        label = keys([day.isoformat()], GroupBy.YEAR, year_type)[0]
        start_year = day.year if day.month >= year_type.first_month else day.year - 1
        period = Period.year(start_year, year_type)
        assert period.label == label
        assert period.start <= day <= period.end
