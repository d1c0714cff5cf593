"""The library's front door for single cases: build a one-row table, call the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from .engine import DRAFT_RECEIVED, Settings, evaluate_columns
from .model import DATE_FIELDS, Decision, Field, Outcome
from .remedies import next_steps
from .report.records import CaseRecord, case_records


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What a family knows about one request. Only ``request_date`` is required."""

    request_date: date
    assess_decision_date: date | None = None
    assess_decision: Decision | None = None
    """yes / no, or pending ("not told yet"). None with no decision date and no later step
    is read as "not told yet" too, and the record carries the ``decision-not-recorded``
    caveat."""
    no_plan_date: date | None = None
    """Date of the notice that no plan will be issued after assessment (the 16-week step)."""
    draft_date: date | None = None
    """Date the draft plan was sent."""
    draft_received_date: date | None = None
    """Date the family received the draft (the day it was served, reg 13(1)(a)): the 15
    days are counted from it. Without it they are counted from the sending date, the best
    case for the council (a posted draft is served later, Interpretation Act 1978 s.7)."""
    final_date: date | None = None
    exception: str | None = None
    """The exception the council claims, as it worded it (or "Y" for a bare flag)."""
    school_advice_date: date | None = None
    outcome: Outcome | None = None
    """Only needed for a withdrawn or transferred-in request; otherwise derived."""
    case_id: str | None = None


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The verdict on one case: its record (data contract section 2), its verdict row and
    what the family can do next."""

    record: CaseRecord
    verdict: dict[str, npt.NDArray[Any]]
    """The one-row verdict table the record was built from (all engine columns)."""
    settings: Settings
    next_steps: list[dict[str, Any]] = field(default_factory=list)
    """What the family can do next (:func:`remedies.next_steps`)."""
    draft_received_date: date | None = None


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
    row[DRAFT_RECEIVED] = facts.draft_received_date
    row[Field.FINAL_DATE] = facts.final_date
    row[Field.EXCEPTION] = facts.exception
    row[Field.SCHOOL_ADVICE_DATE] = facts.school_advice_date
    row[Field.OUTCOME] = facts.outcome.value if facts.outcome else None
    dates = {f.value for f in DATE_FIELDS} | {DRAFT_RECEIVED}
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
    record = case_records(verdict)[0]
    return CaseResult(
        record=record,
        verdict=verdict,
        settings=settings,
        next_steps=next_steps(record, settings.as_of),
        draft_received_date=facts.draft_received_date,
    )


CASE_SCHEMA = "ehcp-check/case/2"


def case_document(result: CaseResult, tool_version: str) -> dict[str, Any]:
    """The ``case --format json`` document: the case record (data contract section 2) with
    ``draft_received_date`` and ``next_steps`` added."""
    received = result.draft_received_date
    return {
        "schema": CASE_SCHEMA,
        "tool_version": tool_version,
        "as_of": result.settings.as_of.isoformat(),
        "day_count": result.settings.day_count.value,
        "case": {
            **result.record,
            "draft_received_date": received.isoformat() if received else None,
            "next_steps": result.next_steps,
        },
    }
