"""Column mapping: input headers onto canonical fields.

The confidence rule, in order (first match wins for each field):

1. **Override**: the header is named in ``mapping`` (or the ``[columns]`` table of a mapping
   file). Overrides may also name the field ``ignore`` to leave a column unmapped.
2. **Exact**: the normalised header equals a known synonym (:data:`SYNONYMS`). Normalising
   splits ``CamelCase`` and letters from digits, lower-cases, turns ``&`` into ``and`` and
   drops every other punctuation mark, so ``Date Request Was Received``, ``date-request
   was received!`` and ``DateRequestWasReceived`` are the same.
3. **Token**: the header's words satisfy one of :data:`TOKEN_RULES`, tried top to bottom
   (e.g. a header with the word ``draft`` and a date word is ``draft_date``; a header with
   ``request`` and ``date`` or ``received`` is ``request_date``).

Columns are scanned left to right at each step; a later column that would map onto a field
already taken is reported as ``ambiguous-column`` and left unmapped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest.codes import DateOrder
from ehcp_check.model import Field

#: Pseudo-field for an override that leaves a column unmapped.
IGNORE = "ignore"

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _plain_words(text: object) -> list[str]:
    raw = str(text).replace("&", " and ").replace("\u2019", "'").replace("'", "")
    raw = _CAMEL.sub(" ", raw).lower()
    return _NON_WORD.sub(" ", raw).split()


def normalise_header(text: object) -> str:
    """Return the comparable form of a header: lower-case words separated by one space.

    A run of letters that is not a known word but is known words written together (the
    lower-case export names ``receiveddate``, ``assessmentoutcomedate``) is split into them.
    """
    return " ".join(_split_word(w) for w in _plain_words(text))


#: Shortest run of letters that may be several words written together.
_MIN_JOINED = 6


def _split_word(word: str) -> str:
    """``word`` as known words separated by spaces, or unchanged when it is not made of them."""
    if len(word) < _MIN_JOINED or word in _VOCABULARY or not word.isalpha():
        return word
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(2, n + 1):
        for start in range(end - 1):
            prefix = best[start]
            piece = word[start:end]
            if prefix is not None and piece in _VOCABULARY:
                found = [*prefix, piece]
                current = best[end]
                if current is None or len(found) < len(current):
                    best[end] = found
    pieces = best[n]
    return word if pieces is None else " ".join(pieces)


# fmt: off
_SYNONYM_TEXT: dict[Field, tuple[str, ...]] = {
    Field.CASE_ID: (
        "Case ref", "Case reference", "Case reference number", "Reference", "Reference number",
        "Ref", "Ref no", "Ref number", "ID", "Child ID", "Case ID", "Case number", "Case no",
        "UPN", "Unique pupil number", "Person ID", "Child reference", "Pupil ID", "Record ID",
        "EHCP reference", "Request ID", "Case", "Requests record ID", "Request record ID",
        "Request reference",
    ),
    Field.LA: (
        "Local authority", "LA", "Council", "LEA", "LA name", "Local authority name", "LA code",
        "Authority", "Old LA code", "New LA code",
    ),
    Field.REQUEST_DATE: (
        "Date request received", "Request received", "Date of request", "Request date",
        "EHCNA request date", "Date referral received", "Date Request Was Received",
        "ReceivedDate", "Received date", "Date received", "Request received date",
        "Date of referral", "Referral date", "Date EHCNA request received",
        "Date request for assessment received", "Assessment request date",
        "Date of request for assessment", "EHC needs assessment request date",
        "Date of EHC needs assessment request", "Date requested",
        "Date request made", "Request for EHCNA received",
    ),
    Field.ASSESS_DECISION_DATE: (
        "Decision to assess date", "Date of decision to assess", "Request outcome date",
        "RequestOutcomeDate", "6 week decision date", "Six week decision date",
        "Date decision to assess", "Decision date", "Date of decision",
        "Assessment decision date", "Date decision made to assess",
        "Date of decision whether to assess", "Decision to assess notified",
        "Date decision to assess notified", "Date parents informed of decision to assess",
    ),
    Field.ASSESS_DECISION: (
        "Decision to assess", "Agreed to assess", "Request outcome", "RequestOutcome", "Assess",
        "Agree to assess", "Decision to assess yes no", "Assessment agreed",
        "Agreed to assess yn", "Outcome of request", "6 week decision", "Decision",
    ),
    Field.ISSUE_DECISION_DATE: (
        "Decision to issue date", "Date of decision not to issue", "16 week decision date",
        "Sixteen week decision date", "Assessment outcome date", "AssessmentOutcomeDate",
        "Date of decision to issue", "Date decision to issue", "Decision not to issue date",
        "Date notified of decision not to issue", "Date of decision whether to issue",
    ),
    Field.ISSUE_DECISION: (
        "Decision to issue", "Assessment outcome", "AssessmentOutcome", "Issue plan",
        "Agreed to issue", "Decision to issue plan", "Plan to be issued", "16 week decision",
        "Outcome of assessment", "EHCP agreed", "Assessment outcome to issue EHCP",
        "Assessment outcome to issue EHC plan", "Outcome to issue EHCP",
    ),
    Field.DRAFT_DATE: (
        "Draft plan issued", "Date draft EHCP sent", "Draft issued", "Draft date",
        "Date draft issued", "Draft EHCP issued", "Draft EHCP date", "Date of draft plan",
        "Draft plan date", "Date draft plan issued", "Draft plan sent", "Date draft sent",
        "Date draft EHC plan issued", "Draft plan", "Draft", "Draft EHCP", "Draft EHC plan",
        "Draft plan sent to family", "Draft EHCP sent", "Date of draft", "Draft plan issue date",
        "Date proposed plan sent", "Proposed plan issued", "Draft plan circulated",
    ),
    Field.FINAL_DATE: (
        "Date final EHCP issued", "Final plan issued", "Date EHCP issued", "Date plan finalised",
        "Final EHCP date", "Issue date", "Final date", "Date final plan issued",
        "Final EHCP issued", "Date of final plan", "EHCP issue date", "Date issued",
        "Date finalised", "Plan issued date", "Final plan date", "Date EHC plan issued",
        "Date final EHC plan issued", "Plan finalised", "Date plan issued",
    ),
    Field.OUTCOME: (
        "Outcome", "Status", "Case status", "Current stage", "Stage", "Current status",
        "Final outcome", "Request status", "Result",
    ),
    Field.EXCEPTION: (
        "Exception", "Exceptions", "Exceptions apply", "20 week exception", "Week20",
        "Twenty week time limit exceptions apply", "Exception reason", "Exception applies",
        "20 week exception applies", "Exception to 20 weeks", "Reason for exception",
        "Exemption", "Exception yn", "Exception reason if applicable",
    ),
    Field.SCHOOL_ADVICE_DATE: (
        "School advice requested", "Educational advice requested",
        "Date school advice requested", "Date educational advice requested",
        "Education advice requested", "Date advice requested from school",
        "Setting advice requested",
    ),
    Field.DELAY_REASON: (
        "Reason for delay", "Delay reason", "Comments on delay", "Reasons for delay",
        "Delay comments", "Reason for late issue", "Reason late",
    ),
}
# fmt: on


class Role(StrEnum):
    """Columns that are not case fields but change how the row is read (data contract s.2).

    ``plan_start_date``: the plan's start date (SEN2 ``NamedPlan StartDate``), used as the
    plan date only when no issue date exists. ``mediation_tribunal``: a yes / no SEN2
    mediation or tribunal item (several columns may take it). ``stated_within_20w``: a
    "within 20 weeks?" answer. ``days_taken`` / ``weeks_taken``: the time from request to
    final plan as the council states it. ``exception_flag``: the yes / no exception flag
    when a reason column is also present (statute.md s.3).
    """

    PLAN_START_DATE = "plan_start_date"
    MEDIATION_TRIBUNAL = "mediation_tribunal"
    STATED_WITHIN_20W = "stated_within_20w"
    DAYS_TAKEN = "days_taken"
    WEEKS_TAKEN = "weeks_taken"
    EXCEPTION_FLAG = "exception_flag"


#: Roles more than one column may take (their answers are combined).
MULTI_ROLES: frozenset[Role] = frozenset({Role.MEDIATION_TRIBUNAL})

# fmt: off
_ROLE_TEXT: dict[Role, tuple[str, ...]] = {
    Role.PLAN_START_DATE: (
        "StartDate", "Plan start date", "NamedPlan StartDate", "Named plan start date",
        "EHC plan start date", "EHCP start date", "Start date of plan",
    ),
    Role.MEDIATION_TRIBUNAL: (
        "RequestMediation", "RequestTribunal", "AssessmentMediation", "AssessmentTribunal",
        "Mediation", "Tribunal", "Mediation or tribunal", "Mediation tribunal",
        "Request mediation", "Request tribunal", "Assessment mediation", "Assessment tribunal",
    ),
    Role.STATED_WITHIN_20W: (
        "Within 20 weeks", "Within twenty weeks", "Issued within 20 weeks",
        "EHCP issued within 20 weeks", "Within 20 weeks yn", "Within 20 weeks y n",
        "In timescale", "Within timescale", "20 week timescale met", "Met 20 weeks",
        "Completed within 20 weeks", "On time",
    ),
    Role.DAYS_TAKEN: (
        "Days taken", "Days to issue", "Number of days", "Days from request to final plan",
        "Total days", "Days to final plan", "Days elapsed", "Days taken to issue",
    ),
    Role.WEEKS_TAKEN: (
        "Weeks taken", "Weeks to issue", "Number of weeks", "Weeks from request to final plan",
        "Total weeks", "Weeks to final plan", "Weeks elapsed", "Weeks taken to issue",
        "Time taken weeks",
    ),
    Role.EXCEPTION_FLAG: (
        "Exception flag", "Exception yn flag",
    ),
}
# fmt: on

_DATE_WORDS = frozenset({"date", "received", "issued", "sent", "when", "dated", "finalised"})


@dataclass(frozen=True, slots=True)
class TokenRule:
    """A header matches when it has one word of each set in ``all_of`` and none of ``none_of``."""

    field: Field | Role
    all_of: tuple[frozenset[str], ...]
    none_of: frozenset[str] = frozenset()


def _w(*words: str) -> frozenset[str]:
    return frozenset(words)


_TAKEN = _w("taken", "elapsed", "issue", "final", "total", "number", "duration", "to")
_NOT_TAKEN = _w("late", "overdue", "over", "delay", "within", "exception", "6", "16", "20")

#: Word rules for roles, tried after the exact tables and before :data:`TOKEN_RULES`.
ROLE_RULES: tuple[TokenRule, ...] = (
    TokenRule(Role.STATED_WITHIN_20W, (_w("within", "inside"), _w("20", "twenty")),
              _w("exception", "exemption", "date")),
    TokenRule(Role.STATED_WITHIN_20W, (_w("20", "twenty"), _w("week"),
                                       _w("met", "achieved", "compliant", "timescale")),
              _w("exception", "exemption", "date")),
    TokenRule(Role.DAYS_TAKEN, (_w("day"), _TAKEN), _NOT_TAKEN | _w("date")),
    TokenRule(Role.WEEKS_TAKEN, (_w("week"), _TAKEN), _NOT_TAKEN | _w("date")),
    TokenRule(Role.MEDIATION_TRIBUNAL, (_w("mediation", "tribunal"),), _w("date")),
    TokenRule(Role.PLAN_START_DATE, (_w("start"), _w("plan", "ehcp")), _w("draft")),
)  # fmt: skip

#: Word rules tried in order after the exact table (first rule that holds wins).
TOKEN_RULES: tuple[TokenRule, ...] = (
    TokenRule(Field.SCHOOL_ADVICE_DATE, (_w("advice"), _w("school", "educational", "education"))),
    TokenRule(Field.DRAFT_DATE, (_w("draft"), _DATE_WORDS)),
    TokenRule(Field.DRAFT_DATE, (_w("draft"), _w("plan", "ehcp", "ehc"))),
    TokenRule(Field.ISSUE_DECISION_DATE, (_w("16", "sixteen"), _DATE_WORDS)),
    TokenRule(Field.ISSUE_DECISION_DATE, (_w("decision"), _w("issue"), _DATE_WORDS)),
    TokenRule(Field.ISSUE_DECISION, (_w("decision"), _w("issue"))),
    TokenRule(Field.ISSUE_DECISION, (_w("outcome"), _w("issue")), _DATE_WORDS),
    TokenRule(Field.ASSESS_DECISION_DATE, (_w("6", "six"), _w("week", "weeks"), _DATE_WORDS)),
    TokenRule(Field.ASSESS_DECISION_DATE, (_w("decision"), _w("assess"), _DATE_WORDS)),
    TokenRule(Field.ASSESS_DECISION, (_w("assess"), _w("decision", "agreed", "agree"))),
    TokenRule(Field.REQUEST_DATE, (_w("request", "requested", "referral"), _DATE_WORDS)),
    TokenRule(Field.REQUEST_DATE, (_w("received"), _w("date")), _w("plan", "ehcp", "advice")),
    TokenRule(Field.FINAL_DATE, (_w("final", "finalised"), _DATE_WORDS)),
    TokenRule(Field.FINAL_DATE, (_w("ehcp", "plan"), _w("issued", "issue")),
              _w("draft", "outcome", "decision")),
    TokenRule(Field.FINAL_DATE, (_w("final"), _w("plan", "ehcp", "ehc")),
              _w("draft", "outcome", "decision", "status", "stage", "week", "weeks", "within",
                 "exception", "exceptions", "reason", "delay")),
    TokenRule(Field.EXCEPTION, (_w("exception", "exceptions", "exemption"),)),
    TokenRule(Field.DELAY_REASON, (_w("delay", "delays", "late"),)),
    TokenRule(Field.OUTCOME, (_w("outcome", "status", "stage"),)),
    TokenRule(Field.CASE_ID, (_w("ref", "reference", "id", "upn"),)),
)  # fmt: skip

#: Every word of the synonym tables and word rules: the words a joined name is split into.
_VOCABULARY: frozenset[str] = frozenset(
    {w for texts in (*_SYNONYM_TEXT.values(), *_ROLE_TEXT.values()) for t in texts
     for w in _plain_words(t)}
    | {w for rule in (*ROLE_RULES, *TOKEN_RULES) for g in rule.all_of for w in g}
    | {"outcome", "record", "person", "named", "plan", "requests", "week", "date", "child"}
) - {"c", "a"}  # fmt: skip

#: Normalised synonym -> field (the exact-match table).
SYNONYMS: dict[str, Field] = {
    normalise_header(text): fld for fld, texts in _SYNONYM_TEXT.items() for text in texts
}
#: Normalised synonym -> role (checked after :data:`SYNONYMS`).
ROLE_SYNONYMS: dict[str, Role] = {
    normalise_header(text): role for role, texts in _ROLE_TEXT.items() for text in texts
}

#: Case references preferred over any other id column: the request's own record id beats a
#: person id (one person may make several requests).
PREFERRED_IDS: tuple[str, ...] = tuple(
    normalise_header(t)
    for t in ("Requests record ID", "Request record ID", "Request ID", "Record ID",
              "Request reference")
)  # fmt: skip


class MatchKind(StrEnum):
    """How a column came to be mapped (or not)."""

    OVERRIDE = "override"
    EXACT = "exact"
    TOKEN = "token"
    AMBIGUOUS = "ambiguous"
    IGNORED = "ignored"
    UNMAPPED = "unmapped"


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """The mapping decision for one input column."""

    index: int
    """Position of the column in the sheet's table (0-based)."""
    header: str
    """The header text as written (white space collapsed)."""
    field: Field | None
    """The canonical field, or None when unmapped."""
    kind: MatchKind
    """How the field was found."""
    rival: Field | None = None
    """For an ambiguous column: the field it would have been."""
    role: Role | None = None
    """For a column read for a :class:`Role` instead of a field (``field`` is None)."""


def _words(normalised: str) -> set[str]:
    words = set(normalised.split())
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


def _first_rule(rules: tuple[TokenRule, ...], normalised: str) -> Field | Role | None:
    words = _words(normalised)
    for rule in rules:
        if all(words & group for group in rule.all_of) and not words & rule.none_of:
            return rule.field
    return None


def token_field(normalised: str) -> Field | None:
    """The field the token rules give a normalised header, or None."""
    found = _first_rule(TOKEN_RULES, normalised)
    return found if isinstance(found, Field) else None


def _target(norm: str) -> tuple[Field | Role, MatchKind] | None:
    """What a normalised header names without overrides: exact tables, then word rules."""
    if norm in SYNONYMS:
        return SYNONYMS[norm], MatchKind.EXACT
    if norm in ROLE_SYNONYMS:
        return ROLE_SYNONYMS[norm], MatchKind.EXACT
    found = _first_rule(ROLE_RULES, norm) or _first_rule(TOKEN_RULES, norm)
    return None if found is None else (found, MatchKind.TOKEN)


def _named(target: str) -> Field | Role:
    return Field(target) if target in _FIELD_NAMES else Role(target)


def header_field(text: object, overrides: Mapping[str, str] | None = None) -> str | None:
    """The field, role (or ``ignore``) one header maps to on its own, ignoring rivals."""
    norm = normalise_header(text)
    if not norm:
        return None
    if overrides and norm in overrides:
        return overrides[norm]
    found = _target(norm)
    return None if found is None else found[0].value


def map_columns(headers: list[str], overrides: Mapping[str, str]) -> list[ColumnMatch]:
    """Map a sheet's headers onto fields following the confidence rule of this module.

    ``overrides`` maps *normalised* headers to field or role names (or ``ignore``). A
    column naming a :class:`Role` is matched with ``role`` set and ``field`` None.
    """
    norms = [normalise_header(h) for h in headers]
    taken: dict[Field | Role, int] = {}
    result: dict[int, ColumnMatch] = {}

    def claim(i: int, target: Field | Role, kind: MatchKind) -> None:
        if isinstance(target, Role):
            if target in taken and target not in MULTI_ROLES:
                result[i] = ColumnMatch(i, headers[i], None, MatchKind.UNMAPPED)
            else:
                taken.setdefault(target, i)
                result[i] = ColumnMatch(i, headers[i], None, kind, role=target)
        elif target in taken:
            result[i] = ColumnMatch(i, headers[i], None, MatchKind.AMBIGUOUS, rival=target)
        else:
            taken[target] = i
            result[i] = ColumnMatch(i, headers[i], target, kind)

    for i, norm in enumerate(norms):
        if norm and norm in overrides:
            target = overrides[norm]
            if target == IGNORE:
                result[i] = ColumnMatch(i, headers[i], None, MatchKind.IGNORED)
            else:
                claim(i, _named(target), MatchKind.OVERRIDE)
    for preferred in PREFERRED_IDS:
        for i, norm in enumerate(norms):
            if i not in result and norm == preferred and Field.CASE_ID not in taken:
                claim(i, Field.CASE_ID, MatchKind.EXACT)
    found = [(i, _target(norm)) for i, norm in enumerate(norms) if norm]
    for kind in (MatchKind.EXACT, MatchKind.TOKEN):
        for i, hit in found:
            if i not in result and hit is not None and hit[1] is kind:
                claim(i, hit[0], kind)
    return [
        result.get(i, ColumnMatch(i, headers[i], None, MatchKind.UNMAPPED))
        for i in range(len(headers))
    ]


_FIELD_NAMES = frozenset(f.value for f in Field)
_ROLE_NAMES = frozenset(r.value for r in Role)


def _check_field(name: str, where: str) -> str:
    clean = name.strip().lower()
    if clean == IGNORE or clean in _FIELD_NAMES or clean in _ROLE_NAMES:
        return clean
    known = ", ".join([*(f.value for f in Field), *(r.value for r in Role)])
    raise UsageError(f"{where}: unknown field {name!r}; use one of {known} or {IGNORE}.")


def parse_mapping_option(text: str) -> tuple[str, str]:
    """Split a ``--map`` option ``"HEADER=field"`` into ``(header, field)``.

    The split is at the last ``=`` so a header may itself contain ``=``.
    """
    header, sep, name = text.rpartition("=")
    if not sep or not header.strip():
        raise UsageError(f'--map {text!r} must look like "HEADER=request_date".')
    return header.strip(), _check_field(name, f"--map {text!r}")


@dataclass(frozen=True, slots=True)
class MappingFile:
    """The contents of a TOML mapping file."""

    columns: dict[str, str]
    """Header text -> field name (or ``ignore``)."""
    date_order: DateOrder | None = None
    sheet: str | None = None


def read_mapping_file(path: str | os.PathLike[str]) -> MappingFile:
    """Read a TOML mapping file: ``[columns]`` table, optional ``date_order`` and ``sheet``."""
    from ehcp_check.ingest.source import parse_toml, read_settings_text

    name, text = read_settings_text(path, "Mapping file")
    data = parse_toml(name, text, "Mapping file")
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict):
        raise InputError(f"Mapping file {name}: [columns] must be a table of header = field.")
    columns: dict[str, str] = {}
    for header, target in raw_columns.items():
        if not isinstance(target, str):
            raise InputError(f"Mapping file {name}: the field for {header!r} must be text.")
        columns[str(header)] = _check_field(target, f"Mapping file {name}")
    order = data.get("date_order")
    sheet = data.get("sheet")
    if order is not None and order not in {o.value for o in DateOrder}:
        raise InputError(f"Mapping file {name}: date_order must be dmy, mdy or ymd.")
    if sheet is not None and not isinstance(sheet, str):
        raise InputError(f"Mapping file {name}: sheet must be text.")
    return MappingFile(columns, None if order is None else DateOrder(order), sheet)


def merge_overrides(
    mapping: Mapping[str, str] | None, from_file: Mapping[str, str] | None
) -> dict[str, str]:
    """Normalised header -> field, the explicit ``mapping`` winning over the file."""
    merged: dict[str, str] = {}
    for source in (from_file or {}, mapping or {}):
        for header, target in source.items():
            merged[normalise_header(header)] = _check_field(target, f"Mapping {header!r}")
    return merged
