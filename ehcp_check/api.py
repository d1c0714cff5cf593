"""The library's front door for single cases: build a one-row table, call the engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from .engine import Settings, evaluate_columns
from .model import DATE_FIELDS, Decision, Field, Outcome
from .report.records import CaseRecord, case_records


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What a family knows about one request. Only ``request_date`` is required."""

    request_date: date
    assess_decision_date: date | None = None
    assess_decision: Decision | None = None
    no_plan_date: date | None = None
    """Date of the notice that no plan will be issued after assessment (the 16-week step)."""
    draft_date: date | None = None
    final_date: date | None = None
    exception: str | None = None
    """The exception the council claims, as it worded it (or "Y" for a bare flag)."""
    school_advice_date: date | None = None
    outcome: Outcome | None = None
    """Only needed for a withdrawn or transferred-in request; otherwise derived."""
    case_id: str | None = None


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The verdict on one case: its record (data contract section 2) and its verdict row."""

    record: CaseRecord
    verdict: dict[str, npt.NDArray[Any]]
    """The one-row verdict table the record was built from (all engine columns)."""
    settings: Settings


def case_table(facts: CaseFacts) -> dict[str, npt.NDArray[Any]]:
    """The canonical one-row case table for ``facts``, as columns (``pandas.DataFrame(...)``
    turns it into a frame)."""
    row: dict[str, object] = {"file": None, "sheet": None, "row": None}
    row[Field.CASE_ID] = facts.case_id
    row[Field.REQUEST_DATE] = facts.request_date
    row[Field.ASSESS_DECISION_DATE] = facts.assess_decision_date
    row[Field.ASSESS_DECISION] = facts.assess_decision.value if facts.assess_decision else None
    row[Field.ISSUE_DECISION_DATE] = facts.no_plan_date
    row[Field.ISSUE_DECISION] = Decision.NO.value if facts.no_plan_date else None
    row[Field.DRAFT_DATE] = facts.draft_date
    row[Field.FINAL_DATE] = facts.final_date
    row[Field.EXCEPTION] = facts.exception
    row[Field.SCHOOL_ADVICE_DATE] = facts.school_advice_date
    row[Field.OUTCOME] = facts.outcome.value if facts.outcome else None
    dates = {f.value for f in DATE_FIELDS}
    return {
        name: np.array([value], dtype="datetime64[s]" if name in dates else object)
        if name not in dates or value is not None
        else np.array(["NaT"], dtype="datetime64[s]")
        for name, value in row.items()
    }


def check_case(facts: CaseFacts, settings: Settings) -> CaseResult:
    """Judge one case with the same engine that judges a million (no pandas needed)."""
    table = case_table(facts)
    verdict = {**table, **evaluate_columns(table, 1, settings)}
    return CaseResult(record=case_records(verdict)[0], verdict=verdict, settings=settings)
