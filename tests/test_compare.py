"""compare: a reply's totals beside the published figures, on synthetic long tables.

Hertfordshire (919) published, by calendar year of issue: 2019 1,135 plans, 989 within 20
weeks (87.1%); excluding exceptions 1,010 and 888 (87.9%); 1,647 requests. 2020: 1,170
plans; 2021: 1,482.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.compare import (
    Finding,
    Verdict,
    audit_totals,
    compare,
    suppression_bound,
)
from ehcp_check.compare_model import signed
from ehcp_check.errors import UsageError
from ehcp_check.published import UnknownArea

QUARTERS = [
    ("Qtr 1", date(2019, 1, 1), date(2019, 3, 31)),
    ("Qtr 2", date(2019, 4, 1), date(2019, 6, 30)),
    ("Qtr 3", date(2019, 7, 1), date(2019, 9, 30)),
    ("Qtr 4", date(2019, 10, 1), date(2019, 12, 31)),
]


def row(
    period: str,
    kind: str,
    start: date,
    end: date,
    measure: str,
    value: int | None,
    suppressed: str | None = None,
    *,
    la: str | None = "Hertfordshire",
    line: int = 2,
) -> dict[str, Any]:
    return {
        "file": "reply.xlsx",
        "sheet": "Sheet1",
        "row": line,
        "la": la,
        "period": period,
        "period_kind": kind,
        "start": start,
        "end": end,
        "measure": measure,
        "value": value,
        "suppressed": suppressed,
    }


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["value"] = frame["value"].astype("Int64")
    return frame


def quarters(plans: list[int | None], within: list[int | None], **kw: Any) -> list[dict[str, Any]]:
    out = []
    for i, ((label, start, end), p, w) in enumerate(zip(QUARTERS, plans, within, strict=True)):
        out.append(row(label, "quarter", start, end, "plans_issued", p, line=3 + i, **kw))
        out.append(
            row(label, "quarter", start, end, "plans_issued_within_20_weeks", w, line=3 + i, **kw)
        )
    return out


def year_row(
    year: int, measure: str, value: int | None, marker: str | None = None
) -> dict[str, Any]:
    return row(
        str(year), "calendar_year", date(year, 1, 1), date(year, 12, 31), measure, value, marker
    )


# --- the two cases the issue names ---------------------------------------------------------


def test_quarters_built_to_match_2019_say_matches() -> None:
    result = compare(table(quarters([280, 290, 270, 295], [245, 250, 240, 254])))
    (y,) = result.years
    assert (y.council.name, y.year, y.verdict) == ("Hertfordshire", 2019, Verdict.MATCHES)
    plans, within = y.lines
    assert (plans.reply, plans.published, plans.difference) == (1135, 1135, 0)
    assert (within.reply, within.published, within.difference) == (989, 989, 0)
    assert plans.arithmetic == (
        "Qtr 1 280 + Qtr 2 290 + Qtr 3 270 + Qtr 4 295 = 1,135; 1,135 - 1,135 = 0"
    )
    assert plans.source == "4 quarters"
    (pct,) = y.percents
    assert (pct.reply, pct.published, pct.points) == (87.1, 87.1, 0.0)
    assert y.reasons == ()
    assert not result.differs


def test_an_impossible_quarter_says_so() -> None:
    result = compare(table(quarters([280, 290, 270, 295], [245, 300, 240, 254])))
    (y,) = result.years
    assert y.verdict is Verdict.IMPOSSIBLE
    (problem,) = y.problems
    assert problem.period == "Qtr 2"
    assert problem.where == "reply.xlsx, Sheet1, row 4"
    assert problem.message == (
        "more plans within 20 weeks than issued: within 20 weeks 300 > plans issued 290."
    )
    assert result.problems == (problem,)
    assert result.differs


@pytest.mark.parametrize(
    ("within", "plans", "impossible"),
    [(290, 290, False), (291, 290, True)],  # the boundary, both sides
)
def test_within_equal_to_issued_is_possible(within: int, plans: int, impossible: bool) -> None:
    rows = [
        year_row(2019, "plans_issued", plans),
        year_row(2019, "plans_issued_within_20_weeks", within),
    ]
    assert bool(compare(table(rows)).problems) is impossible


@pytest.mark.parametrize(
    ("measures", "message"),
    [
        (
            {"plans_issued_excl": 1200, "plans_issued": 1135},
            "more plans excluding exceptions than in all: plans issued, excl. exceptions "
            "1,200 > plans issued 1,135.",
        ),
        (
            {"within_20_weeks_excl": 1011, "plans_issued_excl": 1010},
            "more plans within 20 weeks than issued (excluding exceptions): within 20 weeks, "
            "excl. 1,011 > plans issued, excl. exceptions 1,010.",
        ),
        (
            {"plans_issued_over_20_weeks": 1136, "plans_issued": 1135},
            "more plans over 20 weeks than issued: over 20 weeks 1,136 > plans issued 1,135.",
        ),
        (
            {"within_20_weeks_excl": 1136, "plans_issued": 1135},
            "more plans within 20 weeks (excluding exceptions) than issued: within 20 weeks, "
            "excl. 1,136 > plans issued 1,135.",
        ),
        ({"plans_issued": -1}, "plans issued is -1: a count cannot be negative."),
    ],
)
def test_impossible_counts(measures: dict[str, int], message: str) -> None:
    result = compare(table([year_row(2019, m, v) for m, v in measures.items()]))
    assert [p.message for p in result.problems] == [message]


def test_within_over_a_suppressed_total_uses_the_stated_bound() -> None:
    rows = [
        year_row(2019, "plans_issued", None, "<5"),
        year_row(2019, "plans_issued_within_20_weeks", 5),
    ]
    (problem,) = compare(table(rows)).problems
    assert problem.message.endswith("within 20 weeks 5 > plans issued <5.")
    rows[1] = year_row(2019, "plans_issued_within_20_weeks", 4)
    assert compare(table(rows)).problems == ()


# --- years from quarters, months, year rows ------------------------------------------------


def test_twelve_months_make_a_year() -> None:
    rows = []
    plans = [94] * 11 + [1135 - 94 * 11]
    for month, value in enumerate(plans, start=1):
        start = date(2019, month, 1)
        end = date(2019 + month // 12, month % 12 + 1, 1) - pd.Timedelta(days=1).to_pytimedelta()
        rows.append(row(start.strftime("%b %Y"), "month", start, end, "plans_issued", value))
    (y,) = compare(table(rows)).years
    assert y.lines[0].source == "12 months"
    assert y.verdict is Verdict.MATCHES


def test_three_quarters_are_not_a_year() -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254])
    rows = [r for r in rows if r["period"] != "Qtr 4"]
    result = compare(table(rows))
    assert result.years == ()
    assert result.notes == (
        "2019: the reply's periods cover Jan-Sep 2019 only (9 of 12 months; plans issued, "
        "within 20 weeks), not the whole calendar year the Department publishes: not "
        "compared.",
    )


def test_gaps_in_the_months_are_named() -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254])
    rows = [r for r in rows if r["period"] != "Qtr 2" and r["measure"] == "plans_issued"]
    assert (
        compare(table(rows))
        .notes[0]
        .startswith("2019: the reply's periods cover Jan-Mar, Jul-Dec 2019 only (9 of 12 months; ")
    )


def test_a_year_row_is_used_and_its_quarters_checked_against_it() -> None:
    rows = [
        *quarters([280, 290, 270, 295], [245, 250, 240, 254]),
        year_row(2019, "plans_issued", 1136),
    ]
    result = compare(table(rows))
    (y,) = result.years
    plans = y.lines[0]
    assert (plans.reply, plans.source, plans.verdict) == (1136, "the 2019 row", Verdict.DIFFERS)
    assert "2019, plans issued: the quarters add up to 1,135, the year row says 1,136." in (
        result.notes
    )


def test_financial_years_are_not_comparable() -> None:
    rows = [
        row("2019-20", "financial_year", date(2019, 4, 1), date(2020, 3, 31), "plans_issued", 1200),
        row("2019/20", "academic_year", date(2019, 9, 1), date(2020, 8, 31), "plans_issued", 1100),
    ]
    result = compare(table(rows))
    assert result.years == ()
    assert [(n.period, n.kind) for n in result.not_comparable] == [
        ("2019-20", "financial_year"),
        ("2019/20", "academic_year"),
    ]
    assert result.not_comparable[0].reason.startswith(
        "a financial year (April-March) cannot become a calendar year"
    )


def test_financial_quarters_covering_a_calendar_year_are_added() -> None:
    """Quarters of two financial years that between them cover January-December 2019."""
    rows = [
        row("2018-19 Q4", "quarter", date(2019, 1, 1), date(2019, 3, 31), "plans_issued", 280),
        row("2019-20 Q1", "quarter", date(2019, 4, 1), date(2019, 6, 30), "plans_issued", 290),
        row("2019-20 Q2", "quarter", date(2019, 7, 1), date(2019, 9, 30), "plans_issued", 270),
        row("2019-20 Q3", "quarter", date(2019, 10, 1), date(2019, 12, 31), "plans_issued", 295),
        row("2019-20 Q4", "quarter", date(2020, 1, 1), date(2020, 3, 31), "plans_issued", 300),
    ]
    result = compare(table(rows))
    assert [(y.year, y.verdict) for y in result.years] == [(2019, Verdict.MATCHES)]


def test_over_20_weeks_gives_within() -> None:
    rows = [year_row(2019, "plans_issued", 1135), year_row(2019, "plans_issued_over_20_weeks", 146)]
    (y,) = compare(table(rows)).years
    within = y.lines[1]
    assert (within.measure, within.reply, within.verdict) == (
        "plans_issued_within_20_weeks",
        989,
        Verdict.MATCHES,
    )
    assert within.arithmetic == "plans issued 1,135 - over 20 weeks 146; 989 - 989 = 0"


def test_a_year_outside_the_release_is_noted() -> None:
    result = compare(table([year_row(2025, "plans_issued", 10)]))
    assert result.years == ()
    assert result.notes == ("Hertfordshire 2025: the release covers 2019-2024; not compared.",)


# --- suppressed cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "bound"),
    [
        ("<5", 4),
        ("< 5", 4),
        ("<7", 6),
        ("Fewer than 5", 4),
        ("fewer than 10", 9),
        ("less than 3", 2),
        ("<=5", 5),
        ("≤5", 5),
        ("*", None),
        ("c", None),
        ("x", None),
        ("", None),
        (None, None),
    ],
)
def test_suppression_bound(marker: str | None, bound: int | None) -> None:
    assert suppression_bound(marker) == bound


@pytest.mark.parametrize(
    ("hidden_published", "marker", "verdict"),
    [
        (4, "<5", Verdict.CONSISTENT),  # 4 is the most "<5" can hide
        (5, "<5", Verdict.DIFFERS),
        (0, "<5", Verdict.CONSISTENT),
        (40, "*", Verdict.CONSISTENT),  # no stated bound: open above
    ],
)
def test_a_suppressed_quarter_makes_a_range(
    hidden_published: int, marker: str, verdict: Verdict
) -> None:
    """Quarter 4 suppressed; the other three sum to 1,135 - hidden_published."""
    q = [280, 290, 1135 - 280 - 290 - hidden_published]
    rows = [
        row(label, "quarter", s, e, "plans_issued", v, line=3 + i)
        for i, ((label, s, e), v) in enumerate(zip(QUARTERS[:3], q, strict=True))
    ]
    label, s, e = QUARTERS[3]
    rows.append(row(label, "quarter", s, e, "plans_issued", None, marker, line=6))
    (y,) = compare(table(rows)).years
    line = y.lines[0]
    assert line.reply is None
    assert line.reply_low == 1135 - hidden_published
    assert line.verdict is verdict
    assert y.verdict is verdict
    reason = next(r for r in y.reasons if r.code == "suppressed-cells")
    assert reason.finding is (Finding.FITS if verdict is Verdict.CONSISTENT else Finding.MAY_FIT)


def test_suppressed_arithmetic_is_shown() -> None:
    rows = [year_row(2019, "plans_issued_within_20_weeks", None, "<5")]
    (y,) = compare(table(rows)).years
    assert y.lines[0].arithmetic == "2019 <5 (0-4)"
    assert y.lines[0].verdict is Verdict.DIFFERS  # 989 is not 0-4


# --- likely reasons --------------------------------------------------------------------------


def _reason(rows: list[dict[str, Any]], code: str) -> tuple[Finding, str]:
    (y,) = compare(table(rows)).years
    found = next(r for r in y.reasons if r.code == code)
    return found.finding, found.detail


def test_requests_not_plans_fits() -> None:
    finding, detail = _reason([year_row(2019, "plans_issued", 1647)], "requests-not-plans")
    assert finding is Finding.FITS
    assert detail == (
        "reply's 'plans issued' 1,647; published requests received 1,647 (off by 0), plans "
        "issued 1,135 (off by +512)."
    )


def test_requests_not_plans_does_not_fit_when_near_plans() -> None:
    finding, _ = _reason([year_row(2019, "plans_issued", 1130)], "requests-not-plans")
    assert finding is Finding.DOES_NOT_FIT


def test_figures_excluding_exceptions_fit() -> None:
    rows = [
        year_row(2019, "plans_issued", 1010),
        year_row(2019, "plans_issued_within_20_weeks", 888),
    ]
    finding, detail = _reason(rows, "exceptions")
    assert finding is Finding.FITS
    assert detail == (
        "plans issued: reply 1,010, published incl. 1,135, excl. 1,010; within 20 weeks: "
        "reply 888, published incl. 989, excl. 888."
    )


def test_financial_year_blend_may_fit() -> None:
    # April 2020-March 2021: 3/4 x 1,170 + 1/4 x 1,482 = 1,248
    finding, detail = _reason([year_row(2020, "plans_issued", 1248)], "financial-year")
    assert finding is Finding.MAY_FIT
    assert "April 2020-March 2021: 3/4 x 1,170 + 1/4 x 1,482 = 1,248" in detail
    finding, _ = _reason([year_row(2020, "plans_issued", 1171)], "financial-year")
    assert finding is Finding.DOES_NOT_FIT


@pytest.mark.parametrize(
    ("within", "finding"),
    [(990, Finding.MAY_FIT), (1100, Finding.DOES_NOT_FIT)],
)
def test_day_counting(within: int, finding: Finding) -> None:
    rows = [
        year_row(2019, "plans_issued", 1135),
        year_row(2019, "plans_issued_within_20_weeks", within),
    ]
    got, _ = _reason(rows, "day-counting")
    assert got is finding


def test_every_reason_is_checked_when_a_year_differs() -> None:
    rows = [
        year_row(2019, "plans_issued", 1200),
        year_row(2019, "plans_issued_within_20_weeks", 900),
    ]
    (y,) = compare(table(rows)).years
    assert [r.code for r in y.reasons] == [
        "requests-not-plans",
        "exceptions",
        "financial-year",
        "suppressed-cells",
        "day-counting",
        "cohort-by-request",
    ]


# --- which council -------------------------------------------------------------------------


def test_the_council_comes_from_la_or_the_file() -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254], la=None)
    with pytest.raises(UsageError, match="name it with --la"):
        compare(table(rows))
    assert compare(table(rows), la="919").years[0].verdict is Verdict.MATCHES
    named = quarters([280, 290, 270, 295], [245, 250, 240, 254], la="Herts")
    assert compare(table(named)).years[0].council.old_code == "919"


def test_la_overrides_the_file_and_says_so() -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254], la="Essex County Council")
    result = compare(table(rows), la="Hertfordshire")
    assert result.years[0].verdict is Verdict.MATCHES
    assert result.notes == (
        "--la Hertfordshire: the reply's council column also says 'Essex County Council'; "
        "every row is taken as this council's.",
    )


def test_two_councils_are_compared_each() -> None:
    rows = [year_row(2019, "plans_issued", 1135)]
    other = dict(year_row(2019, "plans_issued", 1), la="Essex")
    result = compare(table([*rows, other]))
    assert [(y.council.name, y.verdict) for y in result.years] == [
        ("Essex", Verdict.DIFFERS),
        ("Hertfordshire", Verdict.MATCHES),
    ]


def test_an_unknown_council_in_the_file() -> None:
    with pytest.raises(UnknownArea, match="no council called 'Atlantis'"):
        compare(table([dict(year_row(2019, "plans_issued", 1), la="Atlantis")]))


def test_missing_columns() -> None:
    with pytest.raises(UsageError, match="needs the columns"):
        compare(pd.DataFrame({"period": ["2019"]}))


# --- JSON, audit figures, properties -------------------------------------------------------


def test_json_document() -> None:
    doc = compare(table(quarters([280, 290, 270, 295], [245, 250, 240, 254]))).to_dict()
    assert doc["schema"] == "ehcp-check/compare/1"
    assert doc["years"][0]["verdict"] == "matches"
    assert doc["years"][0]["lines"][0]["difference"] == 0
    assert doc["impossible"] == []


def test_audit_figures_compare_like_a_reply() -> None:
    summary = {"plans_issued": 1135, "within_20_weeks": 989, "plans_issued_excl": 1010,
               "within_20_weeks_excl": 888, "pct_within_20_weeks": 87.1}  # fmt: skip
    frame = audit_totals([(2019, summary)], la="Hertfordshire")
    assert len(frame) == 4
    (y,) = compare(frame).years
    assert y.verdict is Verdict.MATCHES
    assert [p.name for p in y.percents] == ["pct_within_20_weeks", "pct_within_20_weeks_excl"]


@pytest.mark.parametrize(("n", "places", "text"), [(0, None, "0"), (5, None, "+5"),
                         (-1234, None, "-1,234"), (0.0, 1, "0.0"), (-0.5, 1, "-0.5")])  # fmt: skip
def test_signed(n: float, places: int | None, text: str) -> None:
    assert signed(n, places) == text


@settings(max_examples=60, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=1135), min_size=3, max_size=3),
    bump=st.integers(min_value=-50, max_value=50),
)
def test_any_split_into_quarters_matches_and_a_bump_is_the_difference(
    cuts: list[int], bump: int
) -> None:
    points = sorted(cuts)
    parts = [points[0], points[1] - points[0], points[2] - points[1], 1135 - points[2]]
    parts[0] += bump
    rows = [
        row(label, "quarter", s, e, "plans_issued", v, line=3 + i)
        for i, ((label, s, e), v) in enumerate(zip(QUARTERS, parts, strict=True))
    ]
    (y,) = compare(table(rows)).years
    line = y.lines[0]
    assert line.difference == bump
    assert line.verdict is (Verdict.MATCHES if bump == 0 else Verdict.DIFFERS)


def test_a_period_into_the_next_year_is_noted() -> None:
    rows = [row("Dec-Feb", "other", date(2019, 12, 1), date(2020, 2, 29), "plans_issued", 9)]
    result = compare(table(rows))
    assert result.years == ()
    assert result.notes == (
        "periods running into the next calendar year are not compared: 'Dec-Feb'.",
    )


@settings(max_examples=60, deadline=None)
@given(
    hidden=st.lists(st.integers(min_value=0, max_value=4), min_size=4, max_size=4),
    suppress=st.lists(st.booleans(), min_size=4, max_size=4),
    marker=st.sampled_from(["<5", "Fewer than 5", "*"]),
)
def test_suppressing_small_true_counts_never_makes_a_match_differ(
    hidden: list[int], suppress: list[bool], marker: str
) -> None:
    """Quarters whose true counts add up to the published 1,135; any of them that are
    small may be suppressed. The verdict is then matches or consistent, never differs."""
    values = list(hidden)
    values[0] = 1135 - sum(hidden[1:])  # the first quarter carries the rest, never hidden
    rows = []
    for i, ((label, s, e), v) in enumerate(zip(QUARTERS, values, strict=True)):
        hide = i > 0 and suppress[i]
        rows.append(
            row(
                label,
                "quarter",
                s,
                e,
                "plans_issued",
                None if hide else v,
                marker if hide else None,
                line=3 + i,
            )
        )
    (y,) = compare(table(rows)).years
    expected = Verdict.CONSISTENT if any(suppress[1:]) else Verdict.MATCHES
    assert y.verdict is expected


def test_one_problem_per_count_and_per_council() -> None:
    rows = [
        dict(year_row(2019, "plans_issued", 200), la="Essex"),
        dict(year_row(2019, "plans_issued_within_20_weeks", 150), la="Essex"),
        year_row(2019, "plans_issued_within_20_weeks", 40),  # Hertfordshire: 40 of 50
        year_row(2019, "plans_issued", 50),  # not to be set against Essex's 150
        year_row(2019, "plans_issued_excl", 90),
        year_row(2019, "within_20_weeks_excl", 120),  # breaks three rules; reported once
    ]
    assert [p.message for p in compare(table(rows)).problems] == [
        "more plans within 20 weeks than issued (excluding exceptions): within 20 weeks, "
        "excl. 120 > plans issued, excl. exceptions 90.",
        "more plans excluding exceptions than in all: plans issued, excl. exceptions 90 > "
        "plans issued 50.",
    ]


def test_measures_and_periods_that_cannot_be_compared_are_noted() -> None:
    rows = [
        year_row(2019, "plans_issued", 1135),
        year_row(2019, "open_cases", 40),
        year_row(2019, "mean_days_to_issue", 120),
        dict(year_row(2019, "plans_issued", 5), period="Unknown", start=None, end=None),
    ]
    result = compare(table(rows))
    assert result.years[0].verdict is Verdict.MATCHES
    assert result.notes == (
        "periods without dates are not compared: 'Unknown'.",
        "not published by the Department, so not compared: open_cases, mean_days_to_issue.",
    )
