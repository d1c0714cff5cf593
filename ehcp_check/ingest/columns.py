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


def normalise_header(text: object) -> str:
    """Return the comparable form of a header: lower-case words separated by one space."""
    raw = str(text).replace("&", " and ").replace("\u2019", "'").replace("'", "")
    raw = _CAMEL.sub(" ", raw).lower()
    return " ".join(_NON_WORD.sub(" ", raw).split())


# fmt: off
_SYNONYM_TEXT: dict[Field, tuple[str, ...]] = {
    Field.CASE_ID: (
        "Case ref", "Case reference", "Case reference number", "Reference", "Reference number",
        "Ref", "Ref no", "Ref number", "ID", "Child ID", "Case ID", "Case number", "Case no",
        "UPN", "Unique pupil number", "Person ID", "Child reference", "Pupil ID", "Record ID",
        "EHCP reference", "Request ID", "Case",
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
        "Outcome of assessment", "EHCP agreed",
    ),
    Field.DRAFT_DATE: (
        "Draft plan issued", "Date draft EHCP sent", "Draft issued", "Draft date",
        "Date draft issued", "Draft EHCP issued", "Draft EHCP date", "Date of draft plan",
        "Draft plan date", "Date draft plan issued", "Draft plan sent", "Date draft sent",
        "Date draft EHC plan issued",
    ),
    Field.FINAL_DATE: (
        "Date final EHCP issued", "Final plan issued", "Date EHCP issued", "Date plan finalised",
        "Final EHCP date", "Issue date", "Final date", "Date final plan issued",
        "Final EHCP issued", "Date of final plan", "EHCP issue date", "Date issued",
        "Date finalised", "Plan issued date", "Final plan date", "Date EHC plan issued",
        "Date final EHC plan issued", "Plan finalised", "Date plan issued", "StartDate",
        "Plan start date",
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

#: Normalised synonym -> field (the exact-match table).
SYNONYMS: dict[str, Field] = {
    normalise_header(text): fld for fld, texts in _SYNONYM_TEXT.items() for text in texts
}

_DATE_WORDS = frozenset({"date", "received", "issued", "sent", "when", "dated", "finalised"})


@dataclass(frozen=True, slots=True)
class TokenRule:
    """A header matches when it has one word of each set in ``all_of`` and none of ``none_of``."""

    field: Field
    all_of: tuple[frozenset[str], ...]
    none_of: frozenset[str] = frozenset()


def _w(*words: str) -> frozenset[str]:
    return frozenset(words)


#: Word rules tried in order after the exact table (first rule that holds wins).
TOKEN_RULES: tuple[TokenRule, ...] = (
    TokenRule(Field.SCHOOL_ADVICE_DATE, (_w("advice"), _w("school", "educational", "education"))),
    TokenRule(Field.DRAFT_DATE, (_w("draft"), _DATE_WORDS)),
    TokenRule(Field.ISSUE_DECISION_DATE, (_w("16", "sixteen"), _DATE_WORDS)),
    TokenRule(Field.ISSUE_DECISION_DATE, (_w("decision"), _w("issue"), _DATE_WORDS)),
    TokenRule(Field.ISSUE_DECISION, (_w("decision"), _w("issue"))),
    TokenRule(Field.ASSESS_DECISION_DATE, (_w("6", "six"), _w("week", "weeks"), _DATE_WORDS)),
    TokenRule(Field.ASSESS_DECISION_DATE, (_w("decision"), _w("assess"), _DATE_WORDS)),
    TokenRule(Field.ASSESS_DECISION, (_w("assess"), _w("decision", "agreed", "agree"))),
    TokenRule(Field.REQUEST_DATE, (_w("request", "requested", "referral"), _DATE_WORDS)),
    TokenRule(Field.REQUEST_DATE, (_w("received"), _w("date")), _w("plan", "ehcp", "advice")),
    TokenRule(Field.FINAL_DATE, (_w("final", "finalised"), _DATE_WORDS)),
    TokenRule(Field.FINAL_DATE, (_w("ehcp", "plan"), _w("issued", "issue")), _w("draft")),
    TokenRule(Field.EXCEPTION, (_w("exception", "exceptions", "exemption"),)),
    TokenRule(Field.DELAY_REASON, (_w("delay", "delays", "late"),)),
    TokenRule(Field.OUTCOME, (_w("outcome", "status", "stage"),)),
    TokenRule(Field.CASE_ID, (_w("ref", "reference", "id", "upn"),)),
)


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


def token_field(normalised: str) -> Field | None:
    """The field the token rules give a normalised header, or None."""
    words = set(normalised.split())
    words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 3}
    for rule in TOKEN_RULES:
        if all(words & group for group in rule.all_of) and not words & rule.none_of:
            return rule.field
    return None


def header_field(text: object, overrides: Mapping[str, str] | None = None) -> str | None:
    """The field (or ``ignore``) one header maps to on its own, ignoring rivals."""
    norm = normalise_header(text)
    if not norm:
        return None
    if overrides and norm in overrides:
        return overrides[norm]
    if norm in SYNONYMS:
        return SYNONYMS[norm].value
    found = token_field(norm)
    return None if found is None else found.value


def map_columns(headers: list[str], overrides: Mapping[str, str]) -> list[ColumnMatch]:
    """Map a sheet's headers onto fields following the confidence rule of this module.

    ``overrides`` maps *normalised* headers to field names (or ``ignore``).
    """
    norms = [normalise_header(h) for h in headers]
    taken: dict[Field, int] = {}
    result: dict[int, ColumnMatch] = {}

    def claim(i: int, fld: Field, kind: MatchKind) -> None:
        if fld in taken:
            result[i] = ColumnMatch(i, headers[i], None, MatchKind.AMBIGUOUS, rival=fld)
        else:
            taken[fld] = i
            result[i] = ColumnMatch(i, headers[i], fld, kind)

    for i, norm in enumerate(norms):
        if norm and norm in overrides:
            target = overrides[norm]
            if target == IGNORE:
                result[i] = ColumnMatch(i, headers[i], None, MatchKind.IGNORED)
            else:
                claim(i, Field(target), MatchKind.OVERRIDE)
    for i, norm in enumerate(norms):
        if i not in result and norm in SYNONYMS:
            claim(i, SYNONYMS[norm], MatchKind.EXACT)
    for i, norm in enumerate(norms):
        if i not in result and norm:
            found = token_field(norm)
            if found is not None:
                claim(i, found, MatchKind.TOKEN)
    return [
        result.get(i, ColumnMatch(i, headers[i], None, MatchKind.UNMAPPED))
        for i in range(len(headers))
    ]


def _check_field(name: str, where: str) -> str:
    clean = name.strip().lower()
    if clean == IGNORE or clean in {f.value for f in Field}:
        return clean
    known = ", ".join(f.value for f in Field)
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
