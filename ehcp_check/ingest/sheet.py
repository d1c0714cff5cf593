"""One sheet from raw cells to canonical cases: header, mapping, row accounting, values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.ingest.codes import DateOrder, IssueCode, make_issue
from ehcp_check.ingest.columns import ColumnMatch, MatchKind, Role, map_columns
from ehcp_check.ingest.convert import (
    Converted,
    convert_dates,
    convert_decisions,
    convert_outcomes,
    convert_text,
    implied_outcomes,
    status_message,
)
from ehcp_check.ingest.describe import ColumnInfo, ColumnReport, column_letter
from ehcp_check.ingest.distinct import Distinct
from ehcp_check.ingest.headers import SCAN_ROWS, find_header
from ehcp_check.ingest.meaning import EXTRA_COLUMNS, SheetFacts, derive, pair_flag_and_reason
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.ingest.rows import EXCLUSION_CODES, classify_rows
from ehcp_check.ingest.status import ISSUE_FOR_STATUS, CellStatus
from ehcp_check.ingest.values import IMPLIED_DECISIONS, cell_text, is_blank
from ehcp_check.model import (
    DATE_FIELDS,
    SOURCE_COLUMNS,
    DataIssue,
    Decision,
    Field,
    Outcome,
    SheetInput,
)

#: Columns of the canonical case table, in order: provenance, the fields, then the optional
#: columns ingest fills (model.py docstring).
CASE_COLUMNS: tuple[str, ...] = (*SOURCE_COLUMNS, *(f.value for f in Field), *EXTRA_COLUMNS)
_DECISION_FIELDS = (Field.ASSESS_DECISION, Field.ISSUE_DECISION)
_ISSUE_STATUSES = np.array(sorted(int(s) for s in ISSUE_FOR_STATUS), dtype=np.int8)


@dataclass(frozen=True, slots=True)
class Options:
    """Settings that apply to every sheet of a load."""

    overrides: Mapping[str, str] = field(default_factory=dict)
    """Normalised header -> field name (or ``ignore``)."""
    date_order: DateOrder | None = None
    latest: dt.date | None = None
    samples: int = 3
    explicit: Mapping[str, str] = field(default_factory=dict)
    """Normalised header -> the header as given, for each ``--map`` (``mapping``) entry."""
    from_file: Mapping[str, str] = field(default_factory=dict)
    """Normalised header -> the header as written, for each mapping-file entry."""
    single_file: bool = True
    """Only one file is read (a ``--map`` header missing from it is an error at once)."""


@dataclass(frozen=True, slots=True)
class CaseKeys:
    """A sheet's case references: row codes into distinct values."""

    codes: npt.NDArray[np.intp]
    """Per case: index into ``values`` (-1: no value)."""
    values: npt.NDArray[np.object_]
    """The references as read (trimmed text; None for blanks and markers)."""
    unique: bool
    """No two entries of ``values`` are the same text (trimming merged none)."""


@dataclass(frozen=True, slots=True)
class SheetResult:
    """What one sheet gave: its cases (None when skipped), issues and column report."""

    cases: pd.DataFrame | None
    issues: list[DataIssue]
    report: ColumnReport
    input: SheetInput | None
    case_keys: CaseKeys | None = None
    """The case-reference column by distinct value, so that duplicates are found per
    distinct value (None: no such column, or not read from cells)."""


def empty_cases() -> pd.DataFrame:
    """A case table with no rows and the canonical dtypes."""
    data: dict[str, pd.Series] = {}
    for name in CASE_COLUMNS:
        if name in ("row", "withheld", "caveats"):
            data[name] = pd.Series([], dtype="int64")
        elif name == "stated_days_to_final":
            data[name] = pd.Series([], dtype="float64")
        elif name in {f.value for f in DATE_FIELDS}:
            data[name] = pd.Series([], dtype="datetime64[ns]")
        else:
            data[name] = pd.Series([], dtype=object)
    return pd.DataFrame(data)


def _constant(value: str | None, n: int) -> pd.Series:
    """One value on every row, as a categorical (one byte per row, not ``n`` references);
    no value (the sheet of a text file) is None on every row."""
    if value is None:
        return pd.Series(np.empty(n, dtype=object), dtype=object, copy=False)
    categories = pd.CategoricalDtype(pd.Index([value], dtype=object))
    return pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), dtype=categories))


def canonical_frame(
    file: str, sheet: str | None, rows: np.ndarray, found: dict[Field, pd.Series]
) -> pd.DataFrame:
    """Assemble a case table; fields not found are all unknown."""
    n = len(rows)
    data: dict[str, pd.Series] = {
        "file": _constant(file, n),
        "sheet": _constant(sheet, n),
        "row": pd.Series(rows, dtype="int64", copy=False),
    }
    for fld in Field:
        if fld in found:
            data[fld.value] = pd.Series(found[fld].to_numpy(), dtype=found[fld].dtype, copy=False)
        elif fld in DATE_FIELDS:
            data[fld.value] = pd.Series(np.full(n, np.datetime64("NaT", "ns")), copy=False)
        else:  # an empty object array holds None
            data[fld.value] = pd.Series(np.empty(n, dtype=object), dtype=object, copy=False)
    return pd.DataFrame(data, copy=False)


def skipped(raw: RawSheet, reason: str) -> SheetResult:
    """The result for a sheet without a case table."""
    issue = make_issue(
        raw.file, raw.sheet, None, None, None, IssueCode.SHEET_SKIPPED,
        f"Sheet {raw.sheet!r} was skipped because {reason}.",
    )  # fmt: skip
    return SheetResult(None, [issue], ColumnReport(raw.file, raw.sheet, None, (), reason), None)


def _convert(fld: Field, column: Distinct, raw: RawSheet, opts: Options) -> Converted:
    if fld in DATE_FIELDS:
        return convert_dates(
            column, order=opts.date_order, date1904=raw.date1904, latest=opts.latest
        )
    if fld in _DECISION_FIELDS:
        return convert_decisions(column)
    if fld is Field.OUTCOME:
        return convert_outcomes(column)
    return convert_text(column)


def _samples(column: Distinct, limit: int) -> tuple[str, ...]:
    found: list[str] = []
    for code in pd.unique(column.codes[:2000]).tolist():
        value = column.values[code] if code >= 0 else None
        if not is_blank(value):
            found.append(cell_text(value))
            if len(found) >= limit:
                break
    return tuple(found)


def _cell_issues(
    raw: RawSheet, fld: Field, column: Distinct, conv: Converted, rows: np.ndarray, opts: Options
) -> list[DataIssue]:
    issues = []
    messages: dict[tuple[int, str], str] = {}
    for i in np.flatnonzero(np.isin(conv.status, _ISSUE_STATUSES)):
        status = CellStatus(int(conv.status[i]))
        at = int(column.codes[i])
        text = cell_text(column.values[at] if at >= 0 else None)
        key = (int(status), text)
        if key not in messages:
            messages[key] = status_message(status, fld, text, opts.latest)
        code = ISSUE_FOR_STATUS[status]
        issues.append(
            make_issue(raw.file, raw.sheet, int(rows[i]), fld.value, text, code, messages[key])
        )
    return issues


def _order_issue(raw: RawSheet, fld: Field, header: str, conv: Converted) -> DataIssue | None:
    if conv.order_issue is IssueCode.MONTH_FIRST_COLUMN:
        message = (
            f"Column {header!r} has dates that can only be month-first, so it is read month-first."
        )
    elif conv.order_issue is IssueCode.AMBIGUOUS_DATE_ORDER:
        message = (
            f"Column {header!r} has dates that can only be day-first and others that can only "
            "be month-first, so it is read day-first; check it or set the date order."
        )
    else:
        return None
    return make_issue(raw.file, raw.sheet, None, fld.value, None, conv.order_issue, message)


def _ambiguous(raw: RawSheet, match: ColumnMatch, used: str) -> DataIssue:
    assert match.rival is not None
    message = (
        f"Column {match.header!r} also looks like {match.rival}, but {used!r} is used; "
        f'use --map "{match.header}={match.rival}" to choose it instead.'
    )
    return make_issue(
        raw.file, raw.sheet, None, match.rival.value, match.header,
        IssueCode.AMBIGUOUS_COLUMN, message,
    )  # fmt: skip


def _fill_implied(
    found: dict[Field, pd.Series],
    extra: dict[Field, pd.Series],
    outcome: tuple[Distinct, npt.NDArray[np.object_]] | None,
) -> None:
    """Decisions an outcome implies, and outcomes SEN2 codes imply, where columns are absent.

    ``outcome``: the outcome column read and its outcome per distinct value, so that the
    implied decisions are looked up once per distinct value, not per row."""
    if outcome is not None:
        column, by_value = outcome
        for position, fld in enumerate(_DECISION_FIELDS):
            if fld not in found:
                lookup = {o.value: _value(d[position]) for o, d in IMPLIED_DECISIONS.items()}
                implied = np.empty(len(by_value), dtype=object)
                implied[:] = [lookup.get(str(v)) for v in by_value.tolist()]
                found[fld] = pd.Series(column.per_row(implied, None), dtype=object, copy=False)
    elif extra:
        implied_outcome = pd.Series([None] * len(next(iter(extra.values()))), dtype=object)
        for series in extra.values():
            implied_outcome = implied_outcome.where(implied_outcome.notna(), series)
        if implied_outcome.notna().any():
            found[Field.OUTCOME] = implied_outcome.astype(object)


#: What the columns view says of a column read for a role.
ROLE_NOTES: dict[Role, str] = {
    Role.PLAN_START_DATE: "Read as the plan's start date: the plan date where none is given.",
    Role.MEDIATION_TRIBUNAL: "Read as mediation / tribunal (leaves the DfE-comparable figures).",
    Role.STATED_WITHIN_20W: "Read as the stated answer to 'within 20 weeks?'.",
    Role.DAYS_TAKEN: "Read as the stated days from request to final plan.",
    Role.WEEKS_TAKEN: "Read as the stated weeks from request to final plan.",
    Role.EXCEPTION_FLAG: "Read as the exception flag beside the reason column.",
}


def _exact_repeats(
    raw: RawSheet,
    matches: list[ColumnMatch],
    distinct: list[Distinct],
    kept: npt.NDArray[np.intp],
    rownums: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.intp], list[DataIssue]]:
    """Drop rows that repeat an earlier row in every column read, case reference included.

    Only with a case reference: without one, two children can share every date."""
    read = [m.index for m in matches if m.field is not None or m.role is not None]
    ids = [m.index for m in matches if m.field is Field.CASE_ID]
    if not ids or len(kept) < 2:
        return kept, []
    id_codes = distinct[ids[0]].codes[kept]
    known = id_codes[id_codes >= 0]
    if not known.size or np.bincount(known).max() < 2:
        return kept, []  # every case reference differs: no row can repeat another
    blank_id = distinct[ids[0]].per_row(distinct[ids[0]].table.blank, True)[kept]
    group = np.zeros(len(kept), dtype=np.int64)
    for j in read:  # one key per distinct combination, column by column
        codes = distinct[j].codes[kept].astype(np.int64) + 1
        group = pd.factorize(group * (int(codes.max()) + 1) + codes)[0].astype(np.int64)
    _, first_at = np.unique(group, return_index=True)
    first = first_at[group]
    repeat = (first != np.arange(len(kept))) & ~blank_id & (id_codes >= 0)
    if not repeat.any():
        return kept, []
    issues = []
    for i in np.flatnonzero(repeat).tolist():
        row, earlier = int(rownums[kept[i]]), int(rownums[kept[first[i]]])
        value = cell_text(distinct[ids[0]].values[id_codes[i]])
        issues.append(
            make_issue(raw.file, raw.sheet, row, Field.CASE_ID.value, value,
                       IssueCode.DUPLICATE_ROW,
                       f"Row {row} repeats row {earlier} in every column read, so it is "
                       "excluded (counted once).", excluded=True)
        )  # fmt: skip
    return kept[~repeat], issues


def _value(member: Decision | Outcome | None) -> str | None:
    return None if member is None else member.value


def process_sheet(raw: RawSheet, opts: Options) -> SheetResult:
    """Find the table in ``raw`` and turn it into canonical cases, issues and a report."""
    if raw.frame.shape[0] == 0 or raw.frame.shape[1] == 0:
        return skipped(raw, "it is empty")
    header = find_header(raw, opts.overrides)
    if header is None:
        return skipped(raw, f"none of its first {SCAN_ROWS} rows has a request-date header")
    matches = map_columns(header.headers, opts.overrides)
    body = raw.frame.iloc[header.index + 1 :]
    kinds, distinct = classify_rows(body)
    header_row = raw.first_row + header.index
    rownums = header_row + 1 + np.arange(kinds.rows, dtype=np.int64)
    issues: list[DataIssue] = []
    for i, text in zip(np.flatnonzero(~kinds.kept), kinds.first_text, strict=True):
        code = EXCLUSION_CODES[int(kinds.reason[i]) - 1]
        what = {IssueCode.BLANK_ROW: "a blank row inside the table",
                IssueCode.TOTAL_ROW: "a total or average row, not a case",
                IssueCode.NOTE_ROW: "a note under the table, not a case"}[code]  # fmt: skip
        issues.append(
            make_issue(raw.file, raw.sheet, int(rownums[i]), None, text or None, code,
                       f"Row {int(rownums[i])} is {what}, so it is excluded.", excluded=True)
        )  # fmt: skip
    kept = np.flatnonzero(kinds.kept)
    kept, repeats = _exact_repeats(raw, matches, distinct, kept, rownums)
    issues.extend(repeats)
    kept_rows = rownums[kept]
    found: dict[Field, pd.Series] = {}
    extra: dict[Field, pd.Series] = {}
    infos: list[ColumnInfo] = []
    cell_issues: list[DataIssue] = []
    outcome: tuple[Distinct, npt.NDArray[np.object_]] | None = None
    case_keys: CaseKeys | None = None
    matches = pair_flag_and_reason(matches, distinct)
    used = {m.field: m.header for m in matches if m.field is not None}
    facts = SheetFacts(
        len(kept), found, {}, {}, date_order=opts.date_order, date1904=raw.date1904,
        latest=opts.latest,
    )  # fmt: skip
    for m in matches:
        # Every row kept (no blank, total, note or repeated row): the codes as they are.
        whole = len(kept) == len(distinct[m.index])
        column = distinct[m.index] if whole else distinct[m.index].take(kept)
        note: str | None = None
        order: DateOrder | None = None
        if m.role is not None:
            facts.roles.setdefault(m.role, []).append(column)
            note = ROLE_NOTES[m.role]
        if m.field is not None:
            conv = _convert(m.field, column, raw, opts)
            found[m.field] = conv.values
            facts.status[m.field] = conv.status
            facts.headers[m.field] = m.header
            if m.field is Field.CASE_ID and conv.by_value is not None:
                unique = column.table.all_text and not column.table.trimmed
                case_keys = CaseKeys(column.codes, conv.by_value, unique)
            if m.field is Field.OUTCOME:
                facts.statuses = column
                if conv.by_value is not None:
                    outcome = (column, conv.by_value)
            order = conv.order
            cell_issues.extend(_cell_issues(raw, m.field, column, conv, kept_rows, opts))
            order_issue = _order_issue(raw, m.field, m.header, conv)
            if order_issue is not None:
                issues.append(order_issue)
                note = order_issue.message
            if m.field in _DECISION_FIELDS:
                extra[m.field] = implied_outcomes(column)
        elif m.kind is MatchKind.AMBIGUOUS and m.rival is not None:
            issue = _ambiguous(raw, m, used[m.rival])
            issues.append(issue)
            note = issue.message
        letter = column_letter(raw.first_col + m.index)
        samples = _samples(column, opts.samples) if opts.samples else ()
        role = None if m.role is None else m.role.value
        infos.append(ColumnInfo(letter, m.header, m.field, m.kind, samples, order, note, role))
    _fill_implied(found, extra, outcome)
    extras = derive(facts)
    frame = canonical_frame(raw.file, raw.sheet, kept_rows, found)
    for name, values in extras.items():
        frame[name] = pd.Series(
            values.to_numpy(), dtype=values.dtype, index=frame.index, copy=False
        )
    columns = {m.field.value: m.header for m in matches if m.field is not None}
    for fld, source in facts.derived.items():
        columns.setdefault(fld.value, source)
    excluded = kinds.rows - len(kept)
    sheet_input = SheetInput(raw.file, raw.sheet, header_row, kinds.rows, columns, excluded)
    report = ColumnReport(raw.file, raw.sheet, header_row, tuple(infos))
    everything = issues + cell_issues
    ordered = [i for i in everything if i.row is None]
    ordered += sorted((i for i in everything if i.row is not None), key=lambda i: i.row or 0)
    return SheetResult(frame, ordered, report, sheet_input, case_keys)
