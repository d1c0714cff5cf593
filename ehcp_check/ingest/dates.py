"""Date columns: decide the day / month order once per column, parse each distinct value once.

A column is factorised; every distinct value is classified (real date cell, Excel serial
number, text date, marker, junk) and parsed once; the answers are mapped back to rows with
numpy indexing. Text dates go through a few steps: an all-numeric ``a/b/c`` pattern (one
regular-expression match per distinct text, the parts assembled into dates with numpy; day /
month order decided for the whole column from the evidence), then a few explicit formats
with ``pandas.to_datetime``, and only the leftovers through ``dateutil``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from dateutil import parser as du_parser

from ehcp_check.ingest.codes import DateOrder
from ehcp_check.ingest.distinct import NOT_MARKER, Distinct
from ehcp_check.ingest.status import CellStatus

#: EHC plans began on 1 September 2014: earlier dates are out of range.
EARLIEST_DATE = dt.date(2014, 9, 1)

_EPOCH_1900 = np.datetime64("1899-12-30", "D")
_EPOCH_1904 = np.datetime64("1904-01-01", "D")
#: Numbers below this are not taken for Excel serial dates (1927-05-18 in the 1900 system).
_MIN_SERIAL = 10_000
_MAX_SERIAL = 2_958_465
_NAT = np.datetime64("NaT", "ns")
_NAT_DAY = np.datetime64("NaT", "D")
#: The span ``datetime64[ns]`` can hold (1677-09-22 to 2262-04-11): a date outside it is
#: out of range, never converted (numpy would wrap it silently, pandas would raise).
FIRST_REPRESENTABLE = dt.date(1677, 9, 22)
LAST_REPRESENTABLE = dt.date(2262, 4, 11)

_NUMERIC_TEXT = re.compile(r"^\d+(\.\d+)?$")
_TRIPLE = re.compile(
    r"^(?P<a>\d{1,4})\s*[/.\-]\s*(?P<b>\d{1,2})\s*[/.\-]\s*(?P<c>\d{1,4})"
    r"(?:(?:\s+|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d\d:?\d\d)?)?$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
_ORDINAL = r"(?<=\d)(?:st|nd|rd|th)\b"
_WEEKDAY = r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\b"
_TEXT_FORMATS = (
    "%d %b %Y", "%d %B %Y", "%d %b %y", "%d %B %y", "%b %d %Y", "%B %d %Y",
    "%Y %b %d", "%Y %b %d %H:%M:%S",  # case-system exports: 2023-Nov-30 00:00:00
)  # fmt: skip
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)


@dataclass(frozen=True, slots=True)
class ParsedDates:
    """One date column, parsed."""

    dates: npt.NDArray[np.datetime64]
    """``datetime64[ns]`` per row, midnight; NaT where unknown or rejected."""
    status: npt.NDArray[np.int8]
    """:class:`CellStatus` per row."""
    order: DateOrder
    """The order used for all-numeric text dates."""
    dmy_evidence: int
    """Distinct values that can only be day-first (first part > 12)."""
    mdy_evidence: int
    """Distinct values that can only be month-first (second part > 12)."""


def decide_order(dmy: int, mdy: int, given: DateOrder | None) -> DateOrder:
    """The column's order: ``given`` if any, month-first only on unopposed evidence."""
    if given is not None:
        return given
    return DateOrder.MDY if mdy > 0 and dmy == 0 else DateOrder.DMY


def _serial_days(number: float, date1904: bool) -> np.datetime64 | None:
    if not _MIN_SERIAL <= number <= _MAX_SERIAL:
        return None
    return (_EPOCH_1904 if date1904 else _EPOCH_1900) + np.timedelta64(int(number), "D")


def _dateutil(text: str, order: DateOrder) -> np.datetime64 | None:
    """Parse a leftover text with dateutil, rejecting texts that lack a day, month or year."""
    if len(text) > 60 or not any(ch.isdigit() for ch in text):
        return None
    dayfirst = order is DateOrder.DMY
    yearfirst = order is DateOrder.YMD
    try:
        one = du_parser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst, default=_DEFAULT_A)
        two = du_parser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError, du_parser.ParserError):
        return None
    if one.date() != two.date():
        return None
    return np.datetime64(one.date(), "D")


def _numbers(parts: list[str]) -> npt.NDArray[np.float64]:
    """Digit strings as numbers the way ``pd.to_numeric(errors="coerce")`` reads them (NaN
    where it cannot): ASCII digits with ``int``, any others (digits of other scripts, which
    ``\\d`` matches) through pandas itself, so they read exactly as pandas reads them."""
    if "".join(parts).isascii():
        return np.array(list(map(int, parts)), dtype=np.float64)
    out = np.array([int(p) if p.isascii() else np.nan for p in parts], dtype=np.float64)
    odd = np.flatnonzero(np.isnan(out))
    if odd.size:
        other = pd.Series([parts[i] for i in odd.tolist()], dtype=object)
        out[odd] = pd.to_numeric(other, errors="coerce").to_numpy(dtype=np.float64)
    return out


@dataclass(frozen=True, slots=True)
class _Triples:
    """The texts that are all-numeric ``a/b/c`` dates (:data:`_TRIPLE`), split in parts."""

    at: npt.NDArray[np.intp]
    """Positions of the matching texts."""
    a: npt.NDArray[np.float64]
    b: npt.NDArray[np.float64]
    c: npt.NDArray[np.float64]
    """The parts as numbers (NaN where not read as one)."""
    a_len: npt.NDArray[np.int64]
    c_len: npt.NDArray[np.int64]
    """Characters in the first and last parts."""

    @classmethod
    def of(cls, texts: list[str]) -> _Triples:
        """One regular-expression match per text, in a plain loop: for the few thousand
        distinct values of a date column this is much cheaper than a dozen pandas calls."""
        at: list[int] = []
        parts: list[str] = []
        match = _TRIPLE.match
        for i, text in enumerate(texts):
            found = match(text)
            if found is not None:
                at.append(i)
                parts.extend(found.groups())
        nums = _numbers(parts)
        firsts, lasts = parts[0::3], parts[2::3]
        return cls(
            np.array(at, dtype=np.intp),
            nums[0::3],
            nums[1::3],
            nums[2::3],
            np.fromiter(map(len, firsts), np.int64, len(firsts)),
            np.fromiter(map(len, lasts), np.int64, len(lasts)),
        )

    def evidence(self) -> tuple[int, int]:
        """Values that can only be day-first, and only month-first (year last, 2 or 4
        digits; a part not read as a number counts as 0)."""
        a = np.nan_to_num(self.a, nan=0.0)
        b = np.nan_to_num(self.b, nan=0.0)
        year_last = (self.a_len != 4) & np.isin(self.c_len, (2, 4))
        dmy = int(np.count_nonzero(year_last & (a > 12) & (b <= 12)))
        mdy = int(np.count_nonzero(year_last & (b > 12) & (a <= 12)))
        return dmy, mdy

    def days(self, order: DateOrder) -> npt.NDArray[np.datetime64]:
        """Dates from the parts in the decided order (NaT when impossible)."""
        a, b, c, a_len, c_len = self.a, self.b, self.c, self.a_len, self.c_len
        year_first = a_len == 4
        if order is DateOrder.YMD:
            year_first |= (c_len <= 2) & (a_len <= 2)
        year = np.where(year_first, a, c)
        if order is DateOrder.MDY:
            month = np.where(year_first, b, a)
            day = np.where(year_first, c, b)
        else:
            month = b
            day = np.where(year_first, c, a)
        year_len = np.where(year_first, a_len, c_len)
        year = np.where(year_len == 2, year + 2000, year)
        ok = np.isin(year_len, (2, 4)) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
        ok &= (year >= 1) & (year <= 9999)
        return days_from_parts(year, month, day, ok)


def days_from_parts(
    year: npt.NDArray[np.float64],
    month: npt.NDArray[np.float64],
    day: npt.NDArray[np.float64],
    ok: npt.NDArray[np.bool_],
) -> npt.NDArray[np.datetime64]:
    """``datetime64[D]`` from whole-number ``year``/``month``/``day`` arrays where ``ok``
    (else NaT).

    Day arithmetic only, so any year 1-9999 is exact (no nanosecond overflow); a day past
    the end of its month (31 February) is NaT.
    """
    out = np.full(len(ok), _NAT_DAY, dtype="datetime64[D]")
    if not ok.any():
        return out
    months = (year[ok].astype("int64") - 1970) * 12 + month[ok].astype("int64") - 1
    month_start = months.astype("datetime64[M]")
    days = month_start.astype("datetime64[D]") + (day[ok].astype("int64") - 1)
    real = days.astype("datetime64[M]") == month_start
    out[np.flatnonzero(ok)[real]] = days[real]
    return out


def _parse_texts(
    texts: list[str], order: DateOrder | None
) -> tuple[npt.NDArray[np.datetime64], int, int, DateOrder]:
    """Parse distinct cleaned texts; returns dates (NaT = unreadable) and the evidence."""
    triples = _Triples.of(texts)
    dmy, mdy = triples.evidence()
    decided = decide_order(dmy, mdy, order)
    result = np.full(len(texts), _NAT_DAY, dtype="datetime64[D]")
    result[triples.at] = triples.days(decided)
    is_triple = np.zeros(len(texts), dtype=bool)
    is_triple[triples.at] = True
    rest_idx = np.flatnonzero(~is_triple)
    if rest_idx.size:
        rest_texts = [texts[i] for i in rest_idx.tolist()]
        rest = pd.Series(rest_texts, dtype=object).str.lower()
        rest = rest.str.replace(_ORDINAL, "", regex=True).str.replace(_WEEKDAY, "", regex=True)
        rest = rest.str.replace(r"\bsept\b", "sep", regex=True)
        rest = rest.str.replace(r"[\s,./\-]+", " ", regex=True).str.strip()
        values = np.full(len(rest), _NAT_DAY, dtype="datetime64[D]")
        for fmt in _TEXT_FORMATS:
            todo = np.isnat(values)
            if not todo.any():
                break
            tried = pd.to_datetime(rest[todo], format=fmt, errors="coerce")
            values[todo] = _as_days(tried)
        with warnings.catch_warnings():  # dateutil's warnings quote the cell: never shown
            warnings.simplefilter("ignore")
            for j in np.flatnonzero(np.isnat(values)).tolist():
                parsed = _dateutil(rest_texts[j], decided)
                if parsed is not None:
                    values[j] = parsed
        result[rest_idx] = values
    return result, dmy, mdy, decided


def _as_days(parsed: pd.Series | pd.DatetimeIndex) -> npt.NDArray[np.datetime64]:
    """Whatever resolution pandas chose, as ``datetime64[D]`` (NaT kept)."""
    values = np.asarray(parsed, dtype="datetime64")
    return values.astype("datetime64[D]")


def _serial_text(text: str, date1904: bool) -> np.datetime64 | None:
    """A number written as text: ``yyyymmdd`` or an Excel serial number."""
    if len(text) == 8 and text.startswith("20"):
        return _dateutil(f"{text[:4]}-{text[4:6]}-{text[6:]}", DateOrder.YMD)
    return _serial_days(float(text), date1904)


def _non_text(value: object, date1904: bool) -> np.datetime64 | None:
    """A cell that is not text: a real date cell or an Excel serial number (else None)."""
    if isinstance(value, dt.datetime):
        return np.datetime64(value.date(), "D")
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_days(float(value), date1904)
    return None


def parse_dates(
    column: pd.Series | Distinct,
    *,
    order: DateOrder | None = None,
    date1904: bool = False,
    latest: dt.date | None = None,
) -> ParsedDates:
    """Parse one column of cells into dates, deciding the day / month order for the column.

    ``order`` forces the order of all-numeric text dates; None decides it from the values
    (day-first unless the values prove month-first and nothing proves day-first).
    """
    distinct = column if isinstance(column, Distinct) else Distinct.of(column)
    n = len(distinct.values)
    udates = np.full(n + 1, _NAT_DAY, dtype="datetime64[D]")
    ustatus = np.full(n + 1, CellStatus.BLANK, dtype=np.int8)
    markers = distinct.table.markers
    is_marker = markers != NOT_MARKER
    ustatus[:n][is_marker] = markers[is_marker]
    present = distinct.present()
    todo = ~is_marker & present
    for i in np.flatnonzero(todo & ~distinct.table.is_str).tolist():
        found = _non_text(distinct.values[i], date1904)
        ustatus[i] = CellStatus.BAD if found is None else CellStatus.OK
        if found is not None:
            udates[i] = found
    text_idx = np.flatnonzero(todo & distinct.table.is_str)
    texts: list[str] = distinct.table.stripped[text_idx].tolist()
    numeric = np.fromiter(
        (_NUMERIC_TEXT.fullmatch(t) is not None for t in texts), dtype=bool, count=len(texts)
    )
    for i, text in zip(text_idx[numeric].tolist(), itertools.compress(texts, numeric), strict=True):
        found = _serial_text(text, date1904)
        ustatus[i] = CellStatus.BAD if found is None else CellStatus.OK
        if found is not None:
            udates[i] = found
    dmy = mdy = 0
    decided = order or DateOrder.DMY
    words = text_idx[~numeric]
    if words.size:
        spaced = [_SPACES.sub(" ", t) for t in itertools.compress(texts, ~numeric)]
        parsed, dmy, mdy, decided = _parse_texts(spaced, order)
        udates[words] = parsed
        ustatus[words] = np.where(np.isnat(parsed), CellStatus.BAD, CellStatus.OK)
    ok = ustatus == CellStatus.OK
    out = ok & (udates < np.datetime64(EARLIEST_DATE, "D"))
    out |= ok & (udates > np.datetime64(LAST_REPRESENTABLE, "D"))
    if latest is not None:
        out |= ok & (udates > np.datetime64(latest, "D"))
    ustatus[out] = CellStatus.OUT_OF_RANGE
    kept = ustatus == CellStatus.OK
    days = np.full(n + 1, _NAT, dtype="datetime64[ns]")
    days[kept] = udates[kept].astype("datetime64[ns]")
    udates = days
    return ParsedDates(udates[distinct.codes], ustatus[distinct.codes], decided, dmy, mdy)


__all__ = ["EARLIEST_DATE", "ParsedDates", "decide_order", "parse_dates"]
