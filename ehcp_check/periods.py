"""Reporting periods: calendar, financial and academic years, quarters and months.

Dates map to periods column-wise (no per-row Python): a ``datetime64`` array becomes a
month index (months since January 1970), and every period kind is integer arithmetic on
that index. Period codes sort chronologically, and so do their labels:

==========  ============  ==================  ===================
by          calendar      financial (Apr-Mar)  academic (Sep-Aug)
==========  ============  ==================  ===================
year        ``2024``      ``2024-25``          ``2024/25``
quarter     ``2024-Q1``   ``2024-25 Q1``       ``2024/25 Q1``
month       ``2024-05``   ``2024-05``          ``2024-05``
==========  ============  ==================  ===================

Financial Q1 is April-June; academic Q1 is September-November.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Code of a date that falls in no period (NaT).
NO_PERIOD = -1

#: Widest date range (days) mapped through a lookup table rather than converted per date.
_LOOKUP_LIMIT = 200_000


class GroupBy(StrEnum):
    """How group summaries are cut (``--by``)."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    LA = "la"


class YearType(StrEnum):
    """Which year: calendar (January), financial (April) or academic (September)."""

    CALENDAR = "calendar"
    FINANCIAL = "financial"
    ACADEMIC = "academic"

    @property
    def first_month(self) -> int:
        """The month the year starts in (1 = January)."""
        return _FIRST_MONTH[self]


_FIRST_MONTH: dict[YearType, int] = {
    YearType.CALENDAR: 1,
    YearType.FINANCIAL: 4,
    YearType.ACADEMIC: 9,
}

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days, both ends included, with the label reports show."""

    start: date
    """First day in the period."""
    end: date
    """Last day in the period (inclusive)."""
    label: str
    """How reports name the period, e.g. ``2024-05`` or ``2024-25``."""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period {self.label!r} ends before it starts")

    @classmethod
    def month(cls, text: str) -> Period:
        """The calendar month ``YYYY-MM``, e.g. ``Period.month("2024-05")``."""
        m = _MONTH_RE.match(text.strip())
        if m is None or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"not a month in the form YYYY-MM: {text!r}")
        year, month = int(m.group(1)), int(m.group(2))
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), f"{year:04d}-{month:02d}")

    @classmethod
    def between(cls, from_: date, to: date) -> Period:
        """The days from ``from_`` to ``to``, both included."""
        return cls(from_, to, f"{from_.isoformat()} to {to.isoformat()}")

    @classmethod
    def year(cls, start_year: int, year_type: YearType = YearType.CALENDAR) -> Period:
        """The year of ``year_type`` that starts in ``start_year`` (2024 -> "2024-25")."""
        first = year_type.first_month
        start = date(start_year, first, 1)
        end_year, end_month = (start_year, 12) if first == 1 else (start_year + 1, first - 1)
        end = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        return cls(start, end, year_label(start_year, year_type))

    def contains(self, dates: npt.NDArray[np.datetime64]) -> BoolArray:
        """Element-wise: the date is in the period (NaT never is)."""
        days = np.asarray(dates).astype("datetime64[D]")
        lo, hi = np.datetime64(self.start, "D"), np.datetime64(self.end, "D")
        return np.asarray(~np.isnat(days) & (days >= lo) & (days <= hi), dtype=np.bool_)


def year_label(start_year: int, year_type: YearType) -> str:
    """``2024`` (calendar), ``2024-25`` (financial), ``2024/25`` (academic)."""
    if year_type is YearType.CALENDAR:
        return f"{start_year:04d}"
    sep = "-" if year_type is YearType.FINANCIAL else "/"
    return f"{start_year:04d}{sep}{(start_year + 1) % 100:02d}"


def month_index(dates: npt.NDArray[np.datetime64]) -> IntArray:
    """Months since January 1970 for each date; :data:`NO_PERIOD` where NaT.

    Only meaningful for dates from 1970 on (EHC plans began in 2014).
    """
    days = np.asarray(dates).astype("datetime64[D]")
    missing = np.isnat(days)
    if missing.all():
        return np.full(len(days), NO_PERIOD, dtype=np.int64)
    day_no = days.view(np.int64)
    first, last = int(day_no[~missing].min()), int(day_no[~missing].max())
    if last - first > _LOOKUP_LIMIT:
        months = days.astype("datetime64[M]").astype(np.int64)
    else:
        # Calendar arithmetic once per distinct day, then a gather: much faster than
        # converting a million dates to months.
        span = np.arange(first, last + 1, dtype=np.int64).view("datetime64[D]")
        lookup = span.astype("datetime64[M]").astype(np.int64)
        months = lookup[np.where(missing, 0, day_no - first)]
    return np.where(missing, NO_PERIOD, months).astype(np.int64)


def period_codes(
    dates: npt.NDArray[np.datetime64], by: GroupBy, year_type: YearType = YearType.CALENDAR
) -> IntArray:
    """Integer period codes (chronological order) for ``by`` year, quarter or month.

    Codes: months since 1970 (month), quarters since the first quarter of the 1970 year
    (quarter), years since 1970 (year), all counted from the start of ``year_type``'s year.
    NaT gives :data:`NO_PERIOD`. Turn codes into labels with :func:`code_label`.
    """
    if by is GroupBy.LA:
        raise ValueError("LA groups are not periods")
    m = month_index(dates)
    missing = m == NO_PERIOD
    shifted = m - (year_type.first_month - 1)
    if by is GroupBy.MONTH:
        codes = m
    elif by is GroupBy.QUARTER:
        codes = np.floor_divide(shifted, 3)
    else:
        codes = np.floor_divide(shifted, 12)
    return np.where(missing, NO_PERIOD, codes).astype(np.int64)


def code_label(code: int, by: GroupBy, year_type: YearType = YearType.CALENDAR) -> str:
    """The label of one period code from :func:`period_codes`."""
    if by is GroupBy.MONTH:
        return f"{1970 + code // 12:04d}-{code % 12 + 1:02d}"
    if by is GroupBy.QUARTER:
        year = year_label(1970 + code // 4, year_type)
        sep = "-" if year_type is YearType.CALENDAR else " "
        return f"{year}{sep}Q{code % 4 + 1}"
    if by is GroupBy.YEAR:
        return year_label(1970 + code, year_type)
    raise ValueError("LA groups are not periods")


def period_keys(
    dates: npt.NDArray[np.datetime64], by: GroupBy, year_type: YearType = YearType.CALENDAR
) -> npt.NDArray[np.object_]:
    """The period label of every date (None where NaT), e.g. ``"2024-25 Q1"``.

    Each distinct period is formatted once, then mapped back to the rows.
    """
    codes = period_codes(dates, by, year_type)
    uniques, inverse = np.unique(codes, return_inverse=True)
    labels = np.array(
        [None if c == NO_PERIOD else code_label(int(c), by, year_type) for c in uniques.tolist()],
        dtype=object,
    )
    return np.asarray(labels[inverse.reshape(-1)], dtype=object)
