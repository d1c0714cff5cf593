"""Each limit has its own exceptions, judged on its own window (statute.md s.3 and s.4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.api import CaseFacts, case_table, check_case
from ehcp_check.claims import excuse_verdict
from ehcp_check.engine import Settings, evaluate, evaluate_columns
from ehcp_check.model import (
    BREACH_STATUSES,
    Caveat,
    Decision,
    Field,
    Outcome,
    Status,
    caveat_bit,
    withheld_bit,
)
from ehcp_check.report.records import CAVEAT_MESSAGES, case_records
from ehcp_check.report.rules_view import rules_document
from ehcp_check.rules import (
    COVID_END,
    COVID_START,
    LIMIT_EXCEPTIONS,
    Closure,
    ExceptionKind,
    Step,
)

AS_OF = date(2026, 1, 1)


def judge(*, as_of: date = AS_OF, **facts: Any) -> dict[str, Any]:
    return check_case(CaseFacts(**facts), Settings(as_of=as_of)).record


def by_rule(rec: dict[str, Any], rule: str) -> dict[str, Any]:
    return dict(rec["exception"]["by_rule"][rule])


# One claim of each kind, and one missed step of each kind (request 3 June 2024; the
# summer 2024 closure's advice window, 14 July - 28 August, lies inside every window).
CLAIMS: dict[ExceptionKind, str] = {
    ExceptionKind.SCHOOL_CLOSURE: "Summer holidays",
    ExceptionKind.EARLY_YEARS_CLOSURE: "Nursery closed for summer",
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "Bereavement",
    ExceptionKind.ABSENCE: "Family abroad for 6 weeks",
    ExceptionKind.COVID: "Covid-19",
    ExceptionKind.MISSED_APPOINTMENT: "Missed appointment",
    ExceptionKind.NOT_LAWFUL: "Staff shortage",
    ExceptionKind.FLAG: "Y",
    ExceptionKind.UNRECOGNISED: "See notes on file",
}
REQ = date(2024, 6, 3)
MISSED: dict[Step, tuple[dict[str, Any], str]] = {
    Step.DECISION_TO_ASSESS: (
        {
            "assess_decision_date": date(2024, 8, 1),
            "assess_decision": Decision.YES,
            "final_date": date(2024, 10, 1),
        },
        "EHCP-6W",
    ),
    Step.REFUSAL: (
        {"assess_decision_date": date(2024, 8, 1), "assess_decision": Decision.NO},
        "EHCP-6W",
    ),
    Step.NO_PLAN: ({"no_plan_date": date(2024, 10, 1)}, "EHCP-16W"),
    Step.FINAL_PLAN: ({"final_date": date(2024, 11, 1)}, "EHCP-20W"),
    Step.COMMENT: (
        {"draft_date": date(2024, 9, 20), "final_date": date(2024, 9, 30)},
        "EHCP-15D",
    ),
}
#: Statute.md s.3 table: which kinds excuse which step (coronavirus only in its 2020 window,
#: so never here: these deadlines fall in 2024).
LAWFUL: dict[Step, set[ExceptionKind]] = {
    Step.DECISION_TO_ASSESS: {
        ExceptionKind.SCHOOL_CLOSURE,
        ExceptionKind.PERSONAL_CIRCUMSTANCES,
        ExceptionKind.ABSENCE,
    },
    Step.REFUSAL: set(),
    Step.NO_PLAN: {
        ExceptionKind.SCHOOL_CLOSURE,
        ExceptionKind.EARLY_YEARS_CLOSURE,
        ExceptionKind.PERSONAL_CIRCUMSTANCES,
        ExceptionKind.ABSENCE,
        ExceptionKind.FLAG,
        ExceptionKind.UNRECOGNISED,
    },
    Step.FINAL_PLAN: {
        ExceptionKind.SCHOOL_CLOSURE,
        ExceptionKind.EARLY_YEARS_CLOSURE,
        ExceptionKind.PERSONAL_CIRCUMSTANCES,
        ExceptionKind.ABSENCE,
        ExceptionKind.FLAG,
        ExceptionKind.UNRECOGNISED,
    },
    Step.COMMENT: set(),
}


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("kind", list(CLAIMS))
def test_every_kind_against_every_limit(step: Step, kind: ExceptionKind) -> None:
    facts, rule = MISSED[step]
    rec = judge(request_date=REQ, exception=CLAIMS[kind], **facts)
    assert rec["exception"]["kind"] == kind
    assert rule in {b["rule"] for b in rec["breaches"]}
    verdict = by_rule(rec, rule)
    assert verdict["excused"] is (kind in LAWFUL[step]), verdict["why"]


def test_coronavirus_excuses_every_step_but_the_fifteen_days_in_its_window() -> None:
    # Deadline 6 weeks after 1 June 2020 = 13 July 2020: inside the window.
    refusal = judge(
        request_date=date(2020, 6, 1),
        assess_decision_date=date(2020, 8, 1),
        assess_decision=Decision.NO,
        exception="Covid-19",
    )
    assert by_rule(refusal, "EHCP-6W")["excused"] is True
    assert refusal["status"] == Status.LATE_EXCEPTION
    short = judge(
        request_date=date(2020, 1, 10),
        draft_date=date(2020, 5, 1),
        final_date=date(2020, 5, 5),
        assess_decision=Decision.YES,
        exception="Covid-19",
    )
    assert by_rule(short, "EHCP-15D")["excused"] is False
    assert short["status"] == Status.LATE


def test_rules_document_is_what_the_engine_applies() -> None:
    """The `rules` table and the engine say the same thing: every step lists exactly the
    kinds the engine accepts for it, and the coronavirus window is the engine's window."""
    doc = rules_document()
    listed = {row["step"]: set(row["kinds"]) for row in doc["limit_exceptions"]}
    for le in LIMIT_EXCEPTIONS:
        accepted = {
            kind.value
            for kind in ExceptionKind
            if excuse_verdict(le.step, kind, 1, 0)[0]  # plausible, nothing against it
        }
        assert listed[le.step.value] == accepted, le.step
    assert doc["covid_window"] == {"start": "2020-05-01", "end": "2020-09-25"}
    assert date(2020, 5, 1) == COVID_START
    assert date(2020, 9, 25) == COVID_END
    for day, inside in ((date(2020, 4, 30), False), (date(2020, 5, 1), True)):
        rec = judge(request_date=day - timedelta(days=140), final_date=day + timedelta(days=5))
        assert rec["deadline_20w"] == day.isoformat()
        with_claim = judge(
            request_date=day - timedelta(days=140),
            final_date=day + timedelta(days=5),
            exception="covid",
        )
        assert by_rule(with_claim, "EHCP-20W")["excused"] is inside


# --- plausibility edges, each on its limit's own window -----------------------------------


@pytest.mark.parametrize(
    ("deadline", "excused"),
    [
        (date(2020, 4, 30), False),
        (date(2020, 5, 1), True),
        (date(2020, 9, 25), True),
        (date(2020, 9, 26), False),
    ],
)
@pytest.mark.parametrize("limit", ["EHCP-6W", "EHCP-20W"])
def test_coronavirus_on_the_limits_own_deadline(deadline: date, excused: bool, limit: str) -> None:
    days = 42 if limit == "EHCP-6W" else 140
    req = deadline - timedelta(days=days)
    facts: dict[str, Any] = (
        {
            "assess_decision_date": deadline + timedelta(days=3),
            "assess_decision": Decision.YES,
            "final_date": req + timedelta(days=120),
        }
        if limit == "EHCP-6W"
        else {"final_date": deadline + timedelta(days=3), "assess_decision": Decision.YES}
    )
    rec = judge(request_date=req, exception="Covid-19 lockdown", **facts)
    assert by_rule(rec, limit)["excused"] is excused
    assert rec["status"] == (Status.LATE_EXCEPTION if excused else Status.LATE)


def test_deadline_passed_before_the_coronavirus_window_is_late() -> None:
    # Issue 9: request 1 Oct 2019, plan 1 Jun 2020: the deadline (18 Feb 2020) had passed.
    rec = judge(
        request_date=date(2019, 10, 1),
        assess_decision_date=date(2019, 11, 1),
        assess_decision=Decision.YES,
        final_date=date(2020, 6, 1),
        exception="Covid-19",
    )
    assert rec["deadline_20w"] == "2020-02-18"
    assert rec["status"] == Status.LATE


CLOSURE = Closure(date(2024, 7, 24), date(2024, 9, 3))  # advice window 17 Jul - 28 Aug


@pytest.mark.parametrize(
    ("requested", "excused"),
    [
        # 20W window = request .. request + 140. The advice window ends 28 August 2024.
        (date(2024, 8, 28), True),  # the window starts on the advice window's last day
        (date(2024, 8, 29), False),  # one day after it
    ],
)
def test_closure_advice_window_touching_or_missing_the_limits_window(
    requested: date, excused: bool
) -> None:
    rec = check_case(
        CaseFacts(
            request_date=requested,
            assess_decision=Decision.YES,
            final_date=requested + timedelta(days=160),
            exception="School closed for summer",
        ),
        Settings(as_of=AS_OF, closures=(CLOSURE,)),
    ).record
    assert by_rule(rec, "EHCP-20W")["excused"] is excused


@pytest.mark.parametrize(
    ("deadline_6w", "excused"),
    [(date(2024, 7, 17), True), (date(2024, 7, 16), False)],
)
def test_closure_for_the_six_weeks_ends_at_its_own_deadline(
    deadline_6w: date, excused: bool
) -> None:
    # The 6-week window ends at the 6-week deadline: an advice window opening 17 July
    # overlaps it only when that deadline is 17 July or later. The 20-week limit of the
    # same case is judged on its own, longer window and is excused either way.
    req = deadline_6w - timedelta(days=42)
    rec = check_case(
        CaseFacts(
            request_date=req,
            assess_decision_date=deadline_6w + timedelta(days=10),
            assess_decision=Decision.YES,
            final_date=req + timedelta(days=150),
            exception="Summer holidays",
        ),
        Settings(as_of=AS_OF, closures=(CLOSURE,)),
    ).record
    assert by_rule(rec, "EHCP-6W")["excused"] is excused
    assert by_rule(rec, "EHCP-20W")["excused"] is True


def test_summer_claim_for_limits_due_in_spring_is_implausible() -> None:
    # Issue 9: a 6-week decision due 15 April and a plan due 24 June are not excused by
    # the summer holiday (its advice window opens about 14 July).
    six = judge(
        request_date=date(2024, 3, 4),
        assess_decision_date=date(2024, 4, 30),
        assess_decision=Decision.YES,
        final_date=date(2024, 7, 20),
        exception="Summer holidays",
    )
    assert six["deadline_6w"] == "2024-04-15"
    assert by_rule(six, "EHCP-6W")["excused"] is False
    plan = judge(request_date=date(2024, 2, 5), final_date=date(2024, 7, 1), exception="Summer")
    assert plan["deadline_20w"] == "2024-06-24"
    assert plan["status"] == Status.LATE


def test_christmas_is_implausible_even_when_the_window_brushes_a_summer() -> None:
    rec = judge(
        request_date=date(2024, 8, 1),
        assess_decision=Decision.YES,
        final_date=date(2025, 1, 20),
        exception="Christmas holidays",
    )
    assert rec["exception"]["kind"] == "school_closure"
    assert rec["exception"]["plausible"] is False
    assert "Christmas, Easter and half-term" in by_rule(rec, "EHCP-20W")["why"]
    assert rec["status"] == Status.LATE


@pytest.mark.parametrize(("days", "excused"), [(27, False), (28, True)])
def test_stated_absence_of_27_and_28_days(days: int, excused: bool) -> None:
    rec = judge(request_date=REQ, final_date=date(2024, 11, 1), exception=f"Away {days} days")
    assert rec["exception"]["kind"] == "absence"
    assert by_rule(rec, "EHCP-20W")["excused"] is excused


def test_two_weeks_abroad_is_not_a_four_week_absence() -> None:
    rec = judge(
        request_date=REQ, final_date=date(2024, 11, 1), exception="family abroad for 2 weeks"
    )
    assert rec["status"] == Status.LATE
    assert rec["exception"]["accepted"] is False


def test_one_claim_excuses_twenty_weeks_and_not_the_six_week_refusal_style_limb() -> None:
    # An early-years closure excuses the 20 weeks (reg 10(4)(b)) but reg 5(4) has no
    # early-years limb, so the 6-week decision of the same case stays late.
    rec = judge(
        request_date=REQ,
        assess_decision_date=date(2024, 8, 1),
        assess_decision=Decision.YES,
        final_date=date(2024, 11, 1),
        exception="Nursery closed for summer",
    )
    assert by_rule(rec, "EHCP-20W")["excused"] is True
    assert by_rule(rec, "EHCP-6W")["excused"] is False
    assert "no early-years limb" in by_rule(rec, "EHCP-6W")["why"]
    assert rec["status"] == Status.LATE


# --- statuses ------------------------------------------------------------------------------


def test_withdrawn_after_a_late_decision_keeps_the_breach() -> None:
    rec = judge(
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 3, 14),
        assess_decision=Decision.YES,
        outcome=Outcome.WITHDRAWN,
    )
    assert rec["status"] == Status.LATE
    assert rec["breaches"] == [
        {"rule": "EHCP-6W", "deadline": "2024-02-12", "date": "2024-03-14", "days_late": 31}
    ]
    on_time = judge(
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 2, 1),
        assess_decision=Decision.YES,
        outcome=Outcome.WITHDRAWN,
    )
    assert (on_time["status"], on_time["breaches"]) == (Status.NOT_APPLICABLE, [])
    moved_in = judge(
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 3, 14),
        outcome=Outcome.TRANSFERRED_IN,
    )
    assert moved_in["status"] == Status.NOT_APPLICABLE


def test_undecided_request_past_six_weeks_is_overdue_with_a_caveat() -> None:
    rec = judge(request_date=date(2025, 3, 3), as_of=date(2025, 6, 30))
    assert rec["status"] == Status.OVERDUE
    assert rec["breaches"][0] == {
        "rule": "EHCP-6W",
        "deadline": "2025-04-14",
        "date": None,
        "days_late": 77,
    }
    assert [c["code"] for c in rec["caveats"]] == ["decision-not-recorded"]
    pending = judge(
        request_date=date(2025, 3, 3), assess_decision=Decision.PENDING, as_of=date(2025, 6, 30)
    )
    assert pending["status"] == Status.OVERDUE
    assert pending["caveats"] == []
    # A later step shows a decision was made: the 6 weeks are not judged without its date.
    drafted = judge(
        request_date=date(2025, 3, 3), draft_date=date(2025, 6, 1), as_of=date(2025, 6, 30)
    )
    assert [b["rule"] for b in drafted["breaches"]] == []
    assert drafted["status"] == Status.OPEN


def test_open_case_past_twenty_weeks_with_an_accepted_absence_is_overdue_exception() -> None:
    rec = judge(
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 2, 1),
        assess_decision=Decision.YES,
        exception="Family abroad for 6 weeks",
        as_of=date(2024, 7, 1),
    )
    assert rec["status"] == Status.OVERDUE_EXCEPTION
    assert Status.OVERDUE_EXCEPTION not in BREACH_STATUSES
    assert by_rule(rec, "EHCP-20W")["excused"] is True


# --- withheld dates, caveats and the stated 20-week columns -------------------------------


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in df.columns:
        if c.endswith("_date"):
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    return df


def records(rows: list[dict[str, Any]], as_of: date = AS_OF) -> list[dict[str, Any]]:
    return case_records(evaluate(table(rows), Settings(as_of=as_of)))


def test_withheld_final_date_is_a_plan_issued_not_judged() -> None:
    [rec] = records(
        [
            {
                "request_date": "2024-01-01",
                "assess_decision_date": "2024-02-01",
                "assess_decision": "yes",
                "final_date": None,
                "withheld": withheld_bit(Field.FINAL_DATE),
            }
        ]
    )
    assert rec["outcome"] == Outcome.PLAN_ISSUED
    assert rec["status"] == Status.ON_TIME  # the 6 weeks were met; 20 weeks not judged
    assert rec["breaches"] == []
    assert [c["code"] for c in rec["caveats"]] == ["date-withheld"]


def test_withheld_decision_date_is_no_overdue() -> None:
    [rec] = records(
        [{"request_date": "2024-01-01", "withheld": withheld_bit(Field.ASSESS_DECISION_DATE)}],
        as_of=date(2024, 3, 1),
    )
    assert rec["status"] == Status.OPEN
    assert rec["breaches"] == []
    assert [c["code"] for c in rec["caveats"]] == ["date-withheld"]


NO_FINAL = caveat_bit(Caveat.NO_FINAL_DATE_COLUMN)


@pytest.mark.parametrize(
    ("extra", "status", "days_late"),
    [
        ({}, Status.OPEN, 0),  # nothing to judge 20 weeks from: no overdue claimed
        ({"stated_within_20w": "yes"}, Status.ON_TIME, 0),
        ({"stated_within_20w": "no"}, Status.LATE, 0),
        ({"stated_days_to_final": 140.0}, Status.ON_TIME, 0),
        ({"stated_days_to_final": 150.0}, Status.LATE, 10),
    ],
)
def test_no_final_date_column(extra: dict[str, Any], status: Status, days_late: int) -> None:
    [rec] = records(
        [
            {
                "request_date": "2024-01-01",
                "assess_decision_date": "2024-02-01",
                "assess_decision": "yes",
                "caveats": NO_FINAL,
                **extra,
            }
        ]
    )
    assert rec["status"] == status
    assert rec["days_late"] == days_late
    codes = [c["code"] for c in rec["caveats"]]
    assert codes[0] == "no-final-date-column"
    assert ("verdict-from-stated-column" in codes) is bool(extra)


def test_ingest_caveats_pass_through_and_every_caveat_has_a_message() -> None:
    assert set(CAVEAT_MESSAGES) == set(Caveat)
    mask = caveat_bit(Caveat.OUTCOME_NOT_UNDERSTOOD) | caveat_bit(Caveat.DATE_FROM_STATUS_TEXT)
    [rec] = records([{"request_date": "2024-01-01", "final_date": "2024-03-01", "caveats": mask}])
    assert [c["code"] for c in rec["caveats"]] == [
        "outcome-not-understood",
        "date-from-status-text",
    ]


def test_engine_works_without_any_of_the_new_columns() -> None:
    cols = {"request_date": np.array(["2024-01-01"], dtype="datetime64[s]")}
    out = evaluate_columns(cols, 1, Settings(as_of=date(2024, 1, 10)))
    assert out["status"].tolist() == ["open"]
    assert out["caveats"].tolist() == [0]


# --- properties ------------------------------------------------------------------------------

requests = st.dates(min_value=date(2018, 1, 1), max_value=date(2025, 12, 31))
offsets = st.none() | st.integers(0, 400)
claims = st.sampled_from([*CLAIMS.values(), "Christmas holidays", "away 10 days", "lockdown"])


@st.composite
def cases(draw: st.DrawFn) -> CaseFacts:
    req = draw(requests)
    a, f, n = draw(offsets), draw(offsets), draw(offsets)
    decision = draw(st.sampled_from([None, Decision.YES, Decision.NO, Decision.PENDING]))
    if decision is Decision.PENDING:
        a = f = n = None
    if decision is Decision.NO:
        f = n = None
    if f is not None:
        n = None
    return CaseFacts(
        request_date=req,
        assess_decision_date=req + timedelta(days=a) if a is not None else None,
        assess_decision=decision,
        final_date=req + timedelta(days=f) if f is not None else None,
        no_plan_date=req + timedelta(days=n) if n is not None else None,
    )


@settings(max_examples=150, deadline=None)
@given(cases(), claims)
def test_a_claim_never_turns_a_met_limit_into_a_breach(facts: CaseFacts, claim: str) -> None:
    s = Settings(as_of=date(2026, 6, 1))
    bare = check_case(facts, s).record
    claimed = check_case(replace(facts, exception=claim), s).record
    assert claimed["breaches"] == bare["breaches"]
    if bare["status"] not in BREACH_STATUSES:
        assert claimed["status"] not in BREACH_STATUSES


@settings(max_examples=150, deadline=None)
@given(requests, st.integers(43, 300), st.integers(0, 60), st.integers(141, 400), claims)
def test_a_limits_verdict_never_depends_on_another_limits_dates(
    req: date, decided_a: int, shift: int, final: int, claim: str
) -> None:
    """Moving the decision date (the 6-week limit's end) never changes the 20-week verdict
    of the claim, and moving the final date never changes the 6-week verdict."""
    s = Settings(as_of=date(2030, 1, 1))

    def rec(decided: int, issued: int) -> dict[str, Any]:
        return check_case(
            CaseFacts(
                request_date=req,
                assess_decision_date=req + timedelta(days=decided),
                assess_decision=Decision.YES,
                final_date=req + timedelta(days=issued),
                exception=claim,
            ),
            s,
        ).record

    base = rec(decided_a, final)
    moved_decision = rec(decided_a + shift, final)
    moved_final = rec(decided_a, final + shift)
    if "EHCP-20W" in base["exception"]["by_rule"]:
        assert moved_decision["exception"]["by_rule"].get("EHCP-20W") == by_rule(base, "EHCP-20W")
    assert moved_final["exception"]["by_rule"].get("EHCP-6W") == base["exception"]["by_rule"].get(
        "EHCP-6W"
    )


masks = st.integers(0, (1 << 6) - 1)


@settings(max_examples=100, deadline=None)
@given(cases(), masks, st.booleans(), st.sampled_from([None, "yes", "no"]))
def test_a_verdict_resting_on_a_caveat_is_never_a_caveat_free_breach(
    facts: CaseFacts, withheld: int, no_final_column: bool, within: str | None
) -> None:
    row = pd.DataFrame(case_table(facts))
    row["withheld"] = withheld & ~withheld_bit(Field.REQUEST_DATE)
    if no_final_column:
        row[Field.FINAL_DATE] = pd.NaT
        row["caveats"] = NO_FINAL
        row["stated_within_20w"] = within
    [rec] = case_records(evaluate(row, Settings(as_of=date(2026, 6, 1))))
    codes = {c["code"] for c in rec["caveats"]}
    rests_on = (withheld & ~withheld_bit(Field.REQUEST_DATE)) != 0 or no_final_column
    if rests_on and rec["status"] in BREACH_STATUSES:
        assert codes
    # A withheld date never yields a breach on the limit that ends on it.
    ends = {
        "EHCP-6W": Field.ASSESS_DECISION_DATE,
        "EHCP-16W": Field.ISSUE_DECISION_DATE,
        "EHCP-20W": Field.FINAL_DATE,
    }
    for b in rec["breaches"]:
        field = ends.get(b["rule"])
        if field is not None:
            assert not row["withheld"].iloc[0] & withheld_bit(field)
    if (
        rec["status"] == Status.OVERDUE
        and any(b["rule"] == "EHCP-6W" and b["date"] is None for b in rec["breaches"])
        and facts.assess_decision is None
        # a decision dated after the as-of date was recorded: it had not happened yet then
        and facts.assess_decision_date is None
    ):
        assert "decision-not-recorded" in codes


NO_DECISION = caveat_bit(Caveat.NO_DECISION_COLUMN)


@pytest.mark.parametrize(
    ("as_of", "status", "codes"),
    [
        # day 42 (deadline 12 Feb): still in time either way; the caveat made no difference
        (date(2024, 2, 12), Status.OPEN, []),
        # day 43: a 6-week overdue would have been claimed from a column that is not there
        (date(2024, 2, 13), Status.OPEN, ["no-decision-column"]),
    ],
)
def test_no_decision_column_claims_no_six_week_overdue(
    as_of: date, status: Status, codes: list[str]
) -> None:
    [rec] = records(
        [{"request_date": "2024-01-01", "final_date": None, "caveats": NO_DECISION}], as_of
    )
    assert rec["status"] == status
    assert rec["breaches"] == []
    assert [c["code"] for c in rec["caveats"]] == codes


def test_no_decision_column_still_judges_twenty_weeks_from_the_final_date_column() -> None:
    [rec] = records(
        [{"request_date": "2024-01-01", "final_date": None, "caveats": NO_DECISION}],
        date(2024, 6, 1),
    )
    assert rec["status"] == Status.OVERDUE
    assert [b["rule"] for b in rec["breaches"]] == ["EHCP-20W"]


def test_a_stated_pending_decision_runs_the_six_weeks_without_the_column() -> None:
    [rec] = records(
        [{"request_date": "2024-01-01", "assess_decision": "pending", "caveats": NO_DECISION}],
        date(2024, 2, 13),
    )
    assert rec["status"] == Status.OVERDUE
    assert [b["rule"] for b in rec["breaches"]] == ["EHCP-6W"]
