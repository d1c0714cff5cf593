"""The rule table and the exception kinds, for people (rich) and for scripts (JSON)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..rules import (
    CANNOT_KNOW,
    COVID_END,
    COVID_START,
    DISCLAIMER,
    EXCEPTIONS_BY_KIND,
    LIMIT_EXCEPTIONS,
    PLAUSIBILITY,
    RULES,
    SCOPE,
    ExceptionKind,
    RuleCode,
)

RULES_SCHEMA = "ehcp-check/rules/1"


def rules_document() -> dict[str, Any]:
    """The rule table as plain data."""
    return {
        "schema": RULES_SCHEMA,
        "scope": SCOPE,
        "rules": [
            {
                "code": r.code.value,
                "title": r.title,
                "limit_days": r.days,
                "limit": r.label,
                "kind": r.kind.value,
                "start": r.start,
                "end": r.end,
                "applies_to": r.applies_to,
                "regulation": r.regulation,
                "exceptions": r.exceptions,
            }
            for r in RULES
        ],
        "exceptions": [
            {
                "kind": e.kind.value,
                "title": e.title,
                "condition": e.condition,
                "regulation": e.regulation,
                "lawful": e.lawful,
                "excuses": sorted(c.value for c in e.excuses),
                "plausibility": PLAUSIBILITY.get(e.kind),
            }
            for e in EXCEPTIONS_BY_KIND.values()
        ],
        "limit_exceptions": [
            {
                "step": le.step.value,
                "rule": le.rule.value,
                "title": le.title,
                "kinds": {k.value: limb for k, limb in le.limbs.items()},
                "regulation": le.regulation,
                "note": le.note or None,
            }
            for le in LIMIT_EXCEPTIONS
        ],
        "covid_window": {"start": COVID_START.isoformat(), "end": COVID_END.isoformat()},
        "cannot_know": CANNOT_KNOW,
    }


def _kinds_text(limbs: dict[ExceptionKind, str]) -> str:
    if not limbs:
        return "none"
    return "; ".join(f"{EXCEPTIONS_BY_KIND[k].title} ({limb})" for k, limb in limbs.items())


def render_rules() -> RenderableType:
    limits = Table(title="Time limits", box=box.SIMPLE_HEAD, title_justify="left")
    limits.add_column("Code", style="bold", no_wrap=True)
    limits.add_column("What must happen")
    limits.add_column("Limit", no_wrap=True)
    limits.add_column("Regulation")
    for r in RULES:
        limits.add_row(r.code.value, f"{r.title} ({r.applies_to})", r.label, r.regulation)
    per_limit = Table(
        title="Exceptions, limit by limit (each limit has its own list)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    per_limit.add_column("Step", style="bold")
    per_limit.add_column("Can be excused by")
    for le in LIMIT_EXCEPTIONS:
        text = _kinds_text(le.limbs)
        if le.note:
            text += f". Note: {le.note}"
        per_limit.add_row(f"{le.rule.value} {le.title}", text)
    kinds = Table(title="Exception kinds", box=box.SIMPLE_HEAD, title_justify="left")
    kinds.add_column("Kind", style="bold")
    kinds.add_column("Excuses", no_wrap=True)
    kinds.add_column("What the dates can tell")
    for e in EXCEPTIONS_BY_KIND.values():
        if e.excuses:
            excuses = ", ".join(c.removeprefix("EHCP-") for c in RuleCode if c in e.excuses)
        else:
            excuses = "nothing"
        kinds.add_row(e.title, excuses, PLAUSIBILITY.get(e.kind, f"never lawful: {e.regulation}"))
    return Group(
        Text(SCOPE),
        Text(""),
        limits,
        Text(
            "Every limit runs from the day the request was received; the 16- and 20-week "
            "limits are not chained to the decision to assess. Deadline = request + 7 x weeks "
            "days (or one day earlier with --day-count day-one).",
            style="dim",
        ),
        Text(""),
        per_limit,
        Text(""),
        kinds,
        Text(
            f"Coronavirus: only where the limit's deadline fell {COVID_START:%-d %B %Y} to "
            f"{COVID_END:%-d %B %Y} inclusive. Each claim is judged on each limit's own "
            "window, from the request to that limit's deadline. An exception is a claim, not "
            "a pause: the duty becomes 'as soon as practicable'. Never lawful: staff or EP "
            "shortages, backlogs, waiting for advice or reports, missed appointments, a "
            "parent's request or agreement to delay, panel dates, tribunal pending.",
            style="dim",
        ),
        Text(CANNOT_KNOW, style="dim"),
        Text(DISCLAIMER, style="dim italic"),
    )
