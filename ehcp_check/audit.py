"""Audit a caseload: load, judge, summarise. One result value; reports are views of it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import __version__
from .engine import Settings, evaluate
from .errors import InternalError
from .model import DataIssue, Field, LoadResult, SheetInput, Status
from .report.records import case_records
from .stats import GroupBy, Period, Scope, YearType, group_summaries, period_scope, summarize
from .tally import Facts, read_facts

if TYPE_CHECKING:
    from .compare_model import CompareResult
    from .ingest import Limits

AUDIT_SCHEMA = "ehcp-check/audit/2"

#: Issue code of a request received after the as-of date: outside the audit (it had not
#: happened on the as-of date), not bad data.
AFTER_AS_OF = "after-as-of"


def latest_date(as_of: date) -> date:
    """The latest date read as a date: one more than a year after the as-of date is a
    typing error, not a plan (reported as ``date-out-of-range``)."""
    return as_of + timedelta(days=366)


#: Progress callback: (stage name, fraction done 0..1).
Progress = Callable[[str, float], None]


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What to audit and how to cut it."""

    period: Period | None = None
    """Only the cohorts falling in this period (plans by issue date, and so on)."""
    by: GroupBy | None = None
    year_type: YearType = YearType.CALENDAR
    la: str | None = None
    """The council audited (name or code), for the comparison with its published figures;
    None: the one council the ``la`` column names, if it names one."""


@dataclass(slots=True)
class AuditResult:
    """Everything an audit found. Every renderer draws from this one value."""

    settings: Settings
    options: AuditOptions
    verdicts: pd.DataFrame
    """The engine's verdict table: one row per case read (invalid rows included)."""
    issues: list[DataIssue]
    """Data issues from loading and judging, in file / sheet / row order."""
    inputs: list[SheetInput]
    summary: dict[str, Any]
    """Summary figures (data contract section 3)."""
    groups: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Per-period (or per-LA) summaries, in order."""
    comparison: CompareResult | None = None
    """The audit's figures per calendar year beside the council's published ones, when the
    council is known (:func:`ehcp_check.compare.audit_comparison`)."""
    scope: Scope | None = None
    """The cases and breaches ``summary`` describes (every row when None)."""

    @property
    def in_scope(self) -> Scope:
        """:attr:`scope`, or every row and every breach when it was not given."""
        if self.scope is None:
            self.scope = period_scope(self.verdicts, settings=self.settings, period=None)
        return self.scope

    @property
    def breach_count(self) -> int:
        """Cases in scope that are ``late`` or ``overdue`` with a breach the summary
        counts: non-zero makes the run exit 1."""
        scope = self.in_scope
        counted = np.zeros(len(self.verdicts), dtype=np.bool_)
        for mask in scope.breaches.values():
            counted |= mask
        status = self.verdicts["status"].isin([Status.LATE, Status.OVERDUE]).to_numpy()
        return int((counted & status).sum())

    def scoped_verdicts(self) -> pd.DataFrame:
        """The verdict rows in scope: the cases the summary describes."""
        rows = self.in_scope.rows
        return self.verdicts if bool(rows.all()) else self.verdicts[rows]

    def to_dict(self, *, cases: bool = True) -> dict[str, Any]:
        """The JSON document (schema ``ehcp-check/audit/2``)."""
        return {
            "schema": AUDIT_SCHEMA,
            "tool_version": __version__,
            "as_of": self.settings.as_of.isoformat(),
            "day_count": self.settings.day_count.value,
            "inputs": [i.to_dict() for i in self.inputs],
            "summary": self.summary,
            "groups": [{"key": k, "summary": s} for k, s in self.groups],
            "cases": case_records(self.scoped_verdicts()) if cases else [],
            "issues": [i.to_dict() for i in self.issues],
            **(
                {"published_comparison": self.comparison.to_dict()}
                if self.comparison is not None
                else {}
            ),
        }


def _after(verdicts: pd.DataFrame, as_of: date) -> npt.NDArray[np.bool_]:
    """Rows whose request was received after the as-of date."""
    if Field.REQUEST_DATE not in verdicts.columns:
        return np.zeros(len(verdicts), dtype=np.bool_)
    req = pd.to_datetime(verdicts[Field.REQUEST_DATE], errors="coerce")
    return np.asarray((req > pd.Timestamp(as_of)).to_numpy(dtype=np.bool_), dtype=np.bool_)


def invalid_issues(verdicts: pd.DataFrame, as_of: date | None = None) -> list[DataIssue]:
    """One issue per invalid case, saying why it could not be judged. With ``as_of``, a
    request received after it is an ``after-as-of`` issue: outside the audit, not bad data."""
    invalid = (verdicts["status"] == Status.INVALID).to_numpy(dtype=np.bool_)
    wanted = ("file", "sheet", "row", "case_id", "invalid_reason", Field.REQUEST_DATE.value)
    # Only the columns the messages need, of the invalid rows (not a copy of every column).
    bad = verdicts.loc[invalid, [c for c in wanted if c in verdicts.columns]]
    later = _after(bad, as_of).tolist() if as_of is not None else [False] * len(bad)
    out: list[DataIssue] = []
    for file, sheet, row, case_id, reason, after in zip(
        bad.get("file", pd.Series([None] * len(bad))).tolist(),
        bad.get("sheet", pd.Series([None] * len(bad))).tolist(),
        bad.get("row", pd.Series([None] * len(bad))).tolist(),
        bad.get("case_id", pd.Series([None] * len(bad))).tolist(),
        bad["invalid_reason"].tolist(),
        later,
        strict=True,
    ):
        ref = f"Case {case_id}" if isinstance(case_id, str) and case_id else "This row"
        if after:
            out.append(
                DataIssue(
                    file=str(file) if file is not None else "",
                    sheet=sheet if isinstance(sheet, str) else None,
                    row=int(row) if row is not None and row == row else None,
                    column=Field.REQUEST_DATE.value,
                    value=None,
                    code=AFTER_AS_OF,
                    message=(
                        f"{ref} was received after the as-of date {as_of}: outside this audit."
                    ),
                    excluded=True,
                )
            )
            continue
        out.append(
            DataIssue(
                file=str(file) if file is not None else "",
                sheet=sheet if isinstance(sheet, str) else None,
                row=int(row) if row is not None and row == row else None,
                column=None,
                value=None,
                code="invalid-case",
                message=f"{ref} cannot be judged: {reason}.",
                excluded=True,
            )
        )
    return out


def audit_table(
    loaded: LoadResult,
    settings: Settings,
    options: AuditOptions | None = None,
) -> AuditResult:
    """Judge an already-loaded case table and summarise it."""
    options = options or AuditOptions()
    verdicts = evaluate(loaded.cases, settings)
    issues = list(loaded.issues) + invalid_issues(verdicts, settings.as_of)
    rows_read = loaded.rows_read
    judged = int((verdicts["status"] != Status.INVALID).sum())
    rows_excluded = loaded.rows_excluded + len(verdicts) - judged
    if loaded.inputs and rows_read != judged + rows_excluded:
        raise InternalError(
            f"row accounting failed: {rows_read} rows read but {judged} judged and "
            f"{rows_excluded} excluded. Please report this bug."
        )
    facts = read_facts(verdicts)
    summary = summarize(
        verdicts,
        settings=settings,
        period=options.period,
        rows_read=rows_read if loaded.inputs else len(verdicts),
        rows_excluded=rows_excluded,
        facts=facts,
    )
    summary["duplicate_rows"] = loaded.duplicate_rows
    groups = (
        group_summaries(
            verdicts,
            settings=settings,
            by=options.by,
            year_type=options.year_type,
            period=options.period,
            facts=facts,
        )
        if options.by is not None
        else []
    )
    scope = period_scope(verdicts, settings=settings, period=options.period, facts=facts)
    issues.sort(key=lambda i: (i.file, i.sheet or "", i.row or 0))
    return AuditResult(
        settings,
        options,
        verdicts,
        issues,
        list(loaded.inputs),
        summary,
        groups,
        _comparison(verdicts, settings, options, facts),
        scope,
    )


def _comparison(
    verdicts: pd.DataFrame, settings: Settings, options: AuditOptions, facts: Facts
) -> CompareResult | None:
    """The audit's calendar years beside the published figures, when the council is known."""
    from .published import audit_council

    council = audit_council(verdicts, options.la)
    if council is None:
        return None  # the comparison code is not even loaded
    from .compare import audit_comparison

    by_year = group_summaries(
        verdicts,
        settings=settings,
        by=GroupBy.YEAR,
        year_type=YearType.CALENDAR,
        period=options.period,
        facts=facts,
    )
    return audit_comparison(by_year, council)


def audit(
    paths: Sequence[str | os.PathLike[str]],
    *,
    as_of: date,
    settings: Settings | None = None,
    options: AuditOptions | None = None,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    mapping_file: str | os.PathLike[str] | None = None,
    date_order: str | None = None,
    limits: Limits | None = None,
) -> AuditResult:
    """Load case files, judge every case, summarise: the library form of ``ehcp-check audit``.

    ``limits`` raises or lowers the safety limits on what is read (see
    :class:`ehcp_check.ingest.Limits`)."""
    from .ingest import load

    settings = settings or Settings(as_of=as_of)
    loaded = load(
        paths,
        sheet=sheet,
        mapping=mapping,
        mapping_file=mapping_file,
        date_order=date_order,
        latest=latest_date(settings.as_of),
        limits=limits,
    )
    return audit_table(loaded, settings, options)
