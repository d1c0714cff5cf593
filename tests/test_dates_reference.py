"""Property: ``parse_dates`` gives exactly what its earlier, pandas-call-per-step version gave.

The text path of ``parse_dates`` splits all-numeric ``a/b/c`` dates with one regular-expression
match per distinct text and builds the dates with numpy. The version it replaced is kept below,
verbatim but for names (``_reference_*``), as the oracle: for any column of messy cells both must
return the same dates, statuses, decided order and day / month order evidence.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ehcp_check.ingest import dates
from ehcp_check.ingest.codes import DateOrder
from ehcp_check.ingest.dates import (
    _NAT,
    _NAT_DAY,
    _ORDINAL,
    _TEXT_FORMATS,
    _WEEKDAY,
    EARLIEST_DATE,
    LAST_REPRESENTABLE,
    ParsedDates,
    _as_days,
    _dateutil,
    _non_text,
    _serial_text,
    decide_order,
    parse_dates,
)
from ehcp_check.ingest.distinct import NOT_MARKER, Distinct
from ehcp_check.ingest.status import CellStatus

# --- The reference: parse_dates as it was before the text path became a plain loop. -------

_REFERENCE_NUMERIC_TEXT = re.compile(r"^\d+(\.\d+)?$")
_REFERENCE_TRIPLE = (
    r"^(?P<a>\d{1,4})\s*[/.\-]\s*(?P<b>\d{1,2})\s*[/.\-]\s*(?P<c>\d{1,4})"
    r"(?:(?:\s+|T)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d\d:?\d\d)?)?$"
)


def _reference_triples(
    texts: pd.Series, order: DateOrder | None
) -> tuple[pd.DataFrame, int, int, DateOrder]:
    parts = texts.str.extract(_REFERENCE_TRIPLE, flags=re.IGNORECASE)
    found = parts["a"].notna().to_numpy()
    a = pd.to_numeric(parts["a"], errors="coerce").fillna(0).astype("int64").to_numpy()
    b = pd.to_numeric(parts["b"], errors="coerce").fillna(0).astype("int64").to_numpy()
    c_len = parts["c"].fillna("").str.len().to_numpy()
    year_first = parts["a"].fillna("").str.len().to_numpy() == 4
    two_part_year_last = found & ~year_first & np.isin(c_len, (2, 4))
    dmy = int(np.count_nonzero(two_part_year_last & (a > 12) & (b <= 12)))
    mdy = int(np.count_nonzero(two_part_year_last & (b > 12) & (a <= 12)))
    return parts, dmy, mdy, decide_order(dmy, mdy, order)


def _reference_ymd_from_triples(
    parts: pd.DataFrame, order: DateOrder
) -> npt.NDArray[np.datetime64]:
    num = {k: pd.to_numeric(parts[k], errors="coerce") for k in ("a", "b", "c")}
    a_len = parts["a"].fillna("").str.len()
    c_len = parts["c"].fillna("").str.len()
    year_first = (a_len == 4) | ((order is DateOrder.YMD) & (c_len <= 2) & (a_len <= 2))
    year = num["a"].where(year_first, num["c"])
    if order is DateOrder.MDY:
        month = num["b"].where(year_first, num["a"])
        day = num["c"].where(year_first, num["b"])
    else:
        month = num["b"]
        day = num["c"].where(year_first, num["a"])
    year_len = a_len.where(year_first, c_len)
    year = year.where(year_len != 2, year + 2000).where(year_len.isin((2, 4)))
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    ok = frame.notna().all(axis=1) & frame["month"].between(1, 12) & frame["day"].between(1, 31)
    ok &= frame["year"].between(1, 9999)
    return _reference_days_from_parts(frame, ok.to_numpy(dtype=bool))


def _reference_days_from_parts(
    frame: pd.DataFrame, ok: npt.NDArray[np.bool_]
) -> npt.NDArray[np.datetime64]:
    out = np.full(len(frame), _NAT_DAY, dtype="datetime64[D]")
    if not ok.any():
        return out
    good = frame[ok].astype("int64")
    months = (good["year"].to_numpy() - 1970) * 12 + good["month"].to_numpy() - 1
    month_start = months.astype("datetime64[M]")
    days = month_start.astype("datetime64[D]") + (good["day"].to_numpy() - 1)
    real = days.astype("datetime64[M]") == month_start
    out[np.flatnonzero(ok)[real]] = days[real]
    return out


def _reference_parse_texts(
    texts: pd.Series, order: DateOrder | None
) -> tuple[npt.NDArray[np.datetime64], int, int, DateOrder]:
    parts, dmy, mdy, decided = _reference_triples(texts, order)
    result = _reference_ymd_from_triples(parts, decided)
    is_triple = parts["a"].notna().to_numpy()
    rest_idx = np.flatnonzero(~is_triple)
    if rest_idx.size:
        rest = texts.iloc[rest_idx].str.lower()
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for j in np.flatnonzero(np.isnat(values)):
                parsed = _dateutil(str(texts.iloc[rest_idx[j]]), decided)
                if parsed is not None:
                    values[j] = parsed
        result[rest_idx] = values
    return result, dmy, mdy, decided


def _reference_parse_dates(
    column: pd.Series | Distinct,
    *,
    order: DateOrder | None = None,
    date1904: bool = False,
    latest: dt.date | None = None,
) -> ParsedDates:
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
    texts = pd.Series(distinct.table.stripped[text_idx].astype(object), dtype=object)
    numeric = texts.str.fullmatch(_REFERENCE_NUMERIC_TEXT.pattern).to_numpy(dtype=bool)
    for i in text_idx[numeric].tolist():
        found = _serial_text(str(distinct.table.stripped[i]), date1904)
        ustatus[i] = CellStatus.BAD if found is None else CellStatus.OK
        if found is not None:
            udates[i] = found
    dmy = mdy = 0
    decided = order or DateOrder.DMY
    words = text_idx[~numeric]
    if words.size:
        spaced = texts[~numeric].str.replace(r"\s+", " ", regex=True).reset_index(drop=True)
        parsed, dmy, mdy, decided = _reference_parse_texts(spaced, order)
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


# --- Messy cells. --------------------------------------------------------------------------


def _script(zero: int) -> str:
    """The ten digits of the script whose zero is code point ``zero``."""
    return "".join(chr(zero + i) for i in range(10))


#: Digits of other scripts, which ``\d`` matches: Arabic-Indic, Extended Arabic-Indic,
#: Devanagari, full-width, mathematical bold.
_FOREIGN_DIGITS = "".join(_script(z) for z in (0x0660, 0x06F0, 0x0966, 0xFF10, 0x1D7CE))


def _in_script(text: str, zero: int) -> str:
    """``text`` with its ASCII digits written in another script."""
    return text.translate(str.maketrans("0123456789", _script(zero)))


#: ASCII digits mostly; now and then a digit of another script.
_DIGIT = st.one_of(
    st.sampled_from("0123456789"),
    st.sampled_from("0123456789"),
    st.sampled_from("0123456789"),
    st.sampled_from(_FOREIGN_DIGITS),
)
_SPACE = st.sampled_from(["", "", "", " ", "  ", "\t", "\xa0", "\u2009", "\n", " " * 50])
#: Between the words of a date: white space runs collapse before the length limit of
#: dateutil's texts (60 characters) is applied.
_GAP = st.sampled_from([" ", " ", " ", "  ", "\t", " \n ", " " * 50])
_SEPARATOR = st.sampled_from(["/", "/", "-", ".", " ", "", "\\", ",", "/-"])
_TIME = st.sampled_from(
    ["", "", "", " 10:30", " 10:30:00", "T09:15:00", " 9.15 pm", "T23:59:59.5Z",
     " 10:30 a.m.", " 00:00:00+01:00", " 25:99", "T10:30-0500", " noon"]
)  # fmt: skip
_MONTH = st.sampled_from(
    ["Jan", "January", "feb", "FEBRUARY", "Mar", "Sept", "sep", "Oct", "Nov", "December",
     "Junee", "Mai"]
)  # fmt: skip
_WEEKDAY_NAME = st.sampled_from(["", "", "Mon ", "Friday ", "thurs, ", "Sat. ", "Sunday, "])
_ORDINAL_SUFFIX = st.sampled_from(["", "", "st", "nd", "rd", "th", "TH"])
_AROUND = st.sampled_from(["", "", "", "", "x", "approx ", "(", ")", "?", "~", "'", "1"])
_MARKER = st.sampled_from(
    ["N/A", "n/a", "ongoing", "Ongoing", "TBC", "-", "#VALUE!", "<5", "[redacted]", "",
     "   ", "not  applicable", "\t"]
)  # fmt: skip


@st.composite
def _number(draw: st.DrawFn, width: int) -> str:
    """A number part: a zero-padded integer, or a run of (possibly foreign) digits."""
    if draw(st.booleans()):
        value = draw(
            st.one_of(
                st.integers(min_value=0, max_value=32),
                st.integers(min_value=0, max_value=10**width + 5),
            )
        )
        text = f"{value:0{draw(st.integers(min_value=1, max_value=width))}d}"
        if draw(st.integers(min_value=0, max_value=5)) == 0:  # one digit from another script
            at = draw(st.integers(min_value=0, max_value=len(text) - 1))
            text = text[:at] + draw(_DIGIT) + text[at + 1 :]
        return text
    return "".join(draw(st.lists(_DIGIT, min_size=1, max_size=width + 1)))


@st.composite
def _triple(draw: st.DrawFn) -> str:
    """``a/b/c`` with any separators, spaces, 1 to 5 digit parts and a time of day."""
    parts = [draw(_number(4)), draw(_number(2)), draw(_number(4))]
    sep = draw(_SEPARATOR)
    other = draw(_SEPARATOR) if draw(st.booleans()) else sep
    text = (
        f"{parts[0]}{draw(_SPACE)}{sep}{draw(_SPACE)}{parts[1]}{draw(_SPACE)}{other}"
        f"{draw(_SPACE)}{parts[2]}{draw(_TIME)}"
    )
    return f"{draw(_AROUND)}{text}{draw(_AROUND)}"


@st.composite
def _plausible(draw: st.DrawFn) -> str:
    """A day-first or month-first date, sometimes impossible (day 0 to 32, month 0 to 13)."""
    day = draw(st.integers(min_value=0, max_value=32))
    month = draw(st.integers(min_value=0, max_value=13))
    year = draw(st.integers(min_value=1990, max_value=2030))
    year_text = draw(
        st.sampled_from([str(year), str(year), f"{year % 100:02d}", str(year)[1:], str(year % 10)])
    )
    sep = draw(st.sampled_from(["/", "-", "."]))
    first, second = (day, month) if draw(st.booleans()) else (month, day)
    width = draw(st.sampled_from([1, 2]))
    return f"{first:0{width}d}{sep}{second:0{width}d}{sep}{year_text}"


@st.composite
def _iso(draw: st.DrawFn) -> str:
    """Year first: ``2024-03-01``, ``2024/3/1 10:30``, ``24-03-01``."""
    year = draw(st.sampled_from(["2024", "1999", "0000", "9999", "24", "99"]))
    month = draw(st.integers(min_value=0, max_value=13))
    day = draw(st.integers(min_value=0, max_value=32))
    sep = draw(st.sampled_from(["-", "/", "."]))
    return f"{year}{sep}{month:02d}{sep}{day:02d}{draw(_TIME)}"


@st.composite
def _words(draw: st.DrawFn) -> str:
    """Month names, ordinals, weekdays, commas: "Friday 1st March, 2024", "March 1 24"."""
    day = f"{draw(st.integers(min_value=0, max_value=32))}{draw(_ORDINAL_SUFFIX)}"
    month = draw(_MONTH)
    year = draw(st.sampled_from(["2024", "24", "1999", "2013", "", "3000"]))
    comma = draw(st.sampled_from(["", ",", " ,", "-"]))
    shape = draw(st.sampled_from(["dmy", "mdy", "ymd"]))
    gap, time = draw(_GAP), draw(st.sampled_from(["", "", " 10:30", " at noon"]))
    if shape == "dmy":
        text = f"{day}{gap}{month}{comma}{draw(_GAP)}{year}{time}"
    elif shape == "mdy":
        text = f"{month}{gap}{day}{comma}{draw(_GAP)}{year}{time}"
    else:
        text = f"{year}-{month}-{day}{gap}00:00:00"
    return f"{draw(_AROUND)}{draw(_WEEKDAY_NAME)}{text}{draw(_AROUND)}"


_SERIAL = st.one_of(
    st.integers(min_value=0, max_value=3_000_000).map(str),
    st.floats(min_value=0, max_value=3e6, allow_nan=False).map(lambda v: f"{v:.3f}"),
    st.sampled_from(
        [
            "45352",
            "45352.5",
            "20240301",
            "20241331",
            "19991231",
            _in_script("45352", 0x0660),
            "00045352",
        ]
    ),
)
_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=20)
_CELL_TEXT = st.one_of(
    _triple(), _plausible(), _plausible(), _iso(), _words(), _MARKER, _SERIAL, _TEXT
)
_SPACED = st.tuples(_SPACE, _CELL_TEXT, _SPACE).map("".join)
_OTHER = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=3_000_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
_ORDER = st.sampled_from([None, None, DateOrder.DMY, DateOrder.MDY, DateOrder.YMD])
_LATEST = st.one_of(
    st.none(), st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2031, 1, 1))
)


def _same(new: ParsedDates, old: ParsedDates) -> None:
    assert new.dates.dtype == old.dates.dtype
    assert new.dates.view("int64").tolist() == old.dates.view("int64").tolist()
    assert new.status.dtype == old.status.dtype
    assert new.status.tolist() == old.status.tolist()
    assert (new.order, new.dmy_evidence, new.mdy_evidence) == (
        old.order,
        old.dmy_evidence,
        old.mdy_evidence,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(_SPACED, min_size=0, max_size=30),
    order=_ORDER,
    date1904=st.booleans(),
    latest=_LATEST,
    categorical=st.booleans(),
)
@example(
    texts=[
        _in_script("17/09/2022", 0x0660), "17/" + _in_script("09", 0x0660) + "/2022",
        _in_script("13", 0x0660) + "/13/2020", "13/" + _in_script("13", 0x06F0) + "/2020",
        _in_script("17/09/2022", 0xFF10), _in_script("1 March 2024", 0x0966), "17/09/2022",
    ],
    order=None, date1904=False, latest=None, categorical=False,
)  # fmt: skip
@example(
    texts=["31/02/2023", "00/01/2020", "13/13/2020", "29/02/2024", "29/02/2023", "03/13/2024"],
    order=None, date1904=False, latest=None, categorical=True,
)  # fmt: skip
@example(
    texts=["03/13/2024", "04/14/24", "2024-03-01", "1/3/24 10:30 pm", "24/03/04"],
    order=None, date1904=False, latest=None, categorical=False,
)  # fmt: skip
@example(
    texts=["13/01/202", "13/01/2", "01/13/024", "01/02/3", "5/6/202", "13/01/2024", "1/2/00020"],
    order=None, date1904=False, latest=None, categorical=False,
)  # fmt: skip
@example(
    texts=["001/03/24", "031/12/99", "24/03/04", "2024/3/1", "7/3/2024"],
    order=DateOrder.YMD, date1904=False, latest=None, categorical=False,
)  # fmt: skip
@example(
    texts=["1" + " " * 60 + "March 2024 10:30", "Friday," + "\t" * 60 + "1st March 2024"],
    order=None, date1904=False, latest=None, categorical=False,
)  # fmt: skip
def test_text_columns_parse_as_before(
    texts: list[str],
    order: DateOrder | None,
    date1904: bool,
    latest: dt.date | None,
    categorical: bool,
) -> None:
    column = pd.Series(texts, dtype="category" if categorical else object)
    _same(
        parse_dates(Distinct.of(column), order=order, date1904=date1904, latest=latest),
        _reference_parse_dates(Distinct.of(column), order=order, date1904=date1904, latest=latest),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(st.one_of(_SPACED, _CELL_TEXT, _OTHER), min_size=0, max_size=30),
    order=_ORDER,
    date1904=st.booleans(),
    latest=_LATEST,
)
def test_mixed_cells_parse_as_before(
    cells: list[object], order: DateOrder | None, date1904: bool, latest: dt.date | None
) -> None:
    column = pd.Series(cells, dtype=object)
    _same(
        parse_dates(column, order=order, date1904=date1904, latest=latest),
        _reference_parse_dates(column, order=order, date1904=date1904, latest=latest),
    )


@pytest.mark.parametrize("order", [None, DateOrder.DMY, DateOrder.MDY, DateOrder.YMD])
def test_every_digit_of_every_script_parses_as_before(order: DateOrder | None) -> None:
    """Each character ``\\d`` matches, in each part of a triple and as a serial number."""
    digits = [chr(c) for c in range(0x110000) if re.fullmatch(r"\d", chr(c))]
    cells = [f"{d}{d}/09/2022" for d in digits] + [f"13/{d}/2022" for d in digits]
    cells += [f"1/{d}3/2022" for d in digits] + [f"17/09/20{d}2" for d in digits]
    cells += [f"4535{d}" for d in digits] + [f"{d} March 2024" for d in digits[::7]]
    column = pd.Series(cells, dtype=object)
    _same(parse_dates(column, order=order), _reference_parse_dates(column, order=order))


def test_the_new_path_is_the_one_under_test() -> None:
    """The reference is a copy, not the module's own code: its pattern is the same text."""
    assert dates._TRIPLE.pattern == _REFERENCE_TRIPLE
    assert dates._TRIPLE.flags & re.IGNORECASE
    assert dates._NUMERIC_TEXT.pattern == _REFERENCE_NUMERIC_TEXT.pattern
