"""The audit workbook: sheets, charts, frozen headers, filters, dates, highlights, safety."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook
from report_fixtures import make_result

from ehcp_check.audit import AuditOptions
from ehcp_check.dfe import ENGLAND_20W
from ehcp_check.errors import OutputError
from ehcp_check.periods import GroupBy
from ehcp_check.report.figures import CASE_COLUMNS
from ehcp_check.report.xlsx import SHEETS, build_workbook, write_xlsx


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "audit.xlsx"
    write_xlsx(make_result(options=AuditOptions(by=GroupBy.YEAR)), out)
    return out


@pytest.fixture(scope="module")
def wb(path: Path) -> Workbook:
    return openpyxl.load_workbook(path)


def sheet_xml(path: Path, index: int) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def find_row(ws: object, column: int, value: object) -> int:
    for row in ws.iter_rows(min_col=column, max_col=column):  # type: ignore[attr-defined]
        if row[0].value == value:
            return int(row[0].row)
    raise AssertionError(f"{value!r} not found")


def test_sheets(wb: Workbook) -> None:
    assert wb.sheetnames == list(SHEETS)
    assert SHEETS == ("Summary", "Breaches", "Cases", "Data issues", "Method")


def test_summary_headline_and_charts(wb: Workbook) -> None:
    ws = wb["Summary"]
    assert ws["A1"].value == "EHC plan deadlines audit"
    assert ws["A2"].value == "As of"
    assert ws["B2"].value == datetime(2025, 1, 31)
    assert ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["C7"].value == "England 2024 (DfE)"
    r = find_row(ws, 1, "% within 20 weeks, including exceptions")
    assert (ws.cell(r, 2).value, ws.cell(r, 3).value) == (33.3, ENGLAND_20W[2024][0])
    assert ws.cell(r, 2).number_format == "0.0"
    r = find_row(ws, 1, "% within 20 weeks, excluding exceptions")
    assert (ws.cell(r, 2).value, ws.cell(r, 3).value) == (40.0, ENGLAND_20W[2024][1])
    assert ws.cell(find_row(ws, 1, "Plans issued"), 2).value == 9
    assert ws.cell(find_row(ws, 1, "Cases late or overdue"), 2).value == 7
    r = find_row(ws, 1, "<= 20 weeks")
    assert [ws.cell(r + i, 2).value for i in range(6)] == [3, 1, 0, 2, 2, 1]
    r = find_row(ws, 1, "2024")
    assert [ws.cell(r, c).value for c in range(2, 5)] == [9, 33.3, 40.0]
    charts = ws._charts
    assert len(charts) == 2
    assert {c.tagname for c in charts} == {"barChart"}


def test_cases_sheet(wb: Workbook) -> None:
    ws = wb["Cases"]
    assert [c.value for c in ws[1]] == list(CASE_COLUMNS)
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref == "A1:AD15"
    assert ws.max_row == 15
    request = ws.cell(2, CASE_COLUMNS.index("request_date") + 1)
    assert isinstance(request.value, datetime)
    assert request.value == datetime(2024, 1, 2)
    assert request.number_format == "dd/mm/yyyy"
    weeks = ws.cell(2, CASE_COLUMNS.index("weeks_to_final") + 1)
    assert (weeks.value, weeks.number_format) == (17.1, "0.0")
    assert ws.cell(2, CASE_COLUMNS.index("row") + 1).value == 5


def test_breach_rows_are_highlighted(wb: Workbook) -> None:
    ws = wb["Cases"]
    status_col = CASE_COLUMNS.index("status") + 1
    late_col = CASE_COLUMNS.index("days_late") + 1
    late = ws.cell(3, status_col)  # C002, late
    assert late.value == "late"
    assert late.fill.fgColor.rgb == "00F8CBCB"
    assert ws.cell(3, late_col).fill.fgColor.rgb == "00F8CBCB"
    on_time = ws.cell(2, status_col)
    assert on_time.value == "on_time"
    assert on_time.fill.fill_type is None


def test_breaches_sheet_sorted_by_days_late(wb: Workbook) -> None:
    ws = wb["Breaches"]
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref == "A1:AD8"
    days = [ws.cell(r, CASE_COLUMNS.index("days_late") + 1).value for r in range(2, 9)]
    assert days == [378, 319, 165, 148, 120, 95, 7]
    statuses = {ws.cell(r, CASE_COLUMNS.index("status") + 1).value for r in range(2, 9)}
    assert statuses == {"late", "overdue"}


def test_issues_and_method(wb: Workbook) -> None:
    ws = wb["Data issues"]
    assert [c.value for c in ws[1]] == [
        "file", "sheet", "row", "column", "value", "code", "message", "excluded",
    ]  # fmt: skip
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H5"
    assert [ws.cell(r, 6).value for r in range(2, 6)] == [
        "bad-date", "invalid-case", "total-row", "blank-row",
    ]  # fmt: skip
    method = [c.value for row in wb["Method"].iter_rows() for c in row if c.value is not None]
    assert "SEND Regs 2014 reg 13(2)" in method
    assert "EHCP-20W" in method
    assert "Date EHCP issued" in method
    assert "school_closure" in method


def test_formula_text_stays_text(wb: Workbook, path: Path) -> None:
    ws = wb["Cases"]
    cid = CASE_COLUMNS.index("case_id") + 1
    raw = CASE_COLUMNS.index("exception_raw") + 1
    cells = {
        "=1+1": ws.cell(15 - 3, cid),
        "@SUM(A1)": ws.cell(13, cid),
        "+44 20": ws.cell(14, cid),
        "-x": ws.cell(15, cid),
        '=HYPERLINK("http://x")': ws.cell(13, raw),
    }
    for text, cell in cells.items():
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix
    for index in (2, 3):  # Breaches, Cases
        xml = sheet_xml(path, index)
        assert "<f>" not in xml
        assert "<f " not in xml
        assert re.search(r"<c r=\"[A-Z]+\d+\"[^>]*t=\"f\"", xml) is None


def test_numbers_stay_numbers_and_error_text_stays_text(tmp_path: Path) -> None:
    rows = [("#N/A", "North", "2024-01-02", None, None, "2024-05-01", None, None, "-3")]
    out = tmp_path / "n.xlsx"
    write_xlsx(make_result(rows), out)
    ws = openpyxl.load_workbook(out)["Cases"]
    cid = ws.cell(2, CASE_COLUMNS.index("case_id") + 1)
    assert (cid.value, cid.data_type) == ("#N/A", "s")
    raw = ws.cell(2, CASE_COLUMNS.index("exception_raw") + 1)
    assert (raw.value, raw.data_type) == ("-3", "s")
    late = ws.cell(2, CASE_COLUMNS.index("days_late") + 1)
    assert (late.value, late.data_type) == (0, "n")


def test_row_limit_cut_is_stated(tmp_path: Path) -> None:
    wb = build_workbook(make_result(), max_rows=3)
    out = tmp_path / "cut.xlsx"
    wb.save(out)
    loaded = openpyxl.load_workbook(out)
    assert loaded["Cases"].max_row == 4
    texts = [c.value for row in loaded["Summary"].iter_rows(max_row=8) for c in row]
    assert (
        "Cases sheet shows the first 3 cases only (Excel's row limit); the CSV or JSON "
        "output has every case." in texts
    )


def test_write_xlsx_is_careful(tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    result = make_result()
    write_xlsx(result, out)
    with pytest.raises(OutputError, match="already exists"):
        write_xlsx(result, out)
    with pytest.raises(OutputError, match="is one of the input files"):
        write_xlsx(result, out, force=True, inputs=[out])


def test_progress_reports_every_case_row(tmp_path: Path) -> None:
    result = make_result()
    calls: list[tuple[int, int]] = []
    write_xlsx(
        result, tmp_path / "p.xlsx", progress=lambda done, total: calls.append((done, total))
    )
    late = int(result.verdicts["status"].isin(["late", "overdue"]).sum())
    total = late + len(result.verdicts)
    assert calls == [(late, total), (total, total)]
