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
from ehcp_check.report.figures import CASE_COLUMNS, breach_total
from ehcp_check.report.xlsx import HEADERS, SHEETS, write_xlsx


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


def col(ws: object, header: str) -> int:
    """The 1-based column of a header in row 1."""
    heads = [c.value for c in ws[1]]  # type: ignore[index]
    return heads.index(header) + 1


def test_sheets(wb: Workbook) -> None:
    assert wb.sheetnames == list(SHEETS)
    assert SHEETS == ("Summary", "Breaches", "Cases", "Data issues", "Inputs", "Method")


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
    assert ws.cell(find_row(ws, 1, "Breaches, all rules"), 2).value == 11
    r = find_row(ws, 1, "<= 20 weeks")
    assert [ws.cell(r + i, 2).value for i in range(6)] == [3, 1, 0, 2, 2, 1]
    r = find_row(ws, 1, "2024")
    assert [ws.cell(r, c).value for c in range(2, 5)] == [9, 33.3, 40.0]
    charts = ws._charts
    assert [c.tagname for c in charts] == ["barChart", "barChart"]
    titles = [c.title.tx.rich.p[0].r[0].t for c in charts]
    assert titles == ["% of plans issued within 20 weeks", "Plans issued by weeks to issue"]


def test_no_plans_issued_says_so_instead_of_empty_charts(tmp_path: Path) -> None:
    rows = [("C1", "North", "2024-06-03", None, None, None, None, None, None)]
    out = tmp_path / "none.xlsx"
    write_xlsx(make_result(rows), out)
    assert openpyxl.load_workbook(out)["Summary"]._charts == []
    with zipfile.ZipFile(out) as z:
        drawings = [n for n in z.namelist() if n.startswith("xl/drawings/drawing")]
        text = "".join(z.read(n).decode("utf-8") for n in drawings)
        assert not [n for n in z.namelist() if n.startswith("xl/charts/")]
    assert "No plans issued in this period: nothing to chart." in text


def test_cases_sheet(wb: Workbook) -> None:
    ws = wb["Cases"]
    heads = [c.value for c in ws[1]]
    assert heads[:7] == ["Row", "Case", "LA", "Status", "Outcome", "Request received",
                         "Decided whether to assess"]  # fmt: skip
    assert "file" not in heads
    assert "Input" not in heads
    assert all(h == HEADERS[k] for h, k in zip(heads, [c for c in CASE_COLUMNS
               if c not in ("file", "sheet")], strict=True))  # fmt: skip
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:AB15"
    assert ws.max_row == 15
    request = ws.cell(2, col(ws, "Request received"))
    assert isinstance(request.value, datetime)
    assert request.value == datetime(2024, 1, 2)
    assert request.number_format == "dd/mm/yyyy"
    weeks = ws.cell(2, col(ws, "Weeks to final plan"))
    assert (weeks.value, weeks.number_format) == (17.1, "0.0")
    assert ws.cell(2, col(ws, "Row")).value == 5


@pytest.mark.parametrize("name", ["Breaches", "Cases", "Data issues", "Inputs"])
def test_print_setup_and_widths(wb: Workbook, name: str) -> None:
    ws = wb[name]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) in ((1, 0), (None, 0))
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["B"].width > 5


def test_inputs_sheet_names_the_file_once(wb: Workbook) -> None:
    ws = wb["Inputs"]
    assert [c.value for c in ws[1]] == [
        "Input", "File", "Sheet", "Header row", "Rows", "Rows excluded",
    ]  # fmt: skip
    assert [c.value for c in ws[2]] == [1, "foi.xlsx", "2024", 4, 16, 2]
    every = [c.value for name in ("Breaches", "Cases") for row in wb[name].iter_rows()
             for c in row]  # fmt: skip
    assert "foi.xlsx" not in every


def test_breach_rows_are_highlighted(wb: Workbook) -> None:
    ws = wb["Cases"]
    status_col = col(ws, "Status")
    late_col = col(ws, "Days late")
    late = ws.cell(3, status_col)  # C002, late
    assert late.value == "late"
    assert late.fill.fgColor.rgb == "FFF8CBCB"
    assert ws.cell(3, late_col).fill.fgColor.rgb == "FFF8CBCB"
    on_time = ws.cell(2, status_col)
    assert on_time.value == "on_time"
    assert on_time.fill.fill_type is None


def test_breaches_sheet_one_row_per_case_and_rule(wb: Workbook) -> None:
    ws = wb["Breaches"]
    assert [c.value for c in ws[1]] == [
        "Row", "Case", "LA", "Rule", "Request received", "Deadline", "Step taken", "Days late",
        "Status", "Outcome", "Exception claimed", "Exception verdict", "Exception note",
        "Delay reason",
    ]  # fmt: skip
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:N12"
    days = [ws.cell(r, 8).value for r in range(2, 13)]
    assert days == [378, 319, 165, 151, 148, 120, 95, 36, 7, 6, 4]
    rules = [ws.cell(r, 4).value for r in range(2, 13)]
    assert rules.count("EHCP-20W") == 8
    assert rules.count("EHCP-15D") == 2
    assert ws.cell(2, 7).value == "still open"
    assert ws.cell(3, 7).value == datetime(2024, 9, 2)


def test_issues_and_method(wb: Workbook) -> None:
    ws = wb["Data issues"]
    assert [c.value for c in ws[1]] == [
        "Input", "Sheet", "Row", "Column", "Value", "Issue", "Message", "Row excluded",
    ]  # fmt: skip
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H5"
    assert [ws.cell(r, 6).value for r in range(2, 6)] == [
        "bad-date", "invalid-case", "total-row", "blank-row",
    ]  # fmt: skip
    method = [c.value for row in wb["Method"].iter_rows() for c in row if c.value is not None]
    assert "SEND Regs 2014 reg 13(2)" in method
    assert "EHCP-20W" in method
    assert "school_closure" in method
    mappings = [c.value for row in wb["Inputs"].iter_rows() for c in row if c.value is not None]
    assert "Date EHCP issued" in mappings


def test_formula_text_stays_text(wb: Workbook, path: Path) -> None:
    ws = wb["Cases"]
    cid = col(ws, "Case")
    raw = col(ws, "Exception claimed")
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
    cid = ws.cell(2, col(ws, "Case"))
    assert (cid.value, cid.data_type) == ("#N/A", "s")
    raw = ws.cell(2, col(ws, "Exception claimed"))
    assert (raw.value, raw.data_type) == ("-3", "s")
    late = ws.cell(2, col(ws, "Days late"))
    assert (late.value, late.data_type) == (0, "n")


@pytest.mark.parametrize(
    "text",
    ["a & b < c > d", "  padded  ", "tab\there", "line\nbreak", "é ü ✓"],
)
def test_text_round_trips(tmp_path: Path, text: str) -> None:
    rows = [("C1", text, "2024-01-02", None, None, "2024-05-01", None, None, None)]
    out = tmp_path / "t.xlsx"
    write_xlsx(make_result(rows), out)
    ws = openpyxl.load_workbook(out)["Cases"]
    assert ws.cell(2, col(ws, "LA")).value == text


def test_row_limit_cut_is_stated(tmp_path: Path) -> None:
    out = tmp_path / "cut.xlsx"
    write_xlsx(make_result(), out, max_rows=3)
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
    listed = breach_total(result)
    total = listed + len(result.verdicts)
    assert calls == [(listed, total), (total, total)]
