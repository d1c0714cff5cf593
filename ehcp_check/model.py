"""Shared vocabulary: canonical fields, statuses, outcomes and data issues.

This module is a leaf: it imports nothing of ours. Every name here is part of the data
contract (``docs/data-contract.md``): users' scripts depend on the string values.

The canonical *case table* is a :class:`pandas.DataFrame` with one row per case and these
columns (any of them may be absent except ``request_date``; missing columns are treated as
all-unknown by the engine):

========================  ============================================================
column                    dtype and meaning
========================  ============================================================
``file``                  str: input file name as given by the user
``sheet``                 str or None: sheet name (None for CSV)
``row``                   int: row number as the spreadsheet shows it (1-based)
``case_id``               str or None
``la``                    str or None
``request_date``          datetime64: date the request was received (NaT: invalid)
``assess_decision_date``  datetime64
``assess_decision``       str: one of :class:`Decision` values, or None when unknown
``issue_decision_date``   datetime64: the decision whether to issue (the 16-week notice
                          when the decision is "no")
``issue_decision``        str: one of :class:`Decision` values, or None
``draft_date``            datetime64
``final_date``            datetime64
``outcome``               str: one of :class:`Outcome` values as stated by the data, or
                          None when the data says nothing (the engine then derives it)
``exception``             str or None: the raw exception flag or reason, as written
``school_advice_date``    datetime64: date advice was asked of the school / setting
``delay_reason``          str or None: the LA's stated reason for delay (not a claim)
``withheld``              int (optional): bit mask over :data:`DATE_FIELDS` (bit i is
                          ``DATE_FIELDS[i]``): the cell said the event happened on a date
                          withheld (redacted, an Excel error): the engine judges no limit
                          that ends on that date and claims no breach from it
``caveats``               int (optional): bit mask over :data:`CAVEATS` (bit i is
                          ``CAVEATS[i]``), set by ingest for what the row's verdict rests
                          on that was not read cleanly; the engine adds its own bits
``mediation_tribunal``    bool or None (optional): mediation or a tribunal took place
                          (SEN2 items); such cases leave the DfE-comparable figures
``stated_within_20w``     str (optional): a :class:`Decision` value from a "within 20
                          weeks?" column, used only when there is no final-date column
``stated_days_to_final``  float (optional): days from request to final plan, from a
                          "days taken" / "weeks taken" column (weeks x 7), used likewise
========================  ============================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def is_missing(value: object) -> bool:
    """True for None, NaN, and pandas' NA and NaT (checked without importing pandas)."""
    return (
        value is None
        or (isinstance(value, float) and value != value)
        or type(value).__name__ in ("NAType", "NaTType")
    )


class Field(StrEnum):
    """Canonical case fields (data contract section 1)."""

    CASE_ID = "case_id"
    LA = "la"
    REQUEST_DATE = "request_date"
    ASSESS_DECISION_DATE = "assess_decision_date"
    ASSESS_DECISION = "assess_decision"
    ISSUE_DECISION_DATE = "issue_decision_date"
    ISSUE_DECISION = "issue_decision"
    DRAFT_DATE = "draft_date"
    FINAL_DATE = "final_date"
    OUTCOME = "outcome"
    EXCEPTION = "exception"
    SCHOOL_ADVICE_DATE = "school_advice_date"
    DELAY_REASON = "delay_reason"


#: Fields that hold dates (parsed to ``datetime64``).
DATE_FIELDS: tuple[Field, ...] = (
    Field.REQUEST_DATE,
    Field.ASSESS_DECISION_DATE,
    Field.ISSUE_DECISION_DATE,
    Field.DRAFT_DATE,
    Field.FINAL_DATE,
    Field.SCHOOL_ADVICE_DATE,
)

#: Provenance columns every case table carries.
SOURCE_COLUMNS: tuple[str, ...] = ("file", "sheet", "row")


class Decision(StrEnum):
    """A yes / no decision, or one explicitly not yet made."""

    YES = "yes"
    NO = "no"
    PENDING = "pending"


class Outcome(StrEnum):
    """What became of a request (data contract section 2, ``outcome``)."""

    PLAN_ISSUED = "plan_issued"
    REFUSED = "refused"
    NO_PLAN = "no_plan"
    WITHDRAWN = "withdrawn"
    TRANSFERRED_IN = "transferred_in"
    OPEN = "open"


class Status(StrEnum):
    """The verdict on a case (data contract section 2, ``status``)."""

    ON_TIME = "on_time"
    LATE = "late"
    LATE_EXCEPTION = "late_exception"
    OVERDUE = "overdue"
    OVERDUE_EXCEPTION = "overdue_exception"
    """Open past a deadline, with an accepted exception claim for every limit it is past."""
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"
    INVALID = "invalid"


#: Statuses that make the run exit 1 (data contract section 5).
BREACH_STATUSES: frozenset[Status] = frozenset({Status.LATE, Status.OVERDUE})


class Caveat(StrEnum):
    """Why a verdict rests on something that was not read cleanly (data contract s.2).

    A verdict carrying a caveat is counted (``cases_with_caveats``) and said in the
    headline of every report: never claim a breach from something not read.
    """

    OUTCOME_NOT_UNDERSTOOD = "outcome-not-understood"
    """The status / outcome text was not understood; the case was judged as if open."""
    DATE_WITHHELD = "date-withheld"
    """A date was withheld (redacted, an error cell): the event happened on an unknown
    date, so the limit ending on it was not judged."""
    DATE_NOT_READ = "date-not-read"
    """A date cell could not be read (impossible or out of range): treated as unknown."""
    NO_FINAL_DATE_COLUMN = "no-final-date-column"
    """The sheet has no final-plan date column: the 20-week limit was not judged from a date."""
    STATED_20W = "verdict-from-stated-column"
    """The 20-week verdict comes from a "within 20 weeks?" / "weeks taken" column."""
    FLAG_REASON_CONFLICT = "flag-reason-conflict"
    """The exception flag says no but a reason is given: the reason was judged."""
    DATE_FROM_STATUS_TEXT = "date-from-status-text"
    """A date was taken from the status text because its date column was blank."""
    PLAN_DATE_FROM_START_DATE = "plan-date-from-start-date"
    """The plan's start date stood in for its issue date (it can pre-date a transfer)."""
    DECISION_NOT_RECORDED = "decision-not-recorded"
    """No decision whether to assess is recorded: taken as "not told yet"."""
    NO_DECISION_COLUMN = "no-decision-column"
    """The sheet has no decision-to-assess column: the 6-week limit of a case still waiting
    was not judged (nothing was read to say whether the family had been told)."""


#: Caveat codes in bit order (bit i of the ``caveats`` column is ``CAVEATS[i]``).
CAVEATS: tuple[Caveat, ...] = tuple(Caveat)


def caveat_bit(caveat: Caveat) -> int:
    """The bit of ``caveat`` in a ``caveats`` mask."""
    return 1 << CAVEATS.index(caveat)


def withheld_bit(field: Field) -> int:
    """The bit of a date ``field`` in a ``withheld`` mask."""
    return 1 << DATE_FIELDS.index(field)


class DayCount(StrEnum):
    """How "within N weeks" is counted (statute.md section 2).

    ``within``: the day of the request is day 0; deadline = request + 7N days (default).
    ``day-one``: the day of the request is day 1; deadline = request + 7N - 1 days.
    """

    WITHIN = "within"
    DAY_ONE = "day-one"


@dataclass(frozen=True, slots=True)
class DataIssue:
    """One problem found in the input: a finding, not an exception.

    The run continues; the issue is listed in every report.
    """

    file: str
    """Input file name as the user gave it."""
    sheet: str | None
    """Sheet name, or None for a CSV file."""
    row: int | None
    """Row number as the spreadsheet shows it (1-based), or None for a whole-sheet issue."""
    column: str | None
    """Canonical field (or the input header when unmapped), or None."""
    value: str | None
    """The offending cell text, shortened; never a whole row."""
    code: str
    """Stable machine-readable code, e.g. ``bad-date``."""
    message: str
    """One plain sentence for people."""
    excluded: bool = False
    """True when this issue removed the row from the cases (counts in ``rows_excluded``)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class SheetInput:
    """What was read from one sheet (or one CSV file): the ``inputs`` entries of the JSON."""

    file: str
    """Input file name as the user gave it."""
    sheet: str | None
    """Sheet name, or None for CSV."""
    header_row: int
    """Row number of the header, as Excel shows it (1-based)."""
    rows: int
    """Data rows seen under the header (blank rows at the very end are not counted)."""
    columns: dict[str, str]
    """Canonical field -> the input header it was read from."""
    excluded: int = 0
    """Rows of this sheet that ingest excluded (total rows, blank rows, notes)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "columns": dict(self.columns),
        }


@dataclass(slots=True)
class LoadResult:
    """Everything ingest produced: the case table, the issues, what was read."""

    cases: pd.DataFrame
    """The canonical case table (see the module docstring); excluded rows are not in it."""
    issues: list[DataIssue] = field(default_factory=list)
    inputs: list[SheetInput] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(i.rows for i in self.inputs)

    @property
    def rows_excluded(self) -> int:
        return sum(i.excluded for i in self.inputs)

    @property
    def duplicate_rows(self) -> int:
        """Exact duplicate rows excluded (each listed as a ``duplicate-row`` issue)."""
        return sum(1 for i in self.issues if i.code == "duplicate-row")
