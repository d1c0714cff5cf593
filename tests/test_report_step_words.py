"""Breach lists say what became of each step in words that are true: a flag of 0 is no
claim, and a 20-week verdict judged from a stated "weeks taken" column has no date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console

from ehcp_check.audit import audit
from ehcp_check.report.files import render_markdown
from ehcp_check.report.terminal import render_audit

AS_OF = date(2024, 12, 31)


def _lines(path: Path) -> list[str]:
    result = audit([path], as_of=AS_OF)
    console = Console(width=120, record=True, force_terminal=False, color_system=None)
    console.print(render_audit(result))
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_a_zero_flag_is_none_claimed(tmp_path: Path) -> None:
    path = tmp_path / "sen2.csv"
    path.write_text(
        "UPN,ReceivedDate,RequestOutcomeDate,RequestOutcome,AssessmentOutcome,"
        "AssessmentOutcomeDate,Week20\n"
        "R1,2024-01-15,2024-03-04,Y,Y,2024-07-01,0.0\n"
    )
    rows = [line for line in _lines(path) if line.startswith(" R1 ")]
    assert len(rows) == 2  # 20W (28 days) and 6W (7 days)
    assert all(row.endswith("none claimed") for row in rows)
    assert "not understood" not in render_markdown(audit([path], as_of=AS_OF))


def test_stated_weeks_taken_breach_has_no_date_and_is_not_still_open(tmp_path: Path) -> None:
    path = tmp_path / "weeks.csv"
    path.write_text("Ref,Request received,Weeks taken,Within 20 weeks?\nW2,10/01/2023,23.4,No\n")
    [row] = [line for line in _lines(path) if line.startswith(" W2 ")]
    assert "date not given" in row
    assert "still open" not in row
