"""--quiet on the commands a script runs: nothing on stdout, the exit code still says it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app

runner = CliRunner()

REPLY = (
    "Hertfordshire County Council\n,2019,,,\n,Qtr. 1,Qtr.2,Qtr 3,Qtr 4\n"
    "Final plans issued,280,290,270,295\nPlans issued within 20 weeks,244,253,235,257\n"
)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["case", "--requested", "2024-01-01", "--final", "2024-05-21"], 1),
        (["case", "--requested", "2024-01-01", "--final", "2024-05-20"], 0),
    ],
)
def test_case_quiet_prints_nothing_and_keeps_the_exit_code(args: list[str], code: int) -> None:
    loud = runner.invoke(app, args)
    quiet = runner.invoke(app, [*args, "--quiet"])
    assert loud.stdout.strip()
    assert quiet.stdout == ""
    assert quiet.exit_code == loud.exit_code == code


@pytest.mark.parametrize("command", ["totals", "compare"])
def test_totals_and_compare_quiet(tmp_path: Path, command: str) -> None:
    path = tmp_path / "reply.csv"
    path.write_text(REPLY)
    args = [command, str(path)] + (["--la", "Hertfordshire"] if command == "compare" else [])
    loud = runner.invoke(app, args)
    quiet = runner.invoke(app, [*args, "-q"])
    assert loud.exit_code == quiet.exit_code == 0
    assert loud.stdout.strip()
    assert quiet.stdout == ""
    # a format asked for is still written
    asked = runner.invoke(app, [*args, "-q", "--format", "json"])
    assert asked.stdout.lstrip().startswith("{")
