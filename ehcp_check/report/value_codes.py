"""Integer codes for the distinct values of verdict columns, and text made once per code.

The column-wise writers (:mod:`~ehcp_check.report.cases_json`,
:mod:`~ehcp_check.report.cases_csv`) turn each column into a :class:`Key`: a small integer
per row (a categorical's code, a day number's offset, a factorised bit pattern or text) and
the values the codes stand for. Keys of neighbouring fields combine into one code per
combination (:func:`combine`), each combination that occurs is formatted once
(:func:`unit`), and :func:`blocks` lays every unit's text end to end and takes each block of
rows from it in one go, ready for one join.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .records import _opt, iso

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

#: Largest code a combined key may reach before it is factorised down.
KEY_LIMIT = 1 << 62

#: NaT as a day number.
_NAT = np.iinfo(np.int64).min


# --- codes -------------------------------------------------------------------------------


@dataclass(slots=True)
class Key:
    """A code per row (0 .. card - 1) standing for the values of some fields, and
    ``values``: for an array of codes, a list per field of the values they stand for.
    Where ``mask`` is given and false, the row's code counts as 0 (a value not written)."""

    codes: npt.NDArray[np.integer[Any]]
    card: int
    values: Callable[[Codes], list[list[Any]]]
    mask: Mask | None = None


def objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    """An object array of ``values`` (lists stay elements, not rows)."""
    return np.fromiter(values, dtype=object, count=len(values))


def _narrow(card: int) -> type[np.integer[Any]]:
    """The smallest integer type for codes below ``card``."""
    for kind in (np.int8, np.int16, np.int32):
        if card <= np.iinfo(kind).max:
            return kind
    return np.int64


def from_values(codes: npt.NDArray[np.integer[Any]], values: list[Any]) -> Key:
    table = objects(values)
    return Key(codes, len(values), lambda c: [table[c].tolist()])


def dense_limit(n: int) -> int:
    """Codes below this are used as they are: a table that long costs less than hashing
    every row."""
    return max(4 * n, 1 << 12)


def factorise(ints: npt.NDArray[np.integer[Any]]) -> tuple[Codes, Codes]:
    codes, uniques = pd.factorize(ints)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=np.int64)


def int_key(
    ints: Codes, missing: Mask | None, label: Callable[[Codes], list[Any]], gap: Any
) -> Key:
    """Codes for whole numbers (day numbers, counts): 0 for ``missing`` (value ``gap``),
    else the offset from the smallest number when the range is short, or factorised.
    ``label`` gives the values of an array of numbers; it sees only the numbers written."""
    n = len(ints)
    present = ints if missing is None else ints[~missing]
    if not len(present):
        return from_values(np.zeros(n, dtype=np.int64), [gap])
    lo, hi = int(present.min()), int(present.max())
    numbers = None
    if hi - lo < dense_limit(n):
        card = hi - lo + 2
        codes: npt.NDArray[np.integer[Any]] = np.subtract(
            ints, np.int64(lo - 1), dtype=_narrow(card), casting="unsafe"
        )
    else:
        codes, numbers = factorise(ints)
        codes += 1
        card = len(numbers) + 1
    if missing is not None:
        codes[missing] = 0

    def values(c: Codes) -> list[list[Any]]:
        known = c > 0
        number = c[known] - 1
        number = number + lo if numbers is None else numbers[number]
        out = np.full(len(c), gap, dtype=object)
        out[known] = objects(label(number))
        return [out.tolist()]

    return Key(codes, card, values)


def iso_days(days: Codes) -> list[Any]:
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


def _object_key(col: pd.Series, f: Callable[[Any], Any]) -> Key:
    """Codes for a column of Python objects: factorised when its distinct values are all
    text or all booleans (so ``True`` and ``1`` cannot share a code) and ``f`` treats
    every missing value alike; otherwise a value per row, keyed by type and ``repr``."""
    raw, uniques = pd.factorize(col, use_na_sentinel=True)
    distinct = list(uniques.tolist())
    kinds = {str if isinstance(u, str) else type(u) for u in distinct}
    if (kinds <= {str} or kinds <= {bool, np.bool_}) and _same_for_missing(f):
        codes = raw.astype(np.int64) + 1
        return from_values(codes, [f(None), *(f(u) for u in distinct)])
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
    return from_values(out, values)


def _apply(f: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    return lambda xs: [f(x) for x in xs]


def column_key(verdicts: pd.DataFrame, name: str, f: Callable[[Any], Any] = _opt) -> Key:
    """Codes for one column, standing for ``f(value)`` of each row's value as
    ``case_records`` reads it (``f(None)`` for every row when the column is absent)."""
    n = len(verdicts)
    if name not in verdicts.columns:
        return from_values(np.zeros(n, dtype=np.int64), [f(None)])
    col = verdicts[name]
    dtype = col.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories.tolist()
        codes = np.add(col.cat.codes.to_numpy(), 1, dtype=_narrow(len(cats) + 1))
        return from_values(codes, [f(np.nan), *(f(c) for c in cats)])
    if not isinstance(dtype, np.dtype):
        return _object_key(col, f)
    if dtype.kind == "M":
        days = col.to_numpy().astype("datetime64[D]").view(np.int64)
        nat = days == _NAT
        label = iso_days if f is iso else (lambda d: _apply(f)(iso_days(d)))
        return int_key(days, nat if nat.any() else None, label, f(None))
    if dtype.kind == "b":
        return from_values(col.to_numpy().view(np.int8), [f(False), f(True)])
    if dtype.kind in "iu" and dtype.itemsize <= 8 and dtype != np.uint64:
        return int_key(col.to_numpy().astype(np.int64), None, lambda d: _apply(f)(d.tolist()), None)
    if dtype.kind == "f":
        bits = col.to_numpy().astype(np.float64).view(np.int64)
        codes, patterns = factorise(bits)
        return from_values(codes, [f(x) for x in patterns.view(np.float64).tolist()])
    return _object_key(col, f)


def flag(mask: Mask) -> Key:
    return from_values(mask.view(np.int8), [False, True])


def keep(k: Key, mask: Mask) -> Key:
    """``k`` where ``mask`` holds and code 0 elsewhere: fewer combinations to format
    where the value is not written."""
    return Key(k.codes, k.card, k.values, mask if k.mask is None else mask & k.mask)


def take(k: Key, rows: Codes) -> Key:
    """``k`` for some rows only."""
    return Key(k.codes[rows], k.card, k.values, None if k.mask is None else k.mask[rows])


def mask_of(k: Key, test: Callable[[Any], bool]) -> Mask:
    """Rows whose value passes ``test`` (tested once per code)."""
    [values] = k.values(np.arange(k.card, dtype=np.int64))
    table = np.array([test(x) for x in values], dtype=np.bool_)
    out: Mask = table[k.codes]
    if k.mask is not None:
        out = np.where(k.mask, out, table[0])
    return out


def _compress(codes: Codes, values: Callable[[Codes], list[list[Any]]]) -> Key:
    """Codes numbered 0, 1, ... in order of first appearance (a hash of every row)."""
    new, old = factorise(codes)
    return Key(new, len(old), lambda c: values(old[c]))


def combine(keys: Sequence[Key], n: int) -> Key:
    """One code per row for the combination of ``keys``' codes (mixed radix, worked out in
    one array in place; factorised down when it would grow too large)."""
    acc = np.zeros(n, dtype=np.int64)
    card = 1
    parts: list[Key] = []
    for k in keys:
        if card * k.card > KEY_LIMIT:
            head = _compress(acc, _radix_values(parts))
            acc, card, parts = head.codes.astype(np.int64, copy=False), head.card, [head]
        if card > 1:
            acc *= k.card
        if k.mask is None:
            np.add(acc, k.codes, out=acc)
        else:  # a product, not a masked add: numpy's masked loops are several times slower
            np.add(acc, np.multiply(k.codes, k.mask, dtype=k.codes.dtype), out=acc)
        card *= k.card
        parts.append(k)
    whole = Key(acc, card, _radix_values(parts))
    if card > dense_limit(n):
        return _compress(acc, whole.values)
    return whole


def _radix_values(parts: Sequence[Key]) -> Callable[[Codes], list[list[Any]]]:
    cards = [k.card for k in parts]

    def values(c: Codes) -> list[list[Any]]:
        out: list[list[Any]] = []
        for k, card in zip(reversed(parts), reversed(cards), strict=True):
            c, digit = np.divmod(c, card)
            out = k.values(digit) + out
        return out

    return values


@dataclass(slots=True)
class Unit:
    """A code per row and the text of each code."""

    codes: npt.NDArray[np.integer[Any]]
    text: npt.NDArray[np.object_]


def unit(
    keys: Sequence[Key],
    fmt: Callable[..., str] | None,
    n: int,
    *,
    columns: Callable[[list[list[Any]]], npt.NDArray[np.object_]] | None = None,
) -> Unit:
    """Each combination of ``keys``' values that occurs, formatted once: by ``fmt`` (the
    values of one combination in, its text out), or by ``columns`` (a list of values per
    key in, an object array of texts out) for formatting done column-wise."""
    k = combine(keys, n)
    text = np.empty(k.card, dtype=object)
    if n:
        used = np.flatnonzero(np.bincount(k.codes, minlength=k.card))
        if columns is not None:
            text[used] = columns(k.values(used))
        elif fmt is not None:
            text[used] = objects([fmt(*row) for row in zip(*k.values(used), strict=True)])
    return Unit(k.codes, text)


def row_keys(rows: npt.NDArray[np.integer[Any]]) -> list[Key]:
    """Row numbers (whole, not negative) as two keys: the thousands (few: a unit of other
    fields can take them) and the rest (one of 2,000 texts: below 1,000 as they are, else
    the last three digits), so no row number is turned into text on its own. An empty
    list for negative numbers."""
    numbers = np.asarray(rows, dtype=np.int64)
    if not len(numbers) or int(numbers.min()) < 0:
        return []
    high, low = np.divmod(numbers, 1000)
    low[high > 0] += 1000
    return [int_key(high, None, _high_texts, ""), int_key(low, None, _low_texts, "")]


def _high_texts(thousands: Codes) -> list[str]:
    return [str(x) if x else "" for x in thousands.tolist()]


def _low_texts(codes: Codes) -> list[str]:
    return [str(c) if c < 1000 else f"{c - 1000:03d}" for c in codes.tolist()]


#: Rows sampled to judge whether neighbouring fields have few combinations.
SAMPLE = 100_000


def _sample(keys: Sequence[Key], step: int) -> Codes:
    """Dense codes for the combination of ``keys`` on every ``step``-th row."""
    out: Codes | None = None
    for k in keys:
        c = np.asarray(k.codes[::step], dtype=np.int64)
        if k.mask is not None:
            c = c * k.mask[::step]
        out = c if out is None else factorise(out * k.card + c)[0]
    return np.zeros(0, dtype=np.int64) if out is None else factorise(out)[0]


def grouped(fields: Sequence[tuple[list[Key], Callable[..., str]]], n: int) -> list[Unit]:
    """Units for runs of fields, each given as its keys and how their values are written:
    neighbouring runs share one unit while their combinations stay few (at most one for
    64 rows: judged on a sample of rows, then counted), so a row has fewer pieces to
    join; the text of a shared
    unit is its runs' texts one after the other."""
    step = max(1, n // SAMPLE)
    limit = max(n // 64, 64)  # formatting a combination costs about 60 joins of a piece
    groups: list[tuple[list[tuple[list[Key], Callable[..., str]]], Codes]] = []
    for keys, fmt in fields:
        codes = _sample(keys, step)
        if groups:
            members, joint = groups[-1]
            width = int(codes.max()) + 1 if len(codes) else 1
            both, uniques = factorise(joint * width + codes)
            if len(uniques) <= limit:
                groups[-1] = ([*members, (keys, fmt)], both)
                continue
        groups.append(([(keys, fmt)], codes))
    units: list[Unit] = []
    for members, _ in groups:
        if len(members) == 1:
            units.append(unit(*members[0], n))
            continue
        spans = list(itertools.accumulate([0, *(len(keys) for keys, _ in members)]))
        parts = [(fmt, spans[j], spans[j + 1]) for j, (_, fmt) in enumerate(members)]

        def fmt(*values: Any, parts: list[tuple[Callable[..., str], int, int]] = parts) -> str:
            return "".join(f(*values[a:b]) for f, a, b in parts)

        shared = combine([k for keys, _ in members for k in keys], n)
        if np.count_nonzero(np.bincount(shared.codes, minlength=shared.card)) > limit:
            units += [unit(*member, n) for member in members]  # the sample misled
        else:
            units.append(unit([shared], fmt, n))
    return units


def blocks(units: Sequence[Unit], n: int, size: int) -> Iterator[list[str]]:
    """The texts of ``n`` rows, row by row and unit by unit, in blocks of ``size`` rows:
    one take per block from every unit's texts laid end to end."""
    if not units:
        return
    texts = np.concatenate([u.text for u in units])
    starts = np.cumsum([0, *(len(u.text) for u in units)], dtype=np.int64)[:-1]
    width = len(units)
    for start in range(0, n, size):
        stop = min(start + size, n)
        at = np.empty((stop - start, width), dtype=np.int64)
        for i, (unit, first) in enumerate(zip(units, starts, strict=True)):
            np.add(unit.codes[start:stop], first, out=at[:, i])
        pieces: list[str] = texts[at.ravel()].tolist()
        yield pieces
