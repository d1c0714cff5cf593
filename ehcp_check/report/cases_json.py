"""The ``cases`` array of the audit JSON document, written column by column.

:func:`~ehcp_check.report.records.case_records` builds one dict per case, and the JSON
encoder then walks a million of them. This module writes the same text without either. A
record is cut into *units*, runs of neighbouring fields (the file and sheet; the dates, one
by one; the breaches of one rule; everything after the breaches). Each unit gives every row
an integer code that stands for the combination of its fields' values (categorical codes,
day numbers, bit patterns, factorised text), and each combination that occurs is formatted
once, as JSON text that already holds the keys, commas and indentation around its values.
A block of records is then one join of its units' pieces. Only the case reference and the
row number, different on every row, are turned into text row by row (by numpy, or ``str``).

The text is exactly ``json.dumps`` of the records with ``ensure_ascii=False``, compact or
indented, and comes in blocks of :data:`CHUNK` records, so the output is never held whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..engine import END_FIELD, SUFFIX, RuleState
from ..model import DATE_FIELDS, Field, Outcome
from .records import _opt, _text, caveat_list, iso

#: Records per block of output text.
CHUNK = 10_000

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

#: Characters the JSON encoder escapes in a string (with ``ensure_ascii=False``).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\\"]')

#: Largest code a combined key may reach before it is factorised down.
_KEY_LIMIT = 1 << 62

#: NaT as a day number.
_NAT = np.iinfo(np.int64).min


# --- layout ------------------------------------------------------------------------------


def dumps(value: Any, indent: int | None, level: int) -> str:
    """``json.dumps`` of ``value`` as it appears nested ``level`` deep in a document."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    if indent and level:
        text = text.replace("\n", "\n" + " " * (indent * level))
    return text


def _marks(count: int) -> list[str]:
    return [f"\ue000{i}\ue000" for i in range(count)]


def _cut(text: str, marks: Sequence[str]) -> list[str]:
    """``text`` cut at each of ``marks`` (JSON strings it holds once each, in order)."""
    pieces: list[str] = []
    for mark in marks:
        before, text = text.split(json.dumps(mark, ensure_ascii=False), 1)
        pieces.append(before)
    return [*pieces, text]


def object_glue(keys: Sequence[str], indent: int | None, level: int) -> list[str]:
    """The text around the values of an object with ``keys`` nested ``level`` deep:
    ``len(keys) + 1`` pieces (before the first value, between values, after the last)."""
    marks = _marks(len(keys))
    return _cut(dumps(dict(zip(keys, marks, strict=True)), indent, level), marks)


def list_glue(indent: int | None, level: int) -> tuple[str, str, str]:
    """How a non-empty list nested ``level`` deep opens, separates and closes its items."""
    marks = _marks(2)
    first, sep, last = _cut(dumps(marks, indent, level), marks)
    return first, sep, last


# --- codes -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Key:
    """A code per row (0 .. card - 1) standing for the values of some fields, and
    ``values``: for an array of codes, a list per field of the values they stand for.
    Where ``mask`` is given and false, the row's code counts as 0 (a value not written)."""

    codes: npt.NDArray[np.integer[Any]]
    card: int
    values: Callable[[Codes], list[list[Any]]]
    mask: Mask | None = None


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    """An object array of ``values`` (lists stay elements, not rows)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _narrow(card: int) -> type[np.integer[Any]]:
    """The smallest integer type for codes below ``card``."""
    for kind in (np.int8, np.int16, np.int32):
        if card <= np.iinfo(kind).max:
            return kind
    return np.int64


def _from_values(codes: npt.NDArray[np.integer[Any]], values: list[Any]) -> _Key:
    table = _objects(values)
    return _Key(codes, len(values), lambda c: [table[c].tolist()])


def _dense_limit(n: int) -> int:
    """Codes below this are used as they are: a table that long costs less than hashing
    every row."""
    return max(4 * n, 1 << 12)


def _factorise(ints: npt.NDArray[np.integer[Any]]) -> tuple[Codes, Codes]:
    codes, uniques = pd.factorize(ints)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=np.int64)


def _int_key(
    ints: Codes, missing: Mask | None, label: Callable[[Codes], list[Any]], gap: Any
) -> _Key:
    """Codes for whole numbers (day numbers, counts): 0 for ``missing`` (value ``gap``),
    else the offset from the smallest number when the range is short, or factorised.
    ``label`` gives the values of an array of numbers; it sees only the numbers written."""
    n = len(ints)
    present = ints if missing is None else ints[~missing]
    if not len(present):
        return _from_values(np.zeros(n, dtype=np.int64), [gap])
    lo, hi = int(present.min()), int(present.max())
    numbers = None
    if hi - lo < _dense_limit(n):
        card = hi - lo + 2
        codes: npt.NDArray[np.integer[Any]] = np.subtract(
            ints, np.int64(lo - 1), dtype=_narrow(card), casting="unsafe"
        )
    else:
        codes, numbers = _factorise(ints)
        codes += 1
        card = len(numbers) + 1
    if missing is not None:
        codes[missing] = 0

    def values(c: Codes) -> list[list[Any]]:
        known = c > 0
        number = c[known] - 1
        number = number + lo if numbers is None else numbers[number]
        out = np.full(len(c), gap, dtype=object)
        out[known] = _objects(label(number))
        return [out.tolist()]

    return _Key(codes, card, values)


def _iso_days(days: Codes) -> list[Any]:
    """ISO text of day numbers, as :func:`numpy.datetime_as_string` writes them."""
    text: list[Any] = np.datetime_as_string(days.astype("datetime64[D]")).tolist()
    return text


def _same_for_missing(f: Callable[[Any], Any]) -> bool:
    """True when ``f`` gives one value for every kind of missing value."""
    try:
        first = f(None)
        return all(f(x) == first for x in (np.nan, pd.NA, pd.NaT))
    except (TypeError, ValueError):
        return False


def _object_key(col: pd.Series, f: Callable[[Any], Any]) -> _Key:
    """Codes for a column of Python objects: factorised when its distinct values are all
    text or all booleans (so ``True`` and ``1`` cannot share a code) and ``f`` treats
    every missing value alike; otherwise a value per row, keyed by type and ``repr``."""
    raw, uniques = pd.factorize(col, use_na_sentinel=True)
    distinct = list(uniques.tolist())
    kinds = {str if isinstance(u, str) else type(u) for u in distinct}
    if (kinds <= {str} or kinds <= {bool, np.bool_}) and _same_for_missing(f):
        codes = raw.astype(np.int64) + 1
        return _from_values(codes, [f(None), *(f(u) for u in distinct)])
    memo: dict[tuple[type, str], int] = {}
    values: list[Any] = []
    out = np.empty(len(col), dtype=np.int64)
    for i, x in enumerate(col.tolist()):
        k = (type(x), repr(x))
        code = memo.get(k)
        if code is None:
            code = memo[k] = len(values)
            values.append(f(x))
        out[i] = code
    return _from_values(out, values)


def _apply(f: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    return lambda xs: [f(x) for x in xs]


def column_key(verdicts: pd.DataFrame, name: str, f: Callable[[Any], Any] = _opt) -> _Key:
    """Codes for one column, standing for ``f(value)`` of each row's value as
    ``case_records`` reads it (``f(None)`` for every row when the column is absent)."""
    n = len(verdicts)
    if name not in verdicts.columns:
        return _from_values(np.zeros(n, dtype=np.int64), [f(None)])
    col = verdicts[name]
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories.tolist()
        codes = np.add(col.cat.codes.to_numpy(), 1, dtype=_narrow(len(cats) + 1))
        return _from_values(codes, [f(np.nan), *(f(c) for c in cats)])
    if not isinstance(dtype, np.dtype):
        return _object_key(col, f)
    if dtype.kind == "M":
        days = col.to_numpy().astype("datetime64[D]").view(np.int64)
        nat = days == _NAT
        label = _iso_days if f is iso else (lambda d: _apply(f)(_iso_days(d)))
        return _int_key(days, nat if nat.any() else None, label, f(None))
    if dtype.kind == "b":
        return _from_values(col.to_numpy().view(np.int8), [f(False), f(True)])
    if dtype.kind in "iu" and dtype.itemsize <= 8 and dtype != np.uint64:
        return _int_key(
            col.to_numpy().astype(np.int64), None, lambda d: _apply(f)(d.tolist()), None
        )
    if dtype.kind == "f":
        bits = col.to_numpy().astype(np.float64).view(np.int64)
        codes, patterns = _factorise(bits)
        return _from_values(codes, [f(x) for x in patterns.view(np.float64).tolist()])
    return _object_key(col, f)


def _flag(mask: Mask) -> _Key:
    return _from_values(mask.view(np.int8), [False, True])


def _keep(k: _Key, mask: Mask) -> _Key:
    """``k`` where ``mask`` holds and code 0 elsewhere: fewer combinations to format
    where the value is not written."""
    return _Key(k.codes, k.card, k.values, mask if k.mask is None else mask & k.mask)


def _take(k: _Key, rows: Codes) -> _Key:
    """``k`` for some rows only."""
    return _Key(k.codes[rows], k.card, k.values, None if k.mask is None else k.mask[rows])


def _mask(k: _Key, test: Callable[[Any], bool]) -> Mask:
    """Rows whose value passes ``test`` (tested once per code)."""
    [values] = k.values(np.arange(k.card, dtype=np.int64))
    table = np.array([test(x) for x in values], dtype=np.bool_)
    out: Mask = table[k.codes]
    if k.mask is not None:
        out = np.where(k.mask, out, table[0])
    return out


def _compress(codes: Codes, values: Callable[[Codes], list[list[Any]]]) -> _Key:
    """Codes numbered 0, 1, ... in order of first appearance (a hash of every row)."""
    new, old = _factorise(codes)
    return _Key(new, len(old), lambda c: values(old[c]))


def _combine(keys: Sequence[_Key], n: int) -> _Key:
    """One code per row for the combination of ``keys``' codes (mixed radix, worked out in
    one array in place; factorised down when it would grow too large)."""
    acc = np.zeros(n, dtype=np.int64)
    card = 1
    parts: list[_Key] = []
    for k in keys:
        if card * k.card > _KEY_LIMIT:
            head = _compress(acc, _radix_values(parts))
            acc, card, parts = head.codes.astype(np.int64, copy=False), head.card, [head]
        if card > 1:
            acc *= k.card
        np.add(acc, k.codes, out=acc, where=True if k.mask is None else k.mask)
        card *= k.card
        parts.append(k)
    whole = _Key(acc, card, _radix_values(parts))
    if card > _dense_limit(n):
        return _compress(acc, whole.values)
    return whole


def _radix_values(parts: Sequence[_Key]) -> Callable[[Codes], list[list[Any]]]:
    cards = [k.card for k in parts]

    def values(c: Codes) -> list[list[Any]]:
        out: list[list[Any]] = []
        for k, card in zip(reversed(parts), reversed(cards), strict=True):
            c, digit = np.divmod(c, card)
            out = k.values(digit) + out
        return out

    return values


@dataclass(slots=True)
class _Unit:
    """A code per row and the text of each code."""

    codes: npt.NDArray[np.integer[Any]]
    text: npt.NDArray[np.object_]


def _unit(keys: Sequence[_Key], fmt: Callable[..., str], n: int) -> _Unit:
    """Each combination of ``keys``' values that occurs, formatted once by ``fmt``."""
    k = _combine(keys, n)
    text = np.empty(k.card, dtype=object)
    if n:
        used = np.flatnonzero(np.bincount(k.codes, minlength=k.card))
        text[used] = _objects([fmt(*row) for row in zip(*k.values(used), strict=True)])
    return _Unit(k.codes, text)


# --- the record --------------------------------------------------------------------------

_DATES = (*(f.value for f in DATE_FIELDS), "deadline_6w", "deadline_16w", "deadline_20w")
#: The keys of a case record, in order (data contract section 2).
KEYS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    "case_id",
    "la",
    "status",
    "outcome",
    *_DATES,
    "weeks_to_final",
    "weeks_open",
    "days_late",
    "breaches",
    "boundary",
    "exception",
    "caveats",
    "invalid_reason",
    "after_as_of",
)
_BREACH_KEYS = ("rule", "deadline", "date", "days_late")
_BREACHED = (RuleState.MISSED, RuleState.OVERDUE)
_RULES = [(code.value, s, END_FIELD[code]) for code, s in SUFFIX.items()]


def _late(value: Any) -> int:
    return int(_opt(value) or 0)


def _row(value: Any) -> int | None:
    v = _opt(value)
    return int(v) if v is not None else None


class _Writer:
    """The units of one verdict table in one layout; :meth:`chunks` writes the array."""

    def __init__(self, verdicts: pd.DataFrame, indent: int | None, level: int) -> None:
        self.v = verdicts
        self.n = len(verdicts)
        self.indent = indent
        self.open, self.sep, self.close = list_glue(indent, level)
        glue = object_glue(KEYS, indent, level + 1)
        self.g = dict(zip(KEYS, glue, strict=False))
        self.end = glue[-1]
        self.level = level + 2  # of the values in a record
        self.b_open, self.b_sep, self.b_close = list_glue(indent, self.level)
        self.b_glue = object_glue(_BREACH_KEYS, indent, self.level + 1)
        self.units: list[_Unit] = []
        self._head()
        self._breaches()

    def _val(self, value: Any) -> str:
        """``value`` as JSON text inside a record (plain text and scalars without the
        encoder's call overhead: its own string escaper)."""
        kind = type(value)
        if kind is str:
            return encode_basestring(value)
        if value is None:
            return "null"
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return int.__repr__(value)
        return dumps(value, self.indent, self.level)

    def _key(self, name: str, f: Callable[[Any], Any] = _opt) -> _Key:
        return column_key(self.v, name, f)

    def _add(self, keys: Sequence[_Key], fmt: Callable[..., str]) -> None:
        self.units.append(_unit(keys, fmt, self.n))

    def _every_row(self, text: Sequence[str]) -> None:
        """A unit that differs on every row."""
        self.units.append(_Unit(np.arange(self.n, dtype=np.int64), _objects(text)))

    def _head(self) -> None:
        """Every field before the breaches: each unit's text starts with its key."""
        g, val = self.g, self._val
        self._add(
            [self._key("file"), self._key("sheet")],
            lambda f, s: g["file"] + val(f) + g["sheet"] + val(s) + g["row"],
        )
        self._rows()
        self._case_ids()
        self._add(
            [self._key(Field.LA, _text), self._key("status"), self._key(Field.OUTCOME)],
            lambda la, st, out: g["la"] + val(la) + g["status"] + val(st) + g["outcome"] + val(out),
        )
        for name in _DATES:
            self._add([self._key(name, iso)], lambda d, glue=g[name]: glue + val(d))
        is_open = _mask(self._key(Field.OUTCOME), lambda o: o == Outcome.OPEN)
        self._add(
            [
                self._key("weeks_to_final"),
                _flag(is_open),
                _keep(self._key("weeks_open"), is_open),
                self._key("days_late", _late),
            ],
            lambda wf, op, wo, late: (
                g["weeks_to_final"]
                + val(wf)
                + g["weeks_open"]
                + val(wo if op else None)
                + g["days_late"]
                + val(late)
            ),
        )

    def _rows(self) -> None:
        """The ``row`` numbers, all different: ``str`` of each."""
        v = self.v
        if "row" in v.columns and v["row"].dtype.kind in "iu":
            self._every_row(list(map(str, v["row"].to_numpy().tolist())))
        else:
            self._add([self._key("row", _row)], self._val)

    def _case_ids(self) -> None:
        """The case references, mostly all different: quoted by numpy when none needs
        escaping, else formatted once per distinct value."""
        v, glue = self.v, self.g[Field.CASE_ID]
        if Field.CASE_ID in v.columns and v[Field.CASE_ID].dtype == object:
            values = v[Field.CASE_ID].to_numpy()
            present = ~pd.isna(values)
            try:
                joined = "".join(values[present].tolist())
            except TypeError:  # not all text
                joined = '"'
            if not _NEEDS_ESCAPE.search(joined):
                quoted = np.full(len(values), glue + "null", dtype=object)
                np.add(glue + '"', values, out=quoted, where=present)
                np.add(quoted, '"', out=quoted, where=present)
                self.units.append(_Unit(np.arange(self.n, dtype=np.int64), quoted))
                return
        self._add([self._key(Field.CASE_ID, _text)], lambda x: glue + self._val(x))

    def _breaches(self) -> None:
        """The breaches list: one text per row, put together from three units per rule
        (start and deadline, date, days late) on the rows with that breach alone."""
        val = self._val
        g0, g1, g2, g3, g4 = self.b_glue
        start = (self.g["breaches"] + self.b_open, self.b_sep)
        earlier = np.zeros(self.n, dtype=np.bool_)
        breached: list[Mask] = []
        text = np.full(self.n, "", dtype=object)
        for rule, s, end in _RULES:
            state = self._key(f"state_{s}")
            hit = _mask(state, lambda x: x in _BREACHED)
            rows = np.flatnonzero(hit)
            m = len(rows)
            if m:
                missed = _mask(state, lambda x: x == RuleState.MISSED)[rows]
                first = _unit(
                    [_flag(earlier[rows]), _take(self._key(f"deadline_{s}", iso), rows)],
                    lambda e, due, rule=rule: start[e] + g0 + val(rule) + g1 + val(due),
                    m,
                )
                ended = _unit(
                    [_flag(missed), _keep(_take(self._key(end, iso), rows), missed)],
                    lambda yes, day: g2 + val(day if yes else None),
                    m,
                )
                days = _unit(
                    [_take(self._key(f"days_late_{s}"), rows)],
                    lambda d: g3 + val(int(d)) + g4,
                    m,
                )
                part = np.add(first.text[first.codes], ended.text[ended.codes])
                part = np.add(part, days.text[days.codes])
                text[rows] = np.add(text[rows], part)
            breached.append(hit)
            earlier = earlier | hit
        self.units.append(_Unit(np.arange(self.n, dtype=np.int64), text))
        self._tail(earlier, breached)

    def _tail(self, any_breach: Mask, breached: list[Mask]) -> None:
        """Boundary, exception, caveats, invalid reason, after-as-of: one unit, with the
        end of the breaches list before it and the end of the record after it."""
        g, val, key = self.g, self._val, self._key
        kind = key("exception_kind")
        claimed = _mask(kind, lambda x: x is not None)
        by_rule: list[_Key] = []
        for (_, s, _), hit in zip(_RULES, breached, strict=True):
            why = key(f"excuse_note_{s}")
            shown = hit & claimed & _mask(why, lambda x: x is not None)
            by_rule += [_flag(shown), _keep(key(f"excused_{s}", bool), shown), _keep(why, shown)]
        exception = [
            _keep(kind, claimed),
            *(
                _keep(key(name, f), claimed)
                for name, f in (
                    (Field.EXCEPTION, _opt),
                    ("exception_lawful", _opt),
                    ("exception_plausible", _opt),
                    ("exception_accepted", bool),
                    ("exception_note", _opt),
                )
            ),
            *by_rule,
        ]
        rules = [rule for rule, _, _ in _RULES]
        ends = (self.b_close, self.g["breaches"] + "[]")
        last = self.end + self.sep

        def tail(any_b: bool, *values: Any) -> str:
            bounds, (kind, raw, lawful, plausible, accepted, note) = values[:4], values[4:10]
            by, (caveats, invalid, after) = values[10:-3], values[-3:]
            exception = None
            if kind is not None:
                exception = {
                    "raw": raw,
                    "kind": kind,
                    "lawful": lawful,
                    "plausible": plausible,
                    "accepted": accepted,
                    "note": note,
                    "by_rule": {
                        rule: {"excused": by[3 * j + 1], "why": by[3 * j + 2]}
                        for j, rule in enumerate(rules)
                        if by[3 * j]
                    },
                }
            return (
                ends[0 if any_b else 1]
                + g["boundary"]
                + val([r for r, b in zip(rules, bounds, strict=True) if b])
                + g["exception"]
                + val(exception)
                + g["caveats"]
                + val(caveats)
                + g["invalid_reason"]
                + val(invalid)
                + g["after_as_of"]
                + val(after)
                + last
            )

        self._add(
            [
                _flag(any_breach),
                *(key(f"boundary_{s}", bool) for _, s, _ in _RULES),
                *exception,
                key("caveats", caveat_list),
                key("invalid_reason"),
                key("after_as_of", bool),
            ],
            tail,
        )

    def chunks(self) -> Iterator[str]:
        """The array's text in blocks of :data:`CHUNK` records: each block one take from
        every unit's texts (laid end to end) and one join."""
        n = self.n
        if not n:
            yield "[]"
            return
        yield self.open
        texts = np.concatenate([u.text for u in self.units])
        starts = np.cumsum([0, *(len(u.text) for u in self.units)], dtype=np.int64)[:-1]
        width = len(self.units)
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            at = np.empty((stop - start, width), dtype=np.int64)
            for i, (unit, first) in enumerate(zip(self.units, starts, strict=True)):
                np.add(unit.codes[start:stop], first, out=at[:, i])
            pieces: list[str] = texts[at.ravel()].tolist()
            if stop == n:  # the last record has no separator after it
                pieces[-1] = pieces[-1][: len(pieces[-1]) - len(self.sep)]
            yield "".join(pieces)
        yield self.close


def case_json_chunks(
    verdicts: pd.DataFrame, *, indent: int | None = None, level: int = 1
) -> Iterator[str]:
    """The text of ``json.dumps(case_records(verdicts), indent=indent,
    ensure_ascii=False)`` as it appears nested ``level`` deep in a document, in blocks."""
    return _Writer(verdicts, indent, level).chunks()
