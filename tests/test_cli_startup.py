"""The ``case`` command starts without pydantic, and its option values are typer's own."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from typer import _coercion
from typer.testing import CliRunner

from ehcp_check.cli import app

runner = CliRunner()

PROBE = """
import sys
from ehcp_check.cli import app
try:
    app(["case", *sys.argv[1:]], standalone_mode=False)
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] in {"pydantic", "pydantic_core"}))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--requested", "2024-01-01", "--final", "2024-05-21"],
        ["--requested", "2024-01-01", "--decision", "NO", "--format", "json", "--exit-zero"],
        ["--requested", "2024-01-01", "--day-count", "day-one", "--as-of", "2024-03-01"],
    ],
)
def test_case_does_not_import_pydantic(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _typer_value(param: Any, value: Any) -> Any:
    """What typer's own (pydantic) coercion makes of ``value`` for ``param``."""
    ctx = app_command("case").make_context("case", ["--requested", "2024-01-01"])
    return _coercion.build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


def app_command(name: str) -> Any:
    from typer.main import get_command

    return get_command(app).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--requested", "2024-01-01"),
        ("--requested", " 1/1/2024 "),
        ("--decision", "yes"),
        ("--decision", "YES"),
        ("--decision", "No"),
        ("--format", "json"),
        ("--format", "TABLE"),
        ("--day-count", "day-one"),
        ("--day-count", "WITHIN"),
        ("--exit-zero", True),
        ("--exit-zero", False),
        ("--as-of", "2025-03-31"),
    ],
)
def test_values_are_those_typer_gives(option: str, value: Any) -> None:
    command = app_command("case")
    param = next(p for p in command.params if option in p.opts)
    ctx = command.make_context("case", ["--requested", "2024-01-01"])
    fast = param.get_runtime_param().coerce(value, param=param, ctx=ctx)
    assert type(fast) is type(_typer_value(param, value))
    assert fast == _typer_value(param, value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # typer's own check still decides; its message is then said in one plain sentence
        (["--decision", "maybe"], "error: --decision 'maybe' is not one of yes, no, pending."),
        (["--format", "xml"], "error: --format 'xml' is not one of table, json."),
        (["--day-count", "1"], "error: --day-count '1' is not one of within, day-one."),
    ],
)
def test_bad_values_keep_typer_messages(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["case", "--requested", "2024-01-01", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
