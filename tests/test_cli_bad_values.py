"""Every command answers a bad option value with one plain sentence naming the valid ones."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ["case", "--requested", "2024-01-01", "--decision", "maybe"],
            "ehcp-check: error: --decision 'maybe' is not one of yes, no, pending.",
        ),
        (
            ["case", "--requested", "2024-01-01", "--day-count", "weekly"],
            "ehcp-check: error: --day-count 'weekly' is not one of within, day-one.",
        ),
        (
            ["councils", "--sort", "bogus"],
            "ehcp-check: error: --sort 'bogus' is not one of pct_excl, pct, plans, name.",
        ),
        (
            ["rules", "--format", "yaml"],
            "ehcp-check: error: --format 'yaml' is not one of table, json.",
        ),
    ],
)
def test_bad_value_is_one_sentence(args: list[str], sentence: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == sentence
    assert "Value error" not in result.stderr
