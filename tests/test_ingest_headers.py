"""Header reading for what councils mean: joined export names, roles, multi-line headings."""

from __future__ import annotations

import pandas as pd
import pytest

from ehcp_check.ingest.columns import MatchKind, Role, header_field, map_columns, normalise_header
from ehcp_check.ingest.headers import find_header, header_text
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.model import Field

# fmt: off
JOINED: list[tuple[str, str]] = [
    ("receiveddate", "received date"),
    ("requestoutcomedate", "request outcome date"),
    ("assessmentoutcomedate", "assessment outcome date"),
    ("assessmentoutcome", "assessment outcome"),
    ("requestsrecordid", "requests record id"),
    ("personid", "person id"),
    ("week20", "week 20"),
    ("Week20", "week 20"),
    ("upn", "upn"),
    ("reference", "reference"),
    ("finalised", "finalised"),
    ("xyzzyplugh", "xyzzyplugh"),
]
# fmt: on


@pytest.mark.parametrize(("text", "normal"), JOINED)
def test_joined_names_are_split_into_known_words(text: str, normal: str) -> None:
    assert normalise_header(text) == normal


# fmt: off
TARGETS: list[tuple[str, str | None]] = [
    ("receiveddate", "request_date"),
    ("assessmentoutcomedate", "issue_decision_date"),
    ("Assessment Outcome To Issue EHCP", "issue_decision"),
    ("Requests Record ID", "case_id"),
    ("EHC Plan Start Date", "plan_start_date"),
    ("NamedPlan StartDate", "plan_start_date"),
    ("StartDate", "plan_start_date"),
    ("RequestMediation", "mediation_tribunal"),
    ("AssessmentTribunal", "mediation_tribunal"),
    ("Within 20 weeks?", "stated_within_20w"),
    ("EHCP issued within 20 weeks (Y/N)", "stated_within_20w"),
    ("20 week timescale met", "stated_within_20w"),
    ("Weeks taken", "weeks_taken"),
    ("Number of weeks to issue", "weeks_taken"),
    ("Days taken", "days_taken"),
    ("Days late", "delay_reason"),
    ("Draft plan", "draft_date"),
    ("Draft EHCP", "draft_date"),
    ("Draft EHC plan sent", "draft_date"),
    ("20 week exception", "exception"),
    ("Date EHCP issued", "final_date"),
    ("Final plan", "final_date"),
    ("Final EHCP", "final_date"),
    ("Final EHC plan", "final_date"),
    ("Final plan status", "outcome"),
    ("Final plan within 20 weeks", "stated_within_20w"),
]
# fmt: on


@pytest.mark.parametrize(("header", "target"), TARGETS)
def test_header_targets(header: str, target: str | None) -> None:
    assert header_field(header) == target


def test_request_record_id_beats_person_id_whatever_the_order() -> None:
    for headers in (["Person ID", "Requests Record ID"], ["Requests Record ID", "Person ID"]):
        matches = {m.header: m for m in map_columns([*headers, "ReceivedDate"], {})}
        assert matches["Requests Record ID"].field is Field.CASE_ID
        assert matches["Person ID"].kind is MatchKind.AMBIGUOUS


def test_several_mediation_columns_all_read() -> None:
    matches = map_columns(["RequestMediation", "RequestTribunal", "ReceivedDate"], {})
    assert [m.role for m in matches[:2]] == [Role.MEDIATION_TRIBUNAL] * 2


def test_a_second_stated_column_is_not_used() -> None:
    matches = map_columns(["Within 20 weeks", "Within twenty weeks", "ReceivedDate"], {})
    assert [(m.role, m.kind) for m in matches[:2]] == [
        (Role.STATED_WITHIN_20W, MatchKind.EXACT),
        (None, MatchKind.UNMAPPED),
    ]


def test_override_may_name_a_role() -> None:
    matches = map_columns(["Time", "ReceivedDate"], {"time": "weeks_taken"})
    assert (matches[0].role, matches[0].kind) == (Role.WEEKS_TAKEN, MatchKind.OVERRIDE)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("Date request received\nThe date the request was received (DD/MM/YYYY)",
         "Date request received"),
        ("Decision to\nassess date", "Decision to assess date"),
        ("  Final plan   issued ", "Final plan issued"),
        ("Notes\nabout this", "Notes"),
        ("", ""),
    ],
)  # fmt: skip
def test_multi_line_heading(cell: str, text: str) -> None:
    assert header_text(cell) == text


def _raw(rows: list[list[object]], merged: tuple[tuple[int, int, int, int], ...] = ()) -> RawSheet:
    return RawSheet("t.xlsx", "S", pd.DataFrame(rows, dtype=object), 1, 0, False, merged)


def test_a_long_explanation_under_a_heading_still_qualifies_the_header_row() -> None:
    long = "Date request received\n" + "explained at length " * 8
    raw = _raw([[long, "Case ref"], ["01/02/2024", "A"]])
    header = find_header(raw, {})
    assert header is not None
    assert header.headers == ["Date request received", "Case ref"]


def test_merged_group_row_joined_onto_date_headers() -> None:
    raw = _raw(
        [
            [None, "Dates", None, None],
            ["Case ref", "Request received", "Decision to assess", "Final"],
        ],
        merged=((0, 1, 0, 3),),
    )
    header = find_header(raw, {})
    assert header is not None
    assert header.headers == [
        "Case ref", "Request received", "Dates / Decision to assess", "Dates / Final",
    ]  # fmt: skip


def test_group_row_not_about_dates_does_not_change_a_named_column() -> None:
    raw = _raw(
        [
            [None, "Stage one", None],
            ["Case ref", "Request received", "Decision to assess"],
        ],
        merged=((0, 1, 0, 2),),
    )
    header = find_header(raw, {})
    assert header is not None
    assert header.headers == ["Case ref", "Request received", "Decision to assess"]


def test_full_row_above_is_not_a_group_row() -> None:
    raw = _raw(
        [
            ["Dates", "Dates", "Dates"],
            ["Case ref", "Request received", "Decision to assess"],
        ]
    )
    header = find_header(raw, {})
    assert header is not None
    assert header.headers == ["Case ref", "Request received", "Decision to assess"]
