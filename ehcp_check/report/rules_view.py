"""The rule table and the exception kinds, for people (rich) and for scripts (JSON)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..rules import (
    COVID_END,
    COVID_START,
    DISCLAIMER,
    EXCEPTIONS_BY_KIND,
    RULES,
    SCOPE,
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
            }
            for e in EXCEPTIONS_BY_KIND.values()
        ],
        "covid_window": {"start": COVID_START.isoformat(), "end": COVID_END.isoformat()},
    }


def render_rules() -> RenderableType:
    limits = Table(title="Time limits", box=box.SIMPLE_HEAD, title_justify="left")
    limits.add_column("Code", style="bold", no_wrap=True)
    limits.add_column("What must happen")
    limits.add_column("Limit", no_wrap=True)
    limits.add_column("Regulation")
    for r in RULES:
        limits.add_row(r.code.value, f"{r.title} ({r.applies_to})", r.label, r.regulation)
    kinds = Table(title="Exceptions", box=box.SIMPLE_HEAD, title_justify="left")
    kinds.add_column("Kind", style="bold")
    kinds.add_column("Excuses", no_wrap=True)
    kinds.add_column("Regulation")
    for e in EXCEPTIONS_BY_KIND.values():
        if e.lawful is None:
            excuses = "as claimed"
        elif e.excuses:
            excuses = ", ".join(c.removeprefix("EHCP-") for c in RuleCode if c in e.excuses)
        else:
            excuses = "nothing"
        kinds.add_row(e.title, excuses, e.regulation)
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
        kinds,
        Text(
            f"Coronavirus: only for steps falling due {COVID_START:%-d %B %Y} to "
            f"{COVID_END:%-d %B %Y} inclusive. An exception is a claim, not a pause: the duty "
            "becomes 'as soon as practicable'.",
            style="dim",
        ),
        Text(DISCLAIMER, style="dim italic"),
    )
