"""Everything that touches input files: readers, header detection, column mapping, dates.

The only code in ehcp-check that opens input files. See :func:`load` for the case table and
:func:`inspect_columns` for what ingest makes of each sheet's columns.
"""

from __future__ import annotations

from ehcp_check.ingest.codes import DateOrder, IssueCode
from ehcp_check.ingest.columns import MatchKind, Role, parse_mapping_option
from ehcp_check.ingest.dates import EARLIEST_DATE
from ehcp_check.ingest.describe import ColumnInfo, ColumnReport, mapping_toml
from ehcp_check.ingest.limits import Limits
from ehcp_check.ingest.load import inspect_columns, load
from ehcp_check.ingest.sheet import CASE_COLUMNS

__all__ = [
    "CASE_COLUMNS",
    "EARLIEST_DATE",
    "ColumnInfo",
    "ColumnReport",
    "DateOrder",
    "IssueCode",
    "Limits",
    "MatchKind",
    "Role",
    "inspect_columns",
    "load",
    "mapping_toml",
    "parse_mapping_option",
]
