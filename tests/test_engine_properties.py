"""Properties of the day arithmetic, over generated dates."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.api import CaseFacts, case_table, check_case
from ehcp_check.engine import Settings, evaluate
from ehcp_check.model import DayCount, Decision, Status
from ehcp_check.report.records import case_records

requests = st.dates(min_value=date(2014, 9, 1), max_value=date(2030, 12, 31))
spans = st.integers(min_value=0, max_value=800)
conventions = st.sampled_from(list(DayCount))


@given(requests, spans, conventions)
def test_final_plan_late_exactly_when_past_the_deadline(
    req: date, span: int, day_count: DayCount
) -> None:
    final = req + timedelta(days=span)
    rec = check_case(
        CaseFacts(request_date=req, final_date=final),
        Settings(as_of=date(2034, 1, 1), day_count=day_count),
    ).record
    limit = 140 if day_count is DayCount.WITHIN else 139
    assert date.fromisoformat(rec["deadline_20w"]) == req + timedelta(days=limit)
    assert rec["status"] == (Status.LATE if span > limit else Status.ON_TIME)
    assert rec["days_late"] == max(0, span - limit)
    assert rec["weeks_to_final"] == round(span / 7, 1)
    assert rec["boundary"] == (["EHCP-20W"] if span == 140 else [])


@given(requests, spans)
def test_open_case_overdue_exactly_after_the_deadline(req: date, span: int) -> None:
    as_of = req + timedelta(days=span)
    rec = check_case(
        CaseFacts(request_date=req, assess_decision=Decision.YES), Settings(as_of=as_of)
    ).record
    assert rec["status"] == (Status.OVERDUE if span > 140 else Status.OPEN)
    assert rec["days_late"] == max(0, span - 140)


@given(requests, st.integers(min_value=0, max_value=60))
def test_fifteen_days_minimum(draft_offset: date, gap: int) -> None:
    draft = draft_offset
    final = draft + timedelta(days=gap)
    req = draft - timedelta(days=70)
    rec = check_case(
        CaseFacts(request_date=req, draft_date=draft, final_date=final),
        Settings(as_of=date(2034, 1, 1)),
    ).record
    short = [b for b in rec["breaches"] if b["rule"] == "EHCP-15D"]
    assert (len(short) == 1) == (gap < 15)
    if short:
        assert short[0]["days_late"] == 15 - gap


case_facts = st.builds(
    lambda req, a, b, c, exc: CaseFacts(
        request_date=req,
        assess_decision_date=req + timedelta(days=a) if a is not None else None,
        final_date=req + timedelta(days=b) if b is not None else None,
        draft_date=req + timedelta(days=c) if c is not None and b is not None and c <= b else None,
        exception=exc,
    ),
    requests,
    st.none() | st.integers(0, 120),
    st.none() | st.integers(0, 500),
    st.none() | st.integers(0, 400),
    st.sampled_from([None, "Y", "EP shortage", "Covid", "Summer holidays", "Bereavement"]),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(case_facts, min_size=1, max_size=20), conventions)
def test_one_engine_for_one_case_and_many(facts: list[CaseFacts], day_count: DayCount) -> None:
    """Judging a batch gives each case exactly the verdict it gets alone."""
    s = Settings(as_of=date(2026, 1, 1), day_count=day_count)
    batch = evaluate(pd.concat([pd.DataFrame(case_table(f)) for f in facts], ignore_index=True), s)
    together = case_records(batch)
    alone = [check_case(f, s).record for f in facts]
    assert alone == together


@settings(max_examples=10, deadline=None)
@given(st.lists(case_facts, min_size=1, max_size=5))
def test_large_tables_take_the_hashed_path_to_the_same_verdicts(facts: list[CaseFacts]) -> None:
    """Above 2,048 rows text is coded through pandas' hash table, below it through a dict:
    both must give every case the verdict it gets alone."""
    s = Settings(as_of=date(2026, 1, 1))
    one = pd.concat([pd.DataFrame(case_table(f)) for f in facts], ignore_index=True)
    many = pd.concat([one] * (2100 // len(one) + 1), ignore_index=True)
    assert len(many) > 2048
    records = case_records(evaluate(many, s))
    alone = [check_case(f, s).record for f in facts]
    assert records == alone * (len(many) // len(one))
