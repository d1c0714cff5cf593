"""The CLI's choice enums mirror the library's (restated only to keep start-up light)."""

from __future__ import annotations

import subprocess
import sys
from enum import StrEnum

import pytest

from ehcp_check.cli import ByOpt, DateOrderOpt, Decided, TableFormat, TextOrJson, YearTypeOpt
from ehcp_check.ingest import DateOrder
from ehcp_check.model import Decision
from ehcp_check.stats import GroupBy, YearType


@pytest.mark.parametrize(
    ("cli", "library"),
    [(ByOpt, GroupBy), (YearTypeOpt, YearType), (DateOrderOpt, DateOrder)],
)
def test_cli_choices_mirror_the_library(cli: type[StrEnum], library: type[StrEnum]) -> None:
    assert [c.value for c in cli] == [c.value for c in library]


def test_decided_mirrors_decisions() -> None:
    assert [d.value for d in Decided] == [d.value for d in Decision]
    # One --format vocabulary: the short list is the start of audit's.
    assert [f.value for f in TextOrJson] == ["table", "json"]
    assert [f.value for f in TextOrJson] == [f.value for f in TableFormat][:2]


def test_help_does_not_import_pandas_or_numpy() -> None:
    code = (
        "import sys, ehcp_check.cli; "
        "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
