"""Property: any messy sheet loads without an exception and every row is accounted for."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp_check.ingest import load
from ehcp_check.ingest.load import _fold_is_one_to_one
from ehcp_check.ingest.sheet import CaseKeys

HEADER = ["Case ref", "Date request received", "Outcome", "Date EHCP issued"]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=25)
CELL = st.one_of(
    st.sampled_from(
        ["01/03/2024", "2024-03-01", "1st March 2024", "31/02/2024", "03/13/2024", "45352",
         "N/A", "Ongoing", "<5", "#N/A", "x", "", "  ", "Issued", "Refused", "2010-01-01"]
    ),
    TEXT,
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One generated row under the header and what it must become."""

    cells: list[str]
    kind: str
    """case | blank | total | junk"""


def _row(kind: str, cells: list[str], number: int) -> Row:
    if kind == "case":
        return Row([f"C-{number:04d}", *cells[1:]], kind)
    if kind == "blank":
        return Row(["", "", "", ""], kind)
    if kind == "total":
        return Row(["Total", "45000", "", "12"], kind)
    return Row(cells, kind)


@st.composite
def sheets(draw: st.DrawFn) -> tuple[int, list[Row]]:
    titles = draw(st.integers(min_value=0, max_value=3))
    count = draw(st.integers(min_value=0, max_value=25))
    rows = []
    for number in range(count):
        kind = draw(st.sampled_from(["case", "case", "case", "blank", "total", "junk"]))
        cells = draw(st.lists(CELL, min_size=4, max_size=4))
        rows.append(_row(kind, cells, number))
    return titles, rows


def _lines(titles: int, rows: list[Row]) -> list[list[str]]:
    top = [["FOI reply: EHC needs assessments"] if i == 0 else [] for i in range(titles)]
    return [*top, HEADER, *(r.cells for r in rows)]


def _check(path: Path, titles: int, rows: list[Row]) -> None:
    result = load([path])
    header_row = titles + 1
    blank = [not any(c.strip() for c in r.cells) for r in rows]
    last = max((i + 1 for i, b in enumerate(blank) if not b), default=0)
    (sheet_input,) = result.inputs
    assert sheet_input.header_row == header_row
    assert sheet_input.rows == last
    assert len(result.cases) == sheet_input.rows - sheet_input.excluded
    excluded = {i.row: i.code for i in result.issues if i.excluded and i.row is not None}
    assert len(excluded) == sheet_input.excluded
    kept = result.cases["row"].tolist()
    assert sorted(set(kept) | set(excluded)) == list(range(header_row + 1, header_row + 1 + last))
    assert not set(kept) & set(excluded)
    for offset, row in enumerate(rows[:last]):
        number = header_row + 1 + offset
        if row.kind == "case":
            assert number in kept
        elif row.kind == "total":
            assert excluded[number] == "total-row"
        elif blank[offset]:
            assert excluded[number] == "blank-row"
    assert all(len(i.value or "") <= 40 for i in result.issues)


FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(sheets())
def test_messy_csv_rows_are_accounted_for(sheet: tuple[int, list[Row]]) -> None:
    titles, rows = sheet
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(_lines(titles, rows))
        _check(path, titles, rows)


@FAST
@given(sheets())
def test_messy_xlsx_rows_are_accounted_for(sheet: tuple[int, list[Row]]) -> None:
    titles, rows = sheet
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, line in enumerate(_lines(titles, rows), start=1):
        for c, value in enumerate(line, start=1):
            if value:
                cell = ws.cell(row=r, column=c, value=value)
                cell.data_type = "s"  # text exactly as generated, never a formula
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "messy.xlsx"
        wb.save(path)
        _check(path, titles, rows)


REFERENCE = st.sampled_from(["C-1", " C-1", "C-1 ", "C-2", "c-1", "", "  ", "N/A", "7", "7.0"])


def _expected_duplicates(refs: list[str]) -> list[tuple[int, str]]:
    """Row by row: a reference seen on an earlier row, ignoring surrounding spaces and
    letter case (blanks and N/A are none)."""
    seen: set[str] = set()
    found = []
    for number, ref in enumerate(refs, start=2):
        text = ref.strip()
        if text in ("", "N/A"):
            continue
        if text.casefold() in seen:
            found.append((number, text))
        seen.add(text.casefold())
    return found


@FAST
@given(st.lists(REFERENCE, min_size=1, max_size=12))
def test_repeated_references_agree_with_a_row_by_row_check(refs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "refs.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Case ref", "Date request received", "Outcome"])
            # Distinct request dates: no row repeats another in every column.
            writer.writerows([ref, f"{i + 1:02d}/03/2024", "Ongoing"] for i, ref in enumerate(refs))
        result = load([path])
    got = [(i.row, i.value) for i in result.issues if i.code == "duplicate-case-id"]
    assert got == _expected_duplicates(refs)


@FAST
@given(st.lists(REFERENCE, min_size=1, max_size=8), st.lists(REFERENCE, min_size=1, max_size=8))
def test_repeated_references_across_two_files_agree_with_a_row_by_row_check(
    first: list[str], second: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / "a.csv", Path(tmp) / "b.csv"]
        for path, refs, month in ((paths[0], first, 3), (paths[1], second, 4)):
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["Case ref", "Date request received", "Outcome"])
                writer.writerows(
                    [ref, f"{i + 1:02d}/{month:02d}/2024", "Ongoing"] for i, ref in enumerate(refs)
                )
        result = load(paths)
    got = [(i.file, i.row, i.value) for i in result.issues if i.code == "duplicate-case-id"]
    expected = [
        (str(paths[0] if k < len(first) else paths[1]).rsplit("/", 1)[-1], row, text)
        for k, (row, text) in _expected_across(first, second)
    ]
    assert [(f.rsplit("/", 1)[-1], r, v) for f, r, v in got] == expected


def _expected_across(first: list[str], second: list[str]) -> list[tuple[int, tuple[int, str]]]:
    """(position in both files, (row, reference)) of each reference seen before, the first
    file's rows before the second's."""
    seen: set[str] = set()
    found = []
    for k, ref in enumerate([*first, *second]):
        row = k + 2 if k < len(first) else k - len(first) + 2
        text = ref.strip()
        if text in ("", "N/A"):
            continue
        if text.casefold() in seen:
            found.append((k, (row, text)))
        seen.add(text.casefold())
    return found


@pytest.mark.parametrize(
    ("values", "unique", "expected"),
    [
        (["C-0001", "C-0002", "12345"], True, True),  # one letter case: folding joins none
        (["c-0001", "c-0002", None], True, True),
        (["C-0001", "c-0002"], True, False),  # both cases: compared by hashing
        (["Ab-1"], True, False),
        (["STRASSE", "straße"], True, False),  # not ASCII
        (["C-0001", "C-0002"], False, False),  # trimming may have joined two values
        ([None, None], True, True),
    ],
)
def test_when_folding_cannot_join_two_references(
    values: list[str | None], unique: bool, expected: bool
) -> None:
    keys = CaseKeys(np.zeros(0, dtype=np.intp), np.array(values, dtype=object), unique)
    assert _fold_is_one_to_one(keys) is expected


@pytest.mark.parametrize(
    ("refs", "repeated"),
    [
        (["C-1", "C-2", "C-1"], [(4, "C-1")]),  # one letter case, exact repeat
        (["C-1", "c-1", "C-2"], [(3, "c-1")]),  # letter case differs
        (["C-1", "C-1 ", "C-2"], [(3, "C-1")]),  # a trailing space
        (["12", "13", "12"], [(4, "12")]),
    ],
)
def test_repeated_references_on_both_ways_of_comparing(
    refs: list[str], repeated: list[tuple[int, str]], tmp_path: Path
) -> None:
    path = tmp_path / "refs.csv"
    lines = ["Case ref,Date request received,Outcome"]
    lines += [f"{ref},{i + 1:02d}/03/2024,Ongoing" for i, ref in enumerate(refs)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = [(i.row, i.value) for i in load([path]).issues if i.code == "duplicate-case-id"]
    assert got == repeated
