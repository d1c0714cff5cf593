"""Every case as a CSV row, written from the verdict table's own codes.

The flat case table (:func:`~ehcp_check.report.figures.case_columns`) is not built: each
CSV column is read straight from the verdict columns it comes from, as integer codes (the
engine's categorical codes, day numbers, factorised numbers and text; see
:mod:`~ehcp_check.report.value_codes`). Neighbouring columns with few distinct values share
one code per combination; each combination that occurs is formatted once, as CSV fields
with their commas, neutralised against formula injection and quoted where needed; and each
block of rows is one join. Row numbers are cut into thousands and the rest (both few);
case references, different on every row, are copied as they are when none needs quoting
or neutralising. The text is the same as formatting the flat case table.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..engine import SUFFIX, RuleState
from ..model import Field, Outcome, is_missing
from ..rules import RuleCode
from .figures import BOOL_COLUMNS, CASE_COLUMNS, DATE_COLUMNS
from .records import _opt
from .safe import FORMULA_START, neutralise_text
from .value_codes import (
    KEY_LIMIT,
    Codes,
    Key,
    Unit,
    blocks,
    column_key,
    combine,
    flag,
    from_values,
    int_key,
    mask_of,
    objects,
    row_keys,
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


def _text_cell(value: Any) -> str:
    """The field of a cell of text."""
    return _text_field(_text(value))


def _join_columns(texts: list[list[Any]], leads: list[str], tail: str) -> npt.NDArray[np.object_]:
    """Each combination's fields, each after its comma, and ``tail``: numpy's
    element-wise concatenation of Python strings, column by column."""
    out = np.full(len(texts[0]), "", dtype=object)
    for lead, column in zip(leads, texts, strict=True):
        if lead:
            out = np.add(out, lead)
        out = np.add(out, objects(column))
    if tail:
        out = np.add(out, tail)
    return out


def _tri(value: Any) -> bool | None:
    """True / False where the value equals one, None otherwise (the table's booleans)."""
    if is_missing(value):
        return None
    if value == True:  # noqa: E712 - 1 and 1.0 count, as in the flat case table
        return True
    if value == False:  # noqa: E712
        return False
    return None


def _float_key(values: Any, label: Callable[[float], str]) -> Key:
    """Codes for numbers by value (``0.0`` and ``-0.0`` share a code, as pandas
    factorises them), 0 for missing (an empty field)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.float64), use_na_sentinel=True)
    texts = ["", *(label(x) for x in np.asarray(uniques).tolist())]
    return from_values(codes.astype(np.int64) + 1, texts)


def _mapped(k: Key, f: Callable[..., str]) -> Key:
    """``k`` with its values (one per field it combines) turned into one text by ``f``."""

    def values(c: Codes) -> list[list[Any]]:
        return [[f(*row) for row in zip(*k.values(c), strict=True)]]

    return Key(k.codes, k.card, values, k.mask)


@dataclass(slots=True)
class _Column:
    """One CSV field: a key whose values are the field's text, and the text before it
    (its comma)."""

    name: str
    key: Key
    lead: str = ","


@dataclass(slots=True)
class _Raw:
    """A field different on every row, copied as it is (its comma comes from the unit
    before it); ``texts(tail)`` gives each row's field with ``tail`` after it."""

    name: str
    texts: Callable[[str], Any]


#: Rows sampled to judge whether neighbouring fields have few combinations.
_SAMPLE = 100_000


class _Group:
    """Neighbouring fields written as one unit, and their codes on the sampled rows."""

    def __init__(self, column: _Column, sample: Codes) -> None:
        self.columns = [column]
        self.sample = sample
        self.distinct = len(np.unique(sample)) if len(sample) else 0


class _Writer:
    def __init__(self, verdicts: pd.DataFrame) -> None:
        self.v = verdicts
        self.n = len(verdicts)
        kind = column_key(verdicts, "exception_kind")
        self.claimed = mask_of(kind, lambda x: x is not None)
        parts: list[_Column | _Raw] = []
        for name in CASE_COLUMNS:
            parts += self._column(name)
        if parts and isinstance(parts[0], _Column):
            parts[0].lead = ""
        self.units = self._units(parts)

    def _key(self, name: str, f: Callable[[Any], Any] = _opt) -> Key:
        return column_key(self.v, name, f)

    def _column(self, name: str) -> list[_Column | _Raw]:
        """The field as :func:`~ehcp_check.report.figures.case_columns` makes it."""
        v = self.v
        if name in DATE_COLUMNS:
            return [_Column(name, self._dates(name))]
        if name == "row":
            return self._rows()
        if name == "breaches":
            return [_Column(name, self._breaches())]
        if name == "exception_raw":
            return [_Column(name, self._key(Field.EXCEPTION, _text_cell))]
        if name in BOOL_COLUMNS:
            words = {True: "true", False: "false", None: ""}
            pair = combine([self._key(name, _tri), flag(self.claimed)], self.n)
            return [_Column(name, _mapped(pair, lambda x, shown: words[x] if shown else ""))]
        if name in ("weeks_to_final", "weeks_open"):
            values = pd.to_numeric(_col(v, name), errors="coerce").to_numpy(dtype=np.float64)
            if name == "weeks_open":
                is_open = mask_of(self._key(Field.OUTCOME), lambda o: o == Outcome.OPEN.value)
                values = np.where(is_open, values, np.nan)
            return [_Column(name, _float_key(values, lambda w: f"{w:.1f}"))]
        if name == "days_late":
            days = pd.to_numeric(_col(v, name), errors="coerce").fillna(0)
            ints = days.to_numpy(dtype=np.int64)
            return [_Column(name, int_key(ints, None, _strs, ""))]
        if name == Field.CASE_ID and _col(v, name).dtype == object:
            return [self._references(name)]
        return [_Column(name, self._key(name, _text_cell))]

    def _dates(self, name: str) -> Key:
        """Day numbers, written as the table's midnight timestamps are."""
        col = _col(self.v, name)
        if not pd.api.types.is_datetime64_any_dtype(col.dtype):
            col = pd.to_datetime(col, errors="coerce")
        days = col.astype("datetime64[ns]").to_numpy().astype("datetime64[D]").view(np.int64)
        nat = days == np.iinfo(np.int64).min
        return int_key(days, nat if nat.any() else None, _day_texts, "")

    def _rows(self) -> list[_Column | _Raw]:
        """Row numbers. Whole numbers of any size are cut into thousands and the rest: the
        thousands (few) join the fields before, the rest is one of 2,000 texts, so no row
        number is turned into text on its own."""
        col = _col(self.v, "row")
        parts = row_keys(col.to_numpy()) if col.dtype.kind in "iu" else []
        if parts:
            return [_Column("row", parts[0]), _Column("row", parts[1], lead="")]
        values = pd.to_numeric(col, errors="coerce").astype("Int64")
        ints = values.to_numpy(dtype=np.float64, na_value=0).astype(np.int64)
        missing = values.isna().to_numpy()
        return [_Column("row", int_key(ints, missing if missing.any() else None, _strs, ""))]

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
            return _Column(name, self._key(name, _text_cell))
        clean = joined.count("\n") == len(text) - 1 and not _QUOTE_OR_CR.search(joined)
        if not clean or _RISKY_START.search("\n" + joined):
            text = objects([_text_field(t) if t else "" for t in text.tolist()])

        def texts(tail: str) -> Any:
            return np.add(text, tail) if tail else text

        return _Raw(name, texts)

    def _breaches(self) -> Key:
        """``EHCP-20W:12;EHCP-15D:2``: each case's breaches packed into one integer (16 bits
        of days late per rule, the first rule highest), one code per pattern, the texts
        of the patterns put together rule by rule."""
        rules = [RuleCode(code).value for code in SUFFIX]
        fields = np.zeros((self.n, 4), dtype=np.uint16)  # little end first: the last rule
        for i, s in enumerate(SUFFIX.values()):
            hit = mask_of(self._key(f"state_{s}"), lambda x: x in _BREACHED)
            days = _col(self.v, f"days_late_{s}")
            if days.dtype.kind not in "iu":
                days = pd.to_numeric(days, errors="coerce").fillna(0)
            late = np.clip(days.to_numpy(dtype=np.int64), 0, 0xFFFE)
            np.add(late, 1, out=fields[:, len(rules) - 1 - i], where=hit, casting="unsafe")
        packed = fields.view(np.int64).ravel() if sys.byteorder == "little" else None
        if packed is None:  # the same integer, built by shifts
            packed = np.zeros(self.n, dtype=np.int64)
            for i in range(len(rules)):
                packed = (packed << 16) | fields[:, len(rules) - 1 - i].astype(np.int64)
        codes, uniques = pd.factorize(packed)
        patterns = np.asarray(uniques, dtype=np.int64).view(np.uint64)
        texts = np.full(len(patterns), "", dtype=object)
        for i, rule in enumerate(rules):
            field = ((patterns >> np.uint64(16 * (len(rules) - 1 - i))) & np.uint64(0xFFFF)).astype(
                np.int64
            )
            has = field > 0
            if not has.any():
                continue
            words = objects([f"{rule}:{d - 1}" for d in field[has].tolist()])
            joined = np.where(texts[has] == "", words, np.add(np.add(texts[has], ";"), words))
            texts[has] = joined
        if any(csv_field(r) != r or r.startswith(FORMULA_START) for r in rules):
            texts = objects([_text_field(t) for t in texts.tolist()])  # (no rule code does)
        return from_values(codes.astype(np.int64), texts.tolist())

    def _units(self, parts: list[_Column | _Raw]) -> list[Unit]:
        """Neighbouring fields share a unit while their combinations stay few (at most one
        for eight rows: judged on a sample of rows, then counted); each unit's text holds
        the commas before its fields, the comma of a copied field after it, and the row's
        line end."""
        step = max(1, self.n // _SAMPLE)
        most = max(self.n // 8, 64)
        limit = most if step == 1 else max(len(range(0, self.n, step)) // 4, 64)
        groups: list[_Group | _Raw] = []
        for part in parts:
            last = groups[-1] if groups else None
            if isinstance(part, _Raw):
                groups.append(part)
                continue
            sample = np.asarray(part.key.codes[::step], dtype=np.int64)
            if isinstance(last, _Group) and last.distinct * part.key.card < KEY_LIMIT:
                codes, uniques = pd.factorize(last.sample * part.key.card + sample)
                if len(uniques) <= limit:
                    last.columns.append(part)
                    last.sample, last.distinct = codes.astype(np.int64), len(uniques)
                    continue
            groups.append(_Group(part, sample))
        units: list[Unit] = []
        for i, group in enumerate(groups):
            after = groups[i + 1] if i + 1 < len(groups) else None
            tail = "\n" if after is None else "," if isinstance(after, _Raw) else ""
            if isinstance(group, _Raw):
                units.append(Unit(np.arange(self.n, dtype=np.int64), _array(group.texts(tail))))
                continue
            shared = combine([c.key for c in group.columns], self.n)
            if np.count_nonzero(np.bincount(shared.codes, minlength=shared.card)) > most:
                end = len(group.columns) - 1  # the sample misled: a unit per field
                for j, c in enumerate(group.columns):
                    fields = partial(_join_columns, leads=[c.lead], tail=tail if j == end else "")
                    units.append(unit([c.key], None, self.n, columns=fields))
                continue
            fields = partial(_join_columns, leads=[c.lead for c in group.columns], tail=tail)
            units.append(unit([shared], None, self.n, columns=fields))
        return units

    def chunks(self) -> Iterator[str]:
        yield ",".join(csv_field(c) for c in CASE_COLUMNS) + "\n"
        for pieces in blocks(self.units, self.n, CHUNK):
            yield "".join(pieces)


_BREACHED = (RuleState.MISSED, RuleState.OVERDUE)
_QUOTE_OR_CR = re.compile('[",\r]')
_RISKY_START = re.compile("\n[" + re.escape("".join(FORMULA_START)) + "]")


def _array(texts: Any) -> Any:
    return texts if isinstance(texts, np.ndarray) else objects(texts)


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
