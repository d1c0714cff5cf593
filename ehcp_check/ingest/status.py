"""Per-cell status codes used while parsing columns, and the issue each one raises."""

from __future__ import annotations

from enum import IntEnum

from ehcp_check.ingest.codes import IssueCode
from ehcp_check.ingest.values import Marker


class CellStatus(IntEnum):
    """What became of one cell (stored as int8 in numpy arrays)."""

    OK = 0
    BLANK = 1
    OPEN = 2
    NOT_APPLICABLE = 3
    REDACTED = 4
    EXCEL_ERROR = 5
    BAD = 6
    OUT_OF_RANGE = 7
    UNRECOGNISED = 8


_MARKER_STATUS = {
    Marker.BLANK: CellStatus.BLANK,
    Marker.OPEN: CellStatus.OPEN,
    Marker.NOT_APPLICABLE: CellStatus.NOT_APPLICABLE,
    Marker.REDACTED: CellStatus.REDACTED,
    Marker.EXCEL_ERROR: CellStatus.EXCEL_ERROR,
}

#: Statuses that are reported as a data issue (the cell becomes unknown; the row stays).
ISSUE_FOR_STATUS: dict[CellStatus, IssueCode] = {
    CellStatus.REDACTED: IssueCode.REDACTED,
    CellStatus.EXCEL_ERROR: IssueCode.EXCEL_ERROR,
    CellStatus.BAD: IssueCode.BAD_DATE,
    CellStatus.OUT_OF_RANGE: IssueCode.DATE_OUT_OF_RANGE,
    CellStatus.UNRECOGNISED: IssueCode.UNRECOGNISED_VALUE,
}


def marker_status(marker: Marker) -> CellStatus:
    """The status of a marker cell."""
    return _MARKER_STATUS[marker]
