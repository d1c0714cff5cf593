"""Docs that are generated from the code stay in step with it.

``docs/columns.md`` (the column guide) is rendered from ingest's synonym table and word
rules; regenerate it with ``UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ehcp_check.ingest.columns import (
    _ROLE_TEXT,
    _SYNONYM_TEXT,
    ROLE_RULES,
    TOKEN_RULES,
    Role,
    normalise_header,
)
from ehcp_check.model import Field

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "columns.md"

MEANING: dict[Field, str] = {
    Field.CASE_ID: "case reference",
    Field.LA: "local authority",
    Field.REQUEST_DATE: "date the council received the request (required)",
    Field.ASSESS_DECISION_DATE: "date the family was told whether the council will assess",
    Field.ASSESS_DECISION: "whether the council agreed to assess (yes / no)",
    Field.ISSUE_DECISION_DATE: "date the family was told whether a plan will be issued",
    Field.ISSUE_DECISION: "whether a plan will be issued (yes / no)",
    Field.DRAFT_DATE: "draft plan sent",
    Field.FINAL_DATE: "final plan issued",
    Field.OUTCOME: "what became of the request (free text or SEN2 code)",
    Field.EXCEPTION: "exception flag or reason",
    Field.SCHOOL_ADVICE_DATE: "date advice was asked of the school or setting",
    Field.DELAY_REASON: "the council's stated reason for delay (not an exception claim)",
}


ROLE_MEANING: dict[Role, str] = {
    Role.PLAN_START_DATE: "the plan's start date: the plan date only where none is given "
    "(caveat `plan-date-from-start-date`)",
    Role.MEDIATION_TRIBUNAL: "mediation or a tribunal took place (yes / no; several columns "
    "may take it): the case leaves the DfE-comparable figures",
    Role.STATED_WITHIN_20W: "the council's answer to 'within 20 weeks?' (yes / no), used when "
    "there is no final-date column",
    Role.DAYS_TAKEN: "days from request to final plan as stated, used likewise",
    Role.WEEKS_TAKEN: "weeks from request to final plan as stated (x 7 days), used likewise",
    Role.EXCEPTION_FLAG: "the yes / no exception flag beside a reason column (the reason is "
    "the claim)",
}


def column_guide() -> str:
    lines = [
        "# Column guide",
        "",
        "How ehcp-check recognises the columns of a case spreadsheet. Generated from",
        "`ehcp_check/ingest/columns.py` by `tests/test_docs.py`; do not edit by hand.",
        "",
        "Headers are compared after normalising: case, spacing and punctuation are ignored,",
        "`CamelCase` is split, known words written together are split (`receiveddate`),",
        "`&` reads as `and`, and a heading of several lines is read by its first line. For",
        "each field the first match wins:",
        "",
        '1. an override: `--map "Header text=field"` or a mapping file\'s `[columns]` table',
        "   (`ignore` leaves a column unmapped);",
        "2. an exact synonym from the table below;",
        "3. a word rule (further below).",
        "",
        "A second column that would map onto a field already taken is reported as",
        "`ambiguous-column` and left unused. `ehcp-check columns FILE` shows the result.",
        "",
        "## Fields and their synonyms",
        "",
        "| field | meaning | headers recognised |",
        "|---|---|---|",
    ]
    for field in Field:
        texts = sorted({normalise_header(t) for t in _SYNONYM_TEXT.get(field, ())})
        headers = ", ".join(f"`{t}`" for t in texts)
        lines.append(f"| `{field.value}` | {MEANING[field]} | {headers} |")
    lines += [
        "",
        "## Columns read for what they tell about a case",
        "",
        "These are not case fields; they change how a row is read. A second exception",
        "column holding only yes / no values is read as the flag beside the reason.",
        "",
        "| role | meaning | headers recognised |",
        "|---|---|---|",
    ]
    for role in Role:
        texts = sorted({normalise_header(t) for t in _ROLE_TEXT.get(role, ())})
        headers = ", ".join(f"`{t}`" for t in texts)
        lines.append(f"| `{role.value}` | {ROLE_MEANING[role]} | {headers} |")
    lines += [
        "",
        "## Word rules",
        "",
        "Tried top to bottom when no synonym matches: the header must contain one word of",
        "each group and none of the excluded words.",
        "",
        "| field | needs one word of each group | excluded words |",
        "|---|---|---|",
    ]
    for rule in (*ROLE_RULES, *TOKEN_RULES):
        groups = " + ".join("(" + " / ".join(sorted(g)) + ")" for g in rule.all_of)
        none = ", ".join(sorted(rule.none_of)) or "-"
        lines.append(f"| `{rule.field.value}` | {groups} | {none} |")
    return "\n".join(lines) + "\n"


def test_column_guide_is_current() -> None:
    expected = column_guide()
    if os.environ.get("UPDATE_GOLDEN"):
        GUIDE.write_text(expected, encoding="utf-8")
    assert GUIDE.read_text(encoding="utf-8") == expected


def test_every_field_has_a_meaning() -> None:
    assert set(MEANING) == set(Field)
    assert set(ROLE_MEANING) == set(Role)
