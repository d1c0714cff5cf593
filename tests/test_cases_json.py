"""The column-wise JSON writer (``report/cases_json.py``) gives exactly the bytes of
``json.dumps`` of the case records, compact and indented, on any verdict table: statuses,
caveats, withheld and unreadable dates, exceptions, missing values, any text, several
files and sheets, columns of unexpected types, and any block size."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehcp_check.api import CaseFacts, case_table
from ehcp_check.audit import AuditResult, audit
from ehcp_check.engine import Settings, evaluate
from ehcp_check.model import Status
from ehcp_check.report import cases_json, value_codes
from ehcp_check.report.cases_json import case_json_chunks
from ehcp_check.report.files import json_chunks, render_json
from ehcp_check.report.records import case_records

ROOT = Path(__file__).resolve().parents[1]


def streamed(verdicts: pd.DataFrame, indent: int | None) -> str:
    return "".join(case_json_chunks(verdicts, indent=indent, level=1))


def expected(verdicts: pd.DataFrame, indent: int | None) -> str:
    """The records list as it sits one level deep in the audit document."""
    doc = json.dumps({"cases": case_records(verdicts)}, indent=indent, ensure_ascii=False)
    start = doc.index("[") if case_records(verdicts) else doc.index("[]")
    return doc[start : doc.rindex("]") + 1]


def assert_same(verdicts: pd.DataFrame) -> None:
    for indent in (None, 2):
        assert streamed(verdicts, indent) == expected(verdicts, indent), indent


def assert_document_same(result: AuditResult) -> None:
    for indent in (None, 2):
        want = json.dumps(result.to_dict(), indent=indent, ensure_ascii=False) + "\n"
        assert "".join(json_chunks(result, indent=indent)) == want, indent


# --- whole audits of generated case files --------------------------------------------------

HEADERS = [
    "Case ref",
    "LA",
    "Date request received",
    "Decision to assess",
    "Date of decision to assess",
    "Date draft EHCP sent",
    "Date final EHCP issued",
    "Date of decision not to issue",
    "School advice requested",
    "Outcome",
    "Exception reason",
]

#: Text that exercises the JSON escapes, unicode and formula-like cells.
odd_text = st.sampled_from(
    ["", "Zoë", 'say "hi"', "back\\slash", "tab\there", "new\nline", "=1+1", "-3", "日本", "\x01"]
)
junk_dates = st.sampled_from(
    ["", "[redacted]", "#REF!", "*", "31/02/2024", "Ongoing", "n/a", "01/01/2090"]
)
date_fields = [h for h in HEADERS if h.startswith(("Date", "School"))]


@st.composite
def rows(draw: st.DrawFn) -> dict[str, str]:
    """One row of a case file: dates mostly a plausible number of days after the
    request, sometimes blank, redacted, an Excel error or nonsense."""
    request = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 6, 30)))
    row = {
        "Case ref": draw(st.one_of(st.from_regex(r"C-[0-9]{1,4}", fullmatch=True), odd_text)),
        "LA": draw(st.sampled_from(["", "Barsetshire", "Wessex"])),
        "Decision to assess": draw(st.sampled_from(["", "Yes", "No", "Pending", "yes "])),
        "Outcome": draw(
            st.sampled_from(
                [
                    "",
                    "Plan issued",
                    "Ongoing",
                    "Withdrawn",
                    "Not agreed to assess",
                    "Decision not to issue",
                    "Transferred in",
                    "Mystery",
                    "Refused",
                ]
            )
        ),
        "Exception reason": draw(
            st.one_of(
                st.sampled_from(
                    [
                        "",
                        "Y",
                        "N",
                        "EP shortage",
                        "Summer holidays",
                        "Bereavement",
                        "Covid",
                        "Family holiday abroad for 6 weeks",
                        "Christmas closure",
                        "Missed appointment",
                    ]
                ),
                odd_text,
            )
        ),
    }
    for name in date_fields:
        later = st.integers(-10, 400).map(
            lambda d: (request + timedelta(days=d)).strftime("%d/%m/%Y")
        )
        row[name] = draw(later | later | junk_dates)
    row["Date request received"] = draw(
        st.just(request.strftime("%d/%m/%Y")) | st.just(request.isoformat()) | junk_dates
    )
    return row


def write_csv(path: Path, table: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, HEADERS)
        out.writeheader()
        out.writerows(table)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(rows(), min_size=1, max_size=25), min_size=1, max_size=3),
    st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 6, 30)),
)
def test_audit_documents_match_json_dumps(files: list[list[dict[str, str]]], as_of: date) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, table in enumerate(files):
            paths.append(Path(tmp) / f"cases-{i}.csv")
            write_csv(paths[-1], table)
        result = audit(paths, as_of=as_of)
        assert_document_same(result)


@pytest.mark.parametrize(
    ("path", "as_of"),
    [
        ("examples/foi-reply-2024.xlsx", "2025-03-31"),
        ("examples/monthly-export.csv", "2025-06-30"),
        ("examples/multi-year.xlsx", "2025-06-30"),
        ("tests/golden/outputs/cases-400.csv", "2025-06-30"),
    ],
)
def test_example_documents_match_json_dumps(path: str, as_of: str) -> None:
    result = audit([ROOT / path], as_of=date.fromisoformat(as_of))
    assert_document_same(result)
    assert render_json(result) == json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_every_status_is_written() -> None:
    """The fixtures between them hold every status (so the writer met each)."""
    seen: set[str] = set()
    for path, as_of in [
        ("examples/foi-reply-2024.xlsx", date(2025, 3, 31)),
        ("tests/golden/outputs/cases-400.csv", date(2025, 6, 30)),
        ("examples/monthly-export.csv", date(2025, 6, 30)),
    ]:
        result = audit([ROOT / path], as_of=as_of)
        seen |= {c["status"] for c in json.loads("".join(json_chunks(result)))["cases"]}
    assert seen == {s.value for s in Status}


def test_without_cases_the_document_is_unchanged() -> None:
    result = audit([ROOT / "examples/monthly-export.csv"], as_of=date(2025, 6, 30))
    for indent in (None, 2):
        want = json.dumps(result.to_dict(cases=False), indent=indent, ensure_ascii=False) + "\n"
        assert "".join(json_chunks(result, indent=indent, cases=False)) == want


def test_a_mark_held_by_the_data_is_not_taken_for_the_cases() -> None:
    """The writer finds where the cases go with a mark; an input that holds the mark
    itself makes it pick another."""
    result = audit([ROOT / "examples/monthly-export.csv"], as_of=date(2025, 6, 30))
    result.inputs[0] = dataclasses.replace(result.inputs[0], file="\ue000cases 0\ue000")
    assert_document_same(result)


# --- verdict tables built directly ---------------------------------------------------------

requests = st.dates(min_value=date(2014, 9, 1), max_value=date(2030, 12, 31))
case_facts = st.builds(
    lambda req, a, b, c, exc: CaseFacts(
        request_date=req,
        assess_decision_date=req + timedelta(days=a) if a is not None else None,
        final_date=req + timedelta(days=b) if b is not None else None,
        draft_date=req + timedelta(days=c) if c is not None and b is not None and c <= b else None,
        exception=exc,
    ),
    requests,
    st.none() | st.integers(0, 120),
    st.none() | st.integers(0, 500),
    st.none() | st.integers(0, 400),
    st.sampled_from([None, "Y", "EP shortage", "Covid", "Summer holidays", "Bereavement"]),
)
any_text = st.none() | st.text(max_size=12)


def verdict_table(facts: list[CaseFacts], as_of: date) -> pd.DataFrame:
    table = pd.concat([pd.DataFrame(case_table(f)) for f in facts], ignore_index=True)
    return evaluate(table, Settings(as_of=as_of))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(case_facts, any_text, any_text, any_text, any_text), min_size=1, max_size=30
    ),
    st.dates(min_value=date(2015, 1, 1), max_value=date(2034, 1, 1)),
)
def test_any_text_in_any_field(
    cases: list[tuple[CaseFacts, str | None, str | None, str | None, str | None]], as_of: date
) -> None:
    """Files, sheets, case references and exception text of any characters (lone
    surrogates, controls, quotes) and missing values."""
    v = verdict_table([c[0] for c in cases], as_of)
    for j, name in enumerate(("file", "sheet", "case_id", "la"), start=1):
        v[name] = pd.Series([c[j] for c in cases], dtype=object)
    v["row"] = np.arange(len(cases)) + 2
    assert_same(v)


@settings(max_examples=30, deadline=None)
@given(st.lists(case_facts, min_size=1, max_size=20))
def test_columns_of_python_objects(facts: list[CaseFacts]) -> None:
    """Every column as Python objects (dates as Timestamps, codes as enums): the writer
    takes the slow, exact path and still matches."""
    v = verdict_table(facts, date(2026, 1, 1))
    assert_same(v.astype(object))


def test_values_that_compare_equal_but_print_differently() -> None:
    """``True == 1 == 1.0`` and ``0.0 == -0.0``: distinct values keep their own text."""
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))] * 6, date(2025, 1, 1))
    v["case_id"] = pd.Series([1, True, "1", 1.0, None, np.nan], dtype=object)
    v["file"] = pd.Series(["a", "a", None, "b", "b", "a"], dtype=object)
    v["weeks_to_final"] = [0.0, -0.0, np.nan, 1e300, 0.1, 2.0]
    v["weeks_open"] = pd.Series([True, 1, 1.0, None, -0.0, "x"], dtype=object)
    v["row"] = [2.0, np.nan, 4.0, 5.0, 6.0, 7.0]
    v["after_as_of"] = pd.Series([True, 1, 0, None, np.nan, False], dtype=object)
    assert_same(v)


def test_missing_columns_are_written_as_case_records_writes_them() -> None:
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))] * 3, date(2025, 1, 1))
    gone = ["file", "sheet", "row", "case_id", "caveats", "final_date", "state_20w", "exception"]
    assert set(gone) <= set(v.columns)
    assert_same(v.drop(columns=gone))


def test_an_empty_table() -> None:
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))], date(2025, 1, 1)).iloc[:0]
    assert streamed(v, None) == streamed(v, 2) == "[]"


@pytest.mark.parametrize("chunk", [1, 2, 7])
def test_blocks_of_any_size(chunk: int) -> None:
    result = audit([ROOT / "examples/multi-year.xlsx"], as_of=date(2025, 6, 30))
    v = result.scoped_verdicts()
    with mock.patch.object(cases_json, "CHUNK", chunk):
        pieces = list(case_json_chunks(v, indent=2))
        assert_same(v)
    assert len(pieces) == -(-len(v) // chunk) + 2  # opening, blocks, closing


def test_far_apart_dates_and_large_numbers_take_the_hashed_codes() -> None:
    """Dates centuries apart and day counts far apart are factorised, not tabled."""
    facts = [
        CaseFacts(request_date=date(1700, 1, 1), final_date=date(1700, 9, 1)),
        CaseFacts(request_date=date(2024, 1, 1), final_date=date(2024, 3, 1)),
        CaseFacts(request_date=date(9000, 1, 1)),
    ]
    v = verdict_table(facts, date(9000, 6, 1))
    v["days_late"] = [0, 10**15, -(10**15)]
    assert_same(v)


@pytest.mark.parametrize("sample", [1, 3, 40])
def test_a_misleading_sample_of_rows_changes_nothing(sample: int) -> None:
    """Neighbouring fields share a unit when a sample of rows shows few combinations
    (then counted on every row): a sample of a few rows misjudges, the text is the same."""
    result = audit([ROOT / "tests/golden/outputs/cases-400.csv"], as_of=date(2025, 6, 30))
    with mock.patch.object(value_codes, "SAMPLE", sample):
        assert_same(result.scoped_verdicts())


def test_a_reader_that_stops_early_ends_the_run_quietly() -> None:
    """``ehcp-check audit ... --format json | head``: the document is written in pieces;
    when the reader goes, writing stops without an error and the exit code is as usual."""
    cmd = [sys.executable, "-m", "ehcp_check", "audit", "tests/golden/outputs/cases-400.csv"]
    cmd += ["--as-of", "2025-06-30", "--format", "json", "--exit-zero"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(10) == b'{"schema":'
    proc.stdout.close()  # the document is several pipe buffers long: the writer meets EPIPE
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_row_numbers_of_any_size() -> None:
    """Row numbers are written as thousands and the rest: 0, 999, 1000, 1001, 10**9."""
    rows = [0, 7, 999, 1000, 1001, 1099, 12345, 10**9 + 5]
    v = verdict_table([CaseFacts(request_date=date(2024, 1, 1))] * len(rows), date(2025, 1, 1))
    v["row"] = rows
    assert_same(v)
    v["row"] = [-1, *rows[1:]]  # not cut: formatted per number
    assert_same(v)
