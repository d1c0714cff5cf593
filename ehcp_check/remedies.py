"""What a family can do next, computed from a judged case (statute.md s.6).

Information, not advice: each step names its source and, where there is one, its date.
This module reads no clock: ``as_of`` is a parameter.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from .model import Outcome, Status

FREE_HELP = (
    "Free, independent help: IPSEA (ipsea.org.uk), SOS!SEN (sossen.org.uk) and your local "
    "SENDIASS (SEND Information, Advice and Support Service)."
)


class StepKind(StrEnum):
    """Stable kinds of ``next_steps[].kind`` (case JSON)."""

    TRIBUNAL_APPEAL = "tribunal_appeal"
    MEDIATION_CERTIFICATE = "mediation_certificate"
    OMBUDSMAN_CANNOT = "ombudsman_cannot_review_decision"
    COMPLAINT = "complaint"
    OMBUDSMAN = "ombudsman"
    JUDICIAL_REVIEW = "judicial_review"
    WAIT_FOR_DEADLINE = "wait_for_deadline"
    ASK_FOR_EVIDENCE = "ask_for_evidence"
    FREE_HELP = "free_help"


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    following = date(year + month // 12, month % 12 + 1, 1)  # the first of the next month
    last_day = (following - timedelta(days=1)).day
    return date(year, month, min(d.day, last_day))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _long(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _step(kind: StepKind, text: str, deadline: date | None = None) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "text": text,
        "deadline": deadline.isoformat() if deadline else None,
    }


def _appeal(
    what: str, section: str, decided: date | None, school_only: bool, as_of: date
) -> list[dict[str, Any]]:
    letter = "final plan" if school_only else "decision letter"
    due = add_months(decided, 2) if decided else None
    passed = " That date has passed on the as-of date." if due and due < as_of else ""
    when = (
        f"by {_long(due)}: 2 months from the {letter} of {_long(decided)}"
        if due and decided
        else f"within 2 months of the date of the {letter}"
    )
    mediation = (
        "Before you appeal, contact a mediation adviser and get a mediation certificate "
        "(CFA 2014 s.55); you need not take part in mediation itself."
    )
    if school_only:
        mediation += " An appeal only about the school named needs no certificate."
    return [
        _step(
            StepKind.TRIBUNAL_APPEAL,
            f"You can appeal {what} to the First-tier Tribunal (SEND), {section}. Appeal "
            f"{when}, or within 1 month of the mediation certificate if that is later "
            "(Tribunal Procedure (HESC) Rules 2008 r.20(1)(c)). Check the date on the "
            f"council's letter.{passed}",
            due,
        ),
        _step(StepKind.MEDIATION_CERTIFICATE, mediation),
    ]


def next_steps(rec: dict[str, Any], as_of: date) -> list[dict[str, Any]]:
    """The steps open to the family, most urgent first, each with its date where the law
    gives one."""
    status, outcome = rec["status"], rec["outcome"]
    steps: list[dict[str, Any]] = []
    if outcome == Outcome.REFUSED:
        steps += _appeal(
            "the decision not to carry out an EHC needs assessment",
            "CFA 2014 s.51(2)(a)",
            _d(rec["assess_decision_date"]),
            school_only=False,
            as_of=as_of,
        )
    elif outcome == Outcome.NO_PLAN:
        steps += _appeal(
            "the decision not to issue an EHC plan",
            "CFA 2014 s.51(2)(b)",
            _d(rec["issue_decision_date"]),
            school_only=False,
            as_of=as_of,
        )
    elif outcome == Outcome.PLAN_ISSUED and rec["final_date"]:
        steps += _appeal(
            "the plan's description of needs, its provision and the school named "
            "(sections B, F and I)",
            "CFA 2014 s.51(2)(c)",
            _d(rec["final_date"]),
            school_only=True,
            as_of=as_of,
        )
    if outcome in (Outcome.REFUSED, Outcome.NO_PLAN):
        steps.append(
            _step(
                StepKind.OMBUDSMAN_CANNOT,
                "The Ombudsman cannot investigate the decision itself, because it can be "
                "appealed to the Tribunal (Local Government Act 1974 s.26(6)(a)); it can "
                "look at delay and how the council handled the case.",
            )
        )
    delay = status in (
        Status.LATE,
        Status.OVERDUE,
        Status.LATE_EXCEPTION,
        Status.OVERDUE_EXCEPTION,
    )
    if status in (Status.LATE_EXCEPTION, Status.OVERDUE_EXCEPTION):
        steps.append(
            _step(
                StepKind.ASK_FOR_EVIDENCE,
                "The council claims a lawful exception. Ask it for the facts behind the claim "
                "and why they made the deadline impractical; even then it must act as soon "
                "as practicable.",
            )
        )
    if delay:
        ongoing = status in (Status.OVERDUE, Status.OVERDUE_EXCEPTION)
        ask = (
            "ask for the date it will act and the reason for the delay"
            if ongoing
            else "ask for the reason for the delay and what it will do to put it right"
        )
        steps.append(
            _step(
                StepKind.COMPLAINT,
                "Make a written complaint to the council: quote the request date, the "
                f"deadline and the regulation, and {ask}.",
            )
        )
        ended = [_d(b["date"]) for b in rec["breaches"] if b["date"]]
        known = max((d for d in ended if d), default=None)
        by = add_months(known, 12) if known and not ongoing else None
        when = (
            f"by {_long(by)}, 12 months from {_long(known)}"
            if by and known
            else "within 12 months of when you knew of the problem"
        )
        steps.append(
            _step(
                StepKind.OMBUDSMAN,
                "If the complaint does not put it right, complain to the Local Government "
                f"and Social Care Ombudsman, which is free: {when} (Local Government Act "
                "1974 s.26B). It measures delay from the deadline; remedies vary by case.",
                by,
            )
        )
        if status == Status.OVERDUE:
            # Not while every missed limit has an accepted claim: the limit "need not" be met.
            steps.append(
                _step(
                    StepKind.JUDICIAL_REVIEW,
                    "While the council is still failing to act, a solicitor can send a "
                    "pre-action letter for judicial review; a claim must be brought promptly "
                    "and in any event within 3 months (CPR 54.5). The duties are "
                    "'hard-edged' (R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin)).",
                )
            )
    if status == Status.OPEN:
        dues = [
            d
            for d in (_d(rec["deadline_6w"]), _d(rec["deadline_16w"]), _d(rec["deadline_20w"]))
            if d and d >= as_of
        ]
        due = min(dues) if dues else None
        steps.append(
            _step(
                StepKind.WAIT_FOR_DEADLINE,
                "Note the next deadline"
                + (f" ({_long(due)})" if due else "")
                + ". If nothing arrives by then, write to the council the next day quoting "
                "it; the council must act 'as soon as practicable' and the deadline is a "
                "long-stop, not an entitlement.",
                due,
            )
        )
    steps.append(_step(StepKind.FREE_HELP, FREE_HELP))
    return steps
