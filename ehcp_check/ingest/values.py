"""Cell values: blanks, markers, yes / no spellings, outcomes, total and note rows.

Everything here works on *distinct* values: callers factorise a column once, classify each
distinct value with these functions and map the answers back to rows with numpy indexing.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

from ehcp_check.ingest.outcome_words import classify_status
from ehcp_check.ingest.sen2_items import CODE_OUTCOMES
from ehcp_check.model import Decision, Outcome


class Marker(Enum):
    """What a non-value cell means."""

    BLANK = "blank"
    """Empty or white space: unknown, no issue."""
    OPEN = "open"
    """``Ongoing``, ``TBC``, ``Pending``: not happened yet, no issue."""
    NOT_APPLICABLE = "not-applicable"
    """``N/A``, ``-``: no issue."""
    REDACTED = "redacted"
    """``<5``, ``*``, ``[redacted]``: an issue."""
    EXCEL_ERROR = "excel-error"
    """``#N/A``, ``#VALUE!``: an issue."""


def norm_text(value: str) -> str:
    """Lower-case ``value`` with white space (and NUL characters, which numpy's string
    functions strip like white space) collapsed."""
    return " ".join(value.replace("\x00", " ").split()).lower()


OPEN_MARKERS = frozenset(
    {
        "ongoing", "open", "tbc", "tba", "pending", "in progress", "not yet", "awaiting",
        "awaiting decision", "not yet issued", "not yet known", "to be confirmed", "current",
        "live", "outstanding", "not yet decided",
    }
)  # fmt: skip
NA_MARKERS = frozenset({"n/a", "na", "-", "--", "\u2013", "not applicable", "none", "nil"})
REDACTION_MARKERS = frozenset(
    {
        "<5", "< 5", "fewer than 5", "less than 5", "*", "**", "x", "z", "c", "[redacted]",
        "redacted", "[x]", "[z]", "[c]", "suppressed", "withheld", "[withheld]",
    }
)  # fmt: skip
EXCEL_ERRORS = frozenset(
    {"#n/a", "#value!", "#ref!", "#div/0!", "#name?", "#num!", "#null!", "#spill!", "#calc!",
     "#getting_data", "#field!", "#blocked!", "#connect!", "#busy!", "#unknown!"}
)  # fmt: skip


def marker_of(value: object) -> Marker | None:
    """The marker a cell value is, or None when it is a real value."""
    if value is None:
        return Marker.BLANK
    if isinstance(value, float) and value != value:  # NaN
        return Marker.BLANK
    if not isinstance(value, str):
        return None
    text = norm_text(value)
    if not text:
        return Marker.BLANK
    if text in OPEN_MARKERS:
        return Marker.OPEN
    if text in NA_MARKERS:
        return Marker.NOT_APPLICABLE
    if text in REDACTION_MARKERS:
        return Marker.REDACTED
    if text in EXCEL_ERRORS:
        return Marker.EXCEL_ERROR
    return None


def is_blank(value: object) -> bool:
    """True for None, NaN and empty or white-space text."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return isinstance(value, str) and not value.replace("\x00", " ").strip()


def cell_text(value: object) -> str:
    """A cell value as plain text, the way a person would read it in the sheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_YES = {"y", "yes", "true", "1", "1.0", "agreed", "agreed to assess", "agree", "assess", "issue",
        "agreed to issue", "to issue", "plan issued", "issued", "ok", "accepted", "approved",
        "yes agreed", "yes - agreed", "will assess", "assessing", "issuing"}  # fmt: skip
_NO = {"n", "no", "false", "0", "0.0", "not agreed", "not agreed to assess", "declined", "refused",
       "disagreed", "not to assess", "refused to assess", "not to issue", "not issued",
       "decision not to issue", "no plan", "no - declined", "rejected", "nta", "not assessed",
       "dni", "no - refused", "no ehcp"}  # fmt: skip
_PENDING = {"a", "pending", "awaiting decision", "not yet decided", "tbc", "ongoing",
            "in progress", "open", "awaiting", "to be decided", "undecided"}  # fmt: skip


def decision_of(value: object) -> Decision | None:
    """The :class:`Decision` a yes / no cell states, or None when not understood.

    SEN2 codes read as decisions: Y yes, N no, A pending (W and H are outcomes, not
    decisions: see :func:`sen2_code_outcome`).
    """
    if isinstance(value, bool):
        return Decision.YES if value else Decision.NO
    if isinstance(value, int | float):
        return Decision.YES if value == 1 else Decision.NO if value == 0 else None
    if not isinstance(value, str):
        return None
    text = norm_text(value).rstrip(".")
    if text in _YES:
        return Decision.YES
    if text in _NO:
        return Decision.NO
    if text in _PENDING:
        return Decision.PENDING
    return None


#: SEN2 outcome codes that are outcomes, not decisions (W withdrawn, H transferred in).
_SEN2_CODE_OUTCOMES = {code.lower(): outcome for code, outcome in CODE_OUTCOMES.items()}


def sen2_code_outcome(value: object) -> Outcome | None:
    """The outcome a SEN2 ``W`` / ``H`` code in a decision column implies, else None."""
    if isinstance(value, str):
        return _SEN2_CODE_OUTCOMES.get(norm_text(value))
    return None


#: Decisions an outcome implies: (assess_decision, issue_decision).
IMPLIED_DECISIONS: dict[Outcome, tuple[Decision | None, Decision | None]] = {
    Outcome.PLAN_ISSUED: (Decision.YES, Decision.YES),
    Outcome.REFUSED: (Decision.NO, None),
    Outcome.NO_PLAN: (Decision.YES, Decision.NO),
    Outcome.WITHDRAWN: (None, None),
    Outcome.TRANSFERRED_IN: (None, None),
    Outcome.OPEN: (None, None),
}


def outcome_of(value: object) -> Outcome | None:
    """The :class:`Outcome` an outcome / status cell states by its words, or None when not
    understood (see :mod:`ehcp_check.ingest.outcome_words`)."""
    if not isinstance(value, str):
        return None
    return classify_status(value)


_TOTAL = re.compile(
    r"^\s*(grand\s+total|sub[\s-]?total|totals?|average|mean|median|sum|count|overall)\b",
    re.IGNORECASE,
)
_NOTE = re.compile(r"^\s*(notes?|source|sources|footnotes?|key|n\.?b\.?)\s*[:.\-\d]", re.IGNORECASE)
_NOTE_WHOLE = re.compile(r"^\s*(notes?|sources?|footnotes?)\s*$", re.IGNORECASE)

#: A row whose only filled cell is text at least this long is a note.
NOTE_MIN_CHARS = 30


def is_total_text(value: object) -> bool:
    """True when a row starting with ``value`` is a total or average row."""
    return isinstance(value, str) and _TOTAL.match(value) is not None


def is_note_text(value: object) -> bool:
    """True when a row starting with ``value`` is a note or source line."""
    if not isinstance(value, str):
        return False
    return _NOTE.match(value) is not None or _NOTE_WHOLE.match(value) is not None
