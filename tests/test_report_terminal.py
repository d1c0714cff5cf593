"""The terminal audit view: exact key lines at 80 and 120 columns, plain when piped."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from report_fixtures import ROWS, make_result
from rich.console import Console

from ehcp_check.audit import AuditOptions, AuditResult
from ehcp_check.dfe import ENGLAND_20W
from ehcp_check.periods import GroupBy
from ehcp_check.report.figures import end_text
from ehcp_check.report.terminal import DROP_ORDER, _breach_columns, bar, render_audit


def plain(result: AuditResult, width: int, **kw: int) -> list[str]:
    console = Console(width=width, record=True, force_terminal=False, color_system=None)
    console.print(render_audit(result, **kw))
    return [line.rstrip() for line in console.export_text().splitlines()]


@pytest.fixture(scope="module")
def grouped() -> AuditResult:
    return make_result(options=AuditOptions(by=GroupBy.YEAR))


def test_80_columns_key_lines(grouped: AuditResult) -> None:
    lines = plain(grouped, 80)
    assert max(len(line) for line in lines) <= 80
    incl, excl = ENGLAND_20W[2024]
    assert lines[0] == (
        "+- EHC plan deadlines, as of Fri 31 Jan 2025 (all cases; day count within) -+"
    )
    assert (
        lines[1] == "|                                                  This audit  England 2024 |"
    )
    assert (
        lines[2] == "| Plans issued                                              9               |"
    )
    assert lines[3] == (
        f"|   within 20 weeks, incl. exceptions             33.3% (3/9)         {incl:.1f}% |"
    )
    assert lines[4] == (
        f"|   within 20 weeks, excl. exceptions             40.0% (2/5)         {excl:.1f}% |"
    )
    assert "| Requests received                                                         |" in lines
    assert "| Open on Fri 31 Jan 2025                                   3               |" in lines
    assert "| Breaches by rule                     6W:1 16W:0 20W:8 15D:2               |" in lines
    assert " Period  Plans   incl   excl  weeks  weeks   weeks   6 wks  overdue" in lines
    assert " 2024        9  33.3%  40.0%      5      1    33.6   88.9%        1" in lines
    assert "<= 20 weeks ############################################## 3 33.3%" in lines
    assert "26-32 weeks                                                0  0.0%" in lines
    assert "> 52 weeks  ###############                                1 11.1%" in lines
    # At 80 columns the Row, Claimed and Requested columns give way; case references and
    # the verdict in words never wrap.
    assert "Worst breaches: 10 of 11 (a row per case and rule)" in lines
    assert " Case       Rule   Deadline     Step taken   late   Exception" in lines
    assert " C006       20W    2023-10-19   2024-09-02    319   none claimed" in lines
    assert " =1+1       20W    2024-01-19   still open    378   not lawful" in lines
    assert " C003       6W     2024-03-14   2024-03-20      6   not lawful" in lines
    assert "| rows read 16 = judged 13 + excluded 3 (balanced) |" in lines
    assert "| bad-date          1                              |" in lines


def test_120_columns_key_lines(grouped: AuditResult) -> None:
    lines = plain(grouped, 120)
    assert max(len(line) for line in lines) <= 120
    assert (
        " Period   Plans   % in 20w incl   % in 20w excl   20-52w   >52w   Median wks   % in 6w"
        "   Open overdue"
    ) in lines
    assert (
        " C003         7   20W    2024-02-01   2024-06-20   2024-11-15         148   EP shortage"
        "             not lawful"
    ) in lines
    assert (
        " C005         9   15D    2024-03-01   2024-06-27   2024-06-20           7"
        "                           none claimed"
    ) in lines
    assert (
        " 2024         9           33.3%           40.0%        5      1         33.6     88.9%"
        "              1"
    ) in lines
    assert "<= 20 weeks " + "#" * 60 + " 3 33.3%" in lines


def test_plain_output_has_no_escape_codes_or_unicode_boxes(grouped: AuditResult) -> None:
    text = "\n".join(plain(grouped, 100))
    assert "\x1b[" not in text
    assert not re.search(r"[\u2500-\u259f]", text)


def test_terminal_uses_blocks_and_colour(grouped: AuditResult) -> None:
    console = Console(width=100, record=True, force_terminal=True, color_system="truecolor")
    console.print(render_audit(grouped))
    text = console.export_text(styles=True)
    assert "\x1b[" in text
    assert "█" in text
    assert "#####" not in text


def test_markup_in_data_is_shown_not_interpreted() -> None:
    rows = [("[red]X[/red]", "North", "2023-01-02", "2023-02-01", "yes", None, None, None,
             "[bold]EP[/bold] shortage")]  # fmt: skip
    lines = plain(make_result(rows), 120)
    row = next(line for line in lines if line.startswith(" [red]X[/red]"))
    assert "[bold]EP[/bold]" in row


def test_long_la_names_fold_and_figures_stay_whole() -> None:
    lines = plain(make_result(options=AuditOptions(by=GroupBy.LA)), 80)
    assert (
        " <script>alert(1)</      1    0.0%      -      1      0    37.1  100.0%        0" in lines
    )
    assert " script>" in lines
    assert (
        " [bold]Fake[/bold]       0       -      -      0      0       -  100.0%        1" in lines
    )


def test_width_hint_caps_the_layout(grouped: AuditResult) -> None:
    lines = plain(grouped, 200, width_hint=80)
    assert max(len(line) for line in lines) <= 80
    assert " Period  Plans   incl   excl  weeks  weeks   weeks   6 wks  overdue" in lines


def test_no_groups_no_period_table_and_top_limits_rows() -> None:
    lines = plain(make_result(), 120, top=2)
    assert not any(line.startswith("By ") for line in lines)
    assert "Worst breaches: 2 of 11 (a row per case and rule)" in lines
    assert not any(line.startswith(" C007") for line in lines)


def test_no_breaches_and_no_issues() -> None:
    rows = [r for r in ROWS if r[0] == "C001"]
    result = make_result(rows)
    result.issues.clear()
    lines = plain(result, 80)
    assert "No breach counted in this audit." in lines
    assert "| No data issues.                                |" in lines
    assert "Weeks from request to final plan (1 plan issued)" in lines


def test_england_latest_year_with_note_when_audit_spans_years() -> None:
    rows = [r for r in ROWS if r[0] in ("C001", "C006")] + [
        ("C099", "North", "2022-01-03", "2022-02-01", "yes", "2022-04-01", None, None, None)
    ]
    latest = max(ENGLAND_20W)
    lines = plain(make_result(rows), 120)
    assert any(f"England {latest}" in line for line in lines[:3])
    assert any(
        f"England column: {latest}, the latest published year; the audit covers 2022-2024, "
        "not one calendar year." in line
        for line in lines
    )


@pytest.mark.parametrize(
    ("fraction", "width", "is_plain", "expected"),
    [
        (1.0, 8, True, "########"),
        (0.5, 8, True, "####"),
        (0.0, 8, True, ""),
        (1.0, 4, False, "████"),
        (0.5625, 2, False, "█▏"),
    ],
)
def test_bar(fraction: float, width: int, is_plain: bool, expected: str) -> None:
    assert bar(fraction, width, plain=is_plain) == expected


@pytest.mark.parametrize(
    ("outcome", "state", "done", "expected"),
    [
        ("plan_issued", "missed", pd.Timestamp("2024-09-02"), "2024-09-02"),
        ("open", "overdue", pd.NaT, "still open"),
        ("no_plan", "missed", pd.NaT, "no plan"),
        ("refused", "missed", pd.NaT, "refused"),
        ("open", "missed", pd.Timestamp("2024-03-20"), "2024-03-20"),
    ],
)
def test_step_taken_in_words(outcome: str, state: str, done: object, expected: str) -> None:
    assert end_text(outcome, state, done) == expected


@pytest.mark.parametrize(
    ("width", "dropped"),
    [
        (200, []),
        (105, []),
        (100, ["Row"]),
        (80, ["Row", "Claimed"]),
        (70, ["Row", "Claimed", "Requested"]),
        (55, ["Row", "Claimed", "Requested", "Step taken"]),
    ],
)
def test_breach_columns_drop_in_the_stated_order(width: int, dropped: list[str]) -> None:
    every = ["Case", "Row", "Rule", "Requested", "Deadline", "Step taken", "Days late",
             "Claimed", "Exception"]  # fmt: skip
    shown = _breach_columns(width, case_width=6, verdict_width=12)
    assert [c for c in every if c in shown] == shown  # display order kept
    assert [c for c in DROP_ORDER if c not in shown] == dropped
    assert dropped == list(DROP_ORDER[: len(dropped)])
    assert {"Case", "Rule", "Deadline", "Days late", "Exception"} <= set(shown)
