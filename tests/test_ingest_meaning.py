"""Golden tests: what councils mean, read from the synthetic files of ``fixtures/meaning``.

Each expectation was worked out by hand from ``tests/fixtures/make_meaning_fixtures.py``
(regenerate the files with it). Tested at the ingest level: the case table's values, masks,
caveats, issues and row accounting.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ehcp_check.cli import app
from ehcp_check.errors import UsageError
from ehcp_check.ingest import load
from ehcp_check.ingest.outcome_words import classify_status
from ehcp_check.model import CAVEATS, DATE_FIELDS, Caveat, Field, LoadResult, caveat_bit

FIX = Path(__file__).resolve().parent / "fixtures" / "meaning"
runner = CliRunner()


def _dates(cases: pd.DataFrame, column: str) -> list[str | None]:
    return [None if pd.isna(v) else pd.Timestamp(v).date().isoformat() for v in cases[column]]


def _caveats(cases: pd.DataFrame) -> list[list[str]]:
    return [[c.value for c in CAVEATS if mask & caveat_bit(c)] for mask in cases["caveats"]]


def _withheld(cases: pd.DataFrame) -> list[list[str]]:
    return [
        [f.value for i, f in enumerate(DATE_FIELDS) if mask >> i & 1] for mask in cases["withheld"]
    ]


def _issues(result: LoadResult) -> list[tuple[int | None, str, str | None, str | None, bool]]:
    return [(i.row, i.code, i.column, i.value, i.excluded) for i in result.issues]


# --- SEN2 flat exports: the case system's names and dates, and the DfE template ------------

SEN2_COLUMNS = {
    "case_id": "requestsrecordid",
    "request_date": "receiveddate",
    "assess_decision_date": "requestoutcomedate",
    "assess_decision": "requestoutcome",
    "issue_decision_date": "assessmentoutcomedate",
    "issue_decision": "assessmentoutcome",
    "exception": "week20",
    "final_date": "assessmentoutcomedate",
}
TEMPLATE_COLUMNS = {
    "case_id": "Requests Record ID",
    "request_date": "Date request received",
    "assess_decision_date": "Request outcome date",
    "assess_decision": "Request outcome",
    "issue_decision_date": "Assessment outcome date",
    "issue_decision": "Assessment Outcome To Issue EHCP",
    "exception": "Twenty week time limit exceptions apply",
    "final_date": "Assessment outcome date",
}


@pytest.mark.parametrize(
    ("name", "columns", "first_row"),
    [("sen2_blade.csv", SEN2_COLUMNS, 2), ("sen2_template.xlsx", TEMPLATE_COLUMNS, 4)],
)
def test_sen2_flat_export(name: str, columns: dict[str, str], first_row: int) -> None:
    result = load([FIX / name])
    cases = result.cases
    assert result.inputs[0].columns == columns
    assert cases["row"].tolist() == list(range(first_row, first_row + 10))
    # The request record id, not the person id: P001 made two requests (R001, R002).
    assert cases["case_id"].tolist() == [f"R{i:03d}" for i in range(1, 11)]
    assert cases["assess_decision"].tolist() == [
        "yes", "no", "yes", "yes", None, None, "yes", "yes", "yes", "yes",
    ]  # fmt: skip
    assert cases["issue_decision"].tolist() == [
        "yes", None, "no", "pending", None, None, "yes", "yes", "yes", None,
    ]  # fmt: skip
    assert cases["outcome"].tolist() == [
        None, None, None, None, "withdrawn", "transferred_in", None, None, None, "withdrawn",
    ]  # fmt: skip
    # AssessmentOutcomeDate is the plan's date for Y (R001, R007, R008) and the no-plan
    # notice for N (R003); W (R010) makes it no decision's date. R009 (Y, no outcome date)
    # takes its plan start date, with a caveat; R006 (H) never does: its start is the old LA's.
    assert _dates(cases, "final_date") == [
        "2024-05-20", None, None, None, None, None, "2024-07-01", "2024-06-24", "2024-06-20",
        None,
    ]  # fmt: skip
    assert _dates(cases, "issue_decision_date") == [
        "2024-05-20", None, "2024-06-10", None, None, None, "2024-07-01", "2024-06-24", None,
        None,
    ]  # fmt: skip
    # Week20 0.0 / 1.0: no claim / a bare flag, never an unrecognised reason "0.0".
    assert cases["exception"].tolist() == ["0", "0", "0", "0", "0", "0", "1", "0", "0", "0"]
    assert cases["mediation_tribunal"].tolist() == [
        False, False, False, False, False, False, False, True, False, True,
    ]  # fmt: skip
    expected_caveats: list[list[str]] = [[] for _ in range(10)]
    expected_caveats[8] = ["plan-date-from-start-date"]
    assert _caveats(cases) == expected_caveats
    assert cases["withheld"].tolist() == [0] * 10
    sheet = None if name.endswith(".csv") else "SEN2 requests"
    header = "personid" if name.endswith(".csv") else "Person ID"
    assert [(i.sheet, i.code, i.value) for i in result.issues] == [
        (sheet, "ambiguous-column", header)
    ]
    assert (result.rows_read, result.rows_excluded, result.duplicate_rows) == (10, 0, 0)


def test_sen2_export_audit_counts_the_plans() -> None:
    out = runner.invoke(
        app,
        ["audit", str(FIX / "sen2_blade.csv"), "--as-of", "2025-03-31", "--format", "json"],
    )
    assert out.exit_code == 1
    import json

    summary = json.loads(out.stdout)["summary"]
    # R008 went to mediation: it leaves the DfE-comparable 20-week figures (statute.md s.5).
    assert summary["plans_issued"] == 3
    assert summary["dfe_excluded_mediation_tribunal"] == 1
    assert summary["within_20_weeks"] == 2  # R001 (deadline 27 May) and R009 (1 July)


# --- free-text statuses --------------------------------------------------------------------


def test_foi_statuses_read_by_their_words() -> None:
    result = load([FIX / "foi_statuses.xlsx"])
    cases = result.cases
    assert cases["outcome"].tolist() == [
        "plan_issued", "withdrawn", "withdrawn", "plan_issued", "no_plan", "transferred_in",
        "open", "refused", None, "open", "plan_issued", "refused",
    ]  # fmt: skip
    # "Final plan issued 12/04/24" with a blank date column: the date in the text.
    assert _dates(cases, "final_date") == [
        "2024-05-20", None, None, "2024-04-12", None, None, None, None, None, None,
        "2024-09-02", None,
    ]  # fmt: skip
    assert _dates(cases, "draft_date")[9] == "2024-07-03"
    expected: list[list[str]] = [[] for _ in range(12)]
    expected[3] = ["date-from-status-text"]
    expected[8] = ["outcome-not-understood"]
    expected[9] = ["date-from-status-text"]
    assert _caveats(cases) == expected
    assert _issues(result) == [
        (10, "unrecognised-value", "outcome", "See notes - complicated", False)
    ]


def test_date_in_status_text_never_replaces_a_date_given() -> None:
    path = FIX.parent.parent / "fixtures" / "meaning" / "foi_statuses.xlsx"
    cases = load([path]).cases
    # F01 says "Final plan issued" with its own date 20 May: that date stays.
    assert _dates(cases, "final_date")[0] == "2024-05-20"


# --- no final-date column, weeks taken ----------------------------------------------------


def test_weeks_taken_without_a_final_date_column() -> None:
    result = load([FIX / "weeks_taken.csv"])
    cases = result.cases
    assert "final_date" not in result.inputs[0].columns
    assert _caveats(cases) == [["no-final-date-column", "no-decision-column"]] * 4
    assert cases["stated_within_20w"].tolist() == ["yes", "no", None, "no"]
    # 19.0 and 24.5 weeks, blank, "20 weeks 3 days": in days.
    assert cases["stated_days_to_final"].tolist()[:2] == [133.0, 171.5]
    assert cases["stated_days_to_final"].isna().tolist() == [False, False, True, False]
    assert cases["stated_days_to_final"].iat[3] == 143.0
    assert result.issues == []


def test_days_taken_column(tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    path.write_text("Ref,Date request received,Days taken\nA,01/02/2024,150\nB,01/02/2024,x\n")
    cases = load([path]).cases
    assert cases["stated_days_to_final"].iat[0] == 150.0
    assert cases["stated_days_to_final"].isna().tolist() == [False, True]


# --- two-row headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "header_row"), [("two_row_header.xlsx", 4), ("two_row_header.csv", 2)]
)
def test_two_row_header(name: str, header_row: int) -> None:
    result = load([FIX / name])
    assert result.inputs[0].header_row == header_row
    assert result.inputs[0].columns == {
        "case_id": "Case ref",
        "request_date": "Request received",
        "assess_decision_date": "Dates / Decision to assess",
        "draft_date": "Draft plan",
        # "Final plan" names the final-plan date by itself: the group row is not needed.
        "final_date": "Final plan",
        "assess_decision": "Agreed to assess",
    }
    cases = result.cases
    assert _dates(cases, "assess_decision_date") == ["2024-02-12", "2024-02-19", "2024-03-11"]
    assert cases["assess_decision"].tolist() == ["yes", "yes", "no"]
    # T1: draft 10 May, final 18 May: 8 days to comment, fewer than the 15 owed.
    assert _dates(cases, "draft_date") == ["2024-05-10", "2024-04-22", None]
    assert result.issues == []


def test_group_row_that_is_a_title_is_not_joined(tmp_path: Path) -> None:
    path = tmp_path / "title.csv"
    path.write_text("Requests 2024,,\nCase ref,Date request received,Keyworker\nA,01/02/2024,x\n")
    result = load([path])
    assert result.inputs[0].columns == {
        "case_id": "Case ref",
        "request_date": "Date request received",
    }


# --- withheld dates, flag + reason, duplicates ------------------------------------------------


def test_withheld_dates_flags_and_duplicates() -> None:
    result = load([FIX / "withheld_duplicates.csv"])
    cases = result.cases
    assert cases["row"].tolist() == [2, 3, 4, 5, 6, 7, 9, 10]
    assert cases["case_id"].tolist() == ["D01", "D02", "D03", "D04", "D05", "D06", "D07", "D07"]
    assert _withheld(cases) == [
        ["final_date"], ["final_date"], ["assess_decision_date"], ["assess_decision_date"],
        [], [], [], [],
    ]  # fmt: skip
    # Flag "N" + blank reason: no claim; "Y" + blank: a bare flag; "N" + a reason: the reason
    # is judged, with a conflict caveat; "Y" + a reason: the reason.
    assert cases["exception"].tolist() == [
        None, None, "Y", "Parent asked to delay", "Child in hospital", "Y", None, None,
    ]  # fmt: skip
    assert _caveats(cases) == [
        ["date-withheld"], ["date-withheld"], ["date-withheld"],
        ["date-withheld", "flag-reason-conflict"], ["date-not-read"], [], [], [],
    ]  # fmt: skip
    assert result.inputs[0].columns["exception"] == "Exception reason"
    assert _issues(result) == [
        (2, "redacted", "final_date", "[redacted]", False),
        (3, "redacted", "final_date", "withheld", False),
        (4, "redacted", "assess_decision_date", "*", False),
        (5, "excel-error", "assess_decision_date", "#N/A", False),
        (6, "bad-date", "final_date", "31/02/2024", False),
        (8, "duplicate-row", "case_id", "D06", True),
        (10, "duplicate-case-id", "case_id", "D07", False),
        (11, "duplicate-row", "case_id", "D01", True),
    ]
    assert result.issues[5].message == (
        "Row 8 repeats row 7 in every column read, so it is excluded (counted once)."
    )
    assert (result.rows_read, result.rows_excluded, result.duplicate_rows) == (10, 2, 2)
    assert result.rows_read - result.rows_excluded == len(cases)


def test_rows_without_a_case_reference_are_never_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "no_ref.csv"
    path.write_text(
        "Date request received,Final plan issued\n01/02/2024,01/05/2024\n01/02/2024,01/05/2024\n"
    )
    result = load([path])
    assert len(result.cases) == 2
    assert result.duplicate_rows == 0


# --- mappings that fail loudly -----------------------------------------------------------------


def test_map_naming_a_missing_header_is_an_error() -> None:
    with pytest.raises(UsageError) as err:
        load([FIX / "weeks_taken.csv"], mapping={"Nonexistent col": "final_date"})
    assert str(err.value) == (
        "--map names the header 'Nonexistent col', which is not in "
        f"{FIX / 'weeks_taken.csv'}; the headers there are: 'Case ref', 'Request received', "
        "'Weeks taken', 'Within 20 weeks?'."
    )


def test_map_missing_header_exits_two_on_the_command_line() -> None:
    path = str(FIX / "weeks_taken.csv")
    out = runner.invoke(app, ["audit", path, "--map", "Nonexistent col=final_date"])
    assert out.exit_code == 2
    assert out.stdout == ""
    assert out.stderr == (
        f"ehcp-check: error: --map names the header 'Nonexistent col', which is not in {path}; "
        "the headers there are: 'Case ref', 'Request received', 'Weeks taken', "
        "'Within 20 weeks?'.\n"
    )


def test_map_header_in_another_file_is_fine() -> None:
    result = load(
        [FIX / "weeks_taken.csv", FIX / "two_row_header.csv"], mapping={"Draft plan": "ignore"}
    )
    assert "draft_date" not in result.inputs[1].columns


def test_mapping_file_entry_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    toml = tmp_path / "map.toml"
    toml.write_text('[columns]\n"Date gone" = "final_date"\n"Weeks taken" = "ignore"\n')
    result = load([FIX / "weeks_taken.csv"], mapping_file=toml)
    assert [(i.sheet, i.row, i.code, i.value) for i in result.issues] == [
        (None, None, "mapping-unmatched", "Date gone")
    ]
    assert result.issues[0].message == (
        "The mapping file names the header 'Date gone', which no sheet of this file has, "
        "so that entry was not used."
    )
    assert result.cases["stated_days_to_final"].isna().all()


def test_save_mapping_round_trip(tmp_path: Path) -> None:
    saved = tmp_path / "found.toml"
    path = str(FIX / "withheld_duplicates.csv")
    out = runner.invoke(app, ["columns", path, "--save-mapping", str(saved)])
    assert out.exit_code == 0
    assert out.stderr == f"Wrote {saved}\n"
    text = saved.read_text(encoding="utf-8")
    assert text.endswith(
        "[columns]\n"
        '"Case ref" = "case_id"\n'
        '"Date request received" = "request_date"\n'
        '"Date of decision to assess" = "assess_decision_date"\n'
        '"Date final EHCP issued" = "final_date"\n'
        '"Exceptions apply" = "exception_flag"\n'
        '"Exception reason" = "exception"\n'
    )
    again = load([path], mapping_file=saved)
    first = load([path])
    assert again.cases.equals(first.cases)
    refused = runner.invoke(app, ["columns", path, "--save-mapping", str(saved)])
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"ehcp-check: error: {saved} already exists; use --force to overwrite it.\n"
    )


# --- a status not understood always leaves a caveat -----------------------------------------

_UNREAD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda t: t.strip() != "" and classify_status(t) is None)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(row=st.integers(min_value=0, max_value=11), text=_UNREAD)
def test_unrecognised_status_sets_the_caveat(tmp_path: Path, row: int, text: str) -> None:
    from ehcp_check.ingest.values import marker_of

    if marker_of(text) is not None:
        return  # a marker (TBC, N/A, ...) is read as such, not as a status
    import openpyxl

    wb = openpyxl.load_workbook(FIX / "foi_statuses.xlsx")
    cell = wb.active.cell(row + 2, 4)
    cell.value = text
    cell.data_type = "s"  # openpyxl would write "=0" as a formula, not as the text
    path = tmp_path / "mutated.xlsx"
    wb.save(path)
    cases = load([path]).cases
    bit = caveat_bit(Caveat.OUTCOME_NOT_UNDERSTOOD)
    assert int(cases["caveats"].tolist()[row]) & bit
    assert cases["outcome"].iat[row] is None
    assert Field.OUTCOME.value in cases.columns


# --- exact repeats agree with a row-by-row comparison --------------------------------------

_CELL = st.sampled_from(["", "A", "B", "01/02/2024", "02/02/2024", "Y", "N"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", "C1", "C2", "C3"]), _CELL, _CELL), min_size=1, max_size=25
    )
)
def test_exact_repeats_agree_with_row_by_row(
    tmp_path: Path, rows: list[tuple[str, str, str]]
) -> None:
    path = tmp_path / "rows.csv"
    body = "".join(f"{ref},01/01/2024,{a},{b}\n" for ref, a, b in rows)
    path.write_text("Case ref,Date request received,Outcome,Exception\n" + body)
    result = load([path])
    seen: set[tuple[str, str, str]] = set()
    expected = []
    for number, row in enumerate(rows, start=2):
        if row[0] and row in seen:
            expected.append(number)
        seen.add(row)
    got = [i.row for i in result.issues if i.code == "duplicate-row"]
    assert got == expected
    assert result.rows_read - result.rows_excluded == len(result.cases)
