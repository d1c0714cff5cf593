"""What a sheet's rows mean beyond their cells: the steps from values to facts.

Runs once per sheet after each mapped column has been converted, column-wise over rows:

* SEN2 items (:mod:`ehcp_check.ingest.sen2_items`): ``AssessmentOutcome`` decides whether
  ``AssessmentOutcomeDate`` is the final plan's date or the no-plan notice; the plan's start
  date stands in for a missing plan date (caveat ``plan-date-from-start-date``);
  mediation / tribunal items fill ``mediation_tribunal``.
* A date written in the status text fills its blank date column (``date-from-status-text``).
* Exception flag and reason combined as statute.md s.3 says: the reason is the claim; a
  flag "Y" with a blank reason is a bare flag; a reason with a flag "N" is judged and
  marked ``flag-reason-conflict``. ``0.0`` / ``1.0`` read as ``0`` / ``1``.
* Withheld dates (redacted, an Excel error) set the ``withheld`` mask (statute.md s.4: the
  event happened on an unknown date) and ``date-withheld``; unreadable dates set
  ``date-not-read``; a status or decision not understood sets ``outcome-not-understood``;
  a sheet without a final-date column sets ``no-final-date-column`` on every row.
* "Within 20 weeks?", "days taken" and "weeks taken" columns fill ``stated_within_20w`` and
  ``stated_days_to_final`` (weeks x 7).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.ingest.codes import DateOrder
from ehcp_check.ingest.columns import ColumnMatch, MatchKind, Role, normalise_header
from ehcp_check.ingest.convert import convert_dates, convert_decisions
from ehcp_check.ingest.dates import parse_dates
from ehcp_check.ingest.distinct import Distinct
from ehcp_check.ingest.outcome_words import implied_decision, split_status
from ehcp_check.ingest.sen2_items import ASSESSMENT_OUTCOME_DATE
from ehcp_check.ingest.status import CellStatus
from ehcp_check.ingest.values import cell_text, decision_of
from ehcp_check.model import (
    DATE_FIELDS,
    Caveat,
    Decision,
    Field,
    Outcome,
    caveat_bit,
    withheld_bit,
)

#: The optional case-table columns ingest fills (model.py docstring), with their empty value.
EXTRA_COLUMNS: tuple[str, ...] = (
    "withheld",
    "caveats",
    "mediation_tribunal",
    "stated_within_20w",
    "stated_days_to_final",
)

_WITHHELD = np.array([CellStatus.REDACTED, CellStatus.EXCEL_ERROR], dtype=np.int8)
_NOT_READ = np.array([CellStatus.BAD, CellStatus.OUT_OF_RANGE], dtype=np.int8)
_ZERO_ONE = re.compile(r"^\s*([01])(?:\.0+)?\s*$")
_DURATION = re.compile(
    r"^\s*(?:(?P<w>\d+(?:\.\d+)?)\s*(?:w|wk|wks|week|weeks)\b)?[\s,]*"
    r"(?:(?P<d>\d+(?:\.\d+)?)\s*(?:d|day|days)\b)?\s*$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class SheetFacts:
    """The converted columns of one sheet, for :func:`derive`."""

    rows: int
    found: dict[Field, pd.Series]
    """Canonical values per field (changed in place)."""
    status: dict[Field, npt.NDArray[np.int8]]
    """:class:`~ehcp_check.ingest.status.CellStatus` per row for each mapped field."""
    headers: dict[Field, str]
    """The header each field was read from."""
    roles: dict[Role, list[Distinct]] = field(default_factory=dict)
    """Columns read for a role (several for ``mediation_tribunal``)."""
    statuses: Distinct | None = None
    """The outcome column's cells, to read dates written in the text."""
    date_order: DateOrder | None = None
    date1904: bool = False
    latest: dt.date | None = None
    derived: dict[Field, str] = field(default_factory=dict)
    """Fields without a column of their own, filled from another column (its header)."""


def _bits(mask: npt.NDArray[np.bool_], bit: int) -> npt.NDArray[np.int64]:
    return np.where(mask, np.int64(bit), np.int64(0))


def _nat(n: int) -> pd.Series:
    return pd.Series(np.full(n, np.datetime64("NaT", "ns")), dtype="datetime64[ns]")


def _values(facts: SheetFacts, fld: Field) -> npt.NDArray[np.object_]:
    series = facts.found.get(fld)
    if series is None:
        return np.full(facts.rows, None, dtype=object)
    return np.asarray(series.to_numpy(dtype=object), dtype=object)


def _sen2_outcome_dates(facts: SheetFacts) -> None:
    """``AssessmentOutcomeDate`` read by ``AssessmentOutcome`` (sen2_items)."""
    header = facts.headers.get(Field.ISSUE_DECISION_DATE)
    if header is None or ASSESSMENT_OUTCOME_DATE not in normalise_header(header):
        return
    dates = facts.found[Field.ISSUE_DECISION_DATE]
    decision = _values(facts, Field.ISSUE_DECISION)
    outcome = _values(facts, Field.OUTCOME)
    if Field.ISSUE_DECISION not in facts.found and Field.OUTCOME not in facts.found:
        return
    yes = (decision == Decision.YES.value) | (
        (decision == None) & (outcome == Outcome.PLAN_ISSUED.value)  # noqa: E711
    )
    no = (decision == Decision.NO.value) | (
        (decision == None) & (outcome == Outcome.NO_PLAN.value)  # noqa: E711
    )
    final = facts.found.get(Field.FINAL_DATE)
    if final is None:
        final = _nat(facts.rows)
    use = yes & final.isna().to_numpy() & dates.notna().to_numpy()
    if Field.FINAL_DATE not in facts.found:
        facts.derived[Field.FINAL_DATE] = header
    facts.found[Field.FINAL_DATE] = final.where(~use, dates)
    # A (not yet decided), W (withdrawn), H (transferred in): the date is no decision's.
    other = ~(yes | no) & ~((decision == None) & (outcome == None))  # noqa: E711
    facts.found[Field.ISSUE_DECISION_DATE] = dates.where(~other)
    status = facts.status.get(Field.ISSUE_DECISION_DATE)
    if status is not None:
        status = np.where(other, np.int8(CellStatus.BLANK), status).astype(np.int8)
        facts.status[Field.ISSUE_DECISION_DATE] = status
        final_status = facts.status.get(Field.FINAL_DATE)
        if final_status is None:
            facts.status[Field.FINAL_DATE] = np.where(yes, status, np.int8(CellStatus.BLANK))
        else:
            facts.status[Field.FINAL_DATE] = np.where(
                yes & (final_status == CellStatus.BLANK), status, final_status
            ).astype(np.int8)


def _plan_start(facts: SheetFacts, caveats: npt.NDArray[np.int64]) -> None:
    """The plan's start date where no plan date exists (a start can pre-date a transfer)."""
    columns = facts.roles.get(Role.PLAN_START_DATE)
    if not columns:
        return
    start = convert_dates(
        columns[0], order=facts.date_order, date1904=facts.date1904, latest=facts.latest
    ).values
    final = facts.found.get(Field.FINAL_DATE)
    if final is None:
        final = _nat(facts.rows)
    outcome = _values(facts, Field.OUTCOME)
    decision = _values(facts, Field.ISSUE_DECISION)
    # No plan of this council's to date: refused, no plan, withdrawn, or a plan brought in
    # (its start is the other council's); nor a start before the request.
    ended_otherwise = np.isin(
        outcome,
        [o.value for o in (Outcome.NO_PLAN, Outcome.REFUSED, Outcome.WITHDRAWN,
                           Outcome.TRANSFERRED_IN)],
    ) | (decision == Decision.NO.value)  # fmt: skip
    request = facts.found.get(Field.REQUEST_DATE)
    if request is not None:
        ended_otherwise |= (start < request).to_numpy()
    notice = _values(facts, Field.ISSUE_DECISION_DATE)
    no_outcome_date = pd.isna(pd.Series(notice, dtype=object)).to_numpy()
    final_status = facts.status.get(Field.FINAL_DATE)
    withheld = (
        np.zeros(facts.rows, dtype=bool)
        if final_status is None
        else np.isin(final_status, _WITHHELD)
    )
    use = (
        final.isna().to_numpy()
        & start.notna().to_numpy()
        & ~ended_otherwise
        & no_outcome_date
        & ~withheld
    )
    if use.any():
        facts.found[Field.FINAL_DATE] = final.where(~use, start)
        caveats |= _bits(use, caveat_bit(Caveat.PLAN_DATE_FROM_START_DATE))


def _status_dates(facts: SheetFacts, caveats: npt.NDArray[np.int64]) -> None:
    """A date written in the status text fills its date column where that cell is blank."""
    column = facts.statuses
    if column is None:
        return
    present = column.present()
    texts: list[str | None] = [None] * len(column.values)
    targets: list[Field | None] = [None] * len(column.values)
    for i in np.flatnonzero(present & column.table.is_str).tolist():
        reading = split_status(str(column.values[i]))
        if reading.date_text is not None and reading.date_field is not None:
            texts[i], targets[i] = reading.date_text, reading.date_field
    if not any(t is not None for t in targets):
        return
    parsed = parse_dates(
        pd.Series(texts, dtype=object), order=facts.date_order, latest=facts.latest
    ).dates
    per_value = pd.Series(parsed, dtype="datetime64[ns]", copy=False)
    codes = column.codes
    row_dates = pd.Series(
        np.where(codes >= 0, per_value.to_numpy()[np.maximum(codes, 0)], np.datetime64("NaT")),
        dtype="datetime64[ns]",
    )
    target_names = np.array(
        [None if t is None else t.value for t in targets] + [None], dtype=object
    )
    row_targets = target_names[codes]
    for fld in {t for t in targets if t is not None}:
        current = facts.found.get(fld)
        if current is None:
            current = _nat(facts.rows)
        cell = facts.status.get(fld)
        blank = np.ones(facts.rows, dtype=bool) if cell is None else cell == CellStatus.BLANK
        use = (row_targets == fld.value) & current.isna().to_numpy() & blank
        use &= row_dates.notna().to_numpy()
        if use.any():
            facts.found[fld] = current.where(~use, row_dates)
            caveats |= _bits(use, caveat_bit(Caveat.DATE_FROM_STATUS_TEXT))


def _status_decisions(facts: SheetFacts) -> None:
    """An open status that says where the assessment stands ("assessment in progress",
    "awaiting decision") fills a blank decision-to-assess value: yes, or pending."""
    column = facts.statuses
    if column is None:
        return
    present = column.present()
    per_value = np.full(len(column.values), None, dtype=object)
    for i in np.flatnonzero(present & column.table.is_str).tolist():
        decision = implied_decision(str(column.values[i]))
        if decision is not None:
            per_value[i] = decision.value
    if not any(v is not None for v in per_value):
        return
    implied = column.per_row(per_value, None)
    current = _values(facts, Field.ASSESS_DECISION)
    blank = pd.isna(pd.Series(current, dtype=object)).to_numpy()
    use = blank & pd.notna(pd.Series(implied, dtype=object)).to_numpy()
    if use.any():
        facts.found[Field.ASSESS_DECISION] = pd.Series(
            np.where(use, implied, current), dtype=object
        )


def pair_flag_and_reason(matches: list[ColumnMatch], columns: list[Distinct]) -> list[ColumnMatch]:
    """Two exception columns: the one holding only yes / no values is the flag, the other
    the reason (statute.md s.3). Otherwise the matches are returned unchanged."""
    taken = [m for m in matches if m.field is Field.EXCEPTION]
    rivals = [m for m in matches if m.kind is MatchKind.AMBIGUOUS and m.rival is Field.EXCEPTION]
    if len(taken) != 1 or not rivals or any(m.role is Role.EXCEPTION_FLAG for m in matches):
        return matches
    first, second = taken[0], rivals[0]
    flags = [_only_flags(columns[m.index]) for m in (first, second)]
    if flags[0] == flags[1]:
        return matches
    flag, reason = (first, second) if flags[0] else (second, first)
    out = []
    for m in matches:
        if m is flag:
            out.append(
                ColumnMatch(
                    m.index,
                    m.header,
                    None,
                    m.kind if m is first else MatchKind.TOKEN,
                    role=Role.EXCEPTION_FLAG,
                )
            )
        elif m is reason:
            kind = m.kind if m is first else MatchKind.TOKEN
            out.append(ColumnMatch(m.index, m.header, Field.EXCEPTION, kind))
        else:
            out.append(m)
    return out


def _only_flags(column: Distinct) -> bool:
    """Every filled value of the column is a yes / no flag."""
    filled = [v for v in column.values.tolist() if cell_text(v).strip()]
    return bool(filled) and all(_flag_value(v) is not None for v in filled)


def _flag_value(value: object) -> str | None:
    """A flag cell as ``"Y"`` (yes), ``"N"`` (no) or None (blank or not a flag)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    decision = decision_of(value)
    if decision is Decision.YES:
        return "Y"
    if decision is Decision.NO:
        return "N"
    return None


def _exception(facts: SheetFacts, caveats: npt.NDArray[np.int64]) -> None:
    """One ``exception`` column from a reason and a flag (statute.md s.3)."""
    reason = facts.found.get(Field.EXCEPTION)
    if reason is not None:
        codes, uniques = pd.factorize(reason)
        fixed = np.array([*(_zero_one(v) for v in uniques), None], dtype=object)
        reason = pd.Series(fixed[codes], dtype=object, copy=False)
        facts.found[Field.EXCEPTION] = reason
    flags = facts.roles.get(Role.EXCEPTION_FLAG)
    if not flags:
        return
    column = flags[0]
    per_value = np.empty(len(column.values), dtype=object)
    per_value[:] = [_flag_value(v) for v in column.values]
    flag = column.per_row(per_value, None)
    bare: npt.NDArray[np.object_] = np.full(len(flag), None, dtype=object)
    bare[flag == "Y"] = "Y"
    if reason is None:
        facts.found[Field.EXCEPTION] = pd.Series(bare, dtype=object, copy=False)
        return
    reason_values = np.asarray(reason.to_numpy(dtype=object), dtype=object)
    has_reason = ~pd.isna(reason).to_numpy()
    codes, uniques = pd.factorize(reason)
    is_flag = np.array([_flag_value(v) is not None for v in uniques] + [False], dtype=bool)
    real_reason = has_reason & ~is_flag[codes]
    combined = np.where(has_reason, reason_values, bare)
    conflict = real_reason & (flag == "N")
    facts.found[Field.EXCEPTION] = pd.Series(combined, dtype=object, copy=False)
    caveats |= _bits(conflict, caveat_bit(Caveat.FLAG_REASON_CONFLICT))


def _zero_one(value: object) -> object:
    """``0.0`` / ``1.0`` as ``0`` / ``1`` (SEN2 booleans through a spreadsheet), else as is."""
    if isinstance(value, str):
        found = _ZERO_ONE.match(value)
        if found:
            return found.group(1)
    return value


def _stated_days(column: Distinct, scale: float) -> npt.NDArray[np.float64]:
    per_value = np.full(len(column.values), np.nan)
    for i, value in enumerate(column.values.tolist()):
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            per_value[i] = float(value) * scale
            continue
        text = cell_text(value).strip()
        try:
            per_value[i] = float(text) * scale
            continue
        except ValueError:
            pass
        found = _DURATION.match(text)
        if found and (found["w"] or found["d"]):
            per_value[i] = float(found["w"] or 0) * 7 + float(found["d"] or 0)
    return column.per_row(per_value, np.nan)


def _mediation(columns: list[Distinct], rows: int) -> pd.Series:
    anyyes = np.zeros(rows, dtype=bool)
    known = np.zeros(rows, dtype=bool)
    for column in columns:
        values = convert_decisions(column).values.to_numpy(dtype=object)
        anyyes |= values == Decision.YES.value
        known |= np.isin(values, [Decision.YES.value, Decision.NO.value])
    out = np.full(rows, None, dtype=object)
    out[known] = False
    out[anyyes] = True
    return pd.Series(out, dtype=object, copy=False)


def derive(facts: SheetFacts) -> dict[str, pd.Series]:
    """Apply every step of this module; returns the extra case-table columns.

    ``facts.found`` is updated in place (final dates from SEN2 items, start dates and
    status text; the combined exception)."""
    n = facts.rows
    caveats = np.zeros(n, dtype=np.int64)
    _sen2_outcome_dates(facts)
    final_column = Field.FINAL_DATE in facts.found or Role.PLAN_START_DATE in facts.roles
    _status_dates(facts, caveats)
    _status_decisions(facts)
    _plan_start(facts, caveats)
    _exception(facts, caveats)
    withheld = np.zeros(n, dtype=np.int64)
    for fld in DATE_FIELDS:
        status = facts.status.get(fld)
        if status is None:
            continue
        hidden = np.isin(status, _WITHHELD)
        if fld in facts.found:
            hidden &= facts.found[fld].isna().to_numpy()
        withheld |= _bits(hidden, withheld_bit(fld))
        caveats |= _bits(np.isin(status, _NOT_READ), caveat_bit(Caveat.DATE_NOT_READ))
    caveats |= _bits(withheld != 0, caveat_bit(Caveat.DATE_WITHHELD))
    for fld in (Field.OUTCOME, Field.ASSESS_DECISION, Field.ISSUE_DECISION):
        status = facts.status.get(fld)
        if status is not None:
            unread = status == CellStatus.UNRECOGNISED
            caveats |= _bits(unread, caveat_bit(Caveat.OUTCOME_NOT_UNDERSTOOD))
    if not final_column:
        caveats |= np.int64(caveat_bit(Caveat.NO_FINAL_DATE_COLUMN))
    decided = (Field.ASSESS_DECISION_DATE, Field.ASSESS_DECISION)
    if not any(f in facts.found for f in decided):
        caveats |= np.int64(caveat_bit(Caveat.NO_DECISION_COLUMN))
    extra: dict[str, pd.Series] = {
        "withheld": pd.Series(withheld, dtype="int64", copy=False),
        "caveats": pd.Series(caveats, dtype="int64", copy=False),
    }
    mediation = facts.roles.get(Role.MEDIATION_TRIBUNAL)
    extra["mediation_tribunal"] = (
        _mediation(mediation, n)
        if mediation
        else pd.Series(np.full(n, None), dtype=object, copy=False)
    )
    stated = facts.roles.get(Role.STATED_WITHIN_20W)
    extra["stated_within_20w"] = (
        convert_decisions(stated[0]).values
        if stated
        else pd.Series(np.full(n, None), dtype=object, copy=False)
    )
    days = np.full(n, np.nan)
    for role, scale in ((Role.WEEKS_TAKEN, 7.0), (Role.DAYS_TAKEN, 1.0)):
        columns = facts.roles.get(role)
        if columns:
            given = _stated_days(columns[0], scale)
            days = np.where(np.isnan(given), days, given)
    extra["stated_days_to_final"] = pd.Series(days, dtype="float64", copy=False)
    return extra


def empty_extras(rows: int) -> dict[str, pd.Series]:
    """The extra columns with nothing known (SEN2 XML fills its own)."""
    return {
        "withheld": pd.Series(np.zeros(rows, dtype=np.int64), copy=False),
        "caveats": pd.Series(np.zeros(rows, dtype=np.int64), copy=False),
        "mediation_tribunal": pd.Series(np.full(rows, None), dtype=object, copy=False),
        "stated_within_20w": pd.Series(np.full(rows, None), dtype=object, copy=False),
        "stated_days_to_final": pd.Series(np.full(rows, np.nan), dtype="float64", copy=False),
    }
