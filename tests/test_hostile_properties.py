"""Properties over hostile cell contents and random bytes: no crash, no lost row.

Random cells (text with control characters, numbers, dates, formula-like and markup text,
very long strings) in random layouts (title rows, blank rows, the header at a random row,
columns in a random order) go through ``load`` and ``audit_table`` as CSV and xlsx: every
row under the header is either a judged case or excluded with exactly one excluded issue
naming its row. Random bytes under every extension either load or raise InputError.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ehcp_check.audit import audit_table
from ehcp_check.engine import Settings
from ehcp_check.errors import EhcpCheckError, InputError
from ehcp_check.ingest import load
from ehcp_check.model import LoadResult, Status

SETTINGS = Settings(as_of=dt.date(2025, 6, 30))
HEADER = ["Case ref", "Date request received", "Outcome", "Date EHCP issued", "Notes"]
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
CELL = st.one_of(
    TEXT,
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x.invalid\")", "@SUM(A1)", "+44 1234", "-3",
                     "[red]x[/red]", "<b>x</b>", "\x1b[31m", "#N/A", "Total", "01/03/2024",
                     "2024-13-45", "31/02/2024", "Issued", ""]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "é", "1", " "]),
              st.integers(min_value=200, max_value=5000)),
)  # fmt: skip


@st.composite
def layouts(draw: st.DrawFn) -> list[list[object]]:
    """Title rows, blank rows, then the header (columns shuffled), then messy rows."""
    order = draw(st.permutations(range(len(HEADER))))
    top: list[list[object]] = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        top.append(draw(st.sampled_from([[], ["EHC requests (FOI reply)"], ["", "", "as at"]])))
    body = [
        [draw(CELL) for _ in HEADER] for _ in range(draw(st.integers(min_value=0, max_value=20)))
    ]
    return [*top, [HEADER[i] for i in order], *([row[i] for i in order] for row in body)]


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _assert_every_row_accounted_for(loaded: LoadResult) -> None:
    result = audit_table(loaded, SETTINGS)
    judged = result.verdicts[result.verdicts["status"] != Status.INVALID]
    assert loaded.rows_read == len(judged) + result.summary["rows_excluded"]
    for sheet_input in loaded.inputs:
        expected = set(
            range(sheet_input.header_row + 1, sheet_input.header_row + 1 + sheet_input.rows)
        )
        mine = judged[judged["file"] == sheet_input.file]
        kept = mine["row"].tolist()
        excluded = [
            i.row for i in result.issues
            if i.excluded and i.file == sheet_input.file and i.sheet == sheet_input.sheet
        ]  # fmt: skip
        assert None not in excluded
        counts = collections.Counter([*kept, *excluded])
        assert set(counts) == expected
        assert set(counts.values()) <= {1}


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(layouts())
def test_hostile_cells_in_csv_lose_no_row(lines: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([[_text(v) for v in line] for line in lines])
        _assert_every_row_accounted_for(load([path]))


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    return value


@FAST
@given(layouts())
def test_hostile_cells_in_xlsx_lose_no_row(lines: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            cell = ws.cell(row=r, column=c, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text exactly as generated, never a formula
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.xlsx"
        wb.save(path)
        _assert_every_row_accounted_for(load([path]))


MAGIC = st.sampled_from(
    [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
     b'<?xml version="1.0"?>', b"Case ref,Request date\n"]
)  # fmt: skip
EXTENSIONS = st.sampled_from([".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt", ".xml", ""])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MAGIC, st.binary(max_size=2048), EXTENSIONS)
def test_random_bytes_load_or_raise_input_error(magic: bytes, data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random{ext}"
        path.write_bytes(magic + data)
        failure: EhcpCheckError | None = None
        try:
            loaded = load([path])
        except EhcpCheckError as err:
            failure = err
        if failure is None:
            _assert_every_row_accounted_for(loaded)
            return
        assert type(failure) is InputError
        assert str(failure).startswith((str(path), "sheet "))
        assert "\n" not in str(failure)
