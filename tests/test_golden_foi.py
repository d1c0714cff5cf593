"""Golden file: the whole JSON audit of ``examples/foi-reply-2024.xlsx`` as of 2025-03-31.

``tests/golden/foi-reply-2024.json`` is the output of

    ehcp-check audit examples/foi-reply-2024.xlsx --as-of 2025-03-31 --format json

with the tool version replaced by ``<version>``. Regenerate it only on purpose, with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden_foi.py``, and read the diff.

Checked by hand against the workbook (deadline = request + 140 days, 6 weeks = + 42 days):

- C-0001 (sheet 2024, row 6): received 29/08/2024 (date cell); 20-week deadline 16/01/2025;
  final 22/02/2025 = 37 days late, 177 days = 25.3 weeks; decision 29/09/2024 before the
  6-week date 10/10/2024. No claim: ``late``, days_late 37. Correct.
- C-0006 (row 11): received "05/03/2024" typed as text, final "20 September 2024" as text;
  deadline 23/07/2024, 59 days late; bare flag "Y" accepted as claimed: ``late_exception``.
  Correct.
- C-0010 (row 15): received 07/07/2024, final 18/02/2025, deadline 24/11/2024, 86 days late;
  "Summer holidays" and the case ran through summer 2024: school closure, lawful,
  plausible, ``late_exception``. Correct.
- C-0022 (row 27): received 07/09/2024, after the summer; "Summer holidays" is lawful but
  implausible, so ``late``; decision "03-Nov-24" vs 6-week date 19/10/2024 = 15 days late,
  final 27/01/2025 vs 25/01/2025 = 2 days late; days_late is the larger, 15. Correct.
- C-0108 (sheet 2023, row 12): received 10/11/2023, deadline 29/03/2024 (leap February),
  final 19/07/2024 = 112 days late; "EP shortage" not lawful, so ``late``; decision
  28/12/2023 vs 22/12/2023 = 6 days late. Correct.
- C-0118 (sheet 2023, row 22): received "13/02/2023", final "Ongoing": deadline 03/07/2023,
  overdue by 637 days on 31/03/2025. Correct.
- C-0008 (row 13): refused with the decision date redacted "<5": ``invalid`` (nothing to
  judge the 6-week limit against) plus a ``redacted`` issue. C-0013 (row 18): received
  " 3rd June 2024 " but decided 19/04/2024: ``invalid``, decision before request. Correct.
- Rows: 2024 sheet 60 cases + "Total" (61 rows, header row 5), 2023 sheet 25 cases +
  "Grand total" (26 rows, header row 4): 87 read = 83 judged + 2 totals + 2 invalid.

- C-0002 (row 7): final date 15/05/2025, after the as-of date (and after the workbook's
  own extraction date, 31 March 2025). As of 31/03/2025 the plan had not been issued, so
  it is judged open: 20-week deadline 17/02/2025, overdue by 42 days, ``after_as_of``
  true. Correct. Four more plans dated after 31/03/2025 are judged the same way, which is
  why 47 (not 52) plans count as issued.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app

ROOT = Path(__file__).resolve().parents[1]
FOI = ROOT / "examples" / "foi-reply-2024.xlsx"
GOLDEN = ROOT / "tests" / "golden" / "foi-reply-2024.json"
ARGS = ["--as-of", "2025-03-31"]

runner = CliRunner()


def normalise(value: Any) -> Any:
    """Paths relative to the repository, the tool version a placeholder."""
    if isinstance(value, dict):
        return {k: "<version>" if k == "tool_version" else normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str) and value.startswith(str(ROOT) + os.sep):
        return Path(value).relative_to(ROOT).as_posix()
    return value


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    result = runner.invoke(app, ["audit", str(FOI), *ARGS, "--format", "json"])
    assert result.exit_code == 1, result.stderr
    out: dict[str, Any] = normalise(json.loads(result.stdout))
    return out


def test_json_matches_golden(doc: dict[str, Any]) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["tool_version"] == "<version>"
    assert doc == golden


def test_hand_checked_cases(doc: dict[str, Any]) -> None:
    cases = {c["case_id"]: c for c in doc["cases"]}
    got = {
        ref: (cases[ref]["status"], cases[ref]["deadline_20w"], cases[ref]["days_late"])
        for ref in ("C-0001", "C-0006", "C-0010", "C-0022", "C-0108", "C-0118")
    }
    assert got == {
        "C-0001": ("late", "2025-01-16", 37),
        "C-0006": ("late_exception", "2024-07-23", 59),
        "C-0010": ("late_exception", "2024-11-24", 86),
        "C-0022": ("late", "2025-01-25", 15),
        "C-0108": ("late", "2024-03-29", 112),
        "C-0118": ("overdue", "2023-07-03", 637),
    }
    assert [cases[r]["status"] for r in ("C-0008", "C-0013")] == ["invalid", "invalid"]


def _value(ws: Any, label: str) -> Any:
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label]
    assert len(rows) == 1, label
    return ws.cell(rows[0], 2).value


#: Summary sheet label -> JSON summary key.
HEADLINE = [
    ("Plans issued", "plans_issued"),
    ("Issued within 20 weeks", "within_20_weeks"),
    ("% within 20 weeks, including exceptions", "pct_within_20_weeks"),
    ("Plans issued, excluding accepted exceptions", "plans_issued_excl"),
    ("% within 20 weeks, excluding exceptions", "pct_within_20_weeks_excl"),
    ("Median weeks to issue", "median_weeks_to_issue"),
    ("Open cases overdue", "open_overdue"),
    ("Rows read", "rows_read"),
    ("Cases judged", "cases"),
]


def test_xlsx_summary_equals_json_summary(doc: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["audit", str(FOI), *ARGS, "-o", str(out)])
    assert result.exit_code == 1
    ws = openpyxl.load_workbook(out)["Summary"]
    got = {key: _value(ws, label) for label, key in HEADLINE}
    assert got == {
        "plans_issued": 47,
        "within_20_weeks": 13,
        "pct_within_20_weeks": 27.7,
        # "Parent requested delay" (4 plans) is not lawful and "Summer holidays" on a
        # request of 1 September 2024 is implausible (the advice window had closed): those
        # plans stay in the excluding measure.
        "plans_issued_excl": 39,
        "pct_within_20_weeks_excl": 28.2,
        "median_weeks_to_issue": 24.6,
        "open_overdue": 11,
        "rows_read": 87,
        "cases": 83,
    }
    assert got == {key: doc["summary"][key] for key in got}
    cases = openpyxl.load_workbook(out)["Cases"]
    assert cases.max_row - 1 == len(doc["cases"])
