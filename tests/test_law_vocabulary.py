"""Exception reasons as councils write them, each with the kind the law gives it.

Order (statute.md s.3): coronavirus words first, then not-lawful resource / delay /
request words, then the lawful kinds. A number or a yes/no is a flag, never a reason.
"""

from __future__ import annotations

import pytest

from ehcp_check.rules import ExceptionKind, classify_exception, names_short_closure, stated_days

K = ExceptionKind

PHRASINGS: list[tuple[str, ExceptionKind | None]] = [
    # --- coronavirus: SI 2020/471; named first even beside a resource word -----------------
    ("Covid-19", K.COVID),  # SI 2020/471
    ("covid", K.COVID),  # SI 2020/471
    ("COVID 19 lockdown", K.COVID),  # SI 2020/471
    ("Coronavirus", K.COVID),  # SI 2020/471
    ("Corona virus restrictions", K.COVID),  # SI 2020/471
    ("lockdown", K.COVID),  # SI 2020/471
    ("Lock-down: school closed", K.COVID),  # SI 2020/471: covid before closure
    ("pandemic", K.COVID),  # SI 2020/471
    ("covid staff absence", K.COVID),  # SI 2020/471: covid before staff words
    ("Covid-19: educational psychologist visits suspended", K.COVID),  # s.3: covid first
    ("covid: EP visits suspended", K.COVID),  # statute.md s.3 example
    ("Family self-isolating", K.COVID),  # SI 2020/471
    ("Child shielding", K.COVID),  # SI 2020/471
    ("Delays due to coronavirus", K.COVID),  # SI 2020/471
    # --- missed appointments: reg 8(2)(c), the advice-giver's own 6 weeks only -------------
    ("Did not attend appointment", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    ("DNA", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    ("Missed appointment", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    ("Child missed EP assessment", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    ("Failed to attend clinic", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    ("Appointment cancelled by parent", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    ("No-show at paediatric appointment", K.MISSED_APPOINTMENT),  # reg 8(2)(c)
    # --- not lawful: resources, waiting for advice, requests to delay (statute.md s.3) -----
    ("EP shortage", K.NOT_LAWFUL),  # Hertfordshire: resources no excuse
    ("Educational psychologist capacity", K.NOT_LAWFUL),  # Hertfordshire
    ("Staff shortage", K.NOT_LAWFUL),  # Hertfordshire
    ("Backlog", K.NOT_LAWFUL),  # Hertfordshire
    ("Caseload pressures", K.NOT_LAWFUL),  # Hertfordshire
    ("Lack of resources", K.NOT_LAWFUL),  # Hertfordshire
    ("Awaiting health advice", K.NOT_LAWFUL),  # late advice (reg 8), not an exception
    ("Awaiting EP report", K.NOT_LAWFUL),  # reg 8
    ("Awaiting social care advice", K.NOT_LAWFUL),  # reg 8
    ("Waiting for CAMHS", K.NOT_LAWFUL),  # reg 8
    ("Late advice", K.NOT_LAWFUL),  # reg 8
    ("Health advice late", K.NOT_LAWFUL),  # reg 8
    ("Medical report received late from NHS", K.NOT_LAWFUL),  # late advice, not illness
    ("Paediatric report delayed", K.NOT_LAWFUL),  # reg 8
    ("Therapy advice outstanding", K.NOT_LAWFUL),  # reg 8
    ("Reports not received", K.NOT_LAWFUL),  # reg 8
    ("Parental request", K.NOT_LAWFUL),  # no parental-request limb in the 2014 Regs
    ("Parental request for delay", K.NOT_LAWFUL),  # no parental-request limb
    ("Parent requested delay", K.NOT_LAWFUL),  # no parental-request limb
    ("Parents asked to wait until after the holidays", K.NOT_LAWFUL),  # request beats holiday
    ("Family requested more time", K.NOT_LAWFUL),  # no parental-request limb
    ("Agreed extension", K.NOT_LAWFUL),  # no extension limb
    ("Extension agreed with family", K.NOT_LAWFUL),  # no extension limb
    ("Parent agreed to delay", K.NOT_LAWFUL),  # no agreement limb
    ("Complex case", K.NOT_LAWFUL),  # statute.md s.3
    ("Complexity of needs", K.NOT_LAWFUL),  # statute.md s.3
    ("Panel date", K.NOT_LAWFUL),  # statute.md s.3
    ("Next available panel", K.NOT_LAWFUL),  # statute.md s.3
    ("Tribunal pending", K.NOT_LAWFUL),  # statute.md s.3
    ("Awaiting tribunal", K.NOT_LAWFUL),  # statute.md s.3
    ("Placement search", K.NOT_LAWFUL),  # resources
    ("School consultation", K.NOT_LAWFUL),  # resources
    ("Funding agreement", K.NOT_LAWFUL),  # resources
    ("Case officer sickness", K.NOT_LAWFUL),  # staff absence is resources
    ("Caseworker on leave", K.NOT_LAWFUL),  # resources
    ("Admin error", K.NOT_LAWFUL),  # resources
    ("IT system failure", K.NOT_LAWFUL),  # resources
    ("High demand", K.NOT_LAWFUL),  # resources
    ("Volume of requests", K.NOT_LAWFUL),  # resources
    ("Child in hospital, EP unavailable", K.NOT_LAWFUL),  # s.3: resource word wins
    ("Recruitment difficulties", K.NOT_LAWFUL),  # resources
    ("Quality assurance", K.NOT_LAWFUL),  # resources
    # --- early-years closure: reg 10(4)(b) (16 and 20 weeks only) ---------------------------
    ("Nursery closed", K.EARLY_YEARS_CLOSURE),  # reg 10(4)(b)
    ("Nursery closed for 5 weeks", K.EARLY_YEARS_CLOSURE),  # reg 10(4)(b)
    ("Pre-school closed for summer", K.EARLY_YEARS_CLOSURE),  # reg 10(4)(b)
    ("Early years setting closure", K.EARLY_YEARS_CLOSURE),  # reg 10(4)(b)
    ("Childminder on holiday", K.EARLY_YEARS_CLOSURE),  # reg 10(4)(b)
    # --- absence from the area: reg 5(4)(c), reg 10(4)(d) ---------------------------------
    ("Family abroad for 6 weeks", K.ABSENCE),  # reg 10(4)(d)
    ("family moved abroad for 6 weeks", K.ABSENCE),  # reg 10(4)(d)
    ("family abroad for 2 weeks", K.ABSENCE),  # reg 10(4)(d), implausible by duration
    ("Away from the area for 5 weeks", K.ABSENCE),  # reg 10(4)(d)
    ("Out of the country", K.ABSENCE),  # reg 10(4)(d)
    ("Overseas", K.ABSENCE),  # reg 10(4)(d)
    ("Visiting family in Pakistan", K.ABSENCE),  # reg 10(4)(d)
    ("Travelling", K.ABSENCE),  # reg 10(4)(d)
    ("10 days abroad", K.ABSENCE),  # reg 10(4)(d), implausible by duration
    ("Reg 10(4)(d)", K.ABSENCE),  # cited limb
    # --- school or college closure: reg 5(4)(a), reg 10(4)(a) ------------------------------
    ("Summer holidays", K.SCHOOL_CLOSURE),  # reg 10(4)(a)
    ("school closed for summer", K.SCHOOL_CLOSURE),  # reg 10(4)(a)
    ("School holidays", K.SCHOOL_CLOSURE),  # reg 10(4)(a)
    ("College closed", K.SCHOOL_CLOSURE),  # reg 10(4)(a), post-16
    ("Christmas holidays", K.SCHOOL_CLOSURE),  # closure kind, implausible (< 4 weeks)
    ("Easter holidays", K.SCHOOL_CLOSURE),  # closure kind, implausible
    ("half term", K.SCHOOL_CLOSURE),  # closure kind, implausible
    ("Half-term closure", K.SCHOOL_CLOSURE),  # closure kind, implausible
    ("End of term", K.SCHOOL_CLOSURE),  # reg 10(4)(a)
    ("Reg 10(4)(a)", K.SCHOOL_CLOSURE),  # cited limb
    # --- exceptional personal circumstances: reg 5(4)(b), reg 10(4)(c) ---------------------
    ("child in hospital", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Bereavement in family", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Bereavement", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Death of grandparent", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Parent seriously ill", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Parent in hospital", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Child unwell", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Mother gave birth", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Family crisis", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Family emergency", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Exceptional personal circumstances", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Family homeless", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Domestic abuse", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Child had surgery", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Safeguarding concerns", K.PERSONAL_CIRCUMSTANCES),  # reg 10(4)(c)
    ("Reg 10(4)(c)", K.PERSONAL_CIRCUMSTANCES),  # cited limb
    # --- bare flags (SEN2 Week20) and no claim ---------------------------------------------
    ("Y", K.FLAG),  # SEN2 Week20 = 1
    ("Yes", K.FLAG),  # flag
    ("1", K.FLAG),  # flag
    ("1.0", K.FLAG),  # numeric flag, not a reason
    ("TRUE", K.FLAG),  # flag
    ("Exception applies", K.FLAG),  # flag
    ("0", None),  # no claim
    ("0.0", None),  # numeric flag off
    ("FALSE", None),  # no claim
    ("N", None),  # no claim
    ("No", None),  # no claim
    ("", None),  # blank
    ("n/a", None),  # no claim
    ("None", None),  # no claim
    # --- unrecognised: accepted as claimed for 16W / 20W, listed as such -------------------
    ("See notes on file", K.UNRECOGNISED),  # statute.md s.3
    ("2", K.UNRECOGNISED),  # a number that is not a flag
    ("Other", K.UNRECOGNISED),  # statute.md s.3
]


def test_at_least_80_phrasings() -> None:
    assert len(PHRASINGS) >= 80
    assert len({p for p, _ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize(("raw", "kind"), PHRASINGS)
def test_reason_classified_as_the_law_says(raw: str, kind: ExceptionKind | None) -> None:
    assert classify_exception(raw) == kind


@pytest.mark.parametrize(
    ("raw", "short"),
    [
        ("Christmas holidays", True),
        ("Xmas closure", True),
        ("Easter holidays", True),
        ("half term", True),
        ("Half-term closure", True),
        ("Summer holidays", False),
        ("school closed for summer", False),
    ],
)
def test_short_closures_named(raw: str, short: bool) -> None:
    assert names_short_closure(raw) is short


@pytest.mark.parametrize(
    ("raw", "days"),
    [
        ("family abroad for 2 weeks", 14),
        ("10 days abroad", 10),
        ("away 27 days", 27),
        ("away 28 days", 28),
        ("abroad for a fortnight", 14),
        ("abroad for three weeks", 21),
        ("abroad 2 months", 60),
        ("Overseas", None),
    ],
)
def test_stated_durations(raw: str, days: int | None) -> None:
    assert stated_days(raw) == days
