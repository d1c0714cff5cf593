"""Period labels as councils write them: months, quarters, month ranges and years.

:func:`parse_period` turns one label (``"Qtr. 1"``, ``"Apr-Jun"``, ``"April, May, June"``,
``"Jan 2019"``, ``"2019-20"``, ``"FY 2019/20"``, ``"2019/20 academic year"``, ``"April 2019 -
March 2020"``, a date cell) into a :class:`PeriodSpan`: its kind and its first and last days
(inclusive). A label without a year (``"Qtr 1"``, ``"Jan-March"``) takes the year of the
context it is found in: the year written above it or beside it, or in the sheet's title
(:func:`year_context`). Quarters and months of a financial year (April-March) or of an
academic year (September-August) fall in the right calendar year: Q1 of 2019-20 is April to
June 2019, January of 2019-20 is January 2020.

A label with any other word in it ("Requests received 2019") is not a period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass
from enum import StrEnum


class PeriodKind(StrEnum):
    """What a period is (the ``period_kind`` column of a totals table)."""

    MONTH = "month"
    QUARTER = "quarter"
    CALENDAR_YEAR = "calendar_year"
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    OTHER = "other"


#: The month each kind of year starts in.
YEAR_START: dict[PeriodKind, int] = {
    PeriodKind.CALENDAR_YEAR: 1,
    PeriodKind.FINANCIAL_YEAR: 4,
    PeriodKind.ACADEMIC_YEAR: 9,
}

#: Years outside this range are not read as years (counts such as 1371 are not years).
FIRST_YEAR, LAST_YEAR = 2000, 2099
#: A bare number is a year only in this range (a count such as 2,104 is not a year).
BARE_FIRST, BARE_LAST = 2010, 2035


@dataclass(frozen=True, slots=True)
class PeriodSpan:
    """A period with its first and last days (inclusive)."""

    kind: PeriodKind
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class YearContext:
    """A year a label without one is read in: calendar, financial or academic."""

    kind: PeriodKind
    """One of the three year kinds of :data:`YEAR_START`."""
    first: int
    """The calendar year the year starts in (2019 for 2019-20)."""


@dataclass(frozen=True, slots=True)
class Label:
    """What a label says before a year is supplied."""

    span: PeriodSpan | None = None
    """The period, when the label is complete."""
    months: tuple[int, int] | None = None
    """(first month 1-12, number of months) of a label without a year."""
    quarter: int | None = None
    """A numbered quarter (1-4) without a year."""
    year_kind: PeriodKind | None = None
    """The kind of year a label such as "Q1 2019-20" is numbered in."""

    @property
    def needs_year(self) -> bool:
        return self.span is None


_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _name = calendar.month_name[_number].lower()
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_TOKEN = re.compile(
    rf"""
    (?P<pair>(?<!\d)(?:20\d{{2}})\s*[-/]\s*(?:20\d{{2}}|\d{{2}})(?!\d))
   |(?P<short>(?<!\d)[1-3]\d\s*/\s*[1-3]\d(?!\d))
   |(?P<year>(?<!\d)20\d{{2}}(?!\d))
   |(?P<month>(?:{_MONTH_RE}))\.?(?![a-z])
   |(?P<quarter>(?:quarter|qtr|qr|q)\.?\s*(?P<qn>[1-4])(?!\d))
   |(?P<nth>(?P<nn>[1-4])(?:st|nd|rd|th)\s+(?:quarter|qtr))
   |(?P<num>(?<![\d])\d{{1,2}})(?:st|nd|rd|th)?(?!\d)
   |(?P<apos>'\s*(?P<an>\d{{2}})(?!\d))
   |(?P<word>[a-z]+)
   |(?P<punct>[-/,&.:()\u2013\u2014+]+)
    """,
    re.VERBOSE,
)

#: Words a period label may contain besides months, quarters and years.
FILLER_WORDS = frozenset(
    {"to", "and", "year", "years", "yr", "financial", "academic", "calendar", "fy", "ay",
     "cy", "fin", "school", "the", "of", "from", "until", "till", "through", "ending",
     "end", "ended", "period", "months", "month", "quarter", "qtr", "in", "for", "st",
     "nd", "rd", "th", "fye", "tax", "reporting", "ye", "provisional", "revised", "actual"}
)  # fmt: skip
_ACADEMIC = frozenset({"academic", "ay", "school"})
_FINANCIAL = frozenset({"financial", "fy", "fin", "fye", "tax"})
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "one": 1, "two": 2,
                  "three": 3, "four": 4}  # fmt: skip
_ISO_MONTH = re.compile(r"^\s*(20\d{2})\s*[-/.]\s*(0?[1-9]|1[0-2])\s*$")
_MONTH_YEAR = re.compile(r"^\s*(0?[1-9]|1[0-2])\s*[-/.]\s*(20\d{2})\s*$")


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def span_of_months(year: int, month: int, count: int) -> PeriodSpan:
    """The period of ``count`` months from ``month`` of ``year``, with its kind."""
    last_year, last_month = _add_months(year, month, count - 1)
    if count == 1:
        kind = PeriodKind.MONTH
    elif count == 3:
        kind = PeriodKind.QUARTER
    elif count == 12:
        kind = next((k for k, m in YEAR_START.items() if m == month), PeriodKind.OTHER)
    else:
        kind = PeriodKind.OTHER
    return PeriodSpan(kind, dt.date(year, month, 1), month_end(last_year, last_month))


def year_span(context: YearContext) -> PeriodSpan:
    """The whole year a context names."""
    span = span_of_months(context.first, YEAR_START[context.kind], 12)
    return PeriodSpan(context.kind, span.start, span.end)


def _pair_first(text: str) -> int | None:
    """The first year of ``2019-20`` / ``2019/2020``, or None unless the years follow on."""
    parts = re.split(r"\s*[-/]\s*", text.strip())
    first, second = int(parts[0][-4:] if len(parts[0]) > 2 else "20" + parts[0]), parts[1]
    following = (first + 1) % 100 if len(second) == 2 else first + 1
    return first if int(second) == following else None


def _year_kind(words: set[str], default: PeriodKind) -> PeriodKind:
    if words & _ACADEMIC:
        return PeriodKind.ACADEMIC_YEAR
    if words & _FINANCIAL:
        return PeriodKind.FINANCIAL_YEAR
    if "calendar" in words or "cy" in words:
        return PeriodKind.CALENDAR_YEAR
    return default


def parse_label(value: object) -> Label | None:
    """What one cell says about a period, or None when it is not a period label."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Label(span=span_of_months(value.year, value.month, 1))
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if value != value or not float(value).is_integer():
            return None
        year = int(value)
        if BARE_FIRST <= year <= BARE_LAST:
            return Label(span=year_span(YearContext(PeriodKind.CALENDAR_YEAR, year)))
        return None
    if not isinstance(value, str):
        return None
    return _parse_text(value)


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str) -> Label | None:
    low = " ".join(text.lower().replace("\u2019", "'").split())
    if not low or len(low) > 60:
        return None
    if (iso := _ISO_MONTH.match(low)) and not _is_pair(low):
        return Label(span=span_of_months(int(iso.group(1)), int(iso.group(2)), 1))
    if my := _MONTH_YEAR.match(low):
        return Label(span=span_of_months(int(my.group(2)), int(my.group(1)), 1))
    if re.fullmatch(r"\d{4}", low):
        year = int(low)
        if BARE_FIRST <= year <= BARE_LAST:
            return Label(span=year_span(YearContext(PeriodKind.CALENDAR_YEAR, year)))
        return None
    tokens = [(m.lastgroup, m) for m in _TOKEN.finditer(low)]
    words = {m.group() for kind, m in tokens if kind == "word"}
    leftover = words - FILLER_WORDS - set(_QUARTER_WORDS)
    if leftover:
        return None
    months: list[tuple[int, int | None]] = []  # (month, 2-digit year after it or None)
    years: list[int] = []
    pairs: list[int] = []
    quarter: int | None = None
    for i, (kind, m) in enumerate(tokens):
        if kind == "month":
            months.append((_MONTHS[m.group("month")], None))
        elif kind == "year":
            years.append(int(m.group()))
        elif kind in {"pair", "short"}:
            first = _pair_first(m.group())
            if first is None:
                return None
            pairs.append(first)
        elif kind == "quarter":
            quarter = int(m.group("qn"))
        elif kind == "nth":
            quarter = int(m.group("nn"))
        elif kind == "word" and m.group() in _QUARTER_WORDS and _next_is_quarter(tokens, i):
            quarter = _QUARTER_WORDS[m.group()]
        elif kind in {"num", "apos"}:
            digits = int(m.group("an") if kind == "apos" else m.group("num"))
            if months and _after_month(tokens, i) and not _before_month(tokens, i):
                months[-1] = (months[-1][0], 2000 + digits)
            elif not _before_month(tokens, i):
                return None
    if not (months or years or pairs or quarter):
        return None
    listed = "and" in words or any(k == "punct" and m.group() in {",", "&"} for k, m in tokens)
    # "April, May, June" is a run of months; "Jan, Mar" is two months, not a range.
    if listed and any((b - a) % 12 != 1 for (a, _), (b, _) in itertools.pairwise(months)):
        return None
    if len(pairs) > 1 or (pairs and years):
        return None
    if (
        words & {"year", "yr", "ye"}
        and words & {"to", "ending", "ended", "end"}
        and (len(months) == 1 and len(years) + sum(y is not None for _, y in months) == 1)
    ):
        # "Year to March 2020", "Year ending 31 March 2020": the twelve months ending then.
        month, short = months[0]
        end_year = years[0] if years else short or 0
        year, first = _add_months(end_year, month, -11)
        return Label(span=span_of_months(year, first, 12))
    if pairs:
        ykind = _year_kind(words, PeriodKind.FINANCIAL_YEAR)
        if ykind is PeriodKind.CALENDAR_YEAR:
            ykind = PeriodKind.FINANCIAL_YEAR
        context = YearContext(ykind, pairs[0])
        return _with_context(months, quarter, context, years_given=True)
    return _calendar_label(months, years, quarter, words)


def _is_pair(text: str) -> bool:
    match = re.fullmatch(r"\s*(20\d{2})\s*[-/]\s*(\d{2})\s*", text)
    return bool(match) and _pair_first(text) is not None


def _next_is_quarter(tokens: list[tuple[str | None, re.Match[str]]], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][1].group() in {"quarter", "qtr"}


def _after_month(tokens: list[tuple[str | None, re.Match[str]]], i: int) -> bool:
    j = i - 1
    while j >= 0 and tokens[j][0] == "punct" and tokens[j][1].group() in {"-", ".", "/"}:
        j -= 1
    return j >= 0 and tokens[j][0] == "month"


def _before_month(tokens: list[tuple[str | None, re.Match[str]]], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][0] == "month"


def _calendar_label(
    months: list[tuple[int, int | None]], years: list[int], quarter: int | None, words: set[str]
) -> Label | None:
    short_years = [y for _, y in months if y is not None]
    all_years = years or short_years
    if len(years) > 2 or (years and short_years):
        return None
    if not months and quarter is None:
        if len(years) != 1:
            return None
        kind = _year_kind(words, PeriodKind.CALENDAR_YEAR)
        first = years[0] if kind is PeriodKind.CALENDAR_YEAR else years[0] - 1
        if kind is not PeriodKind.CALENDAR_YEAR:
            # "financial year 2020" is ambiguous (ending or starting): not read.
            return None
        return Label(span=year_span(YearContext(kind, first)))
    if not all_years:
        ykind = _year_kind(words, PeriodKind.CALENDAR_YEAR)
        return _unanchored(months, quarter, ykind)
    if quarter is not None and not months:
        if len(all_years) != 1:
            return None
        ykind = _year_kind(words, PeriodKind.CALENDAR_YEAR)
        if ykind is not PeriodKind.CALENDAR_YEAR:
            return None
        return _with_context([], quarter, YearContext(ykind, all_years[0]), years_given=True)
    return _month_range(months, years, short_years)


def _unanchored(
    months: list[tuple[int, int | None]], quarter: int | None, ykind: PeriodKind
) -> Label | None:
    if months:
        run = _month_run([m for m, _ in months])
        if run is None:
            return None
        return Label(months=run)
    return Label(
        quarter=quarter, year_kind=ykind if ykind is not PeriodKind.CALENDAR_YEAR else None
    )


def _month_run(months: list[int]) -> tuple[int, int] | None:
    """(first, count) of a range ``Apr-Jun`` or a list ``April, May, June``."""
    if len(months) == 1:
        return months[0], 1
    if len(months) == 2:
        return months[0], (months[1] - months[0]) % 12 + 1
    for a, b in itertools.pairwise(months):
        if (b - a) % 12 != 1:
            return None
    return months[0], len(months)


def _month_range(
    months: list[tuple[int, int | None]], years: list[int], short_years: list[int]
) -> Label | None:
    names = [m for m, _ in months]
    run = _month_run(names)
    if run is None:
        return None
    first_month, count = run
    if len(years) == 2 or len(short_years) == 2:
        start_year = (years or short_years)[0]
        end_year = (years or short_years)[1]
        start = dt.date(start_year, first_month, 1)
        last_year, last_month = _add_months(start_year, first_month, count - 1)
        if (last_year, last_month) != (end_year, names[-1]):
            count = (end_year * 12 + names[-1]) - (start_year * 12 + first_month) + 1
            if not 1 <= count <= 24:
                return None
        span = span_of_months(start.year, start.month, count)
        return Label(span=span)
    year = (years or short_years)[0]
    if len(months) >= 2 and months[0][1] is not None and months[-1][1] is None:
        start_year = year  # "Jan 19 - Mar" : the year is the start's
    else:
        # "Jan-Mar 2019": the year is the last month's.
        start_year = year - (1 if first_month + count - 1 > 12 else 0)
    return Label(span=span_of_months(start_year, first_month, count))


def _with_context(
    months: list[tuple[int, int | None]],
    quarter: int | None,
    context: YearContext,
    *,
    years_given: bool,
) -> Label | None:
    resolved = resolve(Label(months=_month_run([m for m, _ in months]) if months else None,
                             quarter=quarter), context)  # fmt: skip
    if resolved is None:
        if months or quarter is not None:
            return None
        return Label(span=year_span(context))
    return Label(span=resolved)


def resolve(label: Label, context: YearContext | None) -> PeriodSpan | None:
    """The period a label names, read within ``context`` when it has no year of its own."""
    if label.span is not None:
        return label.span
    if context is None:
        return None
    start_month = YEAR_START[context.kind]
    if label.months is not None:
        first, count = label.months
        offset = (first - start_month) % 12
        year, month = _add_months(context.first, start_month, offset)
        return span_of_months(year, month, count)
    if label.quarter is not None:
        kind = label.year_kind or context.kind
        if label.year_kind is not None and label.year_kind is not context.kind:
            kind = label.year_kind
        year, month = _add_months(context.first, YEAR_START[kind], 3 * (label.quarter - 1))
        return span_of_months(year, month, 3)
    return None


def as_context(span: PeriodSpan) -> YearContext | None:
    """The year a whole-year period is, for the labels under or beside it."""
    if span.kind in YEAR_START:
        return YearContext(span.kind, span.start.year)
    return None


_TITLE_PAIR = re.compile(r"(?<!\d)(20\d{2})\s*[-/]\s*(20\d{2}|\d{2})(?!\d)")
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def year_context(text: str) -> YearContext | None:
    """The year a title such as "EHCPs issued in 2019/20 (academic year)" is about."""
    low = text.lower()
    words = set(re.findall(r"[a-z]+", low))
    pair = _TITLE_PAIR.search(low)
    if pair is not None:
        first = _pair_first(pair.group())
        if first is not None:
            kind = _year_kind(words, PeriodKind.FINANCIAL_YEAR)
            if kind is PeriodKind.CALENDAR_YEAR:
                kind = PeriodKind.FINANCIAL_YEAR
            return YearContext(kind, first)
    found = set(_TITLE_YEAR.findall(low))
    if len(found) == 1:
        year = int(found.pop())
        if _year_kind(words, PeriodKind.CALENDAR_YEAR) is PeriodKind.CALENDAR_YEAR:
            return YearContext(PeriodKind.CALENDAR_YEAR, year)
    return None


def parse_period(value: object, context: YearContext | None = None) -> PeriodSpan | None:
    """The period one label names (read within ``context`` when it has no year), or None."""
    label = parse_label(value)
    return None if label is None else resolve(label, context)
