"""Reading the committed synthetic fixtures: exact cases, issues and row accounting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import reference_file

from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest import inspect_columns, load
from ehcp_check.model import DataIssue, LoadResult

FIX = Path(__file__).parent / "fixtures" / "ingest"


def _issues(
    result: LoadResult,
) -> list[tuple[str | None, int | None, str | None, str | None, str, bool]]:
    return [(i.sheet, i.row, i.column, i.value, i.code, i.excluded) for i in result.issues]


def _dates(frame: pd.DataFrame, column: str) -> list[str | None]:
    return [None if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in frame[column]]


def assert_accounting(result: LoadResult) -> None:
    """rows - excluded == cases, per sheet, and every exclusion has an excluded issue."""
    for sheet_input in result.inputs:
        mine = result.cases[
            (result.cases["file"] == sheet_input.file)
            & (result.cases["sheet"].fillna("<none>") == (sheet_input.sheet or "<none>"))
        ]
        assert len(mine) == sheet_input.rows - sheet_input.excluded
        excluded = [
            i for i in result.issues
            if i.excluded and i.file == sheet_input.file and i.sheet == sheet_input.sheet
        ]  # fmt: skip
        assert len(excluded) == sheet_input.excluded


def test_multi_year_workbook_cases() -> None:
    path = str(FIX / "foi_multi_year.xlsx")
    result = load([path])
    cases = result.cases
    assert [(s.sheet, s.header_row, s.rows, s.excluded) for s in result.inputs] == [
        ("2024", 4, 10, 3),
        ("2023", 5, 3, 0),
    ]
    assert result.rows_read == 13
    assert result.rows_excluded == 3
    assert cases["row"].tolist() == [5, 6, 7, 8, 10, 11, 12, 6, 7, 8]
    assert cases["case_id"].tolist() == [
        "C-0001", "C-0002", "C-0003", "C-0004", "C-0005", "C-0006", "C-0002",
        "C-0101", "C-0102", "C-0103",
    ]  # fmt: skip
    assert _dates(cases, "request_date") == [
        "2024-01-08", "2024-01-15", "2024-02-01", "2024-03-01", None, None, "2024-04-04",
        "2023-03-06", "2023-04-07", "2023-05-02",
    ]  # fmt: skip
    assert _dates(cases, "assess_decision_date") == [
        "2024-02-12", "2024-02-20", "2024-03-13", None, None, None, None,
        "2023-04-14", "2023-05-12", "2023-06-09",
    ]  # fmt: skip
    assert _dates(cases, "final_date") == [
        "2024-05-20", None, None, None, "2024-06-01", None, None, "2023-07-21", None, None,
    ]  # fmt: skip
    assert cases["assess_decision"].tolist() == [
        "yes", "no", "yes", "no", "yes", None, "yes", "yes", "no", "yes",
    ]  # fmt: skip
    assert cases["outcome"].tolist() == [
        "plan_issued", "refused", "open", "refused", "plan_issued", "withdrawn", "open",
        "plan_issued", "refused", "open",
    ]  # fmt: skip
    # No issue-decision column: filled from the outcome where it implies one.
    assert cases["issue_decision"].tolist() == [
        "yes", None, None, None, "yes", None, None, "yes", None, None,
    ]  # fmt: skip
    assert cases["exception"].tolist() == [
        "N", None, "EP shortage", None, "Y", None, None, None, None, None,
    ]  # fmt: skip
    assert cases["sheet"].tolist() == ["2024"] * 7 + ["2023"] * 3
    assert cases["request_date"].dtype == "datetime64[ns]"
    assert_accounting(result)


def test_multi_year_workbook_issues() -> None:
    result = load([str(FIX / "foi_multi_year.xlsx")])
    assert _issues(result) == [
        ("Notes", None, None, None, "sheet-skipped", False),
        ("2024", 8, "assess_decision_date", "#N/A", "excel-error", False),
        ("2024", 9, None, None, "blank-row", True),
        ("2024", 10, "request_date", "31/02/2024", "bad-date", False),
        ("2024", 10, "assess_decision_date", "<5", "redacted", False),
        ("2024", 11, "request_date", "2013-05-01", "date-out-of-range", False),
        ("2024", 11, "assess_decision", "maybe", "unrecognised-value", False),
        ("2024", 12, "case_id", "C-0002", "duplicate-case-id", False),
        ("2024", 13, None, "Total", "total-row", True),
        ("2024", 14, None, "Source: case management system extract,\u2026", "note-row", True),
    ]
    assert all(len(i.value or "") <= 40 for i in result.issues)
    assert result.issues[0].message == (
        "Sheet 'Notes' was skipped because none of its first 30 rows has a request-date header."
    )
    assert result.issues[5].message == (
        "'2013-05-01' is before 1 September 2014 (when EHC plans began), so request_date is "
        "treated as unknown."
    )


def test_sheet_selection_is_case_insensitive_and_lists_names() -> None:
    path = str(FIX / "foi_multi_year.xlsx")
    result = load([path], sheet="2023")
    assert [s.sheet for s in result.inputs] == ["2023"]
    assert len(result.cases) == 3
    with pytest.raises(InputError) as err:
        load([path], sheet="2022")
    assert str(err.value) == (
        f"{path} has no sheet named '2022'; its sheets are: 'Notes', '2024', '2023'."
    )
    with pytest.raises(InputError, match="no request-date column"):
        load([path], sheet="notes")


def test_columns_report() -> None:
    reports = inspect_columns([str(FIX / "foi_multi_year.xlsx")], samples=2)
    assert [(r.sheet, r.header_row, r.skipped is None) for r in reports] == [
        ("Notes", None, False),
        ("2024", 4, True),
        ("2023", 5, True),
    ]
    old = reports[2]
    assert [(c.letter, c.header, c.field, c.match.value) for c in old.columns] == [
        ("B", "Reference", "case_id", "exact"),
        ("C", "Request received", "request_date", "exact"),
        ("D", "Agreed to assess", "assess_decision", "exact"),
        ("E", "6 week decision date", "assess_decision_date", "exact"),
        ("F", "Final plan issued", "final_date", "exact"),
        ("G", "Status", "outcome", "exact"),
    ]
    assert old.columns[1].samples == ("2023-03-06", "07/04/2023")
    assert old.columns[1].date_order == "dmy"


def test_1904_workbook() -> None:
    result = load([str(FIX / "mac_1904.xlsx")])
    assert _dates(result.cases, "request_date") == ["2024-03-01", "2024-04-02"]
    # 43890 is 1 March 2024 in the 1904 date system (45352 in the 1900 system).
    assert _dates(result.cases, "final_date") == ["2024-03-01", "2024-08-15"]
    assert result.issues == []


def test_text_that_looks_like_formulas_or_markup_survives() -> None:
    for name in ("text_cells.xlsx", "formula_text.csv"):
        result = load([str(FIX / name)])
        reasons = result.cases["delay_reason"].tolist()
        assert "[red]x[/red]" in reasons
        assert any(str(r).startswith("=HYPERLINK(") for r in reasons)


@pytest.mark.parametrize(
    ("name", "ids", "requests", "finals"),
    [
        ("cp1252.csv", ["C-0401", "C-0402"], ["2024-09-02", "2024-09-03"], [None, None]),
        ("utf16.csv", ["C-0501", "C-0502"], ["2024-10-10", "2024-10-11"], ["2024-12-20", None]),
        ("requests.tsv", ["C-0601", "C-0602"], ["2024-11-04", "2024-11-05"], ["2025-02-10", None]),
    ],
)
def test_text_encodings_and_delimiters(
    name: str, ids: list[str], requests: list[str], finals: list[str | None]
) -> None:
    result = load([str(FIX / name)])
    assert result.cases["case_id"].tolist() == ids
    assert _dates(result.cases, "request_date") == requests
    assert _dates(result.cases, "final_date") == finals
    assert result.cases["row"].tolist() == [2, 3]
    assert result.inputs[0].header_row == 1
    assert result.cases["sheet"].tolist() == [None, None]


def test_cp1252_text_is_decoded_for_the_whole_file() -> None:
    result = load([str(FIX / "cp1252.csv")])
    assert result.cases["delay_reason"].tolist() == ["Caf\u00e9 closed; \u00a3 budget", None]


def test_month_first_and_conflicting_columns() -> None:
    result = load([str(FIX / "month_first.csv")])
    assert _dates(result.cases, "request_date") == ["2024-03-13", "2024-03-04", "2024-03-05"]
    assert _dates(result.cases, "assess_decision_date") == [
        "2024-04-01",
        "2024-04-20",
        "2024-04-02",
    ]
    assert _dates(result.cases, "final_date") == [None, "2024-07-25", "2024-01-08"]
    assert _issues(result) == [
        (None, None, "request_date", None, "month-first-column", False),
        (None, None, "assess_decision_date", None, "month-first-column", False),
        (None, None, "final_date", None, "ambiguous-date-order", False),
        (None, 2, "final_date", "07/15/2024", "bad-date", False),
    ]


def test_date_order_override_and_mapping_file(tmp_path: Path) -> None:
    path = str(FIX / "month_first.csv")
    result = load([path], date_order="dmy")
    assert _dates(result.cases, "request_date") == [None, "2024-04-03", "2024-05-03"]
    assert [i.code for i in result.issues if i.row is None] == []
    toml = tmp_path / "map.toml"
    toml.write_text('date_order = "mdy"\n[columns]\n"Date final EHCP issued" = "ignore"\n')
    result = load([path], mapping_file=toml)
    assert "final_date" not in result.inputs[0].columns
    assert _dates(result.cases, "request_date") == ["2024-03-13", "2024-03-04", "2024-03-05"]
    with pytest.raises(UsageError):
        load([path], date_order="dym")


def test_sen2_named_columns() -> None:
    result = load([str(FIX / "sen2_names.csv")])
    assert result.inputs[0].columns == {
        "case_id": "UPN",
        "request_date": "ReceivedDate",
        "assess_decision_date": "RequestOutcomeDate",
        "assess_decision": "RequestOutcome",
        "issue_decision_date": "AssessmentOutcomeDate",
        "issue_decision": "AssessmentOutcome",
        "exception": "Week20",
        "final_date": "AssessmentOutcomeDate",
    }
    cases = result.cases
    assert _dates(cases, "final_date") == ["2024-05-20", None, None, None]
    assert _dates(cases, "issue_decision_date") == ["2024-05-20", None, None, "2024-05-01"]
    assert cases["assess_decision"].tolist() == ["yes", "no", None, "yes"]
    assert cases["issue_decision"].tolist() == ["yes", None, None, "no"]
    assert cases["outcome"].tolist() == [None, None, "withdrawn", None]
    assert cases["exception"].tolist() == ["0", "0", "0", "1"]


def test_sen2_xml_reference_return() -> None:
    result = load([str(reference_file("sen2", "SEN2-2024-mockup.xml"))])
    cases = result.cases
    assert cases["case_id"].tolist() == [
        "X123456789875", "X123456789832 request 1", "X123456789832 request 2",
    ]  # fmt: skip
    assert cases["row"].tolist() == [1, 2, 3]
    assert cases["la"].tolist() == ["201", "201", "201"]
    assert _dates(cases, "request_date") == ["2023-11-30", "2023-08-31", "2023-12-03"]
    assert _dates(cases, "assess_decision_date") == ["2023-12-01", "2023-12-01", None]
    assert _dates(cases, "issue_decision_date") == ["2023-12-25", None, None]
    assert _dates(cases, "final_date") == ["2023-12-25", None, None]
    assert cases["assess_decision"].tolist() == ["yes", "no", "pending"]
    assert cases["issue_decision"].tolist() == ["yes", None, "pending"]
    assert cases["outcome"].tolist() == ["plan_issued", "refused", "open"]
    assert cases["exception"].tolist() == [None, None, None]
    # RequestMediation / RequestTribunal = 1 on the first two requests; none on the third.
    assert cases["mediation_tribunal"].tolist() == [True, True, False]
    assert cases["withheld"].tolist() == [0, 0, 0]
    assert cases["caveats"].tolist() == [0, 0, 0]
    flat = [str(cell) for cell in cases.to_numpy(dtype=object).ravel()]
    for personal in ("TestFamilyName1", "TestFirstname1", "2002-01-01", "AA11AA"):
        assert all(personal not in cell for cell in flat)
    assert result.issues == []


def test_header_only_file_gives_no_cases() -> None:
    result = load([str(FIX / "header_only.csv")])
    assert len(result.cases) == 0
    assert [(s.rows, s.excluded, s.header_row) for s in result.inputs] == [(0, 0, 1)]
    assert list(result.cases.columns)[:3] == ["file", "sheet", "row"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "{path} is empty (0 bytes): export or save it again."),
        (
            "no_request.csv",
            "{path} has no request-date column (headers seen: Ref, Date rec'd, Outcome); "
            'name it with --map "Date rec\'d=request_date".',
        ),
        (
            "encrypted.xlsx",
            "{path} is password-protected (encrypted): open it in Excel, remove the password, "
            "save an unprotected copy and try again.",
        ),
        (
            "corrupt.xlsx",
            "{path} is damaged or incomplete (perhaps cut short while copying): copy it again, "
            "or open it in Excel and save it again.",
        ),
        ("missing.csv", "{path} does not exist: check the file name and folder."),
    ],
)
def test_unusable_files_raise_one_sentence(name: str, message: str) -> None:
    path = str(FIX / name)
    with pytest.raises(InputError) as err:
        load([path])
    assert str(err.value) == message.format(path=path)


def test_mapping_override_rescues_unknown_header() -> None:
    result = load([str(FIX / "no_request.csv")], mapping={"date rec'd": "request_date"})
    assert _dates(result.cases, "request_date") == ["2024-02-01"]
    assert result.inputs[0].columns["request_date"] == "Date rec'd"


def test_several_files_and_input_files_untouched(tmp_path: Path) -> None:
    names = ["cp1252.csv", "foi_multi_year.xlsx", "requests.tsv"]
    copies = []
    for name in names:
        shutil.copy(FIX / name, tmp_path / name)
        copies.append(tmp_path / name)
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in copies]
    result = load(copies)
    assert [(Path(s.file).name, s.sheet) for s in result.inputs] == [
        ("cp1252.csv", None), ("foi_multi_year.xlsx", "2024"), ("foi_multi_year.xlsx", "2023"),
        ("requests.tsv", None),
    ]  # fmt: skip
    assert len(result.cases) == 2 + 10 + 2
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in copies] == before
    assert_accounting(result)


def test_issue_records_are_data_issues() -> None:
    result = load([str(FIX / "foi_multi_year.xlsx")])
    assert all(isinstance(i, DataIssue) for i in result.issues)
    assert {i.file for i in result.issues} == {str(FIX / "foi_multi_year.xlsx")}


def test_example_foi_reply_workbook() -> None:
    path = Path(__file__).parents[1] / "examples" / "foi-reply-2024.xlsx"
    result = load([str(path)])
    assert [(s.sheet, s.header_row, s.rows, s.excluded) for s in result.inputs] == [
        ("2024", 5, 61, 1),
        ("2023", 4, 26, 1),
    ]
    assert len(result.cases) == 85
    assert sorted((i.sheet or "", i.code) for i in result.issues) == [
        ("2023", "total-row"),
        ("2024", "redacted"),
        ("2024", "total-row"),
        ("Notes", "sheet-skipped"),
    ]
    assert result.cases["request_date"].notna().all()
    assert_accounting(result)
