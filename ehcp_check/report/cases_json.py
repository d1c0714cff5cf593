"""The ``cases`` array of the audit JSON document, written column by column.

:func:`~ehcp_check.report.records.case_records` builds one dict per case, and the JSON
encoder then walks a million of them. This module writes the same text without either. A
record is cut into *units*, runs of neighbouring fields (the file, sheet and the thousands
of the row number; the dates; the three pieces of one rule's breach; everything after the
breaches). Each unit gives every row an integer code that stands for the combination of
its fields' values (categorical codes, day numbers, bit patterns, factorised text), and
each combination that occurs is formatted once, as JSON text that already holds the keys,
commas and indentation around its values. Neighbouring units share one code while their
combinations stay few. A block of records is then one take of every row's pieces and one
join; a rule's breach pieces are taken only for the records with that breach. Only the case
references, different on every row, are copied row by row (as they are, between quotes the
units hold, when none needs escaping).

The text is exactly ``json.dumps`` of the records with ``ensure_ascii=False``, compact or
indented, and comes in blocks of :data:`CHUNK` records, so the output is never held whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..engine import END_FIELD, SUFFIX, RuleState
from ..model import DATE_FIELDS, Field, Outcome
from .records import _opt, _text, caveat_list, iso
from .value_codes import (
    Codes,
    Key,
    Mask,
    Unit,
    column_key,
    flag,
    grouped,
    keep,
    mask_of,
    row_keys,
    take,
    unit,
)

#: Records per block of output text.
CHUNK = 10_000


#: Characters the JSON encoder escapes in a string (with ``ensure_ascii=False``).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\\"]')


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
        self.units: list[Unit] = []
        self.pending: list[tuple[list[Key], Callable[..., str]]] = []
        self.rules: list[tuple[Mask, Codes, list[Unit]]] = []
        self.before = 0
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

    def _key(self, name: str, f: Callable[[Any], Any] = _opt) -> Key:
        return column_key(self.v, name, f)

    def _add(self, keys: Sequence[Key], fmt: Callable[..., str]) -> None:
        """A run of fields for the next unit; neighbouring runs share one while their
        combinations stay few (:func:`~ehcp_check.report.value_codes.grouped`)."""
        self.pending.append((list(keys), fmt))

    def _flush(self) -> None:
        self.units += grouped(self.pending, self.n)
        self.pending = []

    def _copied(self, texts: npt.NDArray[np.object_]) -> None:
        """A unit that differs on every row."""
        self._flush()
        self.units.append(Unit(np.arange(self.n, dtype=np.int64), texts))

    def _head(self) -> None:
        """Every field before the breaches: each unit's text starts with its key (or with
        the rest of a row number or a case reference the unit before began)."""
        g, val = self.g, self._val
        ids = self._clean_ids()
        rows = self._row_parts()
        high = [rows[0]] if rows else []
        self._add(
            [self._key("file"), self._key("sheet"), *high],
            lambda f, s, *h: g["file"] + val(f) + g["sheet"] + val(s) + g["row"] + "".join(h),
        )
        opening = g[Field.CASE_ID] + '"'
        whole = ids is not None and bool(ids[1].all()) and bool(rows)
        if rows:
            self._add([rows[1]], lambda low: low + opening if whole else low)
        else:
            self._add([self._key("row", _row)], self._val)
        if ids is not None and whole:  # copied as they are, between quotes the units hold
            self._copied(ids[0])
        elif ids is not None:
            values, present = ids
            quoted = np.full(len(values), g[Field.CASE_ID] + "null", dtype=object)
            np.add(opening, values, out=quoted, where=present)
            np.add(quoted, '"', out=quoted, where=present)
            self._copied(quoted)
        else:
            glue = g[Field.CASE_ID]
            self._add([self._key(Field.CASE_ID, _text)], lambda x: glue + val(x))
        closing = '"' if whole else ""
        self._add(
            [self._key(Field.LA, _text), self._key("status"), self._key(Field.OUTCOME)],
            lambda la, st, out: (
                closing + g["la"] + val(la) + g["status"] + val(st) + g["outcome"] + val(out)
            ),
        )
        for name in _DATES:
            self._add([self._key(name, iso)], lambda d, glue=g[name]: glue + val(d))
        is_open = mask_of(self._key(Field.OUTCOME), lambda o: o == Outcome.OPEN)
        self._add(
            [
                self._key("weeks_to_final"),
                flag(is_open),
                keep(self._key("weeks_open"), is_open),
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

    def _row_parts(self) -> list[Key]:
        """Row numbers as thousands and the rest (:func:`row_keys`); an empty list for a
        row column of other numbers."""
        v = self.v
        if "row" not in v.columns or v["row"].dtype.kind not in "iu":
            return []
        return row_keys(v["row"].to_numpy())

    def _clean_ids(self) -> tuple[npt.NDArray[np.object_], Mask] | None:
        """The case references and where they are given, when all are text that JSON
        needs no escape for (so they are copied as they are); else None."""
        v = self.v
        if Field.CASE_ID not in v.columns or v[Field.CASE_ID].dtype != object:
            return None
        values = v[Field.CASE_ID].to_numpy()
        present = ~pd.isna(values)
        try:
            joined = "".join(values[present].tolist())
        except TypeError:  # not all text
            return None
        if _NEEDS_ESCAPE.search(joined):
            return None
        return values, present

    def _breaches(self) -> None:
        """Three units per rule (start and deadline, date, days late), made for the rows
        with that breach alone; :meth:`chunks` puts them in those rows' records."""
        val = self._val
        g0, g1, g2, g3, g4 = self.b_glue
        start = (self.g["breaches"] + self.b_open, self.b_sep)
        earlier = np.zeros(self.n, dtype=np.bool_)
        breached: list[Mask] = []
        self._flush()
        self.before = len(self.units)
        for rule, s, end in _RULES:
            state = self._key(f"state_{s}")
            hit = mask_of(state, lambda x: x in _BREACHED)
            rows = np.flatnonzero(hit)
            m = len(rows)
            missed = mask_of(state, lambda x: x == RuleState.MISSED)[rows]
            parts = [
                unit(
                    [flag(earlier[rows]), take(self._key(f"deadline_{s}", iso), rows)],
                    lambda e, due, rule=rule: start[e] + g0 + val(rule) + g1 + val(due),
                    m,
                ),
                unit(
                    [flag(missed), keep(take(self._key(end, iso), rows), missed)],
                    lambda yes, day: g2 + val(day if yes else None),
                    m,
                ),
                unit(
                    [take(self._key(f"days_late_{s}"), rows)],
                    lambda d: g3 + val(int(d)) + g4,
                    m,
                ),
            ]
            self.rules.append((hit, rows, parts))
            breached.append(hit)
            earlier = earlier | hit
        self._tail(earlier, breached)

    def _tail(self, any_breach: Mask, breached: list[Mask]) -> None:
        """Boundary, exception, caveats, invalid reason, after-as-of: one unit, with the
        end of the breaches list before it and the end of the record after it."""
        g, val, key = self.g, self._val, self._key
        kind = key("exception_kind")
        claimed = mask_of(kind, lambda x: x is not None)
        by_rule: list[Key] = []
        for (_, s, _), hit in zip(_RULES, breached, strict=True):
            why = key(f"excuse_note_{s}")
            shown = hit & claimed & mask_of(why, lambda x: x is not None)
            by_rule += [flag(shown), keep(key(f"excused_{s}", bool), shown), keep(why, shown)]
        exception = [
            keep(kind, claimed),
            *(
                keep(key(name, f), claimed)
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
                flag(any_breach),
                *(key(f"boundary_{s}", bool) for _, s, _ in _RULES),
                *exception,
                key("caveats", caveat_list),
                key("invalid_reason"),
                key("after_as_of", bool),
            ],
            tail,
        )
        self._flush()

    def chunks(self) -> Iterator[str]:
        """The array's text in blocks of :data:`CHUNK` records: each block one take from
        every unit's texts (laid end to end) and one join. A record has the same units
        but for its breaches: three for each rule it breaches, none for the others."""
        n = self.n
        if not n:
            yield "[]"
            return
        yield self.open
        units = [*self.units, *(u for _, _, parts in self.rules for u in parts)]
        texts = np.concatenate([u.text for u in units])
        firsts = np.cumsum([0, *(len(u.text) for u in units)], dtype=np.int64)[:-1]
        fixed = list(zip(self.units, firsts.tolist(), strict=False))
        head, tail = fixed[: self.before], fixed[self.before :]
        per_rule = firsts[len(self.units) :]
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            hits = [hit[start:stop] for hit, _, _ in self.rules]
            count = np.full(stop - start, len(fixed), dtype=np.int64)
            for h in hits:
                count += 3 * h
            ends = np.cumsum(count)
            starts = ends - count
            at = np.empty(int(ends[-1]), dtype=np.int64)
            for j, (u, first) in enumerate(head):
                at[starts + j] = u.codes[start:stop] + np.int64(first)
            done = np.zeros(stop - start, dtype=np.int64)
            for r, (h, (_, rows, parts)) in enumerate(zip(hits, self.rules, strict=True)):
                lo, hi = np.searchsorted(rows, [start, stop]).tolist()
                where = starts[h] + len(head) + 3 * done[h]
                for t, u in enumerate(parts):
                    at[where + t] = u.codes[lo:hi] + per_rule[3 * r + t]
                done += h
            for j, (u, first) in enumerate(tail):
                at[ends - len(tail) + j] = u.codes[start:stop] + np.int64(first)
            pieces: list[str] = texts[at].tolist()
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
