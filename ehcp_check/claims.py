"""Exception claims, judged column-wise on small integer codes.

A claim's kind is coded as its index in :data:`KINDS` (-1: no claim). Lookup tables hold
one entry per kind plus a last entry for "no claim", so ``table[kind]`` works for -1 too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .rules import (
    COVID_END,
    COVID_START,
    EXCEPTIONS_BY_KIND,
    FOUR_WEEKS_DAYS,
    Closure,
    ExceptionKind,
    RuleCode,
    classify_exception,
    default_summer_closures,
)

Codes = npt.NDArray[np.int8]
DateArray = npt.NDArray[np.datetime64]
BoolArray = npt.NDArray[np.bool_]

KINDS: tuple[ExceptionKind, ...] = tuple(ExceptionKind)
_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}

#: Tri-state codes for lawful / plausible: -1 unknown (None), 0 False, 1 True.
UNKNOWN, NO, YES = -1, 0, 1
#: Decode a tri-state code: ``TRI_STATE[code]`` (the last entry serves -1).
TRI_STATE = np.array([False, True, None], dtype=object)


def kind_code(raw: str) -> int:
    """Code of a raw claim's kind; -1 for no claim."""
    kind = classify_exception(raw)
    return -1 if kind is None else _KIND_INDEX[kind]


def lawful_table(code: RuleCode) -> Codes:
    """Per kind (and a last entry for no claim): may the kind excuse ``code``?"""
    values = []
    for kind in KINDS:
        rule = EXCEPTIONS_BY_KIND[kind]
        values.append(UNKNOWN if rule.lawful is None else int(code in rule.excuses))
    return np.array([*values, UNKNOWN], dtype=np.int8)


_KIND = {k: np.int8(i) for i, k in enumerate(KINDS)}


def plausibility(
    kind: Codes,
    start: DateArray,
    end: DateArray,
    advice: DateArray,
    closures: tuple[Closure, ...] | None,
) -> Codes:
    """1 / 0 where the dates can test the claim, -1 where they cannot (statute.md s.3).

    ``start``..``end`` is the case's window: the request to the later of its deadline and
    its end date (the as-of date while open).
    """
    n = len(kind)
    result = np.full(n, UNKNOWN, dtype=np.int8)
    covid = kind == _KIND[ExceptionKind.COVID]
    if covid.any():
        touches = (start <= np.datetime64(COVID_END, "D")) & (
            end >= np.datetime64(COVID_START, "D")
        )
        result[covid] = touches[covid]
    absence = kind == _KIND[ExceptionKind.ABSENCE]
    if absence.any():
        long_enough = (end - start).astype("timedelta64[D]").astype(np.int64) >= FOUR_WEEKS_DAYS
        result[absence] = long_enough[absence]
    closure = (kind == _KIND[ExceptionKind.SCHOOL_CLOSURE]) | (
        kind == _KIND[ExceptionKind.EARLY_YEARS_CLOSURE]
    )
    if closure.any():
        known = closures if closures is not None else _summers(start[closure], end[closure])
        overlap = np.zeros(n, dtype=bool)
        in_window = np.zeros(n, dtype=bool)
        has_advice = ~np.isnat(advice)
        for c in known:
            if c.days < FOUR_WEEKS_DAYS:
                continue
            first, last = np.datetime64(c.first, "D"), np.datetime64(c.last, "D")
            w_from, w_to = (np.datetime64(d, "D") for d in c.advice_window)
            overlap |= (start <= last) & (end >= first)
            in_window |= has_advice & (advice >= w_from) & (advice <= w_to)
        result[closure] = np.where(has_advice, in_window, overlap)[closure]
    return result


def _summers(start: DateArray, end: DateArray) -> tuple[Closure, ...]:
    """The default approximate summer holidays over the years the windows span."""
    valid = ~np.isnat(start)
    if not valid.any():
        return ()
    first = int(str(start[valid].min())[:4])
    ends = end[~np.isnat(end)]
    last = int(str(ends.max())[:4]) if len(ends) else first
    return default_summer_closures(first, max(first, last))


_NOTE_BY_KIND: dict[ExceptionKind, str] = {
    ExceptionKind.FLAG: "Exception recorded without a reason: accepted as claimed, not checked.",
    ExceptionKind.UNRECOGNISED: (
        "Reason not recognised: accepted as claimed. Read it; a resource reason is not lawful."
    ),
    ExceptionKind.NOT_LAWFUL: (
        "Not a lawful exception: resource pressure does not excuse a statutory time limit."
    ),
    ExceptionKind.MISSED_APPOINTMENT: (
        "Not a lawful exception here: a missed appointment excuses only late professional "
        "advice (reg 8(2)(c)), not the 6-, 16- or 20-week limits."
    ),
    ExceptionKind.PERSONAL_CIRCUMSTANCES: (
        "Exceptional personal circumstances (reg 10(4)(c)): lawful if they made the limit "
        "impractical; the dates cannot test this."
    ),
}

_NOTE_PLAUSIBLE: dict[tuple[ExceptionKind, bool], str] = {
    (ExceptionKind.COVID, True): "Coronavirus (SI 2020/471): the case ran during the 2020 window.",
    (ExceptionKind.COVID, False): (
        "Coronavirus claimed, but the case does not touch 1 May - 25 September 2020: not plausible."
    ),
    (ExceptionKind.SCHOOL_CLOSURE, True): (
        "School closure (reg 10(4)(a)): the case overlaps a closure of 4 weeks or more."
    ),
    (ExceptionKind.SCHOOL_CLOSURE, False): (
        "School closure claimed, but no closure of 4 weeks or more fits the case's dates "
        "(or the school's advice was not asked in the statutory window): not plausible."
    ),
    (ExceptionKind.EARLY_YEARS_CLOSURE, True): (
        "Early-years closure (reg 10(4)(b)): the case overlaps a closure of 4 weeks or more."
    ),
    (ExceptionKind.EARLY_YEARS_CLOSURE, False): (
        "Early-years closure claimed, but no closure of 4 weeks or more fits the case's "
        "dates: not plausible."
    ),
    (ExceptionKind.ABSENCE, True): (
        "Absence from the area (reg 10(4)(d)): the case is long enough for a 4-week absence."
    ),
    (ExceptionKind.ABSENCE, False): (
        "Absence claimed, but the case is shorter than the 4 weeks the law requires: not plausible."
    ),
}

#: Every note, coded; -1 for none.
NOTES: tuple[str, ...] = (*_NOTE_BY_KIND.values(), *_NOTE_PLAUSIBLE.values())


def _note_table() -> npt.NDArray[np.int8]:
    """Note code by [kind, plausible + 1] (kind -1 and plausible -1 use the last slots)."""
    table = np.full((len(KINDS) + 1, 3), -1, dtype=np.int8)
    for kind, text in _NOTE_BY_KIND.items():
        table[_KIND_INDEX[kind], :] = NOTES.index(text)
    for (kind, ok), text in _NOTE_PLAUSIBLE.items():
        table[_KIND_INDEX[kind], int(ok) + 1] = NOTES.index(text)
    return table


_NOTE_TABLE = _note_table()


def note_codes(kind: Codes, plausible: Codes) -> Codes:
    """The note for each case's claim, coded into :data:`NOTES` (-1: none)."""
    # Kind -1 (no claim) indexes the last row, which is all -1.
    return np.asarray(_NOTE_TABLE[kind, plausible + 1], dtype=np.int8)


def decode(codes: npt.NDArray[Any], labels: tuple[str, ...]) -> npt.NDArray[np.object_]:
    """Object array of labels, None where the code is -1."""
    table = np.array([*labels, None], dtype=object)
    return np.asarray(table[codes], dtype=object)
