"""Set a council's own totals beside what the Department for Education published.

:func:`compare` takes the canonical long table of totals (``data-contract.md`` section 6,
as :func:`ehcp_check.ingest.totals.read_totals` returns it, or as an audit's per-year
figures make it: :func:`audit_totals`) and, per council and calendar year, gives the
reply's figure, the published figure (:mod:`ehcp_check.published`), the difference in plans
and in percentage points, and a verdict, with the arithmetic shown.

The published figures count new EHC plans by **calendar year of issue** (SEN2): plans
issued within 20 weeks of the request (Reg. 13(2) SEND Regulations 2014), including and
excluding the cases where an exception applied (Reg. 13(3)); requests received and
decisions whether to assess within 6 weeks (Reg. 4(2), 5(1)). So:

* a calendar-year row is compared as it is; quarters or months are added up into a calendar
  year only when they cover every day of it exactly once (one granularity at a time);
* a financial (April-March) or academic (September-August) year cannot become a calendar
  year: it is listed as not comparable, never guessed;
* a suppressed cell (``<5``, ``*``) makes the reply's figure a range: with a stated bound
  ("fewer than 5") the range is closed, otherwise open above; the verdict is
  ``consistent`` when the published figure lies in it;
* a period whose counts cannot be (more plans on time than issued, more plans excluding
  exceptions than in all, a negative count) is reported as ``impossible``.

When a year differs, the likely reasons are checked one by one (:class:`Reason`): the reply
counts requests rather than plans; its figures are the ones excluding (or including)
exceptions; its year is a financial year; suppressed cells; day counting; a cohort by
request date instead of issue date. Each says whether it fits, with the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import pandas as pd

from .compare_model import (
    LABELS,
    MEASURES,
    OTHER_YEARS,
    PERCENTAGES,
    CompareResult,
    Figure,
    Finding,
    Line,
    NotComparable,
    Part,
    Percent,
    PeriodProblem,
    Reason,
    Verdict,
    YearComparison,
    signed,
    suppression_bound,
)
from .compare_reasons import reasons as _reasons
from .errors import UsageError
from .published import (
    Council,
    Published,
    UnknownArea,
    YearFigures,
    audit_council,
    find_council,
    published,
)

__all__ = [
    "MEASURES",
    "CompareResult",
    "Finding",
    "Line",
    "NotComparable",
    "PeriodProblem",
    "Reason",
    "Verdict",
    "YearComparison",
    "audit_comparison",
    "audit_council",
    "audit_totals",
    "compare",
    "suppression_bound",
]


# --- building calendar-year figures ------------------------------------------------------


def _where(row: Mapping[str, Any]) -> str:
    parts = [str(row.get("file") or "")]
    if row.get("sheet"):
        parts.append(str(row["sheet"]))
    if row.get("row") is not None and not pd.isna(row.get("row")):
        parts.append(f"row {int(row['row'])}")
    return ", ".join(p for p in parts if p)


def _as_date(value: Any) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _value(value: Any) -> int | None:
    if value is None or pd.isna(value):
        return None
    return round(float(value))


def _marker(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _figure(parts: list[Part], source: str) -> Figure:
    low = 0
    high: int | None = 0
    for p in parts:
        if p.value is not None:
            low += p.value
            high = None if high is None else high + p.value
        else:
            bound = suppression_bound(p.suppressed)
            high = None if high is None or bound is None else high + bound
    return Figure(low, high, tuple(parts), source)


def _covers(rows: list[dict[str, Any]], year: int) -> bool:
    """True when the rows' periods cover every day of ``year`` exactly once."""
    spans = sorted((r["_start"], r["_end"]) for r in rows)
    day = date(year, 1, 1)
    for start, end in spans:
        if start != day or end < start:
            return False
        day = end + timedelta(days=1)
    return day == date(year + 1, 1, 1)


_SUB_KINDS = (("quarter", "quarters"), ("month", "months"), ("other", "periods"))


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _months_text(months: tuple[int, ...]) -> str:
    """(4, 5, 6, 7, 8, 9, 10, 11, 12) -> 'Apr-Dec'; gaps listed: 'Jan-Mar, Jul-Sep'."""
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return ", ".join(
        _MONTHS[r[0] - 1] if len(r) == 1 else f"{_MONTHS[r[0] - 1]}-{_MONTHS[r[-1] - 1]}"
        for r in runs
    )


def _year_figures(rows: list[dict[str, Any]], notes: list[str]) -> dict[int, dict[str, Figure]]:
    """Calendar year -> measure -> the reply's figure, from year rows or whole sets of
    quarters or months."""
    out: dict[int, dict[str, Figure]] = {}
    partial: dict[tuple[int, tuple[int, ...]], list[str]] = {}
    # (measure, year) -> rows for the whole calendar year, rows for part of it: one pass.
    buckets: dict[tuple[str, int], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    spanning: dict[str, None] = {}
    for r in rows:
        start, end = r["_start"], r["_end"]
        if start.year != end.year:  # belongs to neither calendar year
            spanning.setdefault(str(r["period"]), None)
            continue
        whole_rows, part_rows = buckets.setdefault((r["measure"], start.year), ([], []))
        if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
            whole_rows.append(r)
        else:
            part_rows.append(r)
    for (measure, year), (whole, inside) in sorted(buckets.items(), key=lambda kv: kv[0][1]):
        figure: Figure | None = None
        if whole:
            first = whole[0]
            part = Part(str(first["period"]), first["_value"], first["_marker"], first["_where"])
            figure = _figure([part], f"the {year} row")
            others = {(r["_value"], r["_marker"]) for r in whole}
            if len(others) > 1:
                notes.append(
                    f"{year}, {LABELS.get(measure, measure)}: the reply gives {len(whole)} "
                    "different figures for the year; the first is used."
                )
        for kind, plural in _SUB_KINDS:
            subs = sorted(
                (r for r in inside if r["period_kind"] == kind), key=lambda r: r["_start"]
            )
            if not subs or not _covers(subs, year):
                continue
            parts = [Part(str(r["period"]), r["_value"], r["_marker"], r["_where"]) for r in subs]
            summed = _figure(parts, f"{len(subs)} {plural}")
            if figure is None:
                figure = summed
            elif (summed.low, summed.high) != (figure.low, figure.high):
                notes.append(
                    f"{year}, {LABELS.get(measure, measure)}: the {plural} add up to "
                    f"{summed.range_text()}, the year row says {figure.range_text()}."
                )
            break
        if figure is None and inside:
            covered = {m for r in inside for m in range(r["_start"].month, r["_end"].month + 1)}
            partial.setdefault((year, tuple(sorted(covered))), []).append(measure)
        if figure is not None:
            out.setdefault(year, {})[measure] = figure
    if spanning:
        notes.append(
            "periods running into the next calendar year are not compared: "
            + ", ".join(repr(p) for p in list(spanning)[:6])
            + "."
        )
    for (year, months), measures in sorted(partial.items()):
        notes.append(
            f"{year}: the reply's periods cover {_months_text(months)} {year} only "
            f"({len(months)} of 12 months; "
            + ", ".join(LABELS.get(m, m) for m in measures)
            + "), not the whole calendar year the Department publishes: not compared."
        )
    return out


def _derive_within(figures: dict[str, Figure]) -> None:
    """Within 20 weeks = issued - over 20 weeks, when the reply gives only "over"."""
    over = figures.get("plans_issued_over_20_weeks")
    plans = figures.get("plans_issued")
    if "plans_issued_within_20_weeks" in figures or over is None or plans is None:
        return
    if over.exact is None or plans.exact is None:
        return
    figures["plans_issued_within_20_weeks"] = Figure(
        plans.exact - over.exact,
        plans.exact - over.exact,
        (),
        f"plans issued {plans.exact:,} - over 20 weeks {over.exact:,}",
    )


# --- impossible periods --------------------------------------------------------------------

#: (smaller, larger, message): ``smaller`` can never exceed ``larger`` for one period.
_CANNOT_EXCEED: tuple[tuple[str, str, str], ...] = (
    ("plans_issued_within_20_weeks", "plans_issued", "more plans within 20 weeks than issued"),
    ("plans_issued_over_20_weeks", "plans_issued", "more plans over 20 weeks than issued"),
    (
        "within_20_weeks_excl",
        "plans_issued_excl",
        "more plans within 20 weeks than issued (excluding exceptions)",
    ),
    ("plans_issued_excl", "plans_issued", "more plans excluding exceptions than in all"),
    (
        "within_20_weeks_excl",
        "plans_issued",
        "more plans within 20 weeks (excluding exceptions) than issued",
    ),
    (
        "within_20_weeks_excl",
        "plans_issued_within_20_weeks",
        "more plans on time excluding exceptions than in all",
    ),
)


def _problems(rows: list[dict[str, Any]]) -> list[PeriodProblem]:
    by_period: dict[tuple[Any, ...], dict[str, dict[str, Any]]] = {}
    out = []
    for r in rows:
        key = (r.get("file"), r.get("sheet"), r["la"], str(r["period"]), r["_start"], r["_end"])
        by_period.setdefault(key, {})[r["measure"]] = r
        if r["_value"] is not None and r["_value"] < 0:
            out.append(
                PeriodProblem(
                    str(r["period"]),
                    r["_where"],
                    f"{LABELS.get(r['measure'], r['measure'])} is {r['_value']:,}: a count "
                    "cannot be negative.",
                    r["_start"].year if r["_start"].year == r["_end"].year else None,
                )
            )
    for (_, _, _, period, start, end), measures in by_period.items():
        reported: set[str] = set()  # one problem per count, the first rule it breaks
        for small, large, what in _CANNOT_EXCEED:
            if small in reported:
                continue
            a, b = measures.get(small), measures.get(large)
            if a is None or b is None or a["_value"] is None:
                continue
            high = b["_value"]
            if high is None:
                high = suppression_bound(b["_marker"])
            if high is None or a["_value"] <= high:
                continue
            shown = f"{b['_value']:,}" if b["_value"] is not None else f"{b['_marker']}"
            reported.add(small)
            out.append(
                PeriodProblem(
                    period,
                    a["_where"],
                    f"{what}: {LABELS[small]} {a['_value']:,} > {LABELS[large]} {shown}.",
                    start.year if start.year == end.year else None,
                )
            )
    return out


# --- comparing -----------------------------------------------------------------------------


def _line(measure: str, figure: Figure, pub: YearFigures | None) -> Line:
    name = MEASURES[measure]
    value = pub.get(name) if pub else None
    marker = pub.suppressed.get(name) if pub else None
    published_value = None if value is None else int(value)
    exact = figure.exact
    if published_value is None:
        verdict = Verdict.NOT_PUBLISHED
        difference = None
    elif exact is not None:
        difference = exact - published_value
        verdict = Verdict.MATCHES if difference == 0 else Verdict.DIFFERS
    else:
        difference = None
        fits = figure.low <= published_value and (
            figure.high is None or published_value <= figure.high
        )
        verdict = Verdict.CONSISTENT if fits else Verdict.DIFFERS
    sums = figure.arithmetic() if figure.parts else figure.source
    if difference is not None:
        sums += f"; {exact:,} - {published_value:,} = {signed(difference)}"
    return Line(
        measure=measure,
        published_figure=name,
        reply=exact,
        reply_low=figure.low,
        reply_high=figure.high,
        published=published_value,
        published_marker=marker,
        difference=difference,
        verdict=verdict,
        arithmetic=sums,
        source=figure.source,
    )


def _pct(num: int, den: int) -> float:
    return round(100.0 * num / den, 1)


def _percents(figures: dict[str, Figure], pub: YearFigures | None) -> list[Percent]:
    out = []
    for name, num, den, pub_name in PERCENTAGES:
        n, d = figures.get(num), figures.get(den)
        if n is None or d is None or n.exact is None or d.exact is None or d.exact == 0:
            continue
        reply = _pct(n.exact, d.exact)
        value = pub.get(pub_name) if pub else None
        published_pct = None if value is None else float(value)
        points = None if published_pct is None else round(reply - published_pct, 1)
        text = f"{n.exact:,} / {d.exact:,} = {reply:.1f}%"
        if points is not None:
            text += f"; {reply:.1f} - {published_pct:.1f} = {signed(points, 1)} points"
        out.append(Percent(name, reply, published_pct, points, text))
    return out


def _year_verdict(lines: list[Line], problems: list[PeriodProblem]) -> Verdict:
    if problems:
        return Verdict.IMPOSSIBLE
    compared = [x for x in lines if x.verdict is not Verdict.NOT_PUBLISHED]
    if not compared:
        return Verdict.NOT_PUBLISHED
    if any(x.verdict is Verdict.DIFFERS for x in compared):
        return Verdict.DIFFERS
    if any(x.verdict is Verdict.CONSISTENT for x in compared):
        return Verdict.CONSISTENT
    return Verdict.MATCHES


def _prepare(table: pd.DataFrame) -> list[dict[str, Any]]:
    needed = {"period", "period_kind", "start", "end", "measure", "value"}
    missing = needed - set(table.columns)
    if missing:
        raise UsageError(f"a totals table needs the columns {sorted(missing)}.")
    rows: list[dict[str, Any]] = []
    for record in table.to_dict("records"):
        r = {str(k): v for k, v in record.items()}
        start, end = _as_date(r.get("start")), _as_date(r.get("end"))
        r["_start"], r["_end"] = start, end
        r["_value"] = _value(r.get("value"))
        r["_marker"] = _marker(r.get("suppressed"))
        r["_where"] = _where(r)
        r["la"] = _marker(r.get("la"))
        rows.append(r)
    return rows


def _councils(rows: list[dict[str, Any]], la: str | None, data: Published) -> dict[str, Council]:
    """The council of each row's ``la`` text ('' for rows without one)."""
    if la is not None:
        council = find_council(la, data)
        named = {r["la"] for r in rows if r["la"]}
        out = {"": council}
        for text in named:
            out[text] = council
        return out
    names = sorted({r["la"] for r in rows if r["la"]})
    if not names:
        raise UsageError(
            "the reply does not say which council it is from; name it with --la "
            "(e.g. --la Hertfordshire or --la 919)."
        )
    out = {text: find_council(text, data) for text in names}
    if "" not in out and len({c.old_code for c in out.values()}) == 1:
        out[""] = next(iter(out.values()))
    return out


def compare(
    table: pd.DataFrame,
    *,
    la: str | None = None,
    data: Published | None = None,
    notes: Iterable[str] = (),
) -> CompareResult:
    """Compare a long totals table with the published figures, per council and calendar
    year. ``la`` names the council (forgiving, see :func:`~ehcp_check.published.find_council`)
    when the table's ``la`` column does not, or overrides it. ``notes`` (e.g. from the
    reading of the file) are carried into the result's notes."""
    data = data or published()
    rows = _prepare(table)
    councils = _councils(rows, la, data)
    notes = list(notes)
    if la is not None:
        named = {r["la"] for r in rows if r["la"]}
        others = sorted(t for t in named if not _same(t, councils[""], data))
        if others:
            notes.append(
                f"--la {councils[''].name}: the reply's council column also says "
                + ", ".join(repr(o) for o in others[:5])
                + "; every row is taken as this council's."
            )
    not_comparable: dict[tuple[str, str], NotComparable] = {}
    dated = []
    undated: dict[str, None] = {}
    unmatched: dict[str, None] = {}
    for r in rows:
        if r["_start"] is None or r["_end"] is None:
            undated.setdefault(str(r["period"]), None)
            continue
        kind = str(r.get("period_kind") or "")
        if kind in OTHER_YEARS:
            label = str(r["period"])
            not_comparable[(label, kind)] = NotComparable(
                label,
                kind,
                f"a {OTHER_YEARS[kind]} cannot become a calendar year; the Department "
                "publishes calendar years (January-December), so it is not compared.",
            )
            continue
        if r["measure"] not in MEASURES and r["measure"] != "plans_issued_over_20_weeks":
            unmatched.setdefault(str(r["measure"]), None)
            continue
        dated.append(r)
    if undated:
        notes.append(
            "periods without dates are not compared: "
            + ", ".join(repr(p) for p in list(undated)[:6])
            + "."
        )
    if unmatched:
        notes.append(
            "not published by the Department, so not compared: " + ", ".join(unmatched) + "."
        )
    all_problems = _problems([r for r in rows if r["_start"] is not None and r["_end"] is not None])
    years: list[YearComparison] = []
    by_council: dict[str, list[dict[str, Any]]] = {}
    council_of: dict[str, Council] = {}
    for r in dated:
        council = councils.get(r["la"] or "") or councils.get("")
        if council is None:
            raise UsageError("some rows name no council and the reply names several; give --la.")
        by_council.setdefault(council.old_code, []).append(r)
        council_of[council.old_code] = council
    for code, crows in sorted(by_council.items()):
        council = council_of[code]
        figures_by_year = _year_figures(crows, notes)
        for year in sorted(figures_by_year):
            figures = figures_by_year[year]
            _derive_within(figures)
            pub = data.la(council.old_code, year)
            if year not in data.years:
                notes.append(
                    f"{council.name} {year}: the release covers {data.years[0]}-"
                    f"{data.years[-1]}; not compared."
                )
                continue
            lines = [_line(m, figures[m], pub) for m in MEASURES if m in figures]
            parts_where = {p.where for f in figures.values() for p in f.parts}
            problems = [
                p
                for p in all_problems
                if p.year == year and (p.where in parts_where or not parts_where)
            ]
            verdict = _year_verdict(lines, problems)
            reasons: list[Reason] = []
            if any(x.verdict in (Verdict.DIFFERS, Verdict.CONSISTENT) for x in lines):
                reasons = _reasons(year, lines, figures, data, council)
            years.append(
                YearComparison(
                    council=council,
                    year=year,
                    lines=tuple(lines),
                    percents=tuple(_percents(figures, pub)),
                    verdict=verdict,
                    reasons=tuple(reasons),
                    problems=tuple(problems),
                )
            )
    return CompareResult(
        years=tuple(years),
        not_comparable=tuple(not_comparable.values()),
        problems=tuple(all_problems),
        notes=tuple(dict.fromkeys(notes)),
    )


def _same(text: str, council: Council, data: Published) -> bool:
    try:
        return find_council(text, data).old_code == council.old_code
    except UnknownArea:
        return False


# --- an audit's figures as a totals table --------------------------------------------------

#: Audit summary key -> totals measure.
_AUDIT_MEASURES: dict[str, str] = {
    "plans_issued": "plans_issued",
    "within_20_weeks": "plans_issued_within_20_weeks",
    "plans_issued_excl": "plans_issued_excl",
    "within_20_weeks_excl": "within_20_weeks_excl",
}


def audit_totals(
    groups: Iterable[tuple[int, Mapping[str, Any]]], *, la: str | None = None, file: str = "audit"
) -> pd.DataFrame:
    """An audit's per-calendar-year summaries (year, summary) as a long totals table, so an
    audit of cases is compared by the same rules as a reply's totals."""
    records = []
    for year, summary in groups:
        for key, measure in _AUDIT_MEASURES.items():
            value = summary.get(key)
            if value is None:
                continue
            records.append(
                {
                    "file": file,
                    "sheet": None,
                    "row": None,
                    "la": la,
                    "period": str(year),
                    "period_kind": "calendar_year",
                    "start": date(year, 1, 1),
                    "end": date(year, 12, 31),
                    "measure": measure,
                    "value": int(value),
                    "suppressed": None,
                }
            )
    from .ingest.totals import CONTRACT_COLUMNS

    return pd.DataFrame.from_records(records, columns=list(CONTRACT_COLUMNS))


def audit_comparison(
    groups: Iterable[tuple[str, Mapping[str, Any]]],
    council: Council,
    data: Published | None = None,
) -> CompareResult:
    """An audit's per-calendar-year summaries (``(year, summary)`` as
    :func:`ehcp_check.stats.group_summaries` gives them ``by=year``) beside the published
    figures of ``council``: the same rules as for a reply's totals."""
    years = [(int(key), summary) for key, summary in groups if str(key).isdigit()]
    frame = audit_totals(years, la=council.old_code)
    if frame.empty:
        return CompareResult((), (), (), ("the audit has no plans issued to compare.",))
    return compare(frame, la=council.old_code, data=data)
