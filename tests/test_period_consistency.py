"""One period, one cohort, everywhere: with a period, the summary, the breach list and the
per-case list describe the same cases, and nothing after the as-of date shows as done.

Checked for every month of the bundled monthly export (judged as of the month's last day)
and for random periods and as-of dates (hypothesis).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.audit import AFTER_AS_OF, AuditOptions, AuditResult, audit_table
from ehcp_check.engine import Settings
from ehcp_check.ingest import load
from ehcp_check.model import DATE_FIELDS, LoadResult, Outcome
from ehcp_check.periods import Period
from ehcp_check.report.figures import breach_total, breaches, worst_breaches
from ehcp_check.rules import RuleCode

MONTHLY = Path(__file__).resolve().parents[1] / "examples" / "monthly-export.csv"
MONTHS = [f"{y}-{m:02d}" for y, m in [(2024, m) for m in range(4, 13)] + [(2025, 1), (2025, 2)]]
MONTHS += ["2025-03"]


@pytest.fixture(scope="module")
def loaded() -> LoadResult:
    return load([MONTHLY], latest=date(2030, 1, 1))


def month_end(label: str) -> date:
    year, month = (int(p) for p in label.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def check_consistent(result: AuditResult) -> None:
    """The invariants every view relies on."""
    summary = result.summary
    as_of = pd.Timestamp(result.settings.as_of)
    listed = breaches(result)
    # Each breach count equals the number of listed breaches of that rule.
    for code in RuleCode:
        assert summary["breaches"][code.value] == int((listed["rule"] == code.value).sum()), code
    assert len(listed) == breach_total(result)
    assert len(worst_breaches(result, 5)) == min(5, len(listed))
    # The per-case list and the summary describe the same cases.
    doc = result.to_dict()
    cases = doc["cases"]
    assert sum(summary["statuses"].values()) == len(cases)
    in_list = {(c["file"], c["sheet"], c["row"]) for c in cases}
    for file, sheet, row in zip(listed["file"], listed["sheet"], listed["row"], strict=True):
        assert (file, sheet, int(row)) in in_list
    statuses = pd.Series([c["status"] for c in cases]).value_counts().to_dict()
    assert {k: v for k, v in summary["statuses"].items() if v} == statuses
    # Plans issued in the period: the list holds every one of them.
    period = result.options.period
    if period is not None:
        issued = [
            c
            for c in cases
            if c["outcome"] == Outcome.PLAN_ISSUED.value
            and c["final_date"] is not None
            and period.start.isoformat() <= c["final_date"] <= period.end.isoformat()
            and c["status"] not in ("invalid", "not_applicable")
        ]
        assert summary["plans_issued"] == len(issued)
    # Nothing after the as-of date shows as having happened.
    for name in [*(f.value for f in DATE_FIELDS), "rule_done"]:
        if name in listed.columns and name != "request_date":
            col = pd.to_datetime(listed[name])
            assert not (col > as_of).any(), name
    # A request after the as-of date is outside the audit, never an invalid case.
    for issue in result.issues:
        if issue.code == "invalid-case":
            assert "after the as-of date" not in issue.message


@pytest.mark.parametrize("month", MONTHS)
def test_every_month_of_the_monthly_export(loaded: LoadResult, month: str) -> None:
    end = month_end(month)
    result = audit_table(loaded, Settings(as_of=end), AuditOptions(period=Period.month(month)))
    check_consistent(result)


def test_february_2025_figures(loaded: LoadResult) -> None:
    result = audit_table(
        loaded, Settings(as_of=date(2025, 2, 28)), AuditOptions(period=Period.month("2025-02"))
    )
    s = result.summary
    assert s["breaches"] == {"EHCP-6W": 3, "EHCP-16W": 0, "EHCP-20W": 37, "EHCP-15D": 0}
    assert (s["decisions_to_assess"], s["within_6_weeks"]) == (1, 1)
    after = [i for i in result.issues if i.code == AFTER_AS_OF]
    assert len(after) == 18
    assert not [i for i in result.issues if i.code == "invalid-case"]
    assert after[0].message.endswith(
        "was received after the as-of date 2025-02-28: outside this audit."
    )


def test_whole_run_lists_every_case(loaded: LoadResult) -> None:
    result = audit_table(loaded, Settings(as_of=date(2025, 3, 31)))
    check_consistent(result)
    assert len(result.to_dict()["cases"]) == loaded.rows_read


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 3, 1), max_value=date(2025, 4, 30)),
    length=st.integers(min_value=0, max_value=400),
    lag=st.integers(min_value=-60, max_value=120),
)
def test_random_periods(loaded: LoadResult, start: date, length: int, lag: int) -> None:
    end = start + timedelta(days=length)
    as_of = end + timedelta(days=lag)
    result = audit_table(
        loaded, Settings(as_of=as_of), AuditOptions(period=Period.between(start, end))
    )
    check_consistent(result)
