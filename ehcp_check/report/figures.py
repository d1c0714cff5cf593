"""Figures every audit view shares: the flat case table, the weeks-to-issue bands, the
worst breaches, the England comparison and the data-issue counts.

Everything here is computed from an :class:`~ehcp_check.audit.AuditResult` column by
column (no per-row Python), so the terminal, CSV, Markdown, HTML and XLSX views agree and a
million cases stay fast.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..engine import END_FIELD, SUFFIX, RuleState
from ..model import DATE_FIELDS, DayCount, Field, Outcome, Status
from ..rules import RuleCode

if TYPE_CHECKING:
    from ..audit import AuditResult

#: Column order of the flat case table (CSV, and the XLSX Cases and Breaches sheets).
CASE_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    Field.CASE_ID.value,
    Field.LA.value,
    "status",
    Field.OUTCOME.value,
    Field.REQUEST_DATE.value,
    Field.ASSESS_DECISION_DATE.value,
    Field.ASSESS_DECISION.value,
    Field.ISSUE_DECISION_DATE.value,
    Field.ISSUE_DECISION.value,
    Field.DRAFT_DATE.value,
    Field.FINAL_DATE.value,
    Field.SCHOOL_ADVICE_DATE.value,
    "deadline_6w",
    "deadline_16w",
    "deadline_20w",
    "weeks_to_final",
    "weeks_open",
    "days_late",
    "breaches",
    "exception_raw",
    "exception_kind",
    "exception_lawful",
    "exception_plausible",
    "exception_note",
    "exception_accepted",
    "invalid_reason",
    Field.DELAY_REASON.value,
)

#: Date columns of the flat case table.
DATE_COLUMNS: frozenset[str] = frozenset(
    [f.value for f in DATE_FIELDS] + ["deadline_6w", "deadline_16w", "deadline_20w"]
)

#: Columns that hold True / False / unknown.
BOOL_COLUMNS: frozenset[str] = frozenset(
    {"exception_lawful", "exception_plausible", "exception_accepted"}
)


@dataclass(frozen=True, slots=True)
class Band:
    """One bar of the weeks-to-issue distribution."""

    label: str
    """'<= 20 weeks', '20-26 weeks', ..."""
    count: int
    pct: float | None
    """Share of plans issued, one decimal; None when no plans were issued."""
    late: bool
    """True for the bands past the 20-week limit."""


#: Band edges in weeks (upper bounds, inclusive); the last band is open-ended.
BAND_EDGES: tuple[int, ...] = (20, 26, 32, 40, 52)


def band_labels() -> list[str]:
    """The band labels in order: '<= 20 weeks', '20-26 weeks', ..., '> 52 weeks'."""
    labels = [f"<= {BAND_EDGES[0]} weeks"]
    labels += [f"{a}-{b} weeks" for a, b in itertools.pairwise(BAND_EDGES)]
    labels.append(f"> {BAND_EDGES[-1]} weeks")
    return labels


def _col(verdicts: pd.DataFrame, name: str) -> pd.Series:
    if name in verdicts.columns:
        return verdicts[name]
    return pd.Series([None] * len(verdicts), index=verdicts.index, dtype=object)


def _dates(verdicts: pd.DataFrame, name: str) -> pd.Series:
    col = _col(verdicts, name)
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        col = pd.to_datetime(col, errors="coerce")
    return col.astype("datetime64[ns]")


def issued_cohort(result: AuditResult) -> pd.Series:
    """Boolean mask of the plans issued in the audited period (cohort by issue date, as
    :mod:`ehcp_check.stats` counts ``plans_issued``)."""
    v = result.verdicts
    final = _dates(v, Field.FINAL_DATE.value)
    mask = (
        ~_col(v, "status").isin([Status.INVALID.value, Status.NOT_APPLICABLE.value])
        & (_col(v, Field.OUTCOME.value) == Outcome.PLAN_ISSUED.value)
        & final.notna()
    )
    period = result.options.period
    if period is not None:
        mask &= period.contains(final.to_numpy(dtype="datetime64[D]"))
    return mask


def weeks_bands(result: AuditResult) -> list[Band]:
    """Plans issued in the period, counted by weeks from request to final plan.

    The first band is "within 20 weeks" exactly as the summary counts it (the day-count
    convention moves every edge one day earlier under ``day-one``).
    """
    v = result.verdicts
    cohort = issued_cohort(result)
    days = pd.to_numeric(_col(v, "days_to_final")[cohort], errors="coerce").to_numpy()
    shift = 1 if result.settings.day_count is DayCount.DAY_ONE else 0
    edges = [w * 7 - shift for w in BAND_EDGES]
    bins = np.searchsorted(np.asarray(edges), days, side="left")
    counts = np.bincount(bins, minlength=len(edges) + 1)
    total = int(counts.sum())
    return [
        Band(label, int(c), pct(int(c), total), i > 0)
        for i, (label, c) in enumerate(zip(band_labels(), counts.tolist(), strict=True))
    ]


def pct(part: int, whole: int) -> float | None:
    """Percentage to one decimal place; None when the denominator is 0."""
    return None if whole == 0 else round(100.0 * part / whole, 1)


@dataclass(frozen=True, slots=True)
class England:
    """The published England figure set beside the audit's."""

    year: int
    pct_incl: float
    pct_excl: float
    same_year: bool
    """True when the audit covers exactly this calendar year."""
    note: str


def audit_years(result: AuditResult) -> list[int]:
    """Calendar years of issue of the plans in the audited period."""
    period = result.options.period
    if period is not None and period.start.year == period.end.year:
        return [period.start.year]
    final = _dates(result.verdicts, Field.FINAL_DATE.value)[issued_cohort(result)]
    return sorted({int(y) for y in final.dt.year.dropna().unique().tolist()})


def england(result: AuditResult) -> England | None:
    """England's published % within 20 weeks for the audit's calendar year, or else the
    latest year known, with a note saying which."""
    try:
        from ..dfe import ENGLAND_20W
    except ImportError:  # pragma: no cover - the DfE table ships with the package
        return None
    if not ENGLAND_20W:
        return None
    years = audit_years(result)
    if len(years) == 1 and years[0] in ENGLAND_20W:
        y = years[0]
        incl, excl = ENGLAND_20W[y]
        return England(
            y, incl, excl, True, f"England column: plans issued in {y} (Department for Education)"
        )
    latest = max(ENGLAND_20W)
    incl, excl = ENGLAND_20W[latest]
    if len(years) == 1:
        why = f"no published England figure for {years[0]}"
    elif years:
        why = f"the audit covers {years[0]}-{years[-1]}, not one calendar year"
    else:
        why = "the audit has no plans issued"
    return England(
        latest, incl, excl, False, f"England column: {latest}, the latest published year; {why}"
    )


def _breach_text(v: pd.DataFrame) -> pd.Series:
    """'EHCP-20W:12;EHCP-15D:2' per case (rule order of the engine), '' when none.

    Each case's breaches are packed into one integer (16 bits of days late per rule), the
    text is built once per distinct pattern, and spread back over the rows."""
    n = len(v)
    packed = np.zeros(n, dtype=np.uint64)
    codes = list(SUFFIX.items())
    for _code, suffix in codes:
        hit = _col(v, f"state_{suffix}").isin([RuleState.MISSED, RuleState.OVERDUE]).to_numpy()
        days = pd.to_numeric(_col(v, f"days_late_{suffix}"), errors="coerce").fillna(0)
        field = np.where(hit, np.clip(days.to_numpy(dtype=np.int64), 0, 0xFFFE) + 1, 0)
        packed = (packed << np.uint64(16)) | field.astype(np.uint64)
    patterns, inverse = np.unique(packed, return_inverse=True)
    texts = []
    for pattern in patterns.tolist():
        parts = []
        for i, (code, _) in enumerate(codes):
            field = (pattern >> (16 * (len(codes) - 1 - i))) & 0xFFFF
            if field:
                parts.append(f"{RuleCode(code).value}:{field - 1}")
        texts.append(";".join(parts))
    lookup = np.array(texts, dtype=object)
    return pd.Series(lookup[inverse.reshape(-1)], index=v.index, dtype=object)


def _bools(series: pd.Series, keep: pd.Series) -> pd.Series:
    """True / False where known and ``keep``; None otherwise (object dtype)."""
    arr = series.astype(object).to_numpy()
    is_true = np.asarray(arr == True, dtype=bool)  # noqa: E712 - element-wise
    is_false = np.asarray(arr == False, dtype=bool)  # noqa: E712 - element-wise
    out = np.full(len(arr), None, dtype=object)
    keep_arr = keep.to_numpy(dtype=bool)
    out[is_true & keep_arr] = True
    out[is_false & keep_arr] = False
    return pd.Series(out, index=series.index, dtype=object)


def text_column(series: pd.Series) -> pd.Series:
    """Text or None per row (object dtype; pandas' missing markers become None, other
    values become their ``str``). Each distinct value is converted once."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.array(
        [u if isinstance(u, str) else str(u) for u in uniques.tolist()] + [None], dtype=object
    )
    return pd.Series(lookup[codes], index=series.index, dtype=object)


def case_table(verdicts: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """The flat case table, one row per verdict row, in :data:`CASE_COLUMNS` order.

    Dates stay ``datetime64`` (NaT when missing); numbers stay numbers; text copied from
    the input is left as it was (writers neutralise it for their format). With ``as_of``,
    an event dated after it is left blank: on the as-of date it had not happened.
    """
    return pd.DataFrame(case_columns(verdicts, as_of)).reset_index(drop=True)


def case_columns(verdicts: pd.DataFrame, as_of: date | None = None) -> dict[str, pd.Series]:
    """:func:`case_table` as separate columns (no frame is assembled: cheaper to stream)."""
    v = verdicts
    out: dict[str, pd.Series] = {}
    last = None if as_of is None else pd.Timestamp(as_of)
    events = {f.value for f in DATE_FIELDS} - {Field.REQUEST_DATE.value}
    for name in CASE_COLUMNS:
        if name in DATE_COLUMNS:
            col = _dates(v, name).dt.normalize()
            out[name] = col.where(~(col > last)) if last is not None and name in events else col
        elif name == "row":
            out[name] = pd.to_numeric(_col(v, "row"), errors="coerce").astype("Int64")
        elif name == "breaches":
            out[name] = _breach_text(v)
        elif name == "exception_raw":
            out[name] = text_column(_col(v, Field.EXCEPTION.value))
        elif name in BOOL_COLUMNS:
            has_claim = _col(v, "exception_kind").notna()
            out[name] = _bools(_col(v, name), has_claim)
        elif name == "weeks_to_final":
            out[name] = pd.to_numeric(_col(v, name), errors="coerce")
        elif name == "weeks_open":
            is_open = _col(v, Field.OUTCOME.value) == Outcome.OPEN.value
            out[name] = pd.to_numeric(_col(v, name), errors="coerce").where(is_open)
        elif name == "days_late":
            out[name] = pd.to_numeric(_col(v, name), errors="coerce").fillna(0).astype(np.int64)
        else:
            out[name] = text_column(_col(v, name))
    return out


#: Columns :func:`breaches` adds to the flat case table, one row per breach.
BREACH_COLUMNS: tuple[str, ...] = ("rule", "rule_state", "rule_deadline", "rule_done")


def _rule_days(v: pd.DataFrame, hit: Any, suffix: str) -> npt.NDArray[np.int64]:
    """Days late on one rule of the rows ``hit`` selects."""
    days = pd.to_numeric(_col(v, f"days_late_{suffix}"), errors="coerce").fillna(0)
    out: npt.NDArray[np.int64] = days.to_numpy(dtype=np.int64)[np.asarray(hit, dtype=bool)]
    return out


def breaches(result: AuditResult, top: int | None = None) -> pd.DataFrame:
    """Every breach the summary counts, one row per case and rule (a case late on two
    rules is two rows), most days late first (ties: file, sheet, row, rule order).

    The flat case-table columns (events after the as-of date blank) plus ``rule``,
    ``rule_state`` (``missed`` or ``overdue``), ``rule_deadline`` (for EHCP-15D the first
    day the final plan could lawfully be issued), ``rule_done`` (the date the step was
    taken, NaT while still running) and ``days_late`` of that rule. For each rule code the
    row count equals ``summary["breaches"][code]``.

    With ``top``, only the first ``top`` rows: those are picked on days late first (every
    row tied with the last one kept, then the same sort), so display rows are built for
    them alone, not for every breach of a million cases.
    """
    v = result.verdicts
    scope = result.in_scope
    hits = {code: scope.breaches[code] for code in SUFFIX}
    if top is not None:
        late_by = {code: _rule_days(v, hits[code], s) for code, s in SUFFIX.items()}
        every = np.concatenate([late_by[c] for c in SUFFIX])
        pick = max(top, 1)  # at least one row, so the columns are typed as in the full list
        if len(every) > pick:
            least = int(np.partition(every, len(every) - pick)[len(every) - pick])
            for code in SUFFIX:
                keep = np.zeros(len(v), dtype=bool)
                rows = np.flatnonzero(np.asarray(hits[code], dtype=bool))
                keep[rows[late_by[code] >= least]] = True
                hits[code] = keep
    parts: list[pd.DataFrame] = []
    for order, (code, suffix) in enumerate(SUFFIX.items()):
        hit = hits[code]
        if not hit.any():
            continue
        sub = v[hit]
        table = case_table(sub, result.settings.as_of)
        state = text_column(_col(sub, f"state_{suffix}"))
        table["rule"] = RuleCode(code).value
        table["rule_state"] = state.to_numpy()
        table["rule_deadline"] = _dates(sub, f"deadline_{suffix}").dt.normalize().to_numpy()
        missed = (state == RuleState.MISSED.value).to_numpy(dtype=bool)
        table["rule_done"] = table[END_FIELD[code].value].where(missed)
        days = pd.to_numeric(_col(sub, f"days_late_{suffix}"), errors="coerce").fillna(0)
        table["days_late"] = days.to_numpy(dtype=np.int64)
        table["_order"] = order
        parts.append(table)
    if not parts:
        empty = case_table(v.iloc[0:0])
        for name in BREACH_COLUMNS:
            empty[name] = pd.Series(dtype=object)
        return empty
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(
        ["days_late", "file", "sheet", "row", "_order"],
        ascending=[False, True, True, True, True],
        kind="stable",
        na_position="last",
    )
    if top is not None:
        out = out.head(max(top, 0))
    return out.drop(columns="_order").reset_index(drop=True)


def breach_total(result: AuditResult) -> int:
    """Breaches the summary counts, all rules: the row count of :func:`breaches`."""
    return int(sum((result.summary.get("breaches") or {}).values()))


def worst_breaches(result: AuditResult, top: int = 10) -> pd.DataFrame:
    """The ``top`` rows of :func:`breaches`, with ``worst_rule`` and ``worst_deadline``
    naming each row's rule and deadline."""
    table = breaches(result, top).copy()
    table["worst_rule"] = table["rule"]
    table["worst_deadline"] = table["rule_deadline"]
    return table


def end_text(outcome: object, state: object, done: object) -> str:
    """What became of the step a breach is about: its date, or in words while running
    ('still open'), and for a no-plan notice or a refusal what ended the case."""
    if state == RuleState.MISSED.value and isinstance(done, pd.Timestamp) and pd.notna(done):
        return fmt_date(done)
    if outcome == Outcome.NO_PLAN.value:
        return "no plan"
    if outcome == Outcome.REFUSED.value:
        return "refused"
    if state == RuleState.MISSED.value:
        return "date not given"  # judged from a stated "weeks taken" / "within 20 weeks?"
    return "still open"


def several_sheets(result: AuditResult) -> bool:
    """True when the audit read more than one sheet or file (rows need their sheet)."""
    return len({(i.file, i.sheet) for i in result.inputs}) > 1


def row_ref(sheet: object, row: object, with_sheet: bool) -> str:
    """Where a case was read: ``11``, or ``2023-24!11`` when several sheets were read."""
    if not isinstance(row, int | float | np.integer | np.floating) or row != row:
        return ""
    number = str(int(row))
    return f"{sheet}!{number}" if with_sheet and isinstance(sheet, str) else number


def exception_verdict(lawful: object, plausible: object) -> str:
    """A short verdict on a claim: 'not lawful', 'implausible', 'accepted as claimed'
    (no reason given or not recognised), 'accepted'."""
    if lawful is False:
        return "not lawful"
    if plausible is False:
        return "implausible"
    if lawful is None:
        return "accepted as claimed"
    return "accepted"


def claim_verdict(kind: object, lawful: object, plausible: object) -> str | None:
    """:func:`exception_verdict` of a case's claim, or None when it has none. A raw value
    without a kind ('0', 'N', 'n/a') is no claim: every other text has a kind, if only
    'unrecognised'."""
    return None if kind is None else exception_verdict(lawful, plausible)


#: Data-issue codes shown with words beside them.
ISSUE_WORDS: dict[str, str] = {"after-as-of": "received after the as-of date"}


def issue_counts(result: AuditResult) -> list[tuple[str, int]]:
    """Data issues by code, most frequent first (ties by code)."""
    counts = Counter(i.code for i in result.issues)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def caveat_counts(summary: dict[str, Any]) -> list[tuple[str, int]]:
    """Verdicts per caveat code, most frequent first (ties by code); empty when none."""
    counts: dict[str, int] = summary.get("caveats") or {}
    return sorted(
        ((code, int(n)) for code, n in counts.items() if n),
        key=lambda kv: (-kv[1], kv[0]),
    )


def caveat_sentence(summary: dict[str, Any]) -> str:
    """The headline's warning when verdicts rest on data not read cleanly; '' when none.

    For example: "Caution: 3 verdicts (1 of them a breach) rest on data not read cleanly:
    date-withheld 2, outcome-not-understood 1. See Data quality."
    """
    cases = int(summary.get("cases_with_caveats") or 0)
    if not cases:
        return ""
    breaches = int(summary.get("breaches_with_caveats") or 0)
    what = "verdict" if cases == 1 else "verdicts"
    of_them = "a breach" if breaches == 1 else "breaches"
    listed = ", ".join(f"{code} {n:,}" for code, n in caveat_counts(summary))
    return (
        f"Caution: {cases:,} {what} ({breaches:,} of them {of_them}) rest on data not read "
        f"cleanly: {listed}. See Data quality."
    )


def fmt_pct(value: object) -> str:
    """'48.2%' or '-' for no figure."""
    return "-" if value is None else f"{float(value):.1f}%"  # type: ignore[arg-type]


def fmt_num(value: object, places: int = 1) -> str:
    """A count or a decimal for people: '1,234', '23.4', '-' for none."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return "-"
        return f"{float(value):,.{places}f}"
    return str(value)


def fmt_date(value: object) -> str:
    """ISO date of a timestamp, '' for none."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def open_overdue_label(summary: dict[str, Any]) -> str:
    """'3 of 10 open cases overdue'."""
    return f"{fmt_num(summary.get('open_overdue'))} of {fmt_num(summary.get('open_cases'))}"


#: Per-period table columns: header, summary key, kind ('n' count, 'p' percent, 'w' weeks).
PERIOD_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Plans", "plans_issued", "n"),
    ("% in 20w incl", "pct_within_20_weeks", "p"),
    ("% in 20w excl", "pct_within_20_weeks_excl", "p"),
    ("20-52w", "over_20_to_52_weeks", "n"),
    (">52w", "over_52_weeks", "n"),
    ("Median wks", "median_weeks_to_issue", "w"),
    ("% in 6w", "pct_within_6_weeks", "p"),
    ("Open overdue", "open_overdue", "n"),
)


def period_cell(summary: dict[str, Any], key: str, kind: str) -> str:
    """One per-period figure as text."""
    value = summary.get(key)
    return fmt_pct(value) if kind == "p" else fmt_num(value)


def headline_rows(result: AuditResult) -> list[tuple[str, str]]:
    """Key figures as (label, text) pairs, shared by Markdown and HTML."""
    s = result.summary
    period = result.options.period
    when = f" in {period.label}" if period is not None else ""
    snapshot = result.settings.as_of if period is None else min(period.end, result.settings.as_of)
    rows = [
        (f"Plans issued{when}", fmt_num(s.get("plans_issued"))),
        (
            "Within 20 weeks, including exceptions",
            f"{fmt_pct(s.get('pct_within_20_weeks'))} "
            f"({fmt_num(s.get('within_20_weeks'))} of {fmt_num(s.get('plans_issued'))})",
        ),
        (
            "Within 20 weeks, excluding exceptions",
            f"{fmt_pct(s.get('pct_within_20_weeks_excl'))} "
            f"({fmt_num(s.get('within_20_weeks_excl'))} of "
            f"{fmt_num(s.get('plans_issued_excl'))})",
        ),
    ]
    eng = england(result)
    if eng is not None:
        rows.append(
            (
                f"England {eng.year}" + ("" if eng.same_year else " (latest published)"),
                f"{fmt_pct(eng.pct_incl)} including, {fmt_pct(eng.pct_excl)} excluding exceptions",
            )
        )
    rows += [
        ("Issued after 20 and up to 52 weeks", fmt_num(s.get("over_20_to_52_weeks"))),
        ("Issued after 52 weeks", fmt_num(s.get("over_52_weeks"))),
        ("Median weeks to issue", fmt_num(s.get("median_weeks_to_issue"))),
        (
            f"Requests received{when}: decided within 6 weeks",
            f"{fmt_pct(s.get('pct_within_6_weeks'))} ({fmt_num(s.get('within_6_weeks'))} "
            f"of {fmt_num(s.get('decisions_to_assess'))})",
        ),
        (
            f"No-plan notices{when}: after 16 weeks",
            f"{fmt_num(s.get('no_plan_over_16_weeks'))} of {fmt_num(s.get('no_plan_decisions'))}",
        ),
        (f"Open cases on {snapshot.isoformat()}: overdue", open_overdue_label(s)),
        ("Breaches by rule", breach_rule_text(s)),
        ("Cases late or overdue", fmt_num(result.breach_count)),
    ]
    return rows


def breach_rule_text(summary: dict[str, Any]) -> str:
    """'EHCP-6W 3, EHCP-16W 0, EHCP-20W 37, EHCP-15D 0'."""
    counts: dict[str, Any] = summary.get("breaches") or {}
    return ", ".join(f"{code} {fmt_num(n)}" for code, n in counts.items())


def accounting_line(summary: dict[str, Any]) -> str:
    """'rows read 120 = judged 115 + excluded 5'."""
    return (
        f"rows read {fmt_num(summary.get('rows_read'))} = judged "
        f"{fmt_num(summary.get('cases'))} + excluded {fmt_num(summary.get('rows_excluded'))}"
    )


def files_read(result: AuditResult) -> Sequence[str]:
    """'foi.xlsx / 2024 (header row 4, 812 rows)' per input sheet."""
    return [
        f"{i.file}{' / ' + i.sheet if i.sheet else ''} (header row {i.header_row}, {i.rows:,} rows)"
        for i in result.inputs
    ]
