"""Exception claims, judged column-wise on small integer codes, limit by limit.

A claim's kind is coded as its index in :data:`KINDS` (-1: no claim). Lookup tables hold
one entry per kind plus a last entry for "no claim", so ``table[kind]`` works for -1 too.

Each statutory step has its own list of exceptions (:data:`rules.LIMIT_EXCEPTIONS`), and a
claim's plausibility is judged on each limit's own window: from the request to that
limit's deadline (statute.md s.3).
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
    LIMIT_EXCEPTIONS,
    LIMIT_EXCEPTIONS_BY_STEP,
    Closure,
    ExceptionKind,
    Step,
    classify_exception,
    default_summer_closures,
    names_short_closure,
    stated_days,
)

Codes = npt.NDArray[np.int8]
DateArray = npt.NDArray[np.datetime64]
BoolArray = npt.NDArray[np.bool_]

KINDS: tuple[ExceptionKind, ...] = tuple(ExceptionKind)
_KIND_INDEX = {k: i for i, k in enumerate(KINDS)}
STEPS: tuple[Step, ...] = tuple(Step)

#: Tri-state codes for lawful / plausible: -1 unknown (None), 0 False, 1 True.
UNKNOWN, NO, YES = -1, 0, 1
#: Decode a tri-state code: ``TRI_STATE[code]`` (the last entry serves -1).
TRI_STATE = np.array([False, True, None], dtype=object)

#: What the reason's own words say against it, beyond its kind (coded per distinct value).
DETAIL_NONE, DETAIL_SHORT_CLOSURE, DETAIL_SHORT_ABSENCE = 0, 1, 2
#: Why the dates rule a claim out for a limit (beside the detail codes above).
WHY_NONE, WHY_SHORT_CLOSURE, WHY_SHORT_ABSENCE, WHY_DATES = 0, 1, 2, 3
_WHYS = 4


def kind_code(raw: str) -> int:
    """Code of a raw claim's kind; -1 for no claim."""
    kind = classify_exception(raw)
    return -1 if kind is None else _KIND_INDEX[kind]


def detail_code(raw: str) -> int:
    """What the words of a reason say against it: a named short closure (Christmas,
    Easter, half term), or a stated absence shorter than 4 weeks."""
    kind = classify_exception(raw)
    if kind in (ExceptionKind.SCHOOL_CLOSURE, ExceptionKind.EARLY_YEARS_CLOSURE):
        return DETAIL_SHORT_CLOSURE if names_short_closure(raw) else DETAIL_NONE
    if kind is ExceptionKind.ABSENCE:
        days = stated_days(raw)
        return DETAIL_SHORT_ABSENCE if days is not None and days < FOUR_WEEKS_DAYS else 0
    return DETAIL_NONE


_KIND = {k: np.int8(i) for i, k in enumerate(KINDS)}
_CLOSURE_KINDS = (ExceptionKind.SCHOOL_CLOSURE, ExceptionKind.EARLY_YEARS_CLOSURE)


def plausibility(
    kind: Codes,
    detail: Codes,
    start: DateArray,
    due: DateArray,
    advice: DateArray,
    closures: tuple[Closure, ...] | None,
) -> tuple[Codes, Codes]:
    """Plausibility of each claim for one limit, and why not (statute.md s.3).

    ``start``..``due`` is the limit's window: the request to that limit's deadline.
    Returns (1 / 0 where the dates or words can test the claim, -1 where they cannot;
    a ``WHY_*`` code).
    """
    n = len(kind)
    result = np.full(n, UNKNOWN, dtype=np.int8)
    why = np.full(n, WHY_NONE, dtype=np.int8)
    known = ~np.isnat(start) & ~np.isnat(due)
    covid = known & (kind == _KIND[ExceptionKind.COVID])
    if covid.any():
        inside = (due >= np.datetime64(COVID_START, "D")) & (due <= np.datetime64(COVID_END, "D"))
        result[covid] = inside[covid]
        why[covid & ~inside] = WHY_DATES
    absence = known & (kind == _KIND[ExceptionKind.ABSENCE])
    if absence.any():
        span = (due - start).astype("timedelta64[D]").astype(np.int64)
        short_words = detail == DETAIL_SHORT_ABSENCE
        ok = (span >= FOUR_WEEKS_DAYS) & ~short_words
        result[absence] = ok[absence]
        why[absence & short_words] = WHY_SHORT_ABSENCE
        why[absence & ~short_words & ~ok] = WHY_DATES
    closure = known & np.isin(kind, [_KIND[k] for k in _CLOSURE_KINDS])
    if closure.any():
        # Only the rows claiming a closure: a few closures times a handful of comparisons
        # each, on those rows alone.
        at = np.flatnonzero(closure)
        c_start, c_due, c_advice = start[at], due[at], advice[at]
        found = closures if closures is not None else _summers(c_start, c_due)
        overlap = np.zeros(len(at), dtype=bool)
        in_window = np.zeros(len(at), dtype=bool)
        has_advice = ~np.isnat(c_advice)
        for c in found:
            if c.days < FOUR_WEEKS_DAYS:
                continue
            w_from, w_to = (np.datetime64(d, "D") for d in c.advice_window)
            # The advice window must overlap the limit's window (touching by a day counts).
            overlap |= (w_from <= c_due) & (w_to >= c_start)
            in_window |= (
                has_advice & (c_advice >= w_from) & (c_advice <= w_to) & (c_advice <= c_due)
            )
        short_words = detail[at] == DETAIL_SHORT_CLOSURE
        ok = np.where(has_advice, in_window, overlap) & ~short_words
        result[at] = ok
        why[at[short_words]] = WHY_SHORT_CLOSURE
        why[at[~short_words & ~ok]] = WHY_DATES
    return result, why


def _summers(start: DateArray, end: DateArray) -> tuple[Closure, ...]:
    """The default approximate summer holidays over the years the windows span."""
    valid = ~np.isnat(start)
    if not valid.any():
        return ()
    first = int(str(start[valid].min())[:4]) - 1
    ends = end[~np.isnat(end)]
    last = int(str(ends.max())[:4]) if len(ends) else first
    return default_summer_closures(first, max(first, last))


# --- the per-limit verdict of a claim: excused or not, and why -----------------------------

_NOT_LAWFUL_NOTE = (
    "Not a lawful exception: resource pressure, waiting for advice or reports, and requests "
    "or agreements to delay do not excuse a statutory time limit."
)
_MISSED_NOTE = (
    "Not a lawful exception here: a missed appointment excuses only late professional "
    "advice (reg 8(2)(c)), not the 6-, 16- or 20-week limits."
)
_NO_15D_NOTE = "No exception: the 15 days on the draft are a minimum owed to the family."


def excuse_verdict(step: Step, kind: ExceptionKind, plausible: int, why: int) -> tuple[bool, str]:
    """Does a claim of ``kind`` excuse missing ``step``'s limit, and why (one sentence)?

    ``plausible`` is the tri-state plausibility on that limit's own window and ``why`` the
    ``WHY_*`` code. This one function is the whole rule; the engine applies it through a
    lookup table built from it.
    """
    le = LIMIT_EXCEPTIONS_BY_STEP[step]
    limb = le.limbs.get(kind)
    if step is Step.COMMENT:
        return False, _NO_15D_NOTE
    if kind is ExceptionKind.NOT_LAWFUL:
        return False, _NOT_LAWFUL_NOTE
    if kind is ExceptionKind.MISSED_APPOINTMENT:
        return False, _MISSED_NOTE
    if limb is None:
        if step is Step.REFUSAL:
            return False, (
                "Not excused: only the coronavirus relaxation can excuse a late refusal "
                "notice. This is our reading of reg 4(1), which has no reg 5(4)-type exceptions."
            )
        if kind is ExceptionKind.EARLY_YEARS_CLOSURE:
            return False, (
                "Not excused: reg 5(4) has no early-years limb, so an early-years closure "
                "cannot excuse the decision whether to assess."
            )
        return False, (
            "Not excused: a bare flag or an unrecognised reason is read as a 16- or 20-week "
            "(SEN2 Week20) claim; it says nothing about the decision whether to assess."
        )
    if kind in (ExceptionKind.FLAG, ExceptionKind.UNRECOGNISED):
        return True, (
            "Accepted as claimed: the reason is not recorded or not recognised, so it was "
            "not checked."
        )
    if kind is ExceptionKind.PERSONAL_CIRCUMSTANCES:
        return True, (
            f"Exceptional personal circumstances ({limb}): lawful if they made this limit "
            "impractical; the dates cannot test this."
        )
    if kind is ExceptionKind.COVID:
        if plausible == NO:
            return False, (
                "Coronavirus claimed, but this limit's deadline fell outside 1 May - 25 "
                "September 2020 (SI 2020/471): not plausible."
            )
        return True, (
            "Coronavirus (SI 2020/471): this limit's deadline fell in 1 May - 25 September 2020."
        )
    if kind in _CLOSURE_KINDS:
        if why == WHY_SHORT_CLOSURE:
            return False, (
                "Closure claimed, but Christmas, Easter and half-term closures are shorter "
                "than the 4 continuous weeks the law requires: not plausible."
            )
        if plausible == NO:
            return False, (
                "Closure claimed, but no closure of 4 weeks or more has its advice window "
                "(one week before it to one week before re-opening) within this limit's "
                "window, or the advice was not asked in it: not plausible."
            )
        return True, (
            f"Closure ({limb}): a closure of 4 weeks or more has its advice window within "
            "this limit's window."
        )
    # absence
    if why == WHY_SHORT_ABSENCE:
        return False, (
            "Absence claimed, but the stated absence is shorter than the 4 continuous weeks "
            "the law requires: not plausible."
        )
    if plausible == NO:
        return False, (
            "Absence claimed, but this limit's window is shorter than the 4 weeks an absence "
            "must last: not plausible."
        )
    return True, (
        f"Absence from the area ({limb}): this limit's window is long enough for a 4-week absence."
    )


def _build() -> tuple[tuple[str, ...], npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    notes: list[str] = []
    shape = (len(STEPS), len(KINDS) + 1, 3, _WHYS)
    excused = np.zeros(shape, dtype=np.int8)
    note = np.full(shape, -1, dtype=np.int8)
    for si, step in enumerate(STEPS):
        for ki, kind in enumerate(KINDS):
            for p in (UNKNOWN, NO, YES):
                for w in range(_WHYS):
                    ok, text = excuse_verdict(step, kind, p, w)
                    if text not in notes:
                        notes.append(text)
                    excused[si, ki, p + 1, w] = int(ok)
                    note[si, ki, p + 1, w] = notes.index(text)
    return tuple(notes), excused, note


#: Every per-limit note, coded (``excuse_note_<r>`` and ``exception_note`` columns).
NOTES, _EXCUSED, _NOTE = _build()


def lawful_codes(step: npt.NDArray[np.int8], kind: Codes) -> Codes:
    """Per case: may the claim's kind lawfully excuse the step (1 / 0), or is it unknown
    (-1: a bare flag or an unrecognised reason the step accepts as claimed)?"""
    table = np.full((len(STEPS), len(KINDS) + 1), UNKNOWN, dtype=np.int8)
    for si, step_ in enumerate(STEPS):
        kinds = LIMIT_EXCEPTIONS_BY_STEP[step_].kinds
        for ki, kind_ in enumerate(KINDS):
            rule = EXCEPTIONS_BY_KIND[kind_]
            if kind_ not in kinds:
                table[si, ki] = NO
            else:
                table[si, ki] = UNKNOWN if rule.lawful is None else YES
    return np.asarray(table[step, kind], dtype=np.int8)


def excuse(
    step: npt.NDArray[np.int8], kind: Codes, plausible: Codes, why: Codes
) -> tuple[BoolArray, Codes]:
    """Per case: is the claim accepted for the step's limit, and the note saying why
    (-1 where there is no claim)."""
    has = kind >= 0
    idx = (step, kind, plausible + 1, why)
    ok = has & (_EXCUSED[idx] == 1)
    note = np.where(has, _NOTE[idx], -1).astype(np.int8)
    return ok, note


def step_code(step: Step) -> np.int8:
    return np.int8(STEPS.index(step))


def decode(codes: npt.NDArray[Any], labels: tuple[str, ...]) -> npt.NDArray[np.object_]:
    """Object array of labels, None where the code is -1."""
    table = np.array([*labels, None], dtype=object)
    return np.asarray(table[codes], dtype=object)


__all__ = [
    "KINDS",
    "LIMIT_EXCEPTIONS",
    "NOTES",
    "STEPS",
    "TRI_STATE",
    "decode",
    "detail_code",
    "excuse",
    "excuse_verdict",
    "kind_code",
    "lawful_codes",
    "plausibility",
    "step_code",
]
