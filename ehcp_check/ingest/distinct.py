"""A column factorised once: distinct values, row codes, and vectorised text features.

Everything ingest decides about a cell it decides once per distinct value. For columns of
text (every column of a CSV file) the features below are computed with ``numpy.strings``
over the distinct values, so even a column where every value differs (case references)
costs a few vectorised passes, not a Python call per value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

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


class DistinctValues:
    """The distinct values of a column and their features, computed on first use."""

    def __init__(self, values: npt.NDArray[np.object_], all_text: bool) -> None:
        self.values = values
        self._all_text = all_text

    def __len__(self) -> int:
        return len(self.values)

    @cached_property
    def is_str(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: is it text?"""
        if self._all_text:
            return np.ones(len(self.values), dtype=bool)
        return np.fromiter((isinstance(v, str) for v in self.values), bool, len(self.values))

    @cached_property
    def stripped(self) -> npt.NDArray[np.str_]:
        """Per distinct value: the text trimmed ('' for values that are not text)."""
        source = self.values if self._all_text else np.where(self.is_str, self.values, "")
        return np.asarray(np.strings.strip(source.astype(_STR)))

    @cached_property
    def lowered(self) -> npt.NDArray[np.str_]:
        """Per distinct value: the trimmed text in lower case."""
        return np.asarray(np.strings.lower(self.stripped))

    @cached_property
    def markers(self) -> npt.NDArray[np.int8]:
        """Per distinct value: the :class:`CellStatus` of a marker, or :data:`NOT_MARKER`."""
        found = _MARKER_INDEX.get_indexer(pd.Index(self.lowered.astype(object), dtype=object))
        out: npt.NDArray[np.int8] = _MARKER_CODES[found]  # -1 (not found) -> NOT_MARKER
        out[self.is_str & (self.stripped == "")] = CellStatus.BLANK
        short = np.strings.str_len(self.stripped) <= _MARKER_MAX_CHARS
        odd = np.zeros(len(self.values), dtype=bool)
        for space in _ODD_SPACE:
            odd |= short & (np.strings.find(self.stripped, space) >= 0)
        for i in np.flatnonzero(~self.is_str | odd).tolist():
            marker = marker_of(self.values[i])
            out[i] = NOT_MARKER if marker is None else marker_status(marker)
        return out

    @cached_property
    def blank(self) -> npt.NDArray[np.bool_]:
        """Per distinct value: empty or white space (or None / NaN)."""
        if self._all_text:
            # Text only (every CSV column): no need for the marker lookup, which costs a
            # lower-casing pass over a column of a million distinct case references.
            return np.asarray(self.stripped == "", dtype=bool)
        return np.asarray(self.markers == CellStatus.BLANK, dtype=bool)


@dataclass(frozen=True)
class Distinct:
    """A column as row codes into its distinct values (code -1: a missing value)."""

    codes: npt.NDArray[np.intp]
    table: DistinctValues

    @classmethod
    def of(cls, column: pd.Series) -> Distinct:
        """Factorise ``column``."""
        all_text = isinstance(column.dtype, pd.StringDtype)
        codes, uniques = pd.factorize(column.to_numpy(dtype=object) if all_text else column)
        values = np.asarray(uniques, dtype=object)
        return cls(np.asarray(codes, dtype=np.intp), DistinctValues(values, all_text))

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
