"""Tables of totals in each layout councils send, read into the canonical long table.

Every file here is synthetic, built in the test; each expected table was worked out by hand
from the cells written (the periods' first and last days included).
"""

from __future__ import annotations

import datetime as dt
import glob
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest import load
from ehcp_check.ingest.limits import Limits
from ehcp_check.ingest.readers import FileKind, file_kind, read_text, read_workbook
from ehcp_check.ingest.source import case_file_too_big, read_source
from ehcp_check.ingest.totals import TOTALS_COLUMNS, read_totals, read_totals_mapping
from ehcp_check.ingest.totals_layout import looks_like_totals

ROOT = Path(__file__).resolve().parents[1]
D = dt.date
Row = tuple[object, ...]


def canonical(path: Path, **kwargs: object) -> list[Row]:
    """(row, la, period, kind, start, end, measure, value, suppressed, derived) per row."""
    result = read_totals([str(path)], **kwargs)  # type: ignore[arg-type]
    t = result.table
    assert list(t.columns) == list(TOTALS_COLUMNS)
    out: list[Row] = []
    for rec in t.to_dict(orient="records"):
        value = None if rec["value"] is pd.NA else rec["value"]
        row = None if rec["row"] is pd.NA else rec["row"]
        out.append(
            (
                row,
                rec["la"],
                rec["period"],
                rec["period_kind"],
                rec["start"],
                rec["end"],
                rec["measure"],
                value,
                rec["suppressed"],
                rec["derived"],
            )
        )
    return out


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- year row over quarter row


@pytest.fixture
def year_over_quarter(tmp_path: Path) -> Path:
    """A year row (merged) over a quarter row; measures down column A; a total column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "EHCP"
    ws["A1"] = "Northshire County Council - EHCP timeliness (FOI 1234)"
    ws["B3"], ws["F3"] = 2019, 2020
    ws.merge_cells("B3:C3")
    ws.merge_cells("F3:G3")
    ws.append([])
    for j, text in enumerate(["Qtr. 1", "Qtr.2", "Total", "", "Qtr. 1", "Qtr.2"], start=2):
        ws.cell(row=4, column=j, value=text or None)
    ws["A5"], ws["B5"], ws["C5"], ws["D5"], ws["F5"], ws["G5"] = (
        "Requests received",
        300,
        "1,371",
        1671,
        280,
        310,
    )
    ws["A6"], ws["B6"], ws["C6"], ws["D6"], ws["F6"], ws["G6"] = (
        "Final plans issued",
        120,
        130,
        250,
        140,
        "<5",
    )
    ws["A7"], ws["B7"], ws["C7"], ws["D7"], ws["F7"], ws["G7"] = (
        "Plans gone over the 20 week timescale",
        80,
        20,
        100,
        150,
        0,
    )
    path = tmp_path / "quarters.xlsx"
    wb.save(path)
    return path


def test_year_row_over_quarter_row(year_over_quarter: Path) -> None:
    la = "Northshire County Council"
    q1 = ("quarter", D(2019, 1, 1), D(2019, 3, 31))
    q2 = ("quarter", D(2019, 4, 1), D(2019, 6, 30))
    q1b = ("quarter", D(2020, 1, 1), D(2020, 3, 31))
    q2b = ("quarter", D(2020, 4, 1), D(2020, 6, 30))
    issued, over, within = (
        "plans_issued",
        "plans_issued_over_20_weeks",
        "plans_issued_within_20_weeks",
    )
    assert canonical(year_over_quarter) == [
        (5, la, "2019 Qtr. 1", *q1, "requests", 300, None, False),
        (5, la, "2019 Qtr.2", *q2, "requests", 1371, None, False),
        (5, la, "2020 Qtr. 1", *q1b, "requests", 280, None, False),
        (5, la, "2020 Qtr.2", *q2b, "requests", 310, None, False),
        (6, la, "2019 Qtr. 1", *q1, issued, 120, None, False),
        (6, la, "2019 Qtr.2", *q2, issued, 130, None, False),
        (6, la, "2020 Qtr. 1", *q1b, issued, 140, None, False),
        (6, la, "2020 Qtr.2", *q2b, issued, None, "<5", False),
        (7, la, "2019 Qtr. 1", *q1, over, 80, None, False),
        (7, la, "2019 Qtr.2", *q2, over, 20, None, False),
        (7, la, "2020 Qtr. 1", *q1b, over, 150, None, False),
        (7, la, "2020 Qtr.2", *q2b, over, 0, None, False),
        (None, la, "2019 Qtr. 1", *q1, within, 40, None, True),
        (None, la, "2019 Qtr.2", *q2, within, 110, None, True),
    ]


def test_year_over_quarter_lists_what_it_left_out(year_over_quarter: Path) -> None:
    result = read_totals([str(year_over_quarter)])
    by_code = {(i.code, i.column, i.row) for i in result.issues}
    assert ("total-column", "Total", None) in by_code
    impossible = [i for i in result.issues if i.code == "impossible-totals"]
    assert [(i.row, i.value) for i in impossible] == [(7, "150")]
    hidden = [i for i in result.issues if i.code == "not-derived"]
    assert [(i.row, i.column, i.value) for i in hidden] == [(6, "plans_issued", "<5")]
    assert "150 plans over 20 weeks but only 140" in impossible[0].message
    (info,) = result.inputs
    assert (info.orientation, info.axis, info.header_rows) == (
        "periods-in-columns",
        "rows 3-4",
        (3, 4),
    )


# ---------------------------------------------------------------- financial quarters in rows


@pytest.fixture
def financial_rows(tmp_path: Path) -> Path:
    """Financial year merged down column A, quarters in B, a data entry errors column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["EHC needs assessments by quarter"])
    ws.append([])
    ws.append(
        [
            "Financial year",
            "Quarter",
            "Number of requests for EHC needs assessment",
            "EHCPs issued",
            "Issued within 20 weeks",
            "Data entry errors",
        ]
    )
    ws.append(["2019-20", "Q1", 101, 50, 30, 1])
    ws.append([None, "Q2", 102, 51, "*", 0])
    ws.append([None, "Q3", 103, 52, 32, 2])
    ws.append([None, "Q4", 104, 53, "Fewer than 5", 0])
    ws.append(["2020-21", "Q1", 90, 40, 10, 0])
    ws.merge_cells("A4:A7")
    ws.append(["Grand total", None, 500, 246, 72, 3])
    path = tmp_path / "financial.xlsx"
    wb.save(path)
    return path


def test_financial_quarters_in_rows(financial_rows: Path) -> None:
    fq = [
        (D(2019, 4, 1), D(2019, 6, 30)),
        (D(2019, 7, 1), D(2019, 9, 30)),
        (D(2019, 10, 1), D(2019, 12, 31)),
        (D(2020, 1, 1), D(2020, 3, 31)),
        (D(2020, 4, 1), D(2020, 6, 30)),
    ]
    labels = ["2019-20 Q1", "2019-20 Q2", "2019-20 Q3", "2019-20 Q4", "2020-21 Q1"]
    cells = [
        (101, 50, 30, None),
        (102, 51, None, "*"),
        (103, 52, 32, None),
        (104, 53, None, "Fewer than 5"),
        (90, 40, 10, None),
    ]
    expected = []
    for i, ((start, end), label, (req, iss, within, marker)) in enumerate(
        zip(fq, labels, cells, strict=True)
    ):
        row = 4 + i
        expected += [
            (row, None, label, "quarter", start, end, "requests", req, None, False),
            (row, None, label, "quarter", start, end, "plans_issued", iss, None, False),
            (
                row,
                None,
                label,
                "quarter",
                start,
                end,
                "plans_issued_within_20_weeks",
                within,
                marker,
                False,
            ),
        ]
    assert canonical(financial_rows) == expected
    result = read_totals([str(financial_rows)])
    assert result.unknown_columns == ["Data entry errors"]
    assert not [i for i in result.issues if i.code == "not-a-count"]
    assert [(i.code, i.row) for i in result.issues if i.excluded] == [("total-row", 9)]
    (info,) = result.inputs
    assert info.measures["Data entry errors"] == "unknown"
    assert info.axis == "columns A-B"


# ---------------------------------------------------------------- years across, separators


def test_years_across_columns_with_separators(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "years.csv",
        "Measure,2019,2020,2021\n"
        'Requests received,"1,371","1,402","1,655"\n'
        'Final plans issued,980,"1,004",<7\n'
        "Issued within 20 weeks (excluding exemptions),420,c,x\n"
        "Plans issued excluding exceptions,900,950,1000\n"
        "Source: council case management system, extracted 1 March 2022\n",
    )

    def y(n: int) -> tuple[str, str, D, D]:
        return (str(n), "calendar_year", D(n, 1, 1), D(n, 12, 31))

    assert canonical(path) == [
        (2, None, *y(2019), "requests", 1371, None, False),
        (2, None, *y(2020), "requests", 1402, None, False),
        (2, None, *y(2021), "requests", 1655, None, False),
        (3, None, *y(2019), "plans_issued", 980, None, False),
        (3, None, *y(2020), "plans_issued", 1004, None, False),
        (3, None, *y(2021), "plans_issued", None, "<7", False),
        (4, None, *y(2019), "within_20_weeks_excl", 420, None, False),
        (4, None, *y(2020), "within_20_weeks_excl", None, "c", False),
        (4, None, *y(2021), "within_20_weeks_excl", None, "x", False),
        (5, None, *y(2019), "plans_issued_excl", 900, None, False),
        (5, None, *y(2020), "plans_issued_excl", 950, None, False),
        (5, None, *y(2021), "plans_issued_excl", 1000, None, False),
    ]
    issues = read_totals([str(path)]).issues
    assert [(i.code, i.row) for i in issues] == [("note-row", 6)]


# ---------------------------------------------------------------- months, year from the title


def test_months_without_years_take_the_title_year(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "months.csv",
        "Requests and plans: calendar year 2023,,,,\n"
        ",,,,\n"
        "Month,Requests received,EHCPs issued,6 week decisions,Mean days\n"
        "January,40,30,35,150.5\n"
        "Feb,41,<5,36,140\n"
        "March,42,31,n/a,see note\n"
        "Total,123,61,71,\n",
    )
    rows = canonical(path)
    jan = ("January", "month", D(2023, 1, 1), D(2023, 1, 31))
    feb = ("Feb", "month", D(2023, 2, 1), D(2023, 2, 28))
    mar = ("March", "month", D(2023, 3, 1), D(2023, 3, 31))
    assert rows == [
        (4, None, *jan, "requests", 40.0, None, False),
        (4, None, *jan, "plans_issued", 30.0, None, False),
        (4, None, *jan, "decisions_within_6_weeks", 35.0, None, False),
        (4, None, *jan, "mean_days_to_issue", 150.5, None, False),
        (5, None, *feb, "requests", 41.0, None, False),
        (5, None, *feb, "plans_issued", None, "<5", False),
        (5, None, *feb, "decisions_within_6_weeks", 36.0, None, False),
        (5, None, *feb, "mean_days_to_issue", 140.0, None, False),
        (6, None, *mar, "requests", 42.0, None, False),
        (6, None, *mar, "plans_issued", 31.0, None, False),
    ]
    result = read_totals([str(path)])
    assert str(result.table["value"].dtype) == "Float64"
    assert [(i.code, i.row, i.column, i.value) for i in result.issues] == [
        ("not-available", 6, "decisions_within_6_weeks", "n/a"),
        ("not-a-count", 6, "mean_days_to_issue", "see note"),
        ("total-row", 7, None, "Total"),
    ]


def test_month_names_with_no_year_anywhere_are_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "noyear.csv", "Month,Requests received\nJan,4\nFeb,5\n")
    result = read_totals([str(path)])
    assert len(result.table) == 0
    assert [(i.code, i.row) for i in result.issues] == [
        ("period-without-year", 2),
        ("period-without-year", 3),
    ]


# ---------------------------------------------------------------- month ranges, lists


def test_month_ranges_and_lists_in_a_financial_year(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "ranges.csv",
        "Financial year 2020-21\n"
        "Period,Requests received,Final plans issued\n"
        '"April, May, June",10,8\n'
        "Jul-Sep,11,9\n"
        "October - December,12,10\n"
        "Jan-March,13,11\n",
    )
    rows = canonical(path)
    spans = [(r[2], r[4], r[5]) for r in rows if r[6] == "requests"]
    assert spans == [
        ("April, May, June", D(2020, 4, 1), D(2020, 6, 30)),
        ("Jul-Sep", D(2020, 7, 1), D(2020, 9, 30)),
        ("October - December", D(2020, 10, 1), D(2020, 12, 31)),
        ("Jan-March", D(2021, 1, 1), D(2021, 3, 31)),
    ]
    assert [r[7] for r in rows] == [10, 8, 11, 9, 12, 10, 13, 11]


def test_year_section_rows_over_quarters(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sections.csv", "Quarter,Requests received\n2019,\nQ1,5\nQ2,6\n2020,\nQ1,7\n"
    )
    assert [(r[2], r[4], r[7]) for r in canonical(path)] == [
        ("2019 Q1", D(2019, 1, 1), 5),
        ("2019 Q2", D(2019, 4, 1), 6),
        ("2020 Q1", D(2020, 1, 1), 7),
    ]


def test_academic_years_in_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "academic.csv",
        "Academic year,Open cases,Open over 20 weeks\n"
        "2021/22 academic year,300,120\n"
        "2022/23 academic year,310,<10\n",
    )
    assert canonical(path) == [
        (
            2,
            None,
            "2021/22 academic year",
            "academic_year",
            D(2021, 9, 1),
            D(2022, 8, 31),
            "open_cases",
            300,
            None,
            False,
        ),
        (
            2,
            None,
            "2021/22 academic year",
            "academic_year",
            D(2021, 9, 1),
            D(2022, 8, 31),
            "open_over_20_weeks",
            120,
            None,
            False,
        ),
        (
            3,
            None,
            "2022/23 academic year",
            "academic_year",
            D(2022, 9, 1),
            D(2023, 8, 31),
            "open_cases",
            310,
            None,
            False,
        ),
        (
            3,
            None,
            "2022/23 academic year",
            "academic_year",
            D(2022, 9, 1),
            D(2023, 8, 31),
            "open_over_20_weeks",
            None,
            "<10",
            False,
        ),
    ]


def test_month_date_cells_and_an_la_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Local authority", "Month", "Requests received", "Plans issued"])
    ws.append(["Northshire", dt.datetime(2024, 1, 1), 20, 15])
    ws.append(["Northshire", dt.datetime(2024, 2, 1), 21, 16])
    ws.append(["Southmoor", dt.datetime(2024, 1, 1), 30, 25])
    path = tmp_path / "months.xlsx"
    wb.save(path)
    rows = canonical(path)
    assert [(r[1], r[2], r[4], r[6], r[7]) for r in rows] == [
        ("Northshire", "Jan 2024", D(2024, 1, 1), "requests", 20),
        ("Northshire", "Jan 2024", D(2024, 1, 1), "plans_issued", 15),
        ("Northshire", "Feb 2024", D(2024, 2, 1), "requests", 21),
        ("Northshire", "Feb 2024", D(2024, 2, 1), "plans_issued", 16),
        ("Southmoor", "Jan 2024", D(2024, 1, 1), "requests", 30),
        ("Southmoor", "Jan 2024", D(2024, 1, 1), "plans_issued", 25),
    ]
    assert not read_totals([str(path)]).issues


# ---------------------------------------------------------------- mapping


def test_overrides_name_a_measure_and_ignore_a_header(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "odd.csv", "Year,Late ones,Done,Data entry errors\n2022,5,50,1\n2023,6,60,0\n"
    )
    with pytest.raises(InputError) as err:
        read_totals([str(path)])
    assert str(err.value) == (
        f"{path} has periods but no header naming a measure (headers seen: 'Late ones', "
        "'Done', 'Data entry errors'); name them with --map \"HEADER=plans_issued\" (see "
        "ehcp-check totals --help)."
    )
    plain = read_totals([str(path)], overrides={"Done": "plans_issued"})
    assert plain.unknown_columns == ["Late ones", "Data entry errors"]
    mapped = read_totals(
        [str(path)],
        overrides={
            "Late ones": "plans_issued_over_20_weeks",
            "Done": "plans_issued",
            "data entry ERRORS": "ignore",
        },
    )
    assert mapped.unknown_columns == []
    t = mapped.table
    derived = t[t["derived"]]
    assert derived["value"].tolist() == [45, 54]
    assert mapped.inputs[0].measures == {
        "Late ones": "plans_issued_over_20_weeks",
        "Done": "plans_issued",
        "Data entry errors": "ignore",
    }


def test_an_override_naming_no_header_fails_loudly(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "y.csv", "Year,Requests received\n2022,5\n2023,6\n")
    with pytest.raises(UsageError, match=r"--map names 'Nope', which is not a header"):
        read_totals([str(path)], overrides={"Nope": "requests"})
    with pytest.raises(UsageError, match="unknown measure 'plans'"):
        read_totals([str(path)], overrides={"Requests received": "plans"})


def test_mapping_file(tmp_path: Path) -> None:
    toml = tmp_path / "m.toml"
    toml.write_text('sheet = "EHCP"\n[measures]\n"Late ones" = "plans_issued_over_20_weeks"\n')
    mapping = read_totals_mapping(toml)
    assert (mapping.measures, mapping.sheet) == (
        {"Late ones": "plans_issued_over_20_weeks"},
        "EHCP",
    )
    toml.write_text('[measures]\n"Late ones" = "late"\n')
    with pytest.raises(UsageError, match="unknown measure 'late'"):
        read_totals_mapping(toml)


# ---------------------------------------------------------------- detection


def _raws(path: str) -> list:  # type: ignore[type-arg]
    source = read_source(path, Limits().max_file_bytes, case_file_too_big(Limits()))
    kind = file_kind(source)
    return [read_text(source)] if kind is FileKind.TEXT else read_workbook(source, kind)


CASE_FILES = sorted(
    p
    for p in glob.glob(str(ROOT / "examples" / "*"))
    + glob.glob(str(ROOT / "tests" / "fixtures" / "ingest" / "*"))
    if p.endswith((".csv", ".tsv", ".xlsx", ".xls", ".ods"))
    and "corrupt" not in p
    and "encrypted" not in p
    and "empty" not in p
)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: Path(p).name)
def test_case_lists_are_never_taken_for_totals(path: str) -> None:
    assert not any(looks_like_totals(raw) for raw in _raws(path))


def test_every_layout_is_detected(
    tmp_path: Path, year_over_quarter: Path, financial_rows: Path
) -> None:
    years = write_csv(tmp_path / "y.csv", 'Measure,2019,2020\nRequests received,"1,371",5\n')
    for path in (year_over_quarter, financial_rows, years):
        assert all(looks_like_totals(raw) for raw in _raws(str(path))), path


def test_a_case_list_with_a_month_column_is_not_totals(tmp_path: Path) -> None:
    lines = ["Case ref,Month,Request received,Final plan issued"]
    lines += [f"C-{i:04d},Jan-24,0{1 + i % 9}/01/2024,0{1 + i % 9}/05/2024" for i in range(30)]
    path = write_csv(tmp_path / "cases.csv", "\n".join(lines) + "\n")
    assert not looks_like_totals(_raws(str(path))[0])
    assert len(load([path]).cases) == 30


def test_the_case_path_refuses_a_table_of_totals(financial_rows: Path) -> None:
    with pytest.raises(InputError) as err:
        load([financial_rows])
    assert str(err.value) == (
        f"{financial_rows} is a table of totals (counts per period), not a list of cases with "
        f"one row each; read it with: ehcp-check totals {financial_rows}"
    )


def test_a_workbook_with_cases_and_totals_audits_the_cases(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    cases = wb.active
    assert cases is not None
    cases.title = "Cases"
    cases.append(["Case ref", "Date request received", "Date final EHCP issued"])
    cases.append(["C-0001", dt.datetime(2024, 1, 8), dt.datetime(2024, 5, 1)])
    totals = wb.create_sheet("Summary")
    totals.append(["Quarter", "Requests received", "Plans issued"])
    totals.append(["Q1 2024", 1, 0])
    totals.append(["Q2 2024", 0, 1])
    path = tmp_path / "both.xlsx"
    wb.save(path)
    loaded = load([path])
    assert len(loaded.cases) == 1
    skipped = [i for i in loaded.issues if i.code == "sheet-skipped"]
    assert [i.message for i in skipped] == [
        "Sheet 'Summary' was skipped because it is a table of totals (counts per period), not "
        "one row per case: ehcp-check totals reads it."
    ]
    assert [r.sheet for r in read_totals([str(path)]).inputs if r.orientation] == ["Summary"]


def test_totals_on_a_case_list_says_so() -> None:
    path = str(ROOT / "examples" / "monthly-export.csv")
    with pytest.raises(
        InputError, match=r"has no table of totals .* read it with ehcp-check audit"
    ):
        read_totals([path])


def test_group_heading_over_sub_headings(tmp_path: Path) -> None:
    """A merged "Issued within 20 weeks" over "Including" / "Excluding exceptions"; a rate
    column listed as not understood; the council named in a title row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Freedom of Information request 2024/0456"])
    ws.append(["Southmoor Borough Council"])
    ws.append([])
    ws.append(
        [
            "Calendar year",
            "Requests for EHC needs assessment",
            "EHCPs issued",
            "Issued within 20 weeks",
            None,
            "% within 20 weeks",
        ]
    )
    ws.append([None, None, None, "Including exceptions", "Excluding exceptions", None])
    ws.merge_cells("D4:E4")
    ws.append([2019, "1,210", 1435, 460, 455, "32.1%"])
    ws.append([2020, "1,305", 1380, 512, "<5", "37.1%"])
    ws.append(["Total", 2515, 2815, 972, 455, None])
    path = tmp_path / "dfe_like.xlsx"
    wb.save(path)
    la = "Southmoor Borough Council"
    y19 = ("2019", "calendar_year", D(2019, 1, 1), D(2019, 12, 31))
    y20 = ("2020", "calendar_year", D(2020, 1, 1), D(2020, 12, 31))
    assert canonical(path) == [
        (6, la, *y19, "requests", 1210, None, False),
        (6, la, *y19, "plans_issued", 1435, None, False),
        (6, la, *y19, "plans_issued_within_20_weeks", 460, None, False),
        (6, la, *y19, "within_20_weeks_excl", 455, None, False),
        (7, la, *y20, "requests", 1305, None, False),
        (7, la, *y20, "plans_issued", 1380, None, False),
        (7, la, *y20, "plans_issued_within_20_weeks", 512, None, False),
        (7, la, *y20, "within_20_weeks_excl", None, "<5", False),
    ]
    result = read_totals([str(path)])
    assert result.unknown_columns == ["% within 20 weeks"]
    assert result.inputs[0].header_rows == (4, 5)
    assert [(i.code, i.row) for i in result.issues] == [("total-row", 8)]


# ---------------------------------------------------------------- every cell accounted for

_MARKERS = ["<5", "<7", "*", "Fewer than 5", "x", "c"]
_CELL = st.one_of(
    st.integers(0, 99_999).map(lambda n: ("count", n, f"{n:,}")),
    st.integers(0, 999).map(lambda n: ("count", n, str(n))),
    st.sampled_from(_MARKERS).map(lambda m: ("suppressed", m, m)),
    st.sampled_from(["n/a", "-", ".."]).map(lambda m: ("issue", m, m)),
    st.sampled_from(["see note", "TBC later", "12.5", "approx 40"]).map(lambda t: ("issue", t, t)),
    st.just(("blank", None, "")),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=2, max_size=8))
def test_every_cell_is_a_row_or_an_issue(
    tmp_path: Path, cells: list[list[tuple[str, object, str]]]
) -> None:
    assume(any(kind in {"count", "suppressed"} for row in cells for kind, _, _ in row))
    heads = ["Requests received", "Final plans issued", "Open cases"]
    measures = ["requests", "plans_issued", "open_cases"]
    lines = ["Period," + ",".join(heads)]
    for i, row in enumerate(cells):
        year, quarter = 2019 + i // 4, i % 4 + 1
        lines.append(f"Q{quarter} {year}," + ",".join(f'"{text}"' for _, _, text in row))
    path = tmp_path / "prop.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_totals([str(path)])
    table = result.table
    found = {
        (int(r), m): (v, s)
        for r, m, v, s in zip(
            table["row"], table["measure"], table["value"], table["suppressed"], strict=True
        )
    }
    issues = {(i.row, i.column) for i in result.issues}
    for i, row in enumerate(cells):
        for j, (kind, value, _) in enumerate(row):
            key = (i + 2, measures[j])
            if kind == "count":
                assert found[key] == (value, None)
            elif kind == "suppressed":
                got, marker = found[key]
                assert got is pd.NA
                assert marker == value
            elif kind == "issue":
                assert key not in found
                assert key in issues
            else:
                assert key not in found
                assert key not in issues


def test_months_down_years_across_one_measure_in_the_title(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "matrix.csv",
        "Number of EHCPs issued by month\n"
        "Month,2021,2022\n"
        "January,40,42\n"
        "February,38,<5\n"
        "Total,78,42\n")  # fmt: skip
    jan21 = ("2021 January", "month", D(2021, 1, 1), D(2021, 1, 31))
    feb21 = ("2021 February", "month", D(2021, 2, 1), D(2021, 2, 28))
    jan22 = ("2022 January", "month", D(2022, 1, 1), D(2022, 1, 31))
    feb22 = ("2022 February", "month", D(2022, 2, 1), D(2022, 2, 28))
    assert canonical(path) == [
        (3, None, *jan21, "plans_issued", 40, None, False),
        (3, None, *jan22, "plans_issued", 42, None, False),
        (4, None, *feb21, "plans_issued", 38, None, False),
        (4, None, *feb22, "plans_issued", None, "<5", False),
    ]
    assert all(looks_like_totals(raw) for raw in _raws(str(path)))
    unnamed = write_csv(tmp_path / "unnamed.csv", "Month,2021,2022\nJanuary,40,42\nMay,3,4\n")
    with pytest.raises(InputError, match="has periods but no header naming a measure"):
        read_totals([str(unnamed)])


def test_a_period_given_twice_is_counted_once(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "twice.csv",
        "Quarter,Requests received\nQ1 2019,5\nQ2 2019,6\nQ1 2019,7\n")  # fmt: skip
    result = read_totals([str(path)])
    assert result.table["value"].tolist() == [5, 6]
    (dup,) = result.issues
    assert (dup.code, dup.row, dup.value, dup.excluded) == ("duplicate-period", 4, "7", True)
    assert dup.message == (
        "requests for Q1 2019 is given again in cell B4 (a different value; first in B2), so "
        "the second is left out."
    )


def test_a_total_that_does_not_add_up_is_reported(tmp_path: Path) -> None:
    rows = write_csv(tmp_path / "rows.csv",
        "Quarter,Requests received,Plans issued\n"
        "Q1 2019,10,<5\nQ2 2019,20,7\nTotal,31,9\n"
        "Q3 2019,5,1\nQ4 2019,5,2\nTotal,10,3\n")  # fmt: skip
    mismatches = [i for i in read_totals([str(rows)]).issues if i.code == "total-mismatch"]
    assert [(i.row, i.column, i.value, i.message) for i in mismatches] == [
        (4, "requests", "31", "Cell B4 gives a total of 31 requests, but the 2 periods it "
         "totals add up to 30."),
    ]  # fmt: skip
    cols = write_csv(tmp_path / "cols.csv",
        ",Q1 2019,Q2 2019,Total,Q3 2019,Total\n"
        "Requests received,10,20,30,5,6\n")  # fmt: skip
    mismatches = [i for i in read_totals([str(cols)]).issues if i.code == "total-mismatch"]
    assert [(i.row, i.message) for i in mismatches] == [
        (2, "Cell F2 gives a total of 6 requests, but the period it totals is 5.")
    ]


def test_a_long_table_of_councils_and_quarters_is_totals(tmp_path: Path) -> None:
    lines = ["LA name,Quarter,Requests received,EHCPs issued"]
    for council in ("Northshire", "Southmoor", "Eastfold", "Westmere", "Lowdale"):
        lines += [f"{council},Q{q} 2023,{10 * q},{5 * q}" for q in range(1, 5)]
        lines += [f"{council},Q{q} 2024,{11 * q},{6 * q}" for q in range(1, 5)]
    path = write_csv(tmp_path / "long.csv", "\n".join(lines) + "\n")
    assert looks_like_totals(_raws(str(path))[0])
    table = read_totals([str(path)]).table
    assert len(table) == 5 * 8 * 2
    assert sorted(set(table["la"])) == [
        "Eastfold",
        "Lowdale",
        "Northshire",
        "Southmoor",
        "Westmere",
    ]
    with pytest.raises(InputError, match="is a table of totals"):
        load([path])


def test_years_down_months_across_one_measure_in_the_title(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "matrix2.csv",
        "Final plans issued per month\n"
        "Year,Jan,Feb,Total\n"
        "2022,10,<5,\n"
        "2023,20,21,42\n")  # fmt: skip
    assert canonical(path) == [
        (3, None, "2022 Jan", "month", D(2022, 1, 1), D(2022, 1, 31), "plans_issued", 10, None,
         False),
        (3, None, "2022 Feb", "month", D(2022, 2, 1), D(2022, 2, 28), "plans_issued", None, "<5",
         False),
        (4, None, "2023 Jan", "month", D(2023, 1, 1), D(2023, 1, 31), "plans_issued", 20, None,
         False),
        (4, None, "2023 Feb", "month", D(2023, 2, 1), D(2023, 2, 28), "plans_issued", 21, None,
         False),
    ]  # fmt: skip
    issues = read_totals([str(path)]).issues
    assert [(i.code, i.row, i.value) for i in issues] == [
        ("total-column", None, None), ("total-mismatch", 4, "42")]  # fmt: skip
    assert all(looks_like_totals(raw) for raw in _raws(str(path)))
