"""The words of tables of totals: a row per phrasing of periods, measures and markers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcp_check.ingest.periods_text import (
    PeriodKind,
    YearContext,
    parse_label,
    parse_period,
    year_context,
)
from ehcp_check.ingest.totals_cells import parse_count
from ehcp_check.ingest.totals_vocab import (
    MEASURE_RULES,
    Measure,
    is_suppressed,
    is_total_label,
    measure_of,
)

D = dt.date
Q, M = PeriodKind.QUARTER, PeriodKind.MONTH
CY, FY, AY = PeriodKind.CALENDAR_YEAR, PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR

# label, expected (kind, start, end) or None
COMPLETE = [
    ("2019", (CY, D(2019, 1, 1), D(2019, 12, 31))),
    ("Calendar year 2019", (CY, D(2019, 1, 1), D(2019, 12, 31))),
    (2019, (CY, D(2019, 1, 1), D(2019, 12, 31))),
    (2019.0, (CY, D(2019, 1, 1), D(2019, 12, 31))),
    ("2019-20", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("2019/20", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("2019/2020", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("19/20", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("FY 2019/20", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("Financial year 2019-20", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("April 2019 - March 2020", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("Apr 19 - Mar 20", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("1 April 2019 to 31 March 2020", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("2019/20 academic year", (AY, D(2019, 9, 1), D(2020, 8, 31))),
    ("Academic year 2019-20", (AY, D(2019, 9, 1), D(2020, 8, 31))),
    ("AY 2019/20", (AY, D(2019, 9, 1), D(2020, 8, 31))),
    ("September 2019 - August 2020", (AY, D(2019, 9, 1), D(2020, 8, 31))),
    ("Q1 2019", (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("2019 Q4", (Q, D(2019, 10, 1), D(2019, 12, 31))),
    ("2019 Qtr. 1", (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("Q1 2019-20", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("2019-20 Q4", (Q, D(2020, 1, 1), D(2020, 3, 31))),
    ("Jan-Mar 2020", (Q, D(2020, 1, 1), D(2020, 3, 31))),
    ("Oct-Dec 19", (Q, D(2019, 10, 1), D(2019, 12, 31))),
    ("2019 Apr-Jun", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("2019-20 Jan-Mar", (Q, D(2020, 1, 1), D(2020, 3, 31))),
    ("January 2019", (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("Jan 2019", (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("Jan-19", (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("Jan 19", (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("Sept 2019", (M, D(2019, 9, 1), D(2019, 9, 30))),
    ("Feb-20", (M, D(2020, 2, 1), D(2020, 2, 29))),
    ("2019-01", (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("01/2019", (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("Year to March 2020", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("Year ending 31 March 2020", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("Year ending August 2021", (AY, D(2020, 9, 1), D(2021, 8, 31))),
    ("2019-20 (provisional)", (FY, D(2019, 4, 1), D(2020, 3, 31))),
    ("Q1 19/20", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Quarter 1 2019/20", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Qtr 1 2019-2020", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("2019/20 Q1 (Apr-Jun)", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("April to June 2019", (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Mar-24", (M, D(2024, 3, 1), D(2024, 3, 31))),
    (dt.datetime(2019, 4, 1), (M, D(2019, 4, 1), D(2019, 4, 30))),
    (D(2019, 4, 15), (M, D(2019, 4, 1), D(2019, 4, 30))),
]

_FY19 = YearContext(FY, 2019)
_CY19 = YearContext(CY, 2019)
_AY19 = YearContext(AY, 2019)

# label, context, expected (kind, start, end)
IN_CONTEXT = [
    ("Q1", _CY19, (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("Q1", _FY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Q4", _FY19, (Q, D(2020, 1, 1), D(2020, 3, 31))),
    ("Q1", _AY19, (Q, D(2019, 9, 1), D(2019, 11, 30))),
    ("Qtr 1", _CY19, (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("Qtr. 1", _CY19, (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("Qtr.2", _CY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Quarter 1", _FY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("first quarter", _CY19, (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("Apr-Jun", _FY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Jan-March", _CY19, (Q, D(2019, 1, 1), D(2019, 3, 31))),
    ("Jan-March", _FY19, (Q, D(2020, 1, 1), D(2020, 3, 31))),
    ("April, May, June", _CY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("April - June", _CY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Apr to Jun", _CY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("Jan", _CY19, (M, D(2019, 1, 1), D(2019, 1, 31))),
    ("January", _FY19, (M, D(2020, 1, 1), D(2020, 1, 31))),
    ("December", _FY19, (M, D(2019, 12, 1), D(2019, 12, 31))),
    ("Aug", _AY19, (M, D(2020, 8, 1), D(2020, 8, 31))),
    ("Q1 (Apr-Jun)", _FY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
    ("1st quarter", _FY19, (Q, D(2019, 4, 1), D(2019, 6, 30))),
]

NOT_PERIODS = [
    "Requests received 2019", "Total", "Plans issued", "", "Notes", "1371", 1371, 12.5,
    "Week 20", "2019-22", "Data entry errors", "Qtr 5", "Jan, Mar", True, None, "FYE 2020",
    "Autumn term 2019",
]  # fmt: skip


@pytest.mark.parametrize(("label", "expected"), COMPLETE)
def test_complete_labels(label: object, expected: tuple[PeriodKind, dt.date, dt.date]) -> None:
    span = parse_period(label)
    assert span is not None
    assert (span.kind, span.start, span.end) == expected


@pytest.mark.parametrize(("label", "context", "expected"), IN_CONTEXT)
def test_labels_read_in_a_year(
    label: str, context: YearContext, expected: tuple[PeriodKind, dt.date, dt.date]
) -> None:
    parsed = parse_label(label)
    assert parsed is not None
    assert parsed.needs_year
    assert parse_period(label) is None
    span = parse_period(label, context)
    assert span is not None
    assert (span.kind, span.start, span.end) == expected


@pytest.mark.parametrize("label", NOT_PERIODS)
def test_not_periods(label: object) -> None:
    assert parse_label(label) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("EHCPs issued in 2019/20", _FY19),
        ("Figures for the 2019/20 academic year", _AY19),
        ("Calendar year 2019: requests and plans", _CY19),
        ("Requests 2019 and 2020", None),
        ("EHCP timeliness", None),
    ],
)
def test_year_context_of_a_title(title: str, expected: YearContext | None) -> None:
    assert year_context(title) == expected


@given(st.integers(2014, 2030), st.integers(1, 4))
def test_financial_quarters_follow_april(year: int, quarter: int) -> None:
    span = parse_period(f"Q{quarter} {year}-{(year + 1) % 100:02d}")
    assert span is not None
    assert span.kind is Q
    first = (year * 12 + 3 + 3 * (quarter - 1)) // 12, (3 + 3 * (quarter - 1)) % 12 + 1
    assert (span.start.year, span.start.month) == first
    assert (span.end - span.start).days in range(89, 92)


# header as councils write it -> measure (None: not understood, listed, never a count)
MEASURES = [
    ("Requests received", Measure.REQUESTS),
    ("Number of requests for EHC needs assessment", Measure.REQUESTS),
    ("New requests for EHCNA", Measure.REQUESTS),
    ("EHC needs assessment requests", Measure.REQUESTS),
    ("Referrals received", Measure.REQUESTS),
    ("Final plans issued", Measure.PLANS_ISSUED),
    ("EHCPs issued", Measure.PLANS_ISSUED),
    ("Number of new EHC plans issued", Measure.PLANS_ISSUED),
    ("Total plans issued", Measure.PLANS_ISSUED),
    ("Plans finalised", Measure.PLANS_ISSUED),
    ("Issued", Measure.PLANS_ISSUED),
    ("Issued within 20 weeks", Measure.WITHIN_20_WEEKS),
    ("Plans issued within 20 weeks (incl exceptions)", Measure.WITHIN_20_WEEKS),
    ("Issued within 20 weeks Including exceptions", Measure.WITHIN_20_WEEKS),
    ("EHCPs issued in 20 weeks", Measure.WITHIN_20_WEEKS),
    ("Number issued within timescale", Measure.WITHIN_20_WEEKS),
    ("Within 20wks", Measure.WITHIN_20_WEEKS),
    ("Plans gone over the 20 week timescale", Measure.OVER_20_WEEKS),
    ("Issued outside 20 weeks", Measure.OVER_20_WEEKS),
    ("Plans issued after 20 weeks", Measure.OVER_20_WEEKS),
    ("More than 20 weeks", Measure.OVER_20_WEEKS),
    ("Plans issued excluding exceptions", Measure.PLANS_ISSUED_EXCL),
    ("EHCPs issued (excluding exemptions)", Measure.PLANS_ISSUED_EXCL),
    ("Issued within 20 weeks excluding exemptions", Measure.WITHIN_20_WEEKS_EXCL),
    ("Issued within 20 weeks Excluding exceptions", Measure.WITHIN_20_WEEKS_EXCL),
    ("Within 20 weeks exc. exceptions", Measure.WITHIN_20_WEEKS_EXCL),
    ("Number of EHCPs issued within 20 weeks (excluding exceptions)", Measure.WITHIN_20_WEEKS_EXCL),
    ("6 week decisions", Measure.DECISIONS_WITHIN_6_WEEKS),
    ("Decisions within 6 weeks", Measure.DECISIONS_WITHIN_6_WEEKS),
    ("Decision to assess made within six weeks", Measure.DECISIONS_WITHIN_6_WEEKS),
    ("Open cases", Measure.OPEN_CASES),
    ("Ongoing assessments", Measure.OPEN_CASES),
    ("Open over 20 weeks", Measure.OPEN_OVER_20_WEEKS),
    ("Ongoing cases beyond 20 weeks", Measure.OPEN_OVER_20_WEEKS),
    ("Mean days", Measure.MEAN_DAYS_TO_ISSUE),
    ("Average days to issue", Measure.MEAN_DAYS_TO_ISSUE),
    ("Data entry errors", None),
    ("% issued within 20 weeks", None),
    ("Percentage within 20 weeks", None),
    ("Requests refused", None),
    ("Draft plans issued", None),
    ("Decisions outside 6 weeks", None),
    ("Quarter", None),
    ("Comments", None),
]  # fmt: skip


@pytest.mark.parametrize(("header", "expected"), MEASURES)
def test_measure_headers(header: str, expected: Measure | None) -> None:
    assert measure_of(header) == expected


def test_every_measure_has_a_rule_and_a_phrasing() -> None:
    assert {r.measure for r in MEASURE_RULES} == set(Measure)
    assert {m for _, m in MEASURES if m is not None} == set(Measure)


@pytest.mark.parametrize(
    "marker",
    ["<5", "< 5", "<7", "<10", "*", "**", "Fewer than 5", "fewer than 10", "Less than 5", "x",
     "X", "c", "[c]", "[x]", "Suppressed", "[redacted]", "Fewer than five", "less than 10 cases",
     "<=5"],
)  # fmt: skip
def test_suppression_markers_are_kept_as_written(marker: str) -> None:
    assert is_suppressed(marker)
    assert parse_count(marker, False) == (None, marker.strip(), None)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,371", (1371, None, None)),
        ("12", (12, None, None)),
        (" 40 ", (40, None, None)),
        (1371, (1371, None, None)),
        (1371.0, (1371, None, None)),
        ("0", (0, None, None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
        ("12.5", (None, None, "not-a-count")),
        (12.5, (None, None, "not-a-count")),
        (-3, (None, None, "not-a-count")),
        ("see note", (None, None, "not-a-count")),
        ("1,37", (None, None, "not-a-count")),
        ("n/a", (None, None, "not-available")),
        ("-", (None, None, "not-available")),
        (True, (None, None, "not-a-count")),
    ],
)
def test_counts(cell: object, expected: tuple[object, object, object]) -> None:
    assert parse_count(cell, False) == expected


def test_mean_days_keep_decimals() -> None:
    assert parse_count("132.5", True) == (132.5, None, None)
    assert parse_count(98.25, True) == (98.25, None, None)


@given(st.integers(0, 10**7))
def test_thousands_separators_read_back(n: int) -> None:
    assert parse_count(f"{n:,}", False) == (n, None, None)
    assert parse_count(str(n), False) == (n, None, None)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Total", True), ("Grand total", True), ("TOTAL", True), ("Totals", True),
     ("2019 Total", True), ("Total 2019/20", True), ("Year total", True),
     ("Total for the year", True), ("Total plans issued", False), ("Q1", False),
     ("Requests", False)],
)  # fmt: skip
def test_total_labels(label: str, expected: bool) -> None:
    assert is_total_label(label) is expected


def test_the_totals_guide_names_every_measure_and_issue_code() -> None:
    from pathlib import Path

    from ehcp_check.ingest.totals_cells import TotalsIssue

    root = Path(__file__).resolve().parents[1]
    guide = (root / "docs" / "totals.md").read_text(encoding="utf-8")
    schema = (root / "docs" / "json-schema.md").read_text(encoding="utf-8")
    assert [m.value for m in Measure if f"`{m.value}`" not in guide] == []
    assert [c.value for c in TotalsIssue if f"`{c.value}`" not in schema] == []
