"""Every case as a CSV row, written from the verdict table's own codes.

The flat case table (:func:`~ehcp_check.report.figures.case_columns`) is not built: each
CSV column is read straight from the verdict columns it comes from, as integer codes (the
engine's categorical codes, day numbers, factorised numbers and text; see
:mod:`~ehcp_check.report.value_codes`). Neighbouring columns with few distinct values share
one code per combination; each combination that occurs is formatted once, as CSV fields
with their commas, neutralised against formula injection and quoted where needed; and each
block of rows is one join. Row numbers and case references, different on every row, are
turned into text row by row (``str``, and the references as they are when none needs
quoting or neutralising). The text is the same as formatting the flat case table.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..engine import SUFFIX, RuleState
from ..model import Field, Outcome, is_missing
from ..rules import RuleCode
from .figures import BOOL_COLUMNS, CASE_COLUMNS, DATE_COLUMNS
from .records import _opt
from .safe import FORMULA_START, neutralise_text
from .value_codes import (
    Key,
    Unit,
    blocks,
    column_key,
    flag,
    from_values,
    int_key,
    mask_of,
    objects,
    unit,
)

#: Rows per block of output text.
CHUNK = 10_000

_NEEDS_QUOTES = re.compile(r'[",\n\r]')


def csv_field(text: str) -> str:
    """One CSV field (RFC 4180): quoted only when it holds a comma, quote or line break."""
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _text(value: Any) -> str | None:
    """A cell of text as the flat case table holds it: None when missing, else its str."""
    if is_missing(value):
        return None
    return value if isinstance(value, str) else str(value)


def _text_field(value: str | None) -> str:
    return "" if value is None else csv_field(neutralise_text(str(value)))


def _tri(value: Any) -> bool | None:
    """True / False where the value equals one, None otherwise (the table's booleans)."""
    if is_missing(value):
        return None
    if value == True:  # noqa: E712 - 1 and 1.0 count, as in the flat case table
        return True
    if value == False:  # noqa: E712
        return False
    return None


def _float_key(values: Any) -> Key:
    """Codes for numbers by value (``0.0`` and ``-0.0`` share a code, as pandas
    factorises them), 0 for missing."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.float64), use_na_sentinel=True)
    return from_values(codes.astype(np.int64) + 1, [None, *np.asarray(uniques).tolist()])


@dataclass(slots=True)
class _Column:
    """One CSV column: codes for the values it is made from, and how those values become
    its field."""

    name: str
    keys: list[Key]
    field: Callable[..., str]

    @property
    def card(self) -> int:
        return math.prod(k.card for k in self.keys)


@dataclass(slots=True)
class _Raw:
    """A column different on every row, formatted row by row; ``texts(lead, tail)`` gives
    each row's field with ``lead`` before and ``tail`` after it."""

    name: str
    texts: Callable[[str, str], Any]
    free: bool
    """True when ``lead`` and ``tail`` cost nothing (a format string)."""


class _Writer:
    def __init__(self, verdicts: pd.DataFrame) -> None:
        self.v = verdicts
        self.n = len(verdicts)
        kind = column_key(verdicts, "exception_kind")
        self.claimed = mask_of(kind, lambda x: x is not None)
        parts = [self._column(name) for name in CASE_COLUMNS]
        self.units = self._units(parts)

    def _key(self, name: str, f: Callable[[Any], Any] = _opt) -> Key:
        return column_key(self.v, name, f)

    def _column(self, name: str) -> _Column | _Raw:
        """The column as :func:`~ehcp_check.report.figures.case_columns` makes it."""
        v = self.v
        if name in DATE_COLUMNS:
            return _Column(name, [self._dates(name)], lambda d: "" if d is None else d)
        if name == "row":
            return self._rows()
        if name == "breaches":
            return _Column(name, [self._breaches()], _text_field)
        if name == "exception_raw":
            return _Column(name, [self._key(Field.EXCEPTION, _text)], _text_field)
        if name in BOOL_COLUMNS:
            words = {True: "true", False: "false", None: ""}
            return _Column(
                name,
                [self._key(name, _tri), flag(self.claimed)],
                lambda value, claimed: words[value] if claimed else "",
            )
        if name in ("weeks_to_final", "weeks_open"):
            values = pd.to_numeric(_col(v, name), errors="coerce").to_numpy(dtype=np.float64)
            if name == "weeks_open":
                is_open = mask_of(self._key(Field.OUTCOME), lambda o: o == Outcome.OPEN.value)
                values = np.where(is_open, values, np.nan)
            return _Column(name, [_float_key(values)], lambda w: "" if w is None else f"{w:.1f}")
        if name == "days_late":
            days = pd.to_numeric(_col(v, name), errors="coerce").fillna(0)
            ints = days.to_numpy(dtype=np.int64)
            return _Column(name, [int_key(ints, None, _strs, None)], csv_field)
        if name == Field.CASE_ID and _col(v, name).dtype == object:
            return self._references(name)
        return _Column(name, [self._key(name, _text)], _text_field)

    def _dates(self, name: str) -> Key:
        """Day numbers, written as the table's midnight timestamps are."""
        col = _col(self.v, name)
        if not pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = pd.to_datetime(col, errors="coerce")
        days = col.astype("datetime64[ns]").to_numpy().astype("datetime64[D]").view(np.int64)
        nat = days == np.iinfo(np.int64).min
        return int_key(days, nat if nat.any() else None, _day_texts, None)

    def _rows(self) -> _Column | _Raw:
        col = _col(self.v, "row")
        if col.dtype.kind in "iu":
            numbers = col.to_numpy().tolist()
            return _Raw(
                "row", lambda lead, tail: list(map(f"{lead}{{}}{tail}".format, numbers)), True
            )
        values = pd.to_numeric(col, errors="coerce").astype("Int64")
        ints = values.to_numpy(dtype=np.float64, na_value=0).astype(np.int64)
        missing = values.isna().to_numpy()
        return _Column("row", [int_key(ints, missing if missing.any() else None, _strs, "")], str)

    def _references(self, name: str) -> _Column | _Raw:
        """Case references, mostly all different: copied as they are when none needs
        neutralising or quoting; else each one that does is fixed on its own."""
        values = _col(self.v, name).to_numpy()
        present = ~pd.isna(values)
        text = values.copy()
        text[~present] = ""
        try:
            joined = "\n".join(text.tolist())
        except TypeError:  # not all text: formatted per distinct value
            return _Column(name, [self._key(name, _text)], _text_field)
        plain = "".join(text.tolist())
        if _NEEDS_QUOTES.search(plain) or _RISKY_START.search("\n" + joined):
            text = objects([_text_field(t) if t else "" for t in text.tolist()])

        def texts(lead: str, tail: str) -> Any:
            out = text
            if lead:
                out = np.add(lead, out)
            if tail:
                out = np.add(out, tail)
            return out

        return _Raw(name, texts, False)

    def _breaches(self) -> Key:
        """``EHCP-20W:12;EHCP-15D:2``: each case's breaches packed into one integer (16 bits
        of days late per rule), one code per pattern."""
        packed = np.zeros(self.n, dtype=np.uint64)
        for _, s in SUFFIX.items():
            hit = mask_of(self._key(f"state_{s}"), lambda x: x in _BREACHED)
            days = pd.to_numeric(_col(self.v, f"days_late_{s}"), errors="coerce").fillna(0)
            part = np.where(hit, np.clip(days.to_numpy(dtype=np.int64), 0, 0xFFFE) + 1, 0)
            packed = (packed << np.uint64(16)) | part.astype(np.uint64)
        codes, patterns = pd.factorize(packed.view(np.int64))
        rules = [RuleCode(code).value for code in SUFFIX]
        texts = []
        for pattern in np.asarray(patterns).view(np.uint64).tolist():
            fields = [(pattern >> (16 * (len(rules) - 1 - i))) & 0xFFFF for i in range(len(rules))]
            texts.append(";".join(f"{r}:{f - 1}" for r, f in zip(rules, fields, strict=True) if f))
        return from_values(codes.astype(np.int64), texts)

    def _units(self, parts: list[_Column | _Raw]) -> list[Unit]:
        """Neighbouring coded columns share a unit while their combinations stay few;
        each unit's text holds the commas around its fields and the row's line end. A
        column copied as it is gets its comma from the unit before it."""
        groups: list[list[_Column] | _Raw] = []
        limit = max(self.n // 32, 64)
        for part in parts:
            last = groups[-1] if groups else None
            if (
                isinstance(part, _Column)
                and isinstance(last, list)
                and _card(last) * part.card <= limit
            ):
                last.append(part)
            else:
                groups.append([part] if isinstance(part, _Column) else part)

        def copied(i: int) -> bool:
            group = groups[i] if i < len(groups) else None
            return isinstance(group, _Raw) and not group.free

        units: list[Unit] = []
        for i, group in enumerate(groups):
            lead = "," if i and not copied(i) else ""
            tail = "\n" if i == len(groups) - 1 else "," if copied(i + 1) else ""
            if isinstance(group, _Raw):
                units.append(
                    Unit(np.arange(self.n, dtype=np.int64), _array(group.texts(lead, tail)))
                )
            else:
                units.append(
                    unit([k for c in group for k in c.keys], _fields(group, lead, tail), self.n)
                )
        return units

    def chunks(self) -> Iterator[str]:
        yield ",".join(csv_field(c) for c in CASE_COLUMNS) + "\n"
        for pieces in blocks(self.units, self.n, CHUNK):
            yield "".join(pieces)


_BREACHED = (RuleState.MISSED, RuleState.OVERDUE)
_RISKY_START = re.compile("\n[" + re.escape("".join(FORMULA_START)) + "]")


def _card(group: list[_Column]) -> int:
    return math.prod(c.card for c in group)


def _array(texts: Any) -> Any:
    return texts if isinstance(texts, np.ndarray) else objects(texts)


def _fields(group: list[_Column], lead: str, tail: str) -> Callable[..., str]:
    """How one combination of the group's values is written."""
    spans = list(itertools.accumulate([0, *(len(c.keys) for c in group)]))
    fields = [(c.field, spans[j], spans[j + 1]) for j, c in enumerate(group)]

    def fmt(*values: Any) -> str:
        return lead + ",".join(f(*values[a:b]) for f, a, b in fields) + tail

    return fmt


def _strs(numbers: Any) -> list[str]:
    return [str(x) for x in numbers.tolist()]


def _day_texts(days: Any) -> list[str]:
    """Day numbers as the flat table's timestamps are written (``%Y-%m-%d``): numpy's ISO
    text is the same for four-digit years and much faster."""
    day = np.asarray(days).astype("datetime64[D]")
    if (
        len(day)
        and np.datetime64("1000-01-01") <= day.min()
        and day.max() <= np.datetime64("9999-12-31")
    ):
        text: list[str] = np.datetime_as_string(day).tolist()
        return text
    return [f"{d:%Y-%m-%d}" for d in pd.DatetimeIndex(day.astype("datetime64[ns]"))]


def _col(verdicts: pd.DataFrame, name: str) -> pd.Series:
    if name in verdicts.columns:
        return verdicts[name]
    return pd.Series([None] * len(verdicts), index=verdicts.index, dtype=object)


def csv_chunks(verdicts: pd.DataFrame) -> Iterator[str]:
    """The CSV text of every verdict row (no byte-order mark): the header line, then
    blocks of :data:`CHUNK` rows."""
    return _Writer(verdicts).chunks()
