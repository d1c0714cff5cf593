"""The statutory arithmetic at its boundaries, through the one engine."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ehcp_check.api import CaseFacts, check_case
from ehcp_check.engine import Settings
from ehcp_check.model import DayCount, Decision, Outcome, Status
from ehcp_check.rules import Closure

AS_OF = date(2025, 6, 30)


def judge(
    *, as_of: date = AS_OF, day_count: DayCount = DayCount.WITHIN, **facts: Any
) -> dict[str, Any]:
    settings = Settings(as_of=as_of, day_count=day_count)
    return check_case(CaseFacts(**facts), settings).record


def breach(rec: dict[str, Any], rule: str) -> dict[str, Any] | None:
    return next((b for b in rec["breaches"] if b["rule"] == rule), None)


# --- the 20-week limit -------------------------------------------------------------------


def test_day_140_is_on_time() -> None:
    rec = judge(request_date=date(2024, 1, 1), final_date=date(2024, 5, 20))
    assert rec["deadline_20w"] == "2024-05-20"
    assert rec["status"] == Status.ON_TIME
    assert rec["weeks_to_final"] == 20.0
    assert rec["days_late"] == 0
    assert rec["breaches"] == []


def test_day_141_is_one_day_late() -> None:
    rec = judge(request_date=date(2024, 1, 1), final_date=date(2024, 5, 21))
    assert rec["status"] == Status.LATE
    assert rec["weeks_to_final"] == 20.1
    assert rec["days_late"] == 1
    assert rec["breaches"] == [
        {"rule": "EHCP-20W", "deadline": "2024-05-20", "date": "2024-05-21", "days_late": 1}
    ]


def test_day_140_is_flagged_as_boundary() -> None:
    assert judge(request_date=date(2024, 1, 1), final_date=date(2024, 5, 20))["boundary"] == [
        "EHCP-20W"
    ]
    assert judge(request_date=date(2024, 1, 1), final_date=date(2024, 5, 19))["boundary"] == []


def test_day_one_convention_moves_every_deadline_one_day_earlier() -> None:
    rec = judge(
        day_count=DayCount.DAY_ONE,
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 2, 12),
        assess_decision=Decision.YES,
        final_date=date(2024, 5, 20),
    )
    assert rec["deadline_6w"] == "2024-02-11"
    assert rec["deadline_20w"] == "2024-05-19"
    assert rec["status"] == Status.LATE
    assert [(b["rule"], b["days_late"]) for b in rec["breaches"]] == [
        ("EHCP-6W", 1),
        ("EHCP-20W", 1),
    ]
    assert rec["boundary"] == ["EHCP-6W", "EHCP-20W"]


def test_day_one_16_weeks() -> None:
    rec = judge(
        day_count=DayCount.DAY_ONE,
        request_date=date(2024, 1, 1),
        no_plan_date=date(2024, 4, 22),
    )
    assert rec["deadline_16w"] == "2024-04-21"
    assert breach(rec, "EHCP-16W") == {
        "rule": "EHCP-16W",
        "deadline": "2024-04-21",
        "date": "2024-04-22",
        "days_late": 1,
    }


def test_leap_day_request() -> None:
    rec = judge(request_date=date(2024, 2, 29), final_date=date(2024, 7, 18))
    assert rec["deadline_6w"] == "2024-04-11"
    assert rec["deadline_20w"] == "2024-07-18"
    assert rec["status"] == Status.ON_TIME


def test_deadline_crossing_the_year_end() -> None:
    rec = judge(request_date=date(2023, 9, 1), final_date=date(2024, 1, 20))
    assert rec["deadline_6w"] == "2023-10-13"
    assert rec["deadline_20w"] == "2024-01-19"
    assert rec["days_late"] == 1


def test_hertfordshire_worked_example() -> None:
    # R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin): request 30 December 2022.
    rec = judge(
        request_date=date(2022, 12, 30),
        assess_decision_date=date(2023, 2, 8),
        assess_decision=Decision.NO,
    )
    assert rec["deadline_6w"] == "2023-02-10"
    assert rec["outcome"] == Outcome.REFUSED
    assert rec["status"] == Status.ON_TIME
    assert rec["deadline_20w"] is None
    open_case = judge(
        request_date=date(2022, 12, 30), assess_decision=Decision.YES, as_of=date(2023, 5, 19)
    )
    assert open_case["deadline_20w"] == "2023-05-19"
    assert open_case["status"] == Status.OPEN


# --- 6 and 16 weeks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decided", "status", "late"),
    [(date(2024, 2, 12), Status.ON_TIME, 0), (date(2024, 2, 13), Status.LATE, 1)],
)
def test_six_weeks_refusal(decided: date, status: Status, late: int) -> None:
    rec = judge(
        request_date=date(2024, 1, 1),
        assess_decision_date=decided,
        assess_decision=Decision.NO,
    )
    assert rec["status"] == status
    assert rec["days_late"] == late


@pytest.mark.parametrize(
    ("notice", "status"),
    [(date(2024, 4, 22), Status.ON_TIME), (date(2024, 4, 23), Status.LATE)],
)
def test_sixteen_weeks_no_plan(notice: date, status: Status) -> None:
    rec = judge(request_date=date(2024, 1, 1), no_plan_date=notice)
    assert rec["outcome"] == Outcome.NO_PLAN
    assert rec["deadline_16w"] == "2024-04-22"
    assert rec["deadline_20w"] is None
    assert rec["status"] == status


def test_twenty_weeks_is_not_chained_to_the_decision() -> None:
    # A late decision to assess does not push the 20-week deadline back.
    rec = judge(
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 3, 1),
        assess_decision=Decision.YES,
        final_date=date(2024, 5, 20),
    )
    assert rec["deadline_20w"] == "2024-05-20"
    assert rec["breaches"] == [
        {"rule": "EHCP-6W", "deadline": "2024-02-12", "date": "2024-03-01", "days_late": 18}
    ]
    assert rec["status"] == Status.LATE
    assert rec["days_late"] == 18


# --- 15 days on the draft ----------------------------------------------------------------


def test_fifteen_days_after_draft_is_enough() -> None:
    rec = judge(
        request_date=date(2024, 1, 1),
        draft_date=date(2024, 4, 1),
        final_date=date(2024, 4, 16),
    )
    assert rec["status"] == Status.ON_TIME
    assert breach(rec, "EHCP-15D") is None


def test_fourteen_days_after_draft_is_too_soon() -> None:
    rec = judge(
        request_date=date(2024, 1, 1),
        draft_date=date(2024, 4, 1),
        final_date=date(2024, 4, 15),
    )
    assert rec["status"] == Status.LATE
    assert breach(rec, "EHCP-15D") == {
        "rule": "EHCP-15D",
        "deadline": "2024-04-16",
        "date": "2024-04-15",
        "days_late": 1,
    }


def test_day_one_does_not_shorten_the_fifteen_days() -> None:
    rec = judge(
        day_count=DayCount.DAY_ONE,
        request_date=date(2024, 1, 1),
        draft_date=date(2024, 4, 1),
        final_date=date(2024, 4, 15),
    )
    assert breach(rec, "EHCP-15D") is not None


def test_fifteen_day_breach_cannot_be_excused() -> None:
    rec = judge(
        request_date=date(2024, 1, 1),
        draft_date=date(2024, 4, 1),
        final_date=date(2024, 4, 10),
        exception="Y",
    )
    assert rec["status"] == Status.LATE


# --- open cases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "late", "weeks_open"),
    [
        (date(2024, 5, 20), Status.OPEN, 0, 20.0),
        (date(2024, 5, 21), Status.OVERDUE, 1, 20.1),
        (date(2024, 12, 31), Status.OVERDUE, 225, 52.1),
    ],
)
def test_open_case_before_and_after_the_deadline(
    as_of: date, status: Status, late: int, weeks_open: float
) -> None:
    rec = judge(as_of=as_of, request_date=date(2024, 1, 1), assess_decision=Decision.YES)
    assert rec["outcome"] == Outcome.OPEN
    assert rec["status"] == status
    assert rec["days_late"] == late
    assert rec["weeks_open"] == weeks_open
    if status is Status.OVERDUE:
        assert rec["breaches"] == [
            {"rule": "EHCP-20W", "deadline": "2024-05-20", "date": None, "days_late": late}
        ]


def test_open_case_awaiting_decision_runs_the_six_week_clock() -> None:
    rec = judge(
        as_of=date(2024, 2, 13),
        request_date=date(2024, 1, 1),
        assess_decision=Decision.PENDING,
    )
    assert rec["status"] == Status.OVERDUE
    assert rec["deadline_20w"] is None
    assert rec["breaches"] == [
        {"rule": "EHCP-6W", "deadline": "2024-02-12", "date": None, "days_late": 1}
    ]


def test_withdrawn_request_has_no_limit() -> None:
    rec = judge(request_date=date(2024, 1, 1), outcome=Outcome.WITHDRAWN)
    assert rec["status"] == Status.NOT_APPLICABLE
    assert rec["deadline_20w"] is None
    assert rec["breaches"] == []


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (
            {"request_date": date(2024, 5, 1), "final_date": date(2024, 4, 1)},
            "final plan date is before the request date",
        ),
        (
            {
                "request_date": date(2024, 1, 1),
                "draft_date": date(2024, 5, 1),
                "final_date": date(2024, 4, 1),
            },
            "final plan date is before the draft plan date",
        ),
        (
            {"request_date": date(2024, 1, 1), "assess_decision": Decision.NO},
            "no date to judge the applicable limits against",
        ),
    ],
)
def test_invalid_cases(facts: dict[str, Any], reason: str) -> None:
    rec = judge(**facts)
    assert rec["status"] == Status.INVALID
    assert rec["invalid_reason"] == reason


# --- exceptions --------------------------------------------------------------------------

# Requested in spring, issued in the autumn: the case's window spans the summer holiday.
LATE_PLAN: dict[str, Any] = {"request_date": date(2024, 4, 1), "final_date": date(2024, 9, 30)}


@pytest.mark.parametrize(
    ("claim", "kind", "lawful", "plausible", "status"),
    [
        ("Y", "flag", None, None, Status.LATE_EXCEPTION),
        ("1", "flag", None, None, Status.LATE_EXCEPTION),
        ("Exception applies", "flag", None, None, Status.LATE_EXCEPTION),
        ("EP shortage", "not_lawful", False, None, Status.LATE),
        ("Awaiting health advice", "not_lawful", False, None, Status.LATE),
        ("Did not attend appointment", "missed_appointment", False, None, Status.LATE),
        ("Bereavement in family", "personal_circumstances", True, None, Status.LATE_EXCEPTION),
        ("Summer holidays", "school_closure", True, True, Status.LATE_EXCEPTION),
        ("Nursery closed for 5 weeks", "early_years_closure", True, True, Status.LATE_EXCEPTION),
        ("Family abroad for 6 weeks", "absence", True, True, Status.LATE_EXCEPTION),
        ("covid", "covid", True, False, Status.LATE),
        ("See notes on file", "unrecognised", None, None, Status.LATE_EXCEPTION),
    ],
)
def test_exception_kinds_against_the_twenty_week_limit(
    claim: str, kind: str, lawful: bool | None, plausible: bool | None, status: Status
) -> None:
    rec = judge(exception=claim, **LATE_PLAN)
    assert rec["exception"]["kind"] == kind
    assert rec["exception"]["lawful"] is lawful
    assert rec["exception"]["plausible"] is plausible
    assert rec["status"] == status
    assert rec["exception"]["raw"] == claim


@pytest.mark.parametrize("claim", ["N", "No", "0", "", "n/a", "None"])
def test_no_claim_values(claim: str) -> None:
    rec = judge(exception=claim, **LATE_PLAN)
    assert rec["exception"] is None
    assert rec["status"] == Status.LATE


def test_school_closure_outside_any_summer_is_implausible() -> None:
    rec = judge(
        request_date=date(2023, 9, 10),
        final_date=date(2024, 2, 20),
        exception="School closed for holidays",
    )
    assert rec["exception"]["kind"] == "school_closure"
    assert rec["exception"]["plausible"] is False
    assert rec["status"] == Status.LATE


def test_school_advice_date_is_checked_against_the_statutory_window() -> None:
    closure = Closure(date(2024, 7, 24), date(2024, 9, 3))
    # Window: one week before the closure (17 July) to one week before re-opening
    # (re-opens 4 September, so 28 August).
    assert closure.advice_window == (date(2024, 7, 17), date(2024, 8, 28))
    settings = Settings(as_of=AS_OF, closures=(closure,))
    base = CaseFacts(
        request_date=date(2024, 5, 1),
        final_date=date(2024, 10, 1),
        exception="Summer holidays",
        school_advice_date=date(2024, 7, 17),
    )
    inside = check_case(base, settings).record
    assert inside["exception"]["plausible"] is True
    outside = check_case(
        CaseFacts(
            request_date=base.request_date,
            final_date=base.final_date,
            exception=base.exception,
            school_advice_date=date(2024, 7, 16),
        ),
        settings,
    ).record
    assert outside["exception"]["plausible"] is False
    assert outside["status"] == Status.LATE


def test_closure_shorter_than_four_weeks_cannot_ground_the_exception() -> None:
    settings = Settings(as_of=AS_OF, closures=(Closure(date(2024, 7, 24), date(2024, 8, 20)),))
    rec = check_case(
        CaseFacts(request_date=date(2024, 5, 1), final_date=date(2024, 10, 1), exception="Summer"),
        settings,
    ).record
    assert Closure(date(2024, 7, 24), date(2024, 8, 20)).days == 28
    assert rec["exception"]["plausible"] is True
    settings_short = Settings(
        as_of=AS_OF, closures=(Closure(date(2024, 7, 24), date(2024, 8, 19)),)
    )
    rec_short = check_case(
        CaseFacts(request_date=date(2024, 5, 1), final_date=date(2024, 10, 1), exception="Summer"),
        settings_short,
    ).record
    assert rec_short["exception"]["plausible"] is False


def test_on_time_case_with_accepted_exception_is_on_time_and_accepted() -> None:
    rec = judge(request_date=date(2024, 1, 1), final_date=date(2024, 5, 1), exception="Y")
    assert rec["status"] == Status.ON_TIME
    assert rec["exception"]["accepted"] is True


def test_overdue_open_case_with_an_accepted_claim_is_overdue_exception() -> None:
    # Past 6 and 20 weeks, no decision recorded: bereavement can excuse both
    # (reg 5(4)(b), reg 13(3) applying reg 10(4)(c)); the limits "need not" be met.
    rec = judge(as_of=date(2024, 7, 1), request_date=date(2024, 1, 1), exception="Bereavement")
    assert rec["status"] == Status.OVERDUE_EXCEPTION
    assert rec["exception"]["accepted"] is True
    not_lawful = judge(as_of=date(2024, 7, 1), request_date=date(2024, 1, 1), exception="backlog")
    assert not_lawful["status"] == Status.OVERDUE


def test_weeks_reported_as_decimal() -> None:
    rec = judge(request_date=date(2024, 1, 1), final_date=date(2024, 1, 1) + timedelta(days=150))
    assert rec["weeks_to_final"] == 21.4
    assert rec["days_late"] == 10


# --- as of: steps dated after the as-of date had not happened yet ------------------------


def test_plan_issued_after_the_as_of_date_is_judged_open() -> None:
    rec = judge(
        as_of=date(2024, 6, 1),
        request_date=date(2024, 1, 1),
        assess_decision=Decision.YES,
        final_date=date(2024, 7, 1),
    )
    assert rec["outcome"] == Outcome.OPEN
    assert rec["status"] == Status.OVERDUE
    assert rec["days_late"] == 12
    assert rec["after_as_of"] is True
    assert rec["final_date"] == "2024-07-01"  # shown as recorded, judged as not yet taken
    on_the_day = judge(
        as_of=date(2024, 7, 1), request_date=date(2024, 1, 1), final_date=date(2024, 7, 1)
    )
    assert (on_the_day["status"], on_the_day["after_as_of"]) == (Status.LATE, False)


def test_decision_after_the_as_of_date_is_still_pending() -> None:
    rec = judge(
        as_of=date(2024, 2, 20),
        request_date=date(2024, 1, 1),
        assess_decision_date=date(2024, 3, 1),
        assess_decision=Decision.NO,
    )
    assert rec["outcome"] == Outcome.OPEN
    assert rec["breaches"] == [
        {"rule": "EHCP-6W", "deadline": "2024-02-12", "date": None, "days_late": 8}
    ]


def test_request_after_the_as_of_date_cannot_be_judged() -> None:
    rec = judge(as_of=date(2024, 1, 1), request_date=date(2024, 1, 2))
    assert rec["status"] == Status.INVALID
    assert rec["invalid_reason"] == "the request was received after the as-of date"
