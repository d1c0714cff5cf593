"""The statutory rule table and the exception kinds, as data, with their citations.

England only: Children and Families Act 2014 Part 3 and the Special Educational Needs and
Disability Regulations 2014 (SI 2014/1530, "SEND Regs"). Wales (Additional Learning Needs
and Education Tribunal (Wales) Act 2018) and Scotland (Education (Additional Support for
Learning) (Scotland) Act 2004) run other systems and are out of scope.

Adding a limit (annual review, tribunal order) is adding a row to :data:`RULES`, not a new
code path. This module imports nothing of ours and reads no clock.
"""

from __future__ import annotations

import functools
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


class Step(StrEnum):
    """A statutory step whose own list of exceptions is judged (statute.md s.3 table).

    The 6-week limit has two: the decision to assess (reg 5(1), exceptions reg 5(4)) and the
    refusal notice (reg 4(1), which has no reg 5(4)-type exceptions).
    """

    DECISION_TO_ASSESS = "decision_to_assess"
    REFUSAL = "refusal"
    NO_PLAN = "no_plan"
    FINAL_PLAN = "final_plan"
    COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class LimitExceptions:
    """Which exception kinds can excuse one statutory step, and under which limb."""

    step: Step
    rule: RuleCode
    title: str
    """The step, in plain words."""
    limbs: dict[ExceptionKind, str]
    """Kind -> the limb that lets it excuse this step (absent: it cannot)."""
    regulation: str
    """Where the list comes from."""
    note: str = ""
    """A reading the program takes, said in the output."""

    @property
    def kinds(self) -> frozenset[ExceptionKind]:
        return frozenset(self.limbs)


_COVID_LIMB = "SI 2020/471, deadline 1 May - 25 Sep 2020"
_AS_CLAIMED = "as claimed, not checked"

#: Each step's own exceptions (statute.md s.3). Reg 5(4) has no early-years limb; the refusal
#: notice has only the coronavirus relaxation; the 15-day minimum has none.
LIMIT_EXCEPTIONS: tuple[LimitExceptions, ...] = (
    LimitExceptions(
        step=Step.DECISION_TO_ASSESS,
        rule=RuleCode.DECISION_6W,
        title="decision to assess (6 weeks)",
        limbs={
            ExceptionKind.SCHOOL_CLOSURE: "reg 5(4)(a)",
            ExceptionKind.PERSONAL_CIRCUMSTANCES: "reg 5(4)(b)",
            ExceptionKind.ABSENCE: "reg 5(4)(c)",
            ExceptionKind.COVID: _COVID_LIMB,
        },
        regulation="SEND Regs 2014 reg 5(4)(a)-(c); SI 2020/471",
        note="reg 5(4) has no early-years limb",
    ),
    LimitExceptions(
        step=Step.REFUSAL,
        rule=RuleCode.DECISION_6W,
        title="refusal to assess (6 weeks)",
        limbs={ExceptionKind.COVID: _COVID_LIMB},
        regulation="SEND Regs 2014 reg 4(1); SI 2020/471",
        note=(
            "our reading: the refusal notice is due under reg 4(1), which has no reg 5(4)-type "
            "exceptions, so only the coronavirus relaxation can excuse it"
        ),
    ),
    LimitExceptions(
        step=Step.NO_PLAN,
        rule=RuleCode.NO_PLAN_16W,
        title="notice that no plan will be issued (16 weeks)",
        limbs={
            ExceptionKind.SCHOOL_CLOSURE: "reg 10(4)(a)",
            ExceptionKind.EARLY_YEARS_CLOSURE: "reg 10(4)(b)",
            ExceptionKind.PERSONAL_CIRCUMSTANCES: "reg 10(4)(c)",
            ExceptionKind.ABSENCE: "reg 10(4)(d)",
            ExceptionKind.COVID: _COVID_LIMB,
            ExceptionKind.FLAG: _AS_CLAIMED,
            ExceptionKind.UNRECOGNISED: _AS_CLAIMED,
        },
        regulation="SEND Regs 2014 reg 10(4)(a)-(d); SI 2020/471",
    ),
    LimitExceptions(
        step=Step.FINAL_PLAN,
        rule=RuleCode.FINAL_20W,
        title="final plan (20 weeks)",
        limbs={
            ExceptionKind.SCHOOL_CLOSURE: "reg 13(3), reg 10(4)(a)",
            ExceptionKind.EARLY_YEARS_CLOSURE: "reg 13(3), reg 10(4)(b)",
            ExceptionKind.PERSONAL_CIRCUMSTANCES: "reg 13(3), reg 10(4)(c)",
            ExceptionKind.ABSENCE: "reg 13(3), reg 10(4)(d)",
            ExceptionKind.COVID: _COVID_LIMB,
            ExceptionKind.FLAG: _AS_CLAIMED,
            ExceptionKind.UNRECOGNISED: _AS_CLAIMED,
        },
        regulation="SEND Regs 2014 reg 13(3), applying reg 10(4)(a)-(d); SI 2020/471",
    ),
    LimitExceptions(
        step=Step.COMMENT,
        rule=RuleCode.COMMENT_15D,
        title="15 days to comment on the draft",
        limbs={},
        regulation="SEND Regs 2014 reg 13(1)(a)",
        note="a minimum owed to the family: no exception",
    ),
)

LIMIT_EXCEPTIONS_BY_STEP: dict[Step, LimitExceptions] = {le.step: le for le in LIMIT_EXCEPTIONS}


#: What the dates and words can tell about each kind of claim, judged on each limit's own
#: window (the request to that limit's deadline), as the engine applies it (statute.md s.3).
PLAUSIBILITY: dict[ExceptionKind, str] = {
    ExceptionKind.COVID: (
        "plausible only when the limit's own deadline falls between 1 May 2020 and "
        "25 September 2020 inclusive"
    ),
    ExceptionKind.SCHOOL_CLOSURE: (
        "a continuous closure of 4 weeks or more whose advice window (one week before it "
        "to one week before re-opening) overlaps the limit's window; where the date advice "
        "was asked is known, it must fall in that advice window and by the deadline. A "
        "reason naming Christmas, Easter or half term is implausible (shorter than 4 weeks)"
    ),
    ExceptionKind.EARLY_YEARS_CLOSURE: "as for a school closure (16 and 20 weeks only)",
    ExceptionKind.ABSENCE: (
        "the limit's window must be at least 4 weeks long, and a reason stating a shorter "
        "absence ('2 weeks', '10 days', '27 days') is implausible"
    ),
    ExceptionKind.PERSONAL_CIRCUMSTANCES: "no date test: accepted as claimed",
    ExceptionKind.FLAG: "accepted as claimed, reason unknown (16 and 20 weeks only)",
    ExceptionKind.UNRECOGNISED: "accepted as claimed, like a bare flag (16 and 20 weeks only)",
}

#: What no date in a spreadsheet can show (said by ``rules`` and the methodology).
CANNOT_KNOW = (
    "ehcp-check cannot know whether the claimed fact really happened, or whether it really "
    "made that deadline impractical: it takes the recorded claim, checks it where the dates "
    "allow, and reports figures both including and excluding accepted claims."
)


def _excuses(kind: ExceptionKind) -> frozenset[RuleCode]:
    """The limits ``kind`` can excuse in at least one of their steps."""
    return frozenset(le.rule for le in LIMIT_EXCEPTIONS if kind in le.limbs)


@dataclass(frozen=True, slots=True)
class ExceptionRule:
    """One kind of exception: what it is, where the law says so, which limits it excuses."""

    kind: ExceptionKind
    title: str
    condition: str
    regulation: str
    excuses: frozenset[RuleCode]
    """Limits this kind can lawfully excuse in at least one step (see
    :data:`LIMIT_EXCEPTIONS` for each step's own list)."""
    lawful: bool | None
    """True lawful, False not lawful, None unknown (a bare flag: accepted as claimed)."""
    patterns: tuple[str, ...] = ()
    """Regular expressions (searched, case-insensitive) that classify a free-text reason."""


#: Words that tie a reason to a waiting, a resource or a request to delay: never lawful
#: (statute.md s.3; R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin)).
_NOT_LAWFUL_PATTERNS: tuple[str, ...] = (
    r"\b(ep|eps|psycholog\w*)\b",
    r"\bshortage",
    r"\bstaff",
    r"\bcapacity\b",
    r"\bbacklog",
    r"\bworkload",
    r"\bcaseload",
    r"\bresourc",
    r"\bfunding\b",
    r"\bbudget",
    r"\bwaiting\s+(for|on|list)\b",
    r"\bawait",
    r"\blate\s+(advice|reports?|information|contributions?|returns?)",
    r"\b(advice|reports?|information|contributions?)\b.*\b(late|delayed|outstanding|"
    r"not\s+(yet\s+)?received|awaited|overdue)\b",
    r"\b(received|returned|submitted|arrived)\s+late\b",
    r"\b(health|social\s+care|therapy|therapist|camhs|nhs|paediatric\w*|medical)\b.*"
    r"\b(late|delay\w*|outstanding|overdue)\b",
    r"\bdelayed\s+(advice|reports?|information|assessment)",
    r"\bpanel\b",
    r"\btribunal\b",
    r"\badmin\w*\b",
    r"\bsystem\b",
    r"\bplacement\b",
    r"\bconsultation\b",
    r"\bdemand\b",
    r"\bvolume\b",
    r"\bcomplex(ity)?\b",
    r"\bextension\b",
    r"\bextend\w*\b",
    r"\bpostpone",
    r"\bdefer",
    r"\b(parent|parents|parental|family|mum|dad|carer|young\s+person)'?s?\s+"
    r"(request\w*|asked|agreed|agreement|wish\w*|choice|consent\w*)\b",
    r"\brequest(ed)?\s+(a\s+)?(delay|more\s+time|pause|to\s+wait|extension)",
    r"\bagreed\s+(to\s+)?(delay|wait|pause|extension|extend|later)",
    r"\bsickness\b.*\b(officer|staff|caseworker|co-?ordinator)",
    r"\b(officer|caseworker|case\s+worker|co-?ordinator)\b",
    r"\bquality\s+assurance\b",
    r"\bmoderation\b",
    r"\brecruit",
    r"\bvacanc",
)

EXCEPTIONS: tuple[ExceptionRule, ...] = (
    # Order matters (statute.md s.3): coronavirus words first (then the window decides), then
    # the not-lawful resource, delay and request words, then the lawful kinds. The first kind
    # whose pattern matches wins.
    ExceptionRule(
        kind=ExceptionKind.COVID,
        title="Coronavirus",
        condition=(
            "impractical for a reason relating to the incidence or transmission of "
            "coronavirus; only where the limit's deadline fell between 1 May 2020 and "
            "25 September 2020 inclusive"
        ),
        regulation="SEN and Disability (Coronavirus) (Amendment) Regulations 2020 (SI 2020/471)",
        excuses=_excuses(ExceptionKind.COVID),
        lawful=True,
        patterns=(
            r"\bcovid",
            r"\bcorona\s*virus",
            r"\bpandemic",
            r"\block\s*-?\s*down",
            r"\bsars",
            r"\bself[\s-]*isolat",
            r"\bshielding\b",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.MISSED_APPOINTMENT,
        title="Missed appointment",
        condition="the child failed to keep an appointment for an examination or test",
        regulation="reg 8(2)(c) (professional advice only; not an exception to 6W/16W/20W)",
        excuses=_excuses(ExceptionKind.MISSED_APPOINTMENT),
        lawful=False,
        patterns=(
            r"\bdid\s*n[o']?t\s+attend",
            r"\bdna\b",
            r"\bmissed\b.*\b(appointment|appt|assessment|visit)",
            r"\bfailed\s+to\s+(attend|keep)",
            r"\bno[\s-]?show\b",
            r"\bcancell?ed\s+(by\s+)?(the\s+)?(family|parent)",
            r"\b(appointment|appt)\b.*\b(missed|cancell?ed|rearranged|re-?booked)",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.NOT_LAWFUL,
        title="Not a lawful exception",
        condition=(
            "resource pressure or waiting: staff or educational-psychologist shortage, "
            "backlog, waiting for advice or reports (a late medical or NHS report is late "
            "advice), a parent's request or agreement to delay, panel dates, tribunal "
            "pending, complex case"
        ),
        regulation=(
            "none: the duties are hard-edged "
            "(R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin)); the 2014 Regs have no "
            "parental-request limb"
        ),
        excuses=_excuses(ExceptionKind.NOT_LAWFUL),
        lawful=False,
        patterns=_NOT_LAWFUL_PATTERNS,
    ),
    ExceptionRule(
        kind=ExceptionKind.EARLY_YEARS_CLOSURE,
        title="Early-years provider closure",
        condition=(
            "advice was asked of an early-years provider in the window from one week before "
            "a closure of at least 4 continuous weeks to one week before it re-opened"
        ),
        regulation="reg 10(4)(b); reg 13(3) (not reg 5(4): no early-years limb at 6 weeks)",
        excuses=_excuses(ExceptionKind.EARLY_YEARS_CLOSURE),
        lawful=True,
        patterns=(
            r"\b(nursery|nurseries|pre-?school|early[\s-]*years?|childminder|playgroup|"
            r"setting)\b.*\b(clos|holiday|shut|break)",
            r"\b(clos\w*|holiday|shut)\b.*\b(nursery|pre-?school|early[\s-]*years?|"
            r"childminder|playgroup)",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.ABSENCE,
        title="Absence from the area",
        condition=(
            "the child, parent or young person was away from the council's area for a "
            "continuous period of at least 4 weeks (a stated shorter absence is implausible)"
        ),
        regulation="reg 5(4)(c), reg 10(4)(d); reg 13(3)",
        excuses=_excuses(ExceptionKind.ABSENCE),
        lawful=True,
        patterns=(
            r"\babroad\b",
            r"\boverseas\b",
            r"\bout\s+of\s+(the\s+)?(area|country|uk|county|borough)\b",
            r"\baway\b",
            r"\babsen(t|ce)\s+from\s+(the\s+)?(area|la|county|borough|country)",
            r"\btravel",
            r"\bvisiting\s+(family|relatives)",
            r"\b(left|moved\s+out\s+of)\s+the\s+(area|country)",
            r"\b(pakistan|india|bangladesh|poland|romania|nigeria|somalia|ireland|spain)\b",
            r"\b10\s*\(\s*4\s*\)\s*\(?d\b",
            r"\b5\s*\(\s*4\s*\)\s*\(?c\b",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.SCHOOL_CLOSURE,
        title="School or college closure",
        condition=(
            "advice was asked of the head teacher or principal in the window from one week "
            "before a closure of at least 4 continuous weeks to one week before re-opening "
            "(in practice, the summer holiday; Christmas, Easter and half term are shorter)"
        ),
        regulation="reg 5(4)(a), reg 10(4)(a); reg 13(3)",
        excuses=_excuses(ExceptionKind.SCHOOL_CLOSURE),
        lawful=True,
        patterns=(
            r"\bsummer\b",
            r"\bschool\b.*\b(clos|holiday|shut|break)",
            r"\bcollege\b.*\b(clos|holiday|shut|break)",
            r"\b(clos\w*|holiday|shut)\b.*\b(school|college|academy|sixth\s+form)",
            r"\bholidays?\b",
            r"\bvacation\b",
            r"\bclosure\b",
            r"\bchristmas\b",
            r"\bxmas\b",
            r"\beaster\b",
            r"\bhalf[\s-]*term\b",
            r"\bend\s+of\s+term\b",
            r"\b10\s*\(\s*4\s*\)\s*\(?a\b",
            r"\b5\s*\(\s*4\s*\)\s*\(?a\b",
        ),
    ),
    ExceptionRule(
        kind=ExceptionKind.PERSONAL_CIRCUMSTANCES,
        title="Exceptional personal circumstances",
        condition=(
            "exceptional personal circumstances of the child, parent or young person "
            "(illness, hospital stay, bereavement, family crisis)"
        ),
        regulation="reg 5(4)(b), reg 10(4)(c); reg 13(3)",
        excuses=_excuses(ExceptionKind.PERSONAL_CIRCUMSTANCES),
        lawful=True,
        patterns=(
            r"\bbereave",
            r"\bdeath\b",
            r"\bdied\b",
            r"\bpassed\s+away\b",
            r"\bfuneral",
            r"\bpersonal\b",
            r"\bfamily\s+(circumstances|reasons|illness|crisis|emergency|breakdown)",
            r"\b(ill|illness|unwell|sick|poorly)\b",
            r"\bhospital",
            r"\binpatient\b",
            r"\bmedical\b",
            r"\bsurgery\b",
            r"\boperation\b",
            r"\bmaternity\b",
            r"\bbirth\b",
            r"\bhomeless",
            r"\bhouse\s+move\b",
            r"\bdomestic\b",
            r"\bcrisis\b",
            r"\bemergency\b",
            r"\bsafeguarding\b",
            r"\bbereft\b",
            r"\b10\s*\(\s*4\s*\)\s*\(?c\b",
            r"\b5\s*\(\s*4\s*\)\s*\(?b\b",
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
        "yes - exception applies",
        "yes - exceptions apply",
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
    condition=(
        "a bare flag (Y / 1 / TRUE / 'exception applies'; SEN2 Week20 = 1); accepted as "
        "claimed for the 16- and 20-week limits, reason unknown"
    ),
    regulation="as claimed (SEN2 Week20 flag)",
    excuses=_excuses(ExceptionKind.FLAG),
    lawful=None,
)

UNRECOGNISED_RULE = ExceptionRule(
    kind=ExceptionKind.UNRECOGNISED,
    title="Reason not recognised",
    condition=(
        "a reason ehcp-check cannot classify; accepted as claimed for the 16- and 20-week "
        "limits, like a bare flag. Read it: if it is a resource reason it is not lawful"
    ),
    regulation="as claimed",
    excuses=_excuses(ExceptionKind.UNRECOGNISED),
    lawful=None,
)

EXCEPTIONS_BY_KIND: dict[ExceptionKind, ExceptionRule] = {
    **{e.kind: e for e in EXCEPTIONS},
    ExceptionKind.FLAG: FLAG_RULE,
    ExceptionKind.UNRECOGNISED: UNRECOGNISED_RULE,
}


@functools.cache
def _compiled() -> tuple[tuple[ExceptionKind, re.Pattern[str]], ...]:
    """One pattern per exception kind, compiled on the first reason classified (about 7 ms
    of start-up that the ``case`` command without ``--exception`` does not need)."""
    return tuple(
        (e.kind, re.compile("|".join(f"(?:{p})" for p in e.patterns), re.IGNORECASE))
        for e in EXCEPTIONS
    )


_SPACES = re.compile(r"[\s_.]+")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d*)?$")


def normalise_claim(raw: str) -> str:
    """Lower-case, trim and fold spaces, the way claim values are compared."""
    return _SPACES.sub(" ", raw.strip().lower()).strip(" .")


def classify_exception(raw: str | None) -> ExceptionKind | None:
    """Classify a recorded exception flag or reason; None means no claim.

    A number is a flag, never a reason: 0 / 0.0 no claim, 1 / 1.0 a bare flag.

    >>> classify_exception("EP shortage")
    <ExceptionKind.NOT_LAWFUL: 'not_lawful'>
    >>> classify_exception("Y")
    <ExceptionKind.FLAG: 'flag'>
    >>> classify_exception("0.0") is None
    True
    """
    if raw is None:
        return None
    stripped = raw.strip()
    if _NUMBER.match(stripped):
        value = float(stripped)
        if value == 0:
            return None
        return ExceptionKind.FLAG if value == 1 else ExceptionKind.UNRECOGNISED
    text = normalise_claim(raw)
    if text in NO_CLAIM_VALUES:
        return None
    if text in FLAG_VALUES:
        return ExceptionKind.FLAG
    for kind, pattern in _compiled():
        if pattern.search(text):
            return kind
    return ExceptionKind.UNRECOGNISED


#: Closures a reason can name that are always shorter than 4 weeks (statute.md s.3): a
#: closure claim naming one is implausible.
SHORT_CLOSURE_NAMES = re.compile(
    r"\b(christmas|xmas|easter|half[\s-]*term|october\s+break|february\s+break|"
    r"bank\s+holiday|inset)\b",
    re.IGNORECASE,
)


def names_short_closure(raw: str) -> bool:
    """True when the reason names a closure shorter than 4 weeks (Christmas, Easter, ...)."""
    return bool(SHORT_CLOSURE_NAMES.search(raw))


_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "couple of": 2,
    "few": 3,
}
_UNIT_DAYS = {"day": 1, "week": 7, "wk": 7, "month": 30, "fortnight": 14}
_DURATION = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple\s+of|few)\s*"
    r"(day|week|wk|month|fortnight)s?\b",
    re.IGNORECASE,
)


def stated_days(raw: str) -> int | None:
    """The longest duration a reason states, in days ("2 weeks" 14, "10 days" 10,
    "a fortnight" 14); None when it states none."""
    found = []
    for count, unit in _DURATION.findall(raw):
        key = " ".join(count.lower().split())
        n = int(key) if key.isdigit() else _NUMBER_WORDS[key]
        found.append(n * _UNIT_DAYS[unit.lower()])
    return max(found) if found else None


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
