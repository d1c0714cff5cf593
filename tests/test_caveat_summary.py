"""Verdicts that rest on something not read cleanly are counted and said in the headline."""

from __future__ import annotations

from datetime import date

from report_fixtures import case_frame
from rich.console import Console

from ehcp_check.audit import AuditResult, audit_table
from ehcp_check.engine import Settings
from ehcp_check.model import CAVEATS, Caveat, DataIssue, LoadResult, SheetInput, caveat_bit
from ehcp_check.report.terminal import render_audit

AS_OF = date(2025, 1, 31)


def _result(masks: list[int], duplicates: int = 0) -> AuditResult:
    cases = case_frame()
    n = len(cases)
    cases["caveats"] = (masks + [0] * n)[:n]
    issues = [
        DataIssue("foi.xlsx", "2024", 100 + i, None, None, "duplicate-row", "dup", excluded=True)
        for i in range(duplicates)
    ]
    sheet = SheetInput("foi.xlsx", "2024", 4, n + duplicates, {}, excluded=duplicates)
    return audit_table(LoadResult(cases, issues, [sheet]), Settings(as_of=AS_OF))


def _text(masks: list[int], width: int = 80) -> list[str]:
    console = Console(width=width, record=True, force_terminal=False, color_system=None)
    console.print(render_audit(_result(masks)))
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_no_caveats_counts_zero_and_says_no_data_issues_only_when_true() -> None:
    r = _result([])
    s = r.summary
    assert s["cases_with_caveats"] == 0
    assert s["breaches_with_caveats"] == 0
    assert s["caveats"] == {c.value: 0 for c in CAVEATS}
    assert s["duplicate_rows"] == 0
    assert not any("Caution" in line for line in _text([]))


def test_caveats_counted_per_code_and_breaches_among_them() -> None:
    withheld = caveat_bit(Caveat.DATE_WITHHELD)
    unread = caveat_bit(Caveat.OUTCOME_NOT_UNDERSTOOD)
    r = _result([withheld, withheld | unread, 0, unread])
    s = r.summary
    assert s["cases_with_caveats"] == 3
    assert s["caveats"]["date-withheld"] == 2
    assert s["caveats"]["outcome-not-understood"] == 2
    assert sum(s["caveats"].values()) == 4
    status = r.verdicts["status"].astype(str).tolist()[:4]
    breaches = sum(
        st in ("late", "overdue") for st, m in zip(status, [1, 1, 0, 1], strict=True) if m
    )
    assert s["breaches_with_caveats"] == breaches


def test_headline_says_how_many_verdicts_rest_on_caveats() -> None:
    mask = caveat_bit(Caveat.DATE_WITHHELD)
    lines = _text([mask, mask])
    joined = " ".join(line.strip("| ") for line in lines)
    assert "Caution: 2 verdicts" in joined
    assert "date-withheld 2" in joined
    # the headline box holds it, before the data-quality panel
    first = next(i for i, line in enumerate(lines) if "Caution" in line)
    quality = next(i for i, line in enumerate(lines) if "Data quality" in line)
    assert first < quality
    assert max(len(line) for line in lines) <= 80


def test_duplicate_rows_counted_from_ingest_issues() -> None:
    assert _result([], duplicates=2).summary["duplicate_rows"] == 2


def test_markdown_and_html_say_it_in_the_summary() -> None:
    from ehcp_check.report.files import render_markdown
    from ehcp_check.report.html import render_html

    mask = caveat_bit(Caveat.OUTCOME_NOT_UNDERSTOOD)
    r = _result([mask])
    text = render_markdown(r)
    assert "**Caution: 1 verdict (" in text
    assert text.index("Caution") < text.index("## Worst breaches")
    page = render_html(r)
    assert '<p class="caution"><strong>Caution: 1 verdict' in page
    assert "Caution" not in render_markdown(_result([]))
