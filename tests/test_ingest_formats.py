"""Legacy Excel (.xls) and OpenDocument (.ods) read the same cases as .xlsx.

``foi_multi_year.ods`` and ``foi_multi_year.xls`` are LibreOffice conversions of
``foi_multi_year.xlsx`` (made by ``make_ingest_fixtures.py``), committed because writing
these formats needs LibreOffice::

    soffice --headless --convert-to ods foi_multi_year.xlsx
    soffice --headless --convert-to xls foi_multi_year.xlsx
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ehcp_check.ingest import load

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _issues(path: Path) -> set[tuple[str, str | None, int | None, str | None, str | None]]:
    return {(i.code, i.sheet, i.row, i.column, i.value) for i in load([path]).issues}


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_same_cases_as_xlsx(suffix: str) -> None:
    reference = load([FIXTURES / "foi_multi_year.xlsx"])
    other = load([FIXTURES / f"foi_multi_year{suffix}"])
    masks = ["withheld", "caveats"]
    columns = [c for c in reference.cases.columns if c not in ("file", *masks)]
    assert other.cases[columns].equals(reference.cases[columns])
    # calamine reads the #N/A cell of .xls and .ods as empty: only .xlsx knows it is withheld.
    differ = (other.cases[masks] != reference.cases[masks]).any(axis=1)
    assert reference.cases.loc[differ, ["sheet", "row"]].values.tolist() == [["2024", 8]]
    assert [(i.sheet, i.header_row, i.rows, i.excluded) for i in other.inputs] == [
        (i.sheet, i.header_row, i.rows, i.excluded) for i in reference.inputs
    ]
    assert (other.rows_read, other.rows_excluded) == (13, 3)


@pytest.mark.parametrize("suffix", [".ods", ".xls"])
def test_same_issues_as_xlsx_but_excel_errors(suffix: str) -> None:
    # calamine reads an error cell (#N/A) of .xls and .ods as empty; only .xlsx keeps it.
    reference = _issues(FIXTURES / "foi_multi_year.xlsx")
    other = _issues(FIXTURES / f"foi_multi_year{suffix}")
    assert reference - other == {("excel-error", "2024", 8, "assess_decision_date", "#N/A")}
    assert other - reference == set()


def test_short_csv_rows_read_as_blank_cells(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text(
        "Case ref,Date request received,Date final EHCP issued,Exception\n"
        "C-1,01/02/2024\n"
        "C-2,05/02/2024,20/06/2024,Y\n"
    )
    result = load([path])
    cases = result.cases
    assert cases["case_id"].tolist() == ["C-1", "C-2"]
    assert cases["final_date"].isna().tolist() == [True, False]
    assert cases["exception"].tolist() == [None, "Y"]
    assert result.issues == []


def test_two_letter_prefix_codes_match_lower_casing() -> None:
    import numpy as np

    from ehcp_check.ingest.distinct import two_letter_codes as _two_letter_codes

    texts = ["Total", "TOTAL", "grand Total", "Notes:", "N.B.", "C-0001", "T", "", "Über", "ÜB"]
    got = _two_letter_codes(np.array(texts, dtype=np.dtypes.StringDType()))
    want = _two_letter_codes(np.array([t[:2].lower() if t[:2].isascii() else t[:2] for t in texts]))
    assert got.tolist() == want.tolist()
    assert len(set(got.tolist())) == len(texts) - 2  # "Total"/"TOTAL" and "Über"/"ÜB" share
