"""A column factorised once: distinct values, row codes, and vectorised text features.

Everything ingest decides about a cell it decides once per distinct value. For columns of
text (every column of a CSV file) the features below are computed with ``numpy.strings``
over the distinct values, so even a column where every value differs (case references)
costs a few vectorised passes, not a Python call per value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.ingest.status import CellStatus, marker_status
from ehcp_check.ingest.values import (
    EXCEL_ERRORS,
    NA_MARKERS,
    OPEN_MARKERS,
    REDACTION_MARKERS,
    marker_of,
)

_STR = np.dtypes.StringDType()
_T = TypeVar("_T", bound=np.generic)
_MARKER_STATUS: dict[str, CellStatus] = {
    **dict.fromkeys(OPEN_MARKERS, CellStatus.OPEN),
    **dict.fromkeys(NA_MARKERS, CellStatus.NOT_APPLICABLE),
    **dict.fromkeys(REDACTION_MARKERS, CellStatus.REDACTED),
    **dict.fromkeys(EXCEL_ERRORS, CellStatus.EXCEL_ERROR),
}
_MARKER_INDEX = pd.Index(list(_MARKER_STATUS), dtype=object)
_MARKER_CODES = np.array([*_MARKER_STATUS.values(), -1], dtype=np.int8)
#: Inner white space that may hide a marker ("not  applicable"); checked in Python.
_ODD_SPACE = ("  ", "\t")
#: Markers are short: longer texts are never looked up.
_MARKER_MAX_CHARS = 24
#: Status meaning "a real value, not a marker".
NOT_MARKER = -1


def _pair_codes(
    first: npt.NDArray[np.uint64], second: npt.NDArray[np.uint64]
) -> npt.NDArray[np.uint64]:
    """Two code points as one integer, ASCII capitals lower-cased."""
    out = []
    for points in (first, second):
        upper = (points >= ord("A")) & (points <= ord("Z"))
        out.append(np.where(upper, points + np.uint64(32), points))
    return np.asarray((out[0] << np.uint64(32)) | out[1], dtype=np.uint64)


def two_letter_codes(texts: npt.NDArray[Any]) -> npt.NDArray[np.uint64]:
    """The first two characters of each text as one integer, ASCII letters lower-cased.

    Integer arithmetic on the code points instead of ``str.lower``: a million distinct
    case references cost milliseconds, not a quarter of a second."""
    pairs = np.strings.slice(texts, 0, 2).astype("U2")
    points = pairs.view(np.uint32).reshape(len(pairs), 2).astype(np.uint64)
    return _pair_codes(points[:, 0], points[:, 1])


def _marker_heads() -> npt.NDArray[np.uint64]:
    """Two-letter codes every marker starts with (a space after the first character may
    also be a tab, which reading collapses)."""
    heads = {m[:2] for m in _MARKER_STATUS}
    heads |= {m[0] + "\t" for m in _MARKER_STATUS if m[1:2] == " "}
    return two_letter_codes(np.array(sorted(heads), dtype="U2"))


_MARKER_HEADS = _marker_heads()


#: Every character ``str.strip`` removes (Python's white space; none is past U+3000).
_SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)
_IS_SPACE = np.zeros(0x3002, dtype=bool)
_IS_SPACE[_SPACES] = True  # the last entry stands for every point past U+3000: False


#: Distinct values turned into code points at a time (bounds the memory a column of long,
#: distinct free text can take: a few MB per block).
_SPAN_BLOCK = 1 << 16


@dataclass(frozen=True)
class _Spans:
    """Features of an all-text column's distinct values read off their code points: the
    values of a block are joined, encoded as UTF-32 and looked at with a few numpy passes
    instead of string arrays (a million distinct case references cost tens of
    milliseconds). Made only when no value needs trimming and none holds a NUL, so each
    value is its own trimmed text."""

    heads: npt.NDArray[np.uint64]
    """:func:`two_letter_codes` of each value."""
    lengths: npt.NDArray[np.intp]
    """Each value's length in characters."""
    spaced: npt.NDArray[np.bool_]
    """Does each value hold a space (U+0020)?"""

    @classmethod
    def of(cls, values: npt.NDArray[np.object_]) -> _Spans | None:
        """The features of ``values`` (all ``str``), or None when some value holds a NUL
        or starts or ends with white space (the string path handles those)."""
        parts = []
        for at in range(0, len(values), _SPAN_BLOCK):
            part = cls._block(values[at : at + _SPAN_BLOCK].tolist())
            if part is None:
                return None
            parts.append(part)
        if not parts:
            return None
        return cls(*(np.concatenate(column) for column in zip(*parts, strict=True)))

    @staticmethod
    def _block(
        texts: list[str],
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp], npt.NDArray[np.bool_]] | None:
        n = len(texts)
        # One NUL after each value, and one more so that every value has a next point.
        joined = "\x00".join(texts) + "\x00\x00"
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        nul = points == 0
        ends = np.flatnonzero(nul)
        if len(ends) != n + 1:  # a NUL inside a value
            return None
        ends = ends[:n]
        starts = np.empty(n, dtype=np.intp)
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
        lengths = ends - starts
        filled = lengths > 0
        edges = np.concatenate((points[starts[filled]], points[ends[filled] - 1]))
        if _IS_SPACE[np.minimum(edges, len(_IS_SPACE) - 1)].any():
            return None
        # An empty value's first point is its NUL; a one-character value's second is its NUL.
        first = points[starts].astype(np.uint64)
        second = np.where(filled, points[starts + 1], 0).astype(np.uint64)
        # Each value's span includes its NUL, so no span is empty.
        spaced = np.logical_or.reduceat(points == 32, starts)
        return _pair_codes(first, second), lengths, np.asarray(spaced, dtype=bool)


class DistinctValues:
    """The distinct values of a column and their features, computed on first use."""

    def __init__(self, values: npt.NDArray[np.object_], all_text: bool) -> None:
        self.values = values
        self._all_text = all_text

    def __len__(self) -> int:
        return len(self.values)

    @property
    def all_text(self) -> bool:
        """Is every value text (a column read as text, such as any CSV column)?"""
        return self._all_text

    @cached_property
    def is_str(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: is it text?"""
        if self._all_text:
            return np.ones(len(self.values), dtype=bool)
        return np.fromiter((isinstance(v, str) for v in self.values), bool, len(self.values))

    @cached_property
    def _spans(self) -> _Spans | None:
        """The code-point view of an all-text column that needs no trimming (else None)."""
        return _Spans.of(self.values) if self._all_text else None

    @cached_property
    def _trim(self) -> tuple[npt.NDArray[np.str_], bool]:
        if self._spans is not None:  # nothing to trim: the values as they are
            return np.asarray(self.values.astype(_STR)), False
        source = self.values if self._all_text else np.where(self.is_str, self.values, "")
        # NUL characters read as white space, as cell by cell (values.norm_text). numpy's
        # string functions take a "\x00" pattern for an empty one, so the rare column
        # holding one is mended value by value first.
        mended = "\x00" in "".join(source.tolist())  # every entry is text here
        if mended:
            source = np.array([v.replace("\x00", " ") for v in source.tolist()], dtype=object)
        text = source.astype(_STR)
        stripped = np.asarray(np.strings.strip(text))
        # Trimming only removes characters: the same lengths mean the same texts.
        changed = mended or bool((np.strings.str_len(text) != np.strings.str_len(stripped)).any())
        return stripped, changed

    @cached_property
    def heads(self) -> npt.NDArray[np.uint64]:
        """Per distinct value: :func:`two_letter_codes` of its trimmed text."""
        if self._spans is not None:
            return self._spans.heads
        return two_letter_codes(self.stripped)

    @property
    def stripped(self) -> npt.NDArray[np.str_]:
        """Per distinct value: the text trimmed ('' for values that are not text)."""
        return self._trim[0]

    def stripped_at(self, at: npt.NDArray[np.intp]) -> npt.NDArray[np.str_]:
        """:attr:`stripped` of the distinct values at positions ``at`` only (a column of a
        million distinct references is not turned into a string array to look at ten)."""
        if self._spans is not None:
            return np.asarray(self.values[at].astype(_STR))
        return self.stripped[at]

    @property
    def trimmed(self) -> bool:
        """Did reading change any text value (trimmed, or a NUL read as a space)? When not,
        text values are their own trim."""
        if self._spans is not None:
            return False
        return self._trim[1]

    @cached_property
    def lengths(self) -> npt.NDArray[np.intp]:
        """Per distinct value: the length of its trimmed text."""
        if self._spans is not None:
            return self._spans.lengths
        return np.asarray(np.strings.str_len(self.stripped), dtype=np.intp)

    @cached_property
    def spaced(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: does its trimmed text hold a space?"""
        if self._spans is not None:
            return self._spans.spaced
        return np.asarray(np.strings.find(self.stripped, " ") >= 0, dtype=bool)

    @cached_property
    def markers(self) -> npt.NDArray[np.int8]:
        """Per distinct value: the :class:`CellStatus` of a marker, or :data:`NOT_MARKER`.

        Only values whose first two characters start some marker can be one: that
        code-point test is cheap, so a column of a million distinct case references is not
        lower-cased to find the odd "N/A"."""
        out = np.full(len(self.values), NOT_MARKER, dtype=np.int8)
        maybe = np.flatnonzero(np.isin(self.heads, _MARKER_HEADS))
        odd = np.zeros(len(self.values), dtype=bool)
        if maybe.size:
            texts = self.stripped_at(maybe)
            lowered = pd.Index(np.strings.lower(texts).astype(object), dtype=object)
            out[maybe] = _MARKER_CODES[_MARKER_INDEX.get_indexer(lowered)]
            short = np.strings.str_len(texts) <= _MARKER_MAX_CHARS
            for space in _ODD_SPACE:
                odd[maybe] |= short & (np.strings.find(texts, space) >= 0)
        out[self.is_str & self._empty] = CellStatus.BLANK
        for i in np.flatnonzero(~self.is_str | odd).tolist():
            marker = marker_of(self.values[i])
            out[i] = NOT_MARKER if marker is None else marker_status(marker)
        return out

    @property
    def _empty(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: is its trimmed text empty ('' for values that are not text)?"""
        if self._spans is not None:
            return np.asarray(self._spans.lengths == 0, dtype=bool)
        return np.asarray(self.stripped == "", dtype=bool)

    @cached_property
    def blank(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: empty or white space (or None / NaN)."""
        if self._all_text:
            # Text only (every CSV column): no need for the marker lookup, which costs a
            # lower-casing pass over a column of a million distinct case references.
            return self._empty
        return np.asarray(self.markers == CellStatus.BLANK, dtype=bool)


@dataclass(frozen=True)
class Distinct:
    """A column as row codes into its distinct values (code -1: a missing value)."""

    codes: npt.NDArray[np.intp]
    table: DistinctValues

    @classmethod
    def of(cls, column: pd.Series) -> Distinct:
        """Factorise ``column``: distinct values in the order of their first row.

        A categorical column (the repetitive columns of a large text file) is not hashed
        again: its integer codes are factorised, which keeps only the categories these rows
        hold, in the same order a text column's factorisation gives."""
        if isinstance(column.dtype, pd.CategoricalDtype):
            return cls._of_categorical(column)
        all_text = isinstance(column.dtype, pd.StringDtype)
        codes, uniques = pd.factorize(column.to_numpy(dtype=object) if all_text else column)
        values = np.asarray(uniques, dtype=object)
        return cls(np.asarray(codes, dtype=np.intp), DistinctValues(values, all_text))

    @classmethod
    def _of_categorical(cls, column: pd.Series) -> Distinct:
        categories = column.cat.categories.to_numpy(dtype=object)
        codes, first = pd.factorize(np.asarray(column.cat.codes))
        codes = np.asarray(codes, dtype=np.intp)
        first = np.asarray(first, dtype=np.intp)
        missing = np.flatnonzero(first < 0)
        if missing.size:  # a missing cell (code -1) is no distinct value
            at = int(missing[0])
            codes = np.where(codes == at, -1, np.where(codes > at, codes - 1, codes))
            first = np.delete(first, at)
        values = np.asarray(categories[first], dtype=object)
        all_text = all(type(v) is str for v in values.tolist())
        return cls(codes, DistinctValues(values, all_text))

    def take(self, rows: npt.NDArray[np.intp]) -> Distinct:
        """The same distinct values (and features) for a subset of rows (positions)."""
        return Distinct(self.codes[rows], self.table)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def values(self) -> npt.NDArray[np.object_]:
        """The distinct values."""
        return self.table.values

    def per_row(self, per_value: npt.NDArray[_T], missing: object) -> npt.NDArray[_T]:
        """Map an array over distinct values to rows (``missing`` for code -1)."""
        extended = np.empty(len(per_value) + 1, dtype=per_value.dtype)
        extended[:-1] = per_value
        extended[-1] = missing
        return extended[self.codes]

    def present(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: does any of these rows hold it?"""
        seen = np.zeros(len(self.table) + 1, dtype=bool)
        seen[self.codes] = True
        return seen[:-1]
