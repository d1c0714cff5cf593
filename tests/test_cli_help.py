"""Help that reads well: option groups, plain metavars, bad values in one plain sentence."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app

runner = CliRunner()


def help_text(command: str) -> str:
    done = runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert done.exit_code == 0
    return done.stdout


def test_audit_help_groups_options_in_panels() -> None:
    text = help_text("audit")
    assert text.startswith("Usage: ehcp-check audit [OPTIONS] FILE...\n")
    heads = [line for line in text.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert heads == [
        "Arguments:", "Input options:", "Period options:", "Judging options:",
        "Output options:", "Other options:",
    ]  # fmt: skip
    assert "  FILE...  Case files:" in text
    for noise in ("<list[Path]>", "x>=0", "<int range>", "0<=x<=20"):
        assert noise not in text
    period = text.split("Period options:")[1].split("Judging options:")[0]
    assert "--month YYYY-MM" in period
    assert "--as-of" not in period
    output = text.split("Output options:")[1]
    for option in ("--format", "-o, --output", "--quiet", "--color", "--top N"):
        assert option in output


def test_columns_help() -> None:
    text = help_text("columns")
    assert "--samples N" in text
    assert "Sample values shown per column (0-20)." in text
    assert "--date-order <dmy|mdy|ymd>" in text
    assert "--format <table|json>" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "x.csv", "--by", "week"], "--by 'week' is not one of year, quarter, month, la."),
        (["audit", "x.csv", "--format", "xml"],
         "--format 'xml' is not one of table, json, csv, markdown."),
        (["audit", "x.csv", "--color", "pink"],
         "--color 'pink' is not one of auto, always, never."),
        (["audit", "x.csv", "--top", "-1"], "--top must be a whole number 0 or more."),
        (["columns", "x.csv", "--samples", "21"], "--samples must be a whole number from 0 to 20."),
        (["columns", "x.csv", "--format", "text"], "--format 'text' is not one of table, json."),
    ],
)  # fmt: skip
def test_bad_values_in_one_plain_sentence(args: list[str], message: str) -> None:
    done = runner.invoke(app, args)
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == f"ehcp-check: error: {message}\n"
