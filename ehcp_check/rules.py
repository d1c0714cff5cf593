"""The statutory rule table and the exception kinds, as data, with their citations.

England only: Children and Families Act 2014 Part 3 and the Special Educational Needs and
Disability Regulations 2014 (SI 2014/1530, "SEND Regs"). Wales (Additional Learning Needs
and Education Tribunal (Wales) Act 2018) and Scotland (Education (Additional Support for
Learning) (Scotland) Act 2004) run other systems and are out of scope.

Adding a limit (annual review, tribunal order) is adding a row to :data:`RULES`, not a new
code path. This module imports nothing of ours and reads no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

SCOPE = (
    "England only: Children and Families Act 2014 Part 3 and the SEND Regulations 2014 "
    "(SI 2014/1530). Wales (Additional Learning Needs, Individual Development Plans) and "
    "Scotland (Additional Support for Learning, Co-ordinated Support Plans) run other systems."
)

DISCLAIMER = "This is information about the law and your data, not legal advice."


class RuleCode(StrEnum):
    """Stable codes of the time limits (data contract: ``breaches[].rule``)."""

    DECISION_6W = "EHCP-6W"
    NO_PLAN_16W = "EHCP-16W"
    FINAL_20W = "EHCP-20W"
    COMMENT_15D = "EHCP-15D"


class LimitKind(StrEnum):
    """A maximum ("within N weeks") or a minimum ("at least N days")."""

    MAXIMUM = "maximum"
    MINIMUM = "minimum"


@dataclass(frozen=True, slots=True)
class Rule:
    """One statutory time limit."""

    code: RuleCode
    """Stable code, e.g. ``EHCP-20W``."""
    title: str
    """What must happen, in plain words."""
    days: int
    """The limit in calendar days (weeks x 7)."""
    kind: LimitKind
    """Maximum (deadline) or minimum (a period owed to the family)."""
    start: str
    """The event the clock starts from."""
    end: str
    """The event that stops the clock."""
    applies_to: str
    """Which cases the limit applies to."""
    regulation: str
    """Citation."""
    exceptions: str
    """Citation of the exceptions that can apply, or "none"."""
    excusable: bool
    """Whether any exception can excuse missing this limit."""
    summary: str
    """One sentence for the single-case view."""

    @property
    def label(self) -> str:
        """Short human label: "6 weeks", "15 days"."""
        if self.days % 7 == 0 and self.kind is LimitKind.MAXIMUM:
            return f"{self.days // 7} weeks"
        return f"{self.days} days"

    def deadline(self, start: date, day_one: bool = False) -> date:
        """Last compliant day for a maximum; for a minimum, the earliest compliant day.

        ``day_one`` is the "day of receipt is day 1" convention: it moves a maximum's
        deadline one day earlier. A minimum already counts the day of service as day 1
        (reg 13(1)(a): "beginning with the day on which the draft plan was served"), so the
        convention does not move it.
        """
        if self.kind is LimitKind.MINIMUM:
            return start + timedelta(days=self.days)
        return start + timedelta(days=self.days - (1 if day_one else 0))


RULES: tuple[Rule, ...] = (
    Rule(
        code=RuleCode.DECISION_6W,
        title="Decide whether to carry out an EHC needs assessment",
        days=42,
        kind=LimitKind.MAXIMUM,
        start="request received",
        end="family told the decision",
        applies_to="every request",
        regulation="SEND Regs 2014 reg 4(1) (decision not to assess), reg 5(1)",
        exceptions="reg 5(4); SI 2020/471 (coronavirus, 1 May - 25 Sep 2020)",
        excusable=True,
        summary=(
            "The council must tell you whether it will assess within 6 weeks of receiving "
            "the request."
        ),
    ),
    Rule(
        code=RuleCode.NO_PLAN_16W,
        title="Tell the family that no plan will be issued, after assessment",
        days=112,
        kind=LimitKind.MAXIMUM,
        start="request received",
        end="notice of decision not to issue a plan",
        applies_to="assessed cases with the outcome 'no plan'",
        regulation="SEND Regs 2014 reg 10(1)",
        exceptions="reg 10(4)(a)-(d); SI 2020/471",
        excusable=True,
        summary=(
            "If the council decides not to issue a plan after assessing, it must tell you "
            "within 16 weeks of the request."
        ),
    ),
    Rule(
        code=RuleCode.FINAL_20W,
        title="Issue the final EHC plan",
        days=140,
        kind=LimitKind.MAXIMUM,
        start="request received",
        end="final plan sent to the family",
        applies_to="plans issued, and every open case past its decision to assess",
        regulation="SEND Regs 2014 reg 13(2)",
        exceptions="reg 13(3), applying reg 10(4)(a)-(d); SI 2020/471",
        excusable=True,
        summary=(
            "The final EHC plan must be issued within 20 weeks of the request. The duty is "
            "'hard-edged': shortages and backlogs are no excuse "
            "(R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin))."
        ),
    ),
    Rule(
        code=RuleCode.COMMENT_15D,
        title="Give the family at least 15 days to comment on the draft plan",
        days=15,
        kind=LimitKind.MINIMUM,
        start="draft plan sent",
        end="final plan sent",
        applies_to="cases with both a draft and a final date",
        regulation="SEND Regs 2014 reg 13(1)(a)",
        exceptions="none: it is a minimum owed to the family",
        excusable=False,
        summary=(
            "You must have at least 15 days to comment on the draft plan before it is finalised."
        ),
    ),
)

RULES_BY_CODE: dict[RuleCode, Rule] = {r.code: r for r in RULES}

#: The 52-week band edge used by the Department for Education's statistics (not a limit).
WEEKS_52_DAYS = 364

#: The period of the coronavirus modification, inclusive (SI 2020/471; DfE Annex A).
COVID_START = date(2020, 5, 1)
COVID_END = date(2020, 9, 25)

#: EHC plans began on 1 September 2014 (CFA 2014 Part 3 commencement).
EHCP_START = date(2014, 9, 1)

#: Minimum length of a closure or an absence that can ground an exception (reg 10(4)).
FOUR_WEEKS_DAYS = 28


class ExceptionKind(StrEnum):
    """What an exception claim, as recorded, amounts to."""

    SCHOOL_CLOSURE = "school_closure"
    EARLY_YEARS_CLOSURE = "early_years_closure"
    PERSONAL_CIRCUMSTANCES = "personal_circumstances"
    ABSENCE = "absence"
    COVID = "covid"
    MISSED_APPOINTMENT = "missed_appointment"
    NOT_LAWFUL = "not_lawful"
    FLAG = "flag"
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True, slots=True)
class ExceptionRule:
    """One kind of exception: what it is, where the law says so, which limits it excuses."""

    kind: ExceptionKind
    title: str
    condition: str
    regulation: str
    excuses: frozenset[RuleCode]
    """Limits this kind can lawfully excuse (empty: none)."""
    lawful: bool | None
    """True lawful, False not lawful, None unknown (a bare flag: accepted as claimed)."""
    patterns: tuple[str, ...] = ()
    """Regular expressions (searched, case-insensitive) that classify a free-text reason."""


_EXCUSABLE = frozenset({RuleCode.DECISION_6W, RuleCode.NO_PLAN_16W, RuleCode.FINAL_20W})

EXCEPTIONS: tuple[ExceptionRule, ...] = (
    # Order matters: the first kind whose pattern matches wins, so the specific not-lawful
    # reasons come before the broad lawful words they might contain.
    ExceptionRule(
        kind=ExceptionKind.MISSED_APPOINTMENT,
        title="Missed appointment",
        condition="the child failed to keep an appointment for an examination or test",
        regulation="reg 8(2)(c) (professional advice only; not an exception to 6W/16W/20W)",
        excuses=frozenset(),
        lawful=False,
        patterns=(
            r"\bdid\s*n[o']?t\s+attend",
            r"\bdna\b",
            r"\bmissed\b.*\b(appointment|appt|assessment)",
            r"\bfailed\s+to\s+(attend|keep)",
            r"\bno[\s-]?show\b",
            r"\bcancell?ed\s+(by\s+)?(the\s+)?(family|parent)",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.NOT_LAWFUL,
        title="Not a lawful exception",
        condition=(
            "resource pressure: staff or educational-psychologist shortage, backlog, waiting "
            "for advice, funding, panel dates, tribunal pending"
        ),
        regulation=(
            "none: the 20-week duty is hard-edged "
            "(R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin))"
        ),
        excuses=frozenset(),
        lawful=False,
        patterns=(
            r"\b(ep|eps|psycholog\w*)\b",
            r"\bshortage",
            r"\bstaff",
            r"\bcapacity\b",
            r"\bbacklog",
            r"\bworkload",
            r"\bresourc",
            r"\bfunding\b",
            r"\bbudget",
            r"\bwaiting\s+(for|on)\b",
            r"\bawaiting\b",
            r"\blate\s+advice",
            r"\badvice\s+(late|delayed|outstanding|not\s+received)",
            r"\b(health|social\s+care|therapy|camhs)\b.*\b(late|delay|outstanding)",
            r"\bpanel\b",
            r"\btribunal\b",
            r"\badmin\w*\b",
            r"\bsystem\b",
            r"\bplacement\b",
            r"\bconsultation\b",
            r"\bdemand\b",
            r"\bvolume\b",
            r"\bsickness\b.*\b(officer|staff|caseworker|coordinator)",
            r"\b(officer|staff|caseworker|coordinator)\b.*\b(sick|leave|absence)",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.COVID,
        title="Coronavirus",
        condition=(
            "impractical for a reason relating to the incidence or transmission of "
            "coronavirus; only for steps falling due between 1 May 2020 and 25 September "
            "2020 inclusive"
        ),
        regulation="SEN and Disability (Coronavirus) (Amendment) Regulations 2020 (SI 2020/471)",
        excuses=_EXCUSABLE,
        lawful=True,
        patterns=(r"\bcovid", r"\bcorona\s*virus", r"\bpandemic", r"\blockdown", r"\bsars"),
    ),
    ExceptionRule(
        kind=ExceptionKind.EARLY_YEARS_CLOSURE,
        title="Early-years provider closure",
        condition=(
            "advice was asked of an early-years provider in the window from one week before "
            "a closure of at least 4 continuous weeks to one week before it re-opened"
        ),
        regulation="reg 10(4)(b); reg 13(3)",
        excuses=_EXCUSABLE,
        lawful=True,
        patterns=(
            r"\b(nursery|pre-?school|early[\s-]*years?|childminder)\b.*\b(clos|holiday)",
            r"\b(clos\w*|holiday)\b.*\b(nursery|pre-?school|early[\s-]*years?|childminder)",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.ABSENCE,
        title="Absence from the area",
        condition=(
            "the child, parent or young person was away from the council's area for a "
            "continuous period of at least 4 weeks"
        ),
        regulation="reg 10(4)(d); reg 13(3)",
        excuses=_EXCUSABLE,
        lawful=True,
        patterns=(
            r"\babroad\b",
            r"\boverseas\b",
            r"\bout\s+of\s+(the\s+)?(area|country|uk)\b",
            r"\baway\s+from\b",
            r"\babsen(t|ce)\s+from\s+(the\s+)?(area|la|county|borough)",
            r"\btravel",
            r"\bvisiting\s+family",
            r"10\s*\(\s*4\s*\)\s*\(?d\b",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.SCHOOL_CLOSURE,
        title="School or college closure",
        condition=(
            "advice was asked of the head teacher or principal in the window from one week "
            "before a closure of at least 4 continuous weeks to one week before re-opening "
            "(in practice, the summer holiday)"
        ),
        regulation="reg 5(4)(a), reg 10(4)(a); reg 13(3)",
        excuses=_EXCUSABLE,
        lawful=True,
        patterns=(
            r"\bsummer\b",
            r"\bschool\b.*\b(clos|holiday|shut)",
            r"\bcollege\b.*\b(clos|holiday|shut)",
            r"\b(clos\w*|holiday)\b.*\b(school|college)",
            r"\bholidays?\b",
            r"\bvacation\b",
            r"\bclosure\b",
            r"10\s*\(\s*4\s*\)\s*\(?a\b",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.PERSONAL_CIRCUMSTANCES,
        title="Exceptional personal circumstances",
        condition="exceptional personal circumstances of the child, parent or young person",
        regulation="reg 10(4)(c); reg 13(3)",
        excuses=_EXCUSABLE,
        lawful=True,
        patterns=(
            r"\bbereave",
            r"\bdeath\b",
            r"\bdied\b",
            r"\bfuneral",
            r"\bpersonal\b",
            r"\bfamily\s+(circumstances|reasons|illness|crisis|emergency)",
            r"\b(parent|parental|mother|father|mum|dad|child|young\s+person)\b.*"
            r"\b(ill|illness|hospital|unwell|sick)",
            r"\bhospital",
            r"\billness\b",
            r"\bmedical\b",
            r"\bsurgery\b",
            r"\bmaternity\b",
            r"\bbirth\b",
            r"\bhomeless",
            r"\bhouse\s+move\b",
            r"\bdomestic\b",
            r"\bparent(al)?\s+request",
            r"\b(family|parent)\s+(asked|requested|unavailable)",
            r"10\s*\(\s*4\s*\)\s*\(?c\b",
        ),
    ),
)

#: Bare flags: the claim is recorded without a reason (SEN2 ``Week20`` = 1).
FLAG_VALUES: frozenset[str] = frozenset(
    {
        "y",
        "yes",
        "1",
        "true",
        "t",
        "x",
        "exception",
        "exceptions",
        "exception applies",
        "exceptions apply",
        "applies",
        "yes exception applies",
        "yes exceptions apply",
    }
)

#: Values meaning "no claim".
NO_CLAIM_VALUES: frozenset[str] = frozenset(
    {
        "",
        "n",
        "no",
        "0",
        "false",
        "f",
        "none",
        "nil",
        "n/a",
        "na",
        "-",
        "no exception",
        "no exceptions",
        "not applicable",
        "no exception applies",
        "no exceptions apply",
    }
)

FLAG_RULE = ExceptionRule(
    kind=ExceptionKind.FLAG,
    title="Exception recorded without a reason",
    condition="a bare flag (Y / 1 / 'exception applies'); accepted as claimed, reason unknown",
    regulation="as claimed (SEN2 Week20 flag)",
    excuses=_EXCUSABLE,
    lawful=None,
)

UNRECOGNISED_RULE = ExceptionRule(
    kind=ExceptionKind.UNRECOGNISED,
    title="Reason not recognised",
    condition=(
        "a reason ehcp-check cannot classify; accepted as claimed, like a bare flag. "
        "Read it: if it is a resource reason it is not lawful"
    ),
    regulation="as claimed",
    excuses=_EXCUSABLE,
    lawful=None,
)

EXCEPTIONS_BY_KIND: dict[ExceptionKind, ExceptionRule] = {
    **{e.kind: e for e in EXCEPTIONS},
    ExceptionKind.FLAG: FLAG_RULE,
    ExceptionKind.UNRECOGNISED: UNRECOGNISED_RULE,
}

_COMPILED: tuple[tuple[ExceptionKind, re.Pattern[str]], ...] = tuple(
    (e.kind, re.compile("|".join(f"(?:{p})" for p in e.patterns), re.IGNORECASE))
    for e in EXCEPTIONS
)

_SPACES = re.compile(r"[\s_.]+")


def normalise_claim(raw: str) -> str:
    """Lower-case, trim and fold spaces, the way claim values are compared."""
    return _SPACES.sub(" ", raw.strip().lower()).strip(" .")


def classify_exception(raw: str | None) -> ExceptionKind | None:
    """Classify a recorded exception flag or reason; None means no claim.

    >>> classify_exception("EP shortage")
    <ExceptionKind.NOT_LAWFUL: 'not_lawful'>
    >>> classify_exception("Y")
    <ExceptionKind.FLAG: 'flag'>
    >>> classify_exception("No") is None
    True
    """
    if raw is None:
        return None
    text = normalise_claim(raw)
    if text in NO_CLAIM_VALUES:
        return None
    if text in FLAG_VALUES:
        return ExceptionKind.FLAG
    for kind, pattern in _COMPILED:
        if pattern.search(text):
            return kind
    return ExceptionKind.UNRECOGNISED


@dataclass(frozen=True, slots=True)
class Closure:
    """A school or setting closure of at least 4 weeks (first and last closed day)."""

    first: date
    last: date
    label: str = ""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def advice_window(self) -> tuple[date, date]:
        """The statutory window for asking advice (reg 10(4)(a)): from one week before the
        closure starts to one week before the school re-opens (the day after ``last``)."""
        return self.first - timedelta(days=7), self.last + timedelta(days=1 - 7)


def default_summer_closures(first_year: int, last_year: int) -> tuple[Closure, ...]:
    """Approximate English summer holidays: 21 July to 3 September each year.

    Term dates differ by council; users can replace these with real closure dates.
    """
    return tuple(
        Closure(date(y, 7, 21), date(y, 9, 3), f"summer {y} (approximate)")
        for y in range(first_year, last_year + 1)
    )
