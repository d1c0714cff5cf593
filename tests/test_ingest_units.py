"""Unit tests of ingest's pieces: header mapping, dates, values, row classification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest import DateOrder, parse_mapping_option
from ehcp_check.ingest.columns import (
    MatchKind,
    header_field,
    map_columns,
    normalise_header,
    read_mapping_file,
)
from ehcp_check.ingest.dates import parse_dates
from ehcp_check.ingest.readers import decodes, detect_encoding, sniff_delimiter
from ehcp_check.ingest.rows import classify_rows
from ehcp_check.ingest.status import CellStatus
from ehcp_check.ingest.values import decision_of, outcome_of
from ehcp_check.model import Decision, Field, Outcome

#: Every typical header the data contract lists, with its field.
CONTRACT_HEADERS: dict[str, tuple[str, ...]] = {
    "case_id": ("Case ref", "Reference", "Ref", "ID", "Child ID", "Case number", "UPN"),
    "la": ("Local authority", "LA", "Council", "LEA", "LA name"),
    "request_date": (
        "Date request received", "Request received", "Date of request", "Request date",
        "EHCNA request date", "Date referral received", "Date Request Was Received",
        "ReceivedDate",
    ),
    "assess_decision_date": (
        "Decision to assess date", "Date of decision to assess", "Request outcome date",
        "RequestOutcomeDate", "6 week decision date",
    ),
    "assess_decision": ("Decision to assess", "Agreed to assess", "Request outcome",
                        "RequestOutcome"),
    "issue_decision_date": ("Decision to issue date", "Date of decision not to issue",
                            "16 week decision date", "AssessmentOutcomeDate"),
    "issue_decision": ("Decision to issue", "Assessment outcome", "AssessmentOutcome"),
    "draft_date": ("Draft plan issued", "Date draft EHCP sent", "Draft issued"),
    "final_date": ("Date final EHCP issued", "Final plan issued", "Date EHCP issued",
                   "Date plan finalised", "Final EHCP date", "Issue date"),
    "outcome": ("Outcome", "Status", "Case status", "Current stage"),
    "exception": ("Exception", "Exceptions apply", "20 week exception", "Week20",
                  "Twenty week time limit exceptions apply", "Exception reason"),
    "school_advice_date": ("School advice requested", "Educational advice requested"),
    "delay_reason": ("Reason for delay", "Delay reason", "Comments on delay"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"),
    [(h, f) for f, headers in CONTRACT_HEADERS.items() for h in headers],
)
def test_every_contract_header_is_an_exact_synonym(header: str, field: str) -> None:
    match = map_columns([header], {})[0]
    assert (match.field, match.kind) == (Field(field), MatchKind.EXACT)
    assert header_field(f"  {header} ?! ", {}) == field
    if " " in header:
        assert header_field(header.upper(), {}) == field


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Date Request Was Received", "date request was received"),
        ("DateRequestWasReceived", "date request was received"),
        ("date-request  was_received!", "date request was received"),
        ("Week20", "week 20"),
        ("Child's ref", "childs ref"),
        ("Health & care", "health and care"),
    ],
)
def test_normalise_header(text: str, normal: str) -> None:
    assert normalise_header(text) == normal


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Date of request (EHCNA)", "request_date"),
        ("Referral received date - SEN team", "request_date"),
        ("Date draft plan sent to parents", "draft_date"),
        ("Date final plan sent", "final_date"),
        ("Date of 6 week decision", "assess_decision_date"),
        ("Decision to assess (Y/N)", "assess_decision"),
        ("Date of decision whether to issue plan", "issue_decision_date"),
        ("Exception? (20 wk)", "exception"),
        ("Reasons for delays", "delay_reason"),
        ("Child's ref", "case_id"),
        ("Colour", None),
    ],
)
def test_token_rules(header: str, field: str | None) -> None:
    match = map_columns([header], {})[0]
    assert match.field == (None if field is None else Field(field))
    assert match.kind is (MatchKind.UNMAPPED if field is None else MatchKind.TOKEN)


def test_exact_beats_token_and_second_candidate_is_ambiguous() -> None:
    matches = map_columns(
        ["Date request received by team", "Date request received", "Request date"], {}
    )
    assert [(m.field, m.kind, m.rival) for m in matches] == [
        (None, MatchKind.AMBIGUOUS, Field.REQUEST_DATE),
        (Field.REQUEST_DATE, MatchKind.EXACT, None),
        (None, MatchKind.AMBIGUOUS, Field.REQUEST_DATE),
    ]


def test_override_beats_synonyms() -> None:
    overrides = {normalise_header("Date rec'd"): "request_date", "request date": "ignore"}
    matches = map_columns(["Request date", "Date rec'd"], overrides)
    assert [(m.field, m.kind) for m in matches] == [
        (None, MatchKind.IGNORED),
        (Field.REQUEST_DATE, MatchKind.OVERRIDE),
    ]


def test_parse_mapping_option() -> None:
    assert parse_mapping_option("Date rec'd=request_date") == ("Date rec'd", "request_date")
    assert parse_mapping_option("a=b = Final_Date ") == ("a=b", "final_date")
    with pytest.raises(UsageError, match="unknown field 'received'"):
        parse_mapping_option("Date rec'd=received")
    with pytest.raises(UsageError):
        parse_mapping_option("no equals sign")


def test_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        'sheet = "2024"\ndate_order = "mdy"\n[columns]\n"Date rec\'d" = "request_date"\n'
    )
    found = read_mapping_file(path)
    assert (found.columns, found.date_order, found.sheet) == (
        {"Date rec'd": "request_date"}, DateOrder.MDY, "2024",
    )  # fmt: skip
    path.write_text("[columns\n")
    with pytest.raises(InputError, match="is not valid TOML"):
        read_mapping_file(path)
    path.write_text('[columns]\n"X" = "nonsense"\n')
    with pytest.raises(UsageError, match="unknown field 'nonsense'"):
        read_mapping_file(path)


def _iso(values: np.ndarray) -> list[str | None]:
    return [None if np.isnat(v) else str(v)[:10] for v in values]


def test_parse_dates_formats_and_markers() -> None:
    cells: list[object] = [
        "01/03/2024", "1/3/24", "01-Mar-24", "1 March 2024", "1st March 2024", " 2024-03-01 ",
        "2024-03-01 10:30:00", "01.03.2024 09:15", "Friday 1 March 2024", 45352.0, "45352",
        dt.datetime(2024, 3, 1, 10, 0), dt.date(2024, 3, 1), "20240301",
        "31/02/2024", "Ongoing", "TBC", "N/A", "-", "<5", "[redacted]", "#VALUE!", "junk",
        None, "", "2013-12-31", True,
    ]  # fmt: skip
    parsed = parse_dates(pd.Series(cells, dtype=object))
    assert _iso(parsed.dates) == ["2024-03-01"] * 14 + [None] * 13
    s = CellStatus
    assert parsed.status.tolist() == [s.OK] * 14 + [
        s.BAD, s.OPEN, s.OPEN, s.NOT_APPLICABLE, s.NOT_APPLICABLE, s.REDACTED, s.REDACTED,
        s.EXCEL_ERROR, s.BAD, s.BLANK, s.BLANK, s.OUT_OF_RANGE, s.BAD,
    ]  # fmt: skip
    assert parsed.order is DateOrder.DMY


def test_parse_dates_latest_bound_and_1904() -> None:
    parsed = parse_dates(pd.Series(["2025-01-01", "2025-01-02"]), latest=dt.date(2025, 1, 1))
    assert parsed.status.tolist() == [CellStatus.OK, CellStatus.OUT_OF_RANGE]
    assert _iso(parse_dates(pd.Series([43890.0], dtype=object), date1904=True).dates) == [
        "2024-03-01"
    ]


@pytest.mark.parametrize(
    ("cells", "given", "order", "expected", "dmy", "mdy"),
    [
        (["03/04/2024", "05/06/2024"], None, DateOrder.DMY, ["2024-04-03", "2024-06-05"], 0, 0),
        (["03/13/2024", "03/04/2024"], None, DateOrder.MDY, ["2024-03-13", "2024-03-04"], 0, 1),
        (["13/03/2024", "03/14/2024"], None, DateOrder.DMY, ["2024-03-13", None], 1, 1),
        (["03/13/2024", "03/04/2024"], DateOrder.DMY, DateOrder.DMY, [None, "2024-04-03"], 0, 1),
        (
            ["24/03/04", "2024/03/05"],
            DateOrder.YMD,
            DateOrder.YMD,
            ["2024-03-04", "2024-03-05"],
            1,
            0,
        ),
    ],
)
def test_date_order_is_decided_per_column(
    cells: list[str], given: DateOrder | None, order: DateOrder, expected: list[str | None],
    dmy: int, mdy: int,
) -> None:  # fmt: skip
    parsed = parse_dates(pd.Series(cells), order=given)
    assert (parsed.order, parsed.dmy_evidence, parsed.mdy_evidence) == (order, dmy, mdy)
    assert _iso(parsed.dates) == expected


def test_each_distinct_value_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import ehcp_check.ingest.dates as dates

    calls: list[str] = []
    real = dates._dateutil

    def spy(text: str, order: DateOrder) -> np.datetime64 | None:
        calls.append(text)
        return real(text, order)

    monkeypatch.setattr(dates, "_dateutil", spy)
    parsed = dates.parse_dates(pd.Series(["March 1st, 2024 at noon"] * 1000 + ["1/3/2024"] * 1000))
    assert calls == ["March 1st, 2024 at noon"]
    assert int(np.isnat(parsed.dates).sum()) == 1000


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        ("Y", Decision.YES), ("Yes", Decision.YES), ("y", Decision.YES), ("TRUE", Decision.YES),
        ("1", Decision.YES), (1, Decision.YES), (True, Decision.YES), ("Agreed", Decision.YES),
        ("Agreed to assess", Decision.YES), ("N", Decision.NO), ("No", Decision.NO),
        ("FALSE", Decision.NO), ("0", Decision.NO), ("Not agreed", Decision.NO),
        ("Declined", Decision.NO), ("Refused", Decision.NO), ("A", Decision.PENDING),
        ("Pending", Decision.PENDING), ("W", None), ("maybe", None), (None, None),
    ],
)  # fmt: skip
def test_decisions(value: object, decision: Decision | None) -> None:
    assert decision_of(value) is decision


@pytest.mark.parametrize(
    ("value", "outcome"),
    [
        ("issued", Outcome.PLAN_ISSUED), ("Plan issued", Outcome.PLAN_ISSUED),
        ("Finalised", Outcome.PLAN_ISSUED), ("refused", Outcome.REFUSED),
        ("Not agreed to assess", Outcome.REFUSED), ("not issued", Outcome.NO_PLAN),
        ("No plan", Outcome.NO_PLAN), ("Decision not to issue", Outcome.NO_PLAN),
        ("Withdrawn", Outcome.WITHDRAWN), ("Ceased", Outcome.WITHDRAWN),
        ("Moved out of area", Outcome.WITHDRAWN), ("Transferred in", Outcome.TRANSFERRED_IN),
        ("Historic", Outcome.TRANSFERRED_IN), ("Ongoing", Outcome.OPEN), ("Open", Outcome.OPEN),
        ("In progress", Outcome.OPEN), ("Awaiting decision", Outcome.OPEN),
        ("Y", Outcome.PLAN_ISSUED), ("N", Outcome.NO_PLAN), ("A", Outcome.OPEN),
        ("W", Outcome.WITHDRAWN), ("H", Outcome.TRANSFERRED_IN), ("Lost", None),
    ],
)  # fmt: skip
def test_outcomes(value: str, outcome: Outcome | None) -> None:
    assert outcome_of(value) is outcome


def test_classify_rows() -> None:
    body = pd.DataFrame(
        [
            ["C-1", "01/01/2024"],
            ["", "  "],
            ["Grand total", "45000"],
            ["Average", "12"],
            ["C-2", "Note: not a note row, a case"],
            ["Figures exclude cases transferred in from other councils", ""],
            ["Notes:", ""],
            ["", ""],
            ["", ""],
        ],
        dtype=object,
    )
    kinds, columns = classify_rows(body)
    assert [len(c) for c in columns] == [7, 7]
    assert kinds.rows == 7
    assert kinds.kept.tolist() == [True, False, False, False, True, False, False]
    assert kinds.reason.tolist() == [0, 1, 2, 2, 0, 3, 3]


def test_encoding_and_delimiter_detection() -> None:
    assert detect_encoding("a,b\n".encode("utf-8-sig")) == "utf-8-sig"
    assert detect_encoding("a,b\n".encode("utf-16")) == "utf-16"
    assert detect_encoding("caf\u00e9,\u00a3\n".encode()) == "utf-8"
    assert detect_encoding("caf\u00e9,\u00a3\n".encode("cp1252")) == "cp1252"
    assert detect_encoding(b"\x81\x8d\xe9") == "latin-1"
    assert sniff_delimiter("a;b;c\n1;2;3\n", ".csv") == ";"
    assert sniff_delimiter("a\tb\n1\t2\n", ".txt") == "\t"
    assert sniff_delimiter("Title only\na,b,c\n1,2,3\n", ".csv") == ","


def _whole(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 7, 1 << 20])
def test_encoding_test_joins_a_character_split_across_chunks(chunk: int) -> None:
    text = "a" * 5 + "\u00a3\u20ac\U0001f600é" * 3 + "b" * 6
    data = text.encode("utf-8")
    assert decodes(data, "utf-8", chunk=chunk)
    for cut in range(1, len(data)):
        head = data[:cut]
        assert decodes(head, "utf-8", chunk=chunk) is _whole(head, "utf-8"), cut
    # an open sequence followed by ASCII is invalid wherever the chunk boundary falls
    for start in range(8):
        broken = b"x" * start + b"\xe2\x82" + b"yyyyyyyy"
        assert not decodes(broken, "utf-8", chunk=chunk)
    # ... even when a whole chunk of ASCII separates it from bytes that would close it
    gap = b"a" * (chunk - 1) + b"\xe2" + b"y" * chunk + b"\x82\xac"
    assert not decodes(gap, "utf-8", chunk=chunk)


def test_an_invalid_byte_anywhere_is_found() -> None:
    base = bytearray(b"ab,cd\n" * 400 + "caf\u00e9\n".encode())
    for at in range(0, len(base), 37):
        for bad in (b"\xff", b"\xc3", b"\x80", b"\xed\xa0\x80"):
            data = bytes(base[:at] + bad + base[at:])
            assert decodes(data, "utf-8", chunk=64) is _whole(data, "utf-8")
            assert decodes(data, "cp1252", chunk=64) is _whole(data, "cp1252")
            assert detect_encoding(data) == ("cp1252" if _whole(data, "cp1252") else "latin-1")


@given(
    st.lists(
        st.one_of(
            st.binary(max_size=6),
            st.text(max_size=4).map(str.encode),
            st.sampled_from([b"\x81", b"\x8d", b"\xe9", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0"]),
        ),
        max_size=20,
    ).map(b"".join),
    st.integers(1, 9),
)
def test_encoding_test_decides_as_a_whole_decode(data: bytes, chunk: int) -> None:
    for encoding in ("utf-8", "cp1252"):
        assert decodes(data, encoding, chunk=chunk) is _whole(data, encoding)
