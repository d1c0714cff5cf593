"""Status text read by its words: one row per phrasing councils write, with its outcome."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.ingest.outcome_words import (
    _COMPILED,
    OUTCOME_CODES,
    OUTCOME_PHRASES,
    classify_status,
    normalise_status,
    split_status,
)
from ehcp_check.model import Field, Outcome

P = Outcome.PLAN_ISSUED
R = Outcome.REFUSED
N = Outcome.NO_PLAN
W = Outcome.WITHDRAWN
T = Outcome.TRANSFERRED_IN
OP = Outcome.OPEN

# fmt: off
PHRASINGS: list[tuple[str, Outcome | None]] = [
    # plan issued
    ("Plan issued", P), ("EHCP issued", P), ("Final plan issued", P), ("Final EHCP issued", P),
    ("Issued", P), ("issued.", P), ("ISSUED - ON TIME", P), ("Final issued", P), ("Finalised", P),
    ("Plan finalised", P), ("EHCP finalized", P), ("Completed", P), ("Complete", P),
    ("EHC plan issued", P), ("Plan agreed", P), ("Issued late", P), ("EHCP issued (late)", P),
    ("Issued after tribunal", P), ("Assessment completed - plan issued", P), ("Final", P),
    ("Final EHC plan", P), ("Plan in place", P), ("EHCP in place", P), ("Y", P),
    ("Issued - outside 20 weeks", P), ("Plan issued, not within 20 weeks", P),
    ("Issued within timescale", P), ("Plan maintained", P), ("EHCNA agreed", OP),
    # refused to assess
    ("Refused", R), ("Refused to assess", R), ("Not agreed to assess", R), ("Declined", R),
    ("Request refused", R), ("Request declined", R), ("NTA", R), ("Not assessed", R),
    ("Decision not to assess", R), ("Assessment refused", R), ("Not agreed", R),
    ("not agreed.", R), ("Declined to assess", R), ("Refusal to assess", R),
    ("Not to assess", R), ("Rejected", R), ("Request rejected", R),
    ("Refused - not agreed to assess", R), ("EHCNA declined", R), ("No to assess", R),
    ("Not proceeding to assessment", R), ("Refusal", R),
    # assessed, no plan
    ("Not issued", N), ("No plan", N), ("Decision not to issue", N), ("Not to issue", N),
    ("No EHCP", N), ("Plan not issued", N), ("EHCP not issued", N), ("Assessed no plan", N),
    ("Assessed - no plan", N), ("NTI", N), ("Refused to issue", N), ("No plan issued", N),
    ("N", N), ("Not issuing plan", N), ("Not issuing", N), ("Not agreed to issue", N),
    ("No EHC plan required", N), ("SEN support", N), ("Plan refused", N),
    ("Assessment complete - no plan", N), ("Declined to issue", N), ("No plan needed", N),
    # withdrawn, ceased, moved away
    ("Withdrawn", W), ("Withdrawn by parent", W), ("Request withdrawn", W), ("Ceased", W),
    ("Ceased - moved out of area", W), ("Moved out of area", W), ("Moved out of LA", W),
    ("Moved away", W), ("Left area", W), ("Left the authority", W), ("Closed - withdrawn", W),
    ("Moved LA", W), ("W", W), ("Parent withdrew request", W), ("Withdrawal", W),
    ("Transferred out to another LA", W), ("No longer required", W), ("Emigrated", W),
    ("Request cancelled", W), ("Moved to another authority", W), ("Out of area", W),
    ("Withdrawn - plan not issued", W), ("Cease to maintain", W),
    # transferred in
    ("Transferred in", T), ("Transfer in", T), ("Historic", T), ("Transferred", T),
    ("Transfer", T), ("Ported in", T), ("H", T), ("Transferred in from another LA", T),
    ("Moved in from another authority", T), ("Plan transferred from previous LA", T),
    ("Moved into the area with a plan", T), ("Inherited from another council", T),
    # open
    ("Ongoing", OP), ("Open", OP), ("In progress", OP), ("Awaiting decision", OP), ("Pending", OP),
    ("Assessment ongoing", OP), ("In assessment", OP), ("Awaiting", OP), ("Draft issued", OP),
    ("Assessment", OP), ("Assessment in progress", OP), ("Awaiting assessment", OP),
    ("Draft", OP), ("Draft plan", OP), ("Draft plan issued", OP), ("Draft sent", OP),
    ("Draft stage", OP), ("Consultation", OP), ("In consultation", OP), ("Awaiting final", OP),
    ("Drafting", OP), ("Request received", OP), ("New request", OP), ("Received", OP),
    ("Being assessed", OP), ("Assessing", OP), ("TBC", OP), ("A", OP),
    ("Awaiting final plan", OP), ("Not yet issued", OP), ("Plan yet to be issued", OP),
    ("Agreed to assess", OP), ("Assessment agreed - awaiting draft", OP), ("On hold", OP),
    ("With panel", OP), ("Live", OP), ("Under assessment", OP), ("School consultation", OP),
    ("Still to be finalised", OP),
    # not understood
    ("See notes - complicated", None), ("Closed", None), ("Other", None), ("blah", None),
    ("?", None), ("Unknown", None), ("Case 123", None),
]
# fmt: on


def test_at_least_a_hundred_phrasings() -> None:
    assert len(PHRASINGS) >= 100
    assert len({text.lower() for text, _ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(("text", "outcome"), PHRASINGS)
def test_phrasing(text: str, outcome: Outcome | None) -> None:
    assert classify_status(text) is outcome


def _first_row(text: str) -> int | None:
    norm = normalise_status(text)
    if norm in OUTCOME_CODES:
        return None
    return next((i for i, (_, pattern) in enumerate(_COMPILED) if pattern.search(norm)), None)


@pytest.mark.parametrize("index", range(len(OUTCOME_PHRASES)))
def test_every_vocabulary_row_decides_some_phrasing(index: int) -> None:
    decided = [text for text, _ in PHRASINGS if _first_row(text) == index]
    assert decided, f"no phrasing is decided by row {index} ({OUTCOME_PHRASES[index].why})"


@pytest.mark.parametrize("code", sorted(OUTCOME_CODES))
def test_whole_cell_codes_any_case(code: str) -> None:
    assert classify_status(code.upper()) is OUTCOME_CODES[code]
    assert classify_status(f" {code} ") is OUTCOME_CODES[code]


# fmt: off
DATES_IN_TEXT = [
    ("Final plan issued 12/04/24", P, "12/04/24", Field.FINAL_DATE),
    ("EHCP issued 2024-04-12", P, "2024-04-12", Field.FINAL_DATE),
    ("Issued on 3 March 2024", P, "3 March 2024", Field.FINAL_DATE),
    ("Plan finalised 01-Mar-24", P, "01-Mar-24", Field.FINAL_DATE),
    ("Not issuing - letter sent 20/06/2024", N, "20/06/2024", Field.ISSUE_DECISION_DATE),
    ("Refused 01/02/2024", R, "01/02/2024", Field.ASSESS_DECISION_DATE),
    ("Draft issued 03/07/2024", OP, "03/07/2024", Field.DRAFT_DATE),
    ("Awaiting panel 05/05/2024", OP, "05/05/2024", None),
    ("Withdrawn 01/06/2024", W, "01/06/2024", None),
    ("Final plan issued", P, None, None),
]
# fmt: on


@pytest.mark.parametrize(("text", "outcome", "date_text", "target"), DATES_IN_TEXT)
def test_date_inside_status_text(
    text: str, outcome: Outcome, date_text: str | None, target: Field | None
) -> None:
    reading = split_status(text)
    assert (reading.outcome, reading.date_text, reading.date_field) == (
        outcome,
        date_text,
        target,
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_read_without_error(text: str) -> None:
    reading = split_status(text)
    assert reading.outcome is None or isinstance(reading.outcome, Outcome)
    assert (reading.date_field is None) or (reading.date_text is not None)


# --- what an open status says of the decision whether to assess (statute.md s.4) -----------

IMPLIED_DECISIONS: list[tuple[str, str | None]] = [
    ("Assessment in progress", "yes"),
    ("Open - assessment ongoing", "yes"),
    ("EHCNA agreed", "yes"),
    ("Agreed to assess", "yes"),
    ("Under assessment", "yes"),
    ("Draft issued", "yes"),
    ("Draft plan - consultation with schools", "yes"),
    ("Awaiting EP advice", "yes"),
    ("Awaiting health reports", "yes"),
    ("Awaiting final", "yes"),
    ("Awaiting decision", "pending"),
    ("Decision pending", "pending"),
    ("Awaiting panel decision", "pending"),
    ("Not yet decided", "pending"),
    ("New request", "pending"),
    ("Request received 03/03/25", "pending"),
    ("Open", None),
    ("Ongoing", None),
    ("Final plan issued", None),
    ("Withdrawn by parent", None),
    ("Refused to assess", None),
    ("Not issuing plan", None),
]


@pytest.mark.parametrize(("text", "expected"), IMPLIED_DECISIONS)
def test_open_status_implies_the_decision(text: str, expected: str | None) -> None:
    from ehcp_check.ingest.outcome_words import implied_decision

    found = implied_decision(text)
    assert (None if found is None else found.value) == expected
