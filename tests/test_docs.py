"""Docs that are generated from the code stay in step with it.

``docs/columns.md`` (the column guide) is rendered from ingest's synonym table and word
rules; regenerate it with ``UPDATE_GOLDEN=1 python -m pytest tests/test_docs.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ehcp_check.ingest.columns import _SYNONYM_TEXT, TOKEN_RULES, normalise_header
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


def column_guide() -> str:
    lines = [
        "# Column guide",
        "",
        "How ehcp-check recognises the columns of a case spreadsheet. Generated from",
        "`ehcp_check/ingest/columns.py` by `tests/test_docs.py`; do not edit by hand.",
        "",
        "Headers are compared after normalising: case, spacing and punctuation are ignored,",
        "`CamelCase` is split and `&` reads as `and`. For each field the first match wins:",
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
        "## Word rules",
        "",
        "Tried top to bottom when no synonym matches: the header must contain one word of",
        "each group and none of the excluded words.",
        "",
        "| field | needs one word of each group | excluded words |",
        "|---|---|---|",
    ]
    for rule in TOKEN_RULES:
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
