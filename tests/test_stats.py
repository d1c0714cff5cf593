"""Summary figures: cohorts, exceptions, rounding, groups."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.engine import Settings, evaluate
from ehcp_check.model import CAVEATS, Status
from ehcp_check.periods import Period, YearType
from ehcp_check.stats import (
    UNKNOWN_LA,
    GroupBy,
    group_summaries,
    percent,
    round_half_up,
    summarize,
)

AS_OF = date(2025, 6, 30)
SETTINGS = Settings(as_of=AS_OF)

CONTRACT_KEYS = [
    "rows_read",
    "cases",
    "rows_excluded",
    "plans_issued",
    "within_20_weeks",
    "pct_within_20_weeks",
    "plans_issued_excl",
    "within_20_weeks_excl",
    "pct_within_20_weeks_excl",
    "over_20_to_52_weeks",
    "over_52_weeks",
    "mean_weeks_to_issue",
    "median_weeks_to_issue",
    "p90_weeks_to_issue",
    "max_weeks_to_issue",
    "decisions_to_assess",
    "within_6_weeks",
    "pct_within_6_weeks",
    "no_plan_decisions",
    "no_plan_over_16_weeks",
    "open_cases",
    "open_overdue",
    "max_days_overdue",
    "breaches",
    "exceptions_claimed",
    "exceptions_not_lawful",
    "exceptions_implausible",
    "open_overdue_exception",
    "dfe_excluded_mediation_tribunal",
]

DATE_COLUMNS = (
    "request_date",
    "assess_decision_date",
    "issue_decision_date",
    "draft_date",
    "final_date",
)


def case(
    request: str,
    *,
    final: str | None = None,
    decision: str | None = None,
    assess: str | None = None,
    no_plan: str | None = None,
    draft: str | None = None,
    exception: str | None = None,
    outcome: str | None = None,
    la: str | None = None,
) -> dict[str, object]:
    return {
        "la": la,
        "request_date": request,
        "assess_decision_date": decision,
        "assess_decision": assess if assess is not None else ("yes" if decision else None),
        "issue_decision_date": no_plan,
        "issue_decision": "no" if no_plan else None,
        "draft_date": draft,
        "final_date": final,
        "exception": exception,
        "outcome": outcome,
    }


def judge(*rows: dict[str, object], as_of: date = AS_OF) -> pd.DataFrame:
    table = pd.DataFrame(list(rows), columns=list(case("2024-01-01")))
    for name in DATE_COLUMNS:
        table[name] = pd.to_datetime(table[name])
    return evaluate(table, Settings(as_of=as_of))


def summary(verdicts: pd.DataFrame, period: Period | None = None) -> dict[str, Any]:
    return summarize(verdicts, settings=SETTINGS, period=period)


def after(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


Y2024 = Period.year(2024)


# --- rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (1, 400, 0.3),  # 0.25: banker's rounding gives 0.2
        (1, 8, 12.5),
        (1, 16, 6.3),  # 6.25
        (3, 16, 18.8),  # 18.75
        (45, 144, 31.3),  # 31.25, as the DfE published for Redcar and Cleveland 2022
        (2, 3, 66.7),
        (1, 3, 33.3),
        (0, 5, 0.0),
        (5, 5, 100.0),
    ],
)
def test_percent_rounds_half_up(num: int, den: int, expected: float) -> None:
    assert percent(num, den) == expected


def test_percent_empty_denominator_is_none() -> None:
    assert percent(0, 0) is None


def test_round_half_up_differs_from_bankers() -> None:
    assert round(0.25, 1) == 0.2
    assert round_half_up(0, 1) == 0.0
    assert round_half_up("0.25") == 0.3
    assert round_half_up("2.5", 0) == 3.0


# --- shape ---------------------------------------------------------------------------------


def test_keys_are_the_contract_and_json_ready() -> None:
    v = judge(case("2024-01-01", final="2024-03-01"), case("2024-02-01"))
    s = summarize(v, settings=SETTINGS, rows_read=3, rows_excluded=1)
    assert list(s) == [
        *CONTRACT_KEYS,
        "statuses",
        "cases_with_caveats",
        "breaches_with_caveats",
        "caveats",
    ]
    assert list(s["caveats"]) == [c.value for c in CAVEATS]
    assert list(s["breaches"]) == ["EHCP-6W", "EHCP-16W", "EHCP-20W", "EHCP-15D"]
    assert list(s["statuses"]) == [st.value for st in Status]
    json.dumps(s)

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(plain(x) for x in value.values())
        return value is None or type(value) in (int, float)

    assert plain(s)
    assert (s["rows_read"], s["rows_excluded"], s["cases"]) == (3, 1, 2)


def test_empty_table_has_no_rates() -> None:
    v = judge()
    s = summary(v)
    assert s["rows_read"] == 0
    for key in (
        "pct_within_20_weeks",
        "pct_within_20_weeks_excl",
        "pct_within_6_weeks",
        "mean_weeks_to_issue",
        "median_weeks_to_issue",
        "p90_weeks_to_issue",
        "max_weeks_to_issue",
    ):
        assert s[key] is None, key
    assert s["breaches"] == {"EHCP-6W": 0, "EHCP-16W": 0, "EHCP-20W": 0, "EHCP-15D": 0}
    assert s["max_days_overdue"] == 0
    assert group_summaries(v, settings=SETTINGS, by=GroupBy.YEAR) == []


# --- the 20-week measure ---------------------------------------------------------------------


def test_cohort_by_issue_date() -> None:
    """Requested in 2023, issued in 2024: a 2024 plan (and a 2023 6-week decision)."""
    v = judge(case("2023-12-01", decision="2024-01-05", final="2024-04-15"))
    s2024 = summary(v, Y2024)
    assert (s2024["plans_issued"], s2024["within_20_weeks"]) == (1, 1)
    assert s2024["decisions_to_assess"] == 0
    s2023 = summary(v, Period.year(2023))
    assert (s2023["plans_issued"], s2023["decisions_to_assess"]) == (0, 1)
    groups = dict(group_summaries(v, settings=SETTINGS, by=GroupBy.YEAR))
    assert sorted(groups) == ["2023", "2024"]
    assert (groups["2024"]["plans_issued"], groups["2024"]["decisions_to_assess"]) == (1, 0)
    assert (groups["2023"]["plans_issued"], groups["2023"]["decisions_to_assess"]) == (0, 1)
    assert (groups["2023"]["rows_read"], groups["2024"]["rows_read"]) == (1, 0)


def test_exceptions_leave_numerator_and_denominator() -> None:
    req = "2024-01-01"
    v = judge(
        case(req, final=after(req, 100)),  # on time
        case(req, final=after(req, 200)),  # late, no claim
        case(req, final=after(req, 200), exception="Y"),  # late, bare flag: accepted
        case(req, final=after(req, 100), exception="1"),  # on time, flag: accepted
        case(req, final=after(req, 200), exception="EP shortage"),  # not lawful: stays
    )
    s = summary(v)
    assert (s["plans_issued"], s["within_20_weeks"], s["pct_within_20_weeks"]) == (5, 2, 40.0)
    assert (s["plans_issued_excl"], s["within_20_weeks_excl"]) == (3, 1)
    assert s["pct_within_20_weeks_excl"] == 33.3
    assert (s["exceptions_claimed"], s["exceptions_not_lawful"]) == (3, 1)
    assert s["exceptions_implausible"] == 0
    assert s["statuses"]["late"] == 2
    assert s["statuses"]["late_exception"] == 1
    assert s["breaches"]["EHCP-20W"] == 3  # every missed deadline, claimed or not


def test_on_time_case_with_accepted_exception_leaves_excluding_measure() -> None:
    v = judge(case("2024-01-01", final="2024-03-01", exception="Y"))
    s = summary(v)
    assert (s["plans_issued"], s["within_20_weeks"], s["pct_within_20_weeks"]) == (1, 1, 100.0)
    assert (s["plans_issued_excl"], s["within_20_weeks_excl"]) == (0, 0)
    assert s["pct_within_20_weeks_excl"] is None


def test_implausible_claim_stays_in_the_excluding_measure() -> None:
    v = judge(case("2023-01-02", final="2023-09-01", exception="Covid"))
    s = summary(v)
    assert (s["exceptions_claimed"], s["exceptions_implausible"]) == (1, 1)
    assert (s["plans_issued_excl"], s["within_20_weeks_excl"]) == (1, 0)
    assert s["pct_within_20_weeks_excl"] == 0.0


def test_bands_at_their_edges() -> None:
    req = "2024-01-01"
    v = judge(
        case(req, final=after(req, 140)),
        case(req, final=after(req, 141)),
        case(req, final=after(req, 364)),
        case(req, final=after(req, 365)),
    )
    s = summary(v)
    assert s["within_20_weeks"] == 1
    assert (s["over_20_to_52_weeks"], s["over_52_weeks"]) == (2, 1)


def test_weeks_statistics() -> None:
    req = "2024-01-01"
    v = judge(*(case(req, final=after(req, 7 * w)) for w in range(10)))
    s = summary(v)
    assert s["mean_weeks_to_issue"] == 4.5
    assert s["median_weeks_to_issue"] == 4.5
    assert s["p90_weeks_to_issue"] == 8.1  # linear: position 0.9 x 9 = 8.1
    assert s["max_weeks_to_issue"] == 9.0
    days = np.arange(10) * 7
    assert s["p90_weeks_to_issue"] == round_half_up(str(np.percentile(days / 7, 90)))
    assert s["median_weeks_to_issue"] == float(pd.Series(days / 7).median())


def test_mean_weeks_rounds_half_up() -> None:
    """7 days over 20 plans is 0.05 weeks exactly: 0.1."""
    req = "2024-01-01"
    rows = [case(req, final=after(req, 1)) for _ in range(7)]
    rows += [case(req, final=req) for _ in range(13)]
    s = summary(judge(*rows))
    assert s["mean_weeks_to_issue"] == 0.1
    assert s["median_weeks_to_issue"] == 0.0


def test_invalid_and_not_applicable_never_count() -> None:
    v = judge(
        case("2024-01-01", final="2023-12-01"),  # final before request: invalid
        case("2024-01-01", final="2024-05-01", outcome="withdrawn"),
        case("2024-01-01", final="2024-02-01"),
    )
    assert v["status"].tolist() == [Status.INVALID, Status.NOT_APPLICABLE, Status.ON_TIME]
    s = summary(v)
    assert (s["plans_issued"], s["within_20_weeks"], s["pct_within_20_weeks"]) == (1, 1, 100.0)
    assert (s["rows_read"], s["rows_excluded"], s["cases"]) == (3, 1, 2)
    assert s["statuses"]["not_applicable"] == 1


# --- other measures ----------------------------------------------------------------------------


def test_six_week_decisions_by_request_date() -> None:
    v = judge(
        case("2024-01-01", decision="2024-02-12"),  # day 42: on time
        case("2024-01-01", decision="2024-02-13", assess="no"),  # day 43: late
        case("2024-12-20", decision="2025-01-20"),  # requested 2024, decided 2025
        case("2025-01-05", decision="2025-01-10"),
    )
    s = summary(v, Y2024)
    assert (s["decisions_to_assess"], s["within_6_weeks"], s["pct_within_6_weeks"]) == (
        3,
        2,
        66.7,
    )
    # The 6-week breach goes by its end event, the decision (13 February 2024).
    assert s["breaches"]["EHCP-6W"] == 1
    assert summary(v, Period.year(2025))["decisions_to_assess"] == 1


def test_no_plan_decisions_by_notice_date() -> None:
    v = judge(
        case("2023-10-01", decision="2023-11-01", no_plan="2024-02-15"),  # day 137: late
        case("2024-01-01", decision="2024-02-01", no_plan="2024-04-01"),  # on time
        case("2024-03-01", decision="2024-03-20", outcome="no_plan"),  # no notice date
        case("2023-12-01", decision="2024-01-01", no_plan="2025-01-02"),  # notice in 2025
    )
    s = summary(v, Y2024)
    assert (s["no_plan_decisions"], s["no_plan_over_16_weeks"]) == (3, 1)
    assert s["breaches"]["EHCP-16W"] == 1
    s2025 = summary(v, Period.year(2025))
    assert (s2025["no_plan_decisions"], s2025["no_plan_over_16_weeks"]) == (1, 1)


def test_open_snapshot_and_overdue() -> None:
    v = judge(
        case("2025-01-01", decision="2025-02-01"),  # 20W deadline 2025-05-21: 40 days over
        case("2025-05-01", decision="2025-06-01"),  # within time
        case("2025-06-01", assess="pending"),  # 6W deadline 2025-07-13: not yet
        case("2025-04-01", assess="pending"),  # 6W deadline 2025-05-13: 48 days over
    )
    s = summary(v)
    assert (s["open_cases"], s["open_overdue"], s["max_days_overdue"]) == (4, 2, 48)
    assert s["breaches"]["EHCP-20W"] == 1
    assert s["breaches"]["EHCP-6W"] == 1
    assert s["statuses"]["overdue"] == 2
    # A period's snapshot keeps every case requested up to its end (open when it closed),
    # not only that month's requests: January's and April's here, not May's or June's.
    april = summary(v, Period.month("2025-04"))
    assert (april["open_cases"], april["open_overdue"], april["max_days_overdue"]) == (2, 2, 48)


def test_fifteen_day_breach_by_final_date() -> None:
    v = judge(case("2024-01-01", draft="2024-03-01", final="2024-03-10"))
    s = summary(v, Y2024)
    assert s["breaches"]["EHCP-15D"] == 1


# --- groups ----------------------------------------------------------------------------------


def test_groups_by_la_sorted_with_unknown() -> None:
    v = judge(
        case("2024-01-01", final="2024-03-01", la="Barnet"),
        case("2024-01-01", final="2024-07-01", la="Anytown"),
        case("2024-01-01", final="2024-03-01", la="Barnet"),
        case("2024-01-01", final="2024-03-01"),
    )
    groups = group_summaries(v, settings=SETTINGS, by=GroupBy.LA)
    assert [k for k, _ in groups] == [UNKNOWN_LA, "Anytown", "Barnet"]
    assert [g["plans_issued"] for _, g in groups] == [1, 1, 2]
    assert [g["pct_within_20_weeks"] for _, g in groups] == [100.0, 0.0, 100.0]


def test_groups_by_financial_quarter_with_period() -> None:
    v = judge(
        case("2024-01-01", final="2024-03-31"),
        case("2024-01-01", final="2024-04-01"),
        case("2024-01-01", final="2024-05-30"),
    )
    groups = group_summaries(
        v,
        settings=SETTINGS,
        by=GroupBy.QUARTER,
        year_type=YearType.FINANCIAL,
        period=Period.between(date(2024, 4, 1), date(2024, 12, 31)),
    )
    assert [(k, g["plans_issued"]) for k, g in groups] == [("2024-25 Q1", 2)]


def test_groups_by_month() -> None:
    v = judge(case("2024-01-15", final="2024-02-01"), case("2024-02-15", final="2024-03-01"))
    groups = group_summaries(v, settings=SETTINGS, by=GroupBy.MONTH)
    assert [(k, g["rows_read"], g["plans_issued"]) for k, g in groups] == [
        ("2024-01", 1, 0),
        ("2024-02", 1, 1),
        ("2024-03", 0, 1),
    ]


ADDITIVE = [
    "rows_read",
    "cases",
    "rows_excluded",
    "plans_issued",
    "within_20_weeks",
    "plans_issued_excl",
    "within_20_weeks_excl",
    "over_20_to_52_weeks",
    "over_52_weeks",
    "decisions_to_assess",
    "within_6_weeks",
    "no_plan_decisions",
    "no_plan_over_16_weeks",
    "open_cases",
    "open_overdue",
    "exceptions_claimed",
    "exceptions_not_lawful",
    "exceptions_implausible",
]

random_case = st.fixed_dictionaries(
    {
        "request": st.integers(min_value=0, max_value=3 * 365),
        "decision": st.one_of(st.none(), st.integers(min_value=-5, max_value=120)),
        "assess": st.sampled_from([None, "yes", "no", "pending"]),
        "final": st.one_of(st.none(), st.integers(min_value=0, max_value=600)),
        "no_plan": st.one_of(st.none(), st.integers(min_value=30, max_value=200)),
        "exception": st.sampled_from([None, "Y", "EP shortage", "covid", "summer holiday"]),
        "outcome": st.sampled_from([None, None, None, "withdrawn"]),
        "la": st.sampled_from([None, "A", "B"]),
    }
)


def random_table(specs: list[dict[str, Any]]) -> pd.DataFrame:
    start = date(2021, 1, 1)
    rows = []
    for s in specs:
        req = start + timedelta(days=s["request"])

        def at(offset: int | None, req: date = req) -> str | None:
            return None if offset is None else (req + timedelta(days=offset)).isoformat()

        rows.append(
            case(
                req.isoformat(),
                decision=at(s["decision"]),
                assess=s["assess"],
                final=at(s["final"]),
                no_plan=at(s["no_plan"]) if s["final"] is None else None,
                exception=s["exception"],
                outcome=s["outcome"],
                la=s["la"],
            )
        )
    return judge(*rows, as_of=date(2023, 6, 30))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(random_case, min_size=0, max_size=40),
    st.sampled_from(
        [
            (GroupBy.YEAR, YearType.CALENDAR),
            (GroupBy.YEAR, YearType.FINANCIAL),
            (GroupBy.QUARTER, YearType.ACADEMIC),
            (GroupBy.MONTH, YearType.CALENDAR),
            (GroupBy.LA, YearType.CALENDAR),
        ]
    ),
)
def test_groups_add_up_to_the_whole(
    specs: list[dict[str, Any]], cut: tuple[GroupBy, YearType]
) -> None:
    v = random_table(specs)
    by, year_type = cut
    whole = summarize(v, settings=SETTINGS)
    groups = group_summaries(v, settings=SETTINGS, by=by, year_type=year_type)
    keys = [k for k, _ in groups]
    assert keys == sorted(keys)
    for key in ADDITIVE:
        assert sum(g[key] for _, g in groups) == whole[key], key
    for rule, n in whole["breaches"].items():
        assert sum(g["breaches"][rule] for _, g in groups) == n, rule
    for status, n in whole["statuses"].items():
        assert sum(g["statuses"][status] for _, g in groups) == n, status
    overdue = [g["max_days_overdue"] for _, g in groups]
    assert max(overdue, default=0) == whole["max_days_overdue"]
    issued = [g["max_weeks_to_issue"] for _, g in groups if g["max_weeks_to_issue"] is not None]
    assert max(issued, default=None) == whole["max_weeks_to_issue"]
    assert whole["plans_issued"] == (
        whole["within_20_weeks"] + whole["over_20_to_52_weeks"] + whole["over_52_weeks"]
    )


# --- the DfE mediation / tribunal exclusion and overdue cases with accepted claims ---------------


def test_mediation_or_tribunal_cases_leave_the_dfe_figures_not_their_verdicts() -> None:
    rows = [
        case("2024-01-01", final="2024-05-01"),  # on time
        case("2024-01-01", final="2024-07-01"),  # late, mediation took place
        case("2024-01-01", final="2024-04-01"),  # on time, tribunal took place
    ]
    plain = judge(*rows)
    table = pd.DataFrame(rows, columns=list(case("2024-01-01")))
    for name in DATE_COLUMNS:
        table[name] = pd.to_datetime(table[name])
    table["mediation_tribunal"] = pd.array([False, True, True], dtype="boolean")
    marked = evaluate(table, Settings(as_of=AS_OF))
    assert marked["status"].tolist() == plain["status"].tolist()
    s = summary(marked)
    assert (s["plans_issued"], s["within_20_weeks"], s["pct_within_20_weeks"]) == (1, 1, 100.0)
    assert s["dfe_excluded_mediation_tribunal"] == 2
    assert s["breaches"]["EHCP-20W"] == 1  # the breach itself still counts
    assert summary(plain)["dfe_excluded_mediation_tribunal"] is None


def test_open_overdue_exception_is_counted_and_is_also_open_overdue() -> None:
    v = judge(
        case("2024-01-01", decision="2024-02-01", assess="yes", exception="Bereavement"),
        case("2024-01-01", decision="2024-02-01", assess="yes", exception="backlog"),
        as_of=date(2024, 7, 1),
    )
    assert v["status"].tolist() == [Status.OVERDUE_EXCEPTION, Status.OVERDUE]
    s = summary(v)
    assert (s["open_overdue"], s["open_overdue_exception"]) == (2, 1)
