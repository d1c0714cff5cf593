"""The ``case`` command starts without pydantic, pandas or the audit's modules, its option
values are typer's own, and the one-command app behaves as the whole app."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer import _coercion
from typer.main import get_command_name
from typer.testing import CliRunner

from ehcp_check.cli import app, app_for
from ehcp_check.remedies import add_months

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


MAIN_PROBE = """
import sys
from ehcp_check import cli
sys.argv = ["ehcp-check", *sys.argv[1:]]
try:
    cli.main()
except SystemExit:
    pass
modules = sorted(sys.modules)
rules = sys.modules.get("ehcp_check.rules")
patterns = None if rules is None else rules._compiled.cache_info().currsize
import json
print()
print(json.dumps({"modules": modules, "patterns": patterns}))
"""

#: What ``case`` may import of ours: the engine and its rules, the case view, nothing of
#: ingest, the audit, statistics or the other report writers.
CASE_MODULES = {
    "ehcp_check",
    "ehcp_check._cli_params",
    "ehcp_check.api",
    "ehcp_check.claims",
    "ehcp_check.cli",
    "ehcp_check.engine",
    "ehcp_check.errors",
    "ehcp_check.model",
    "ehcp_check.remedies",
    "ehcp_check.report",
    "ehcp_check.report.case_view",
    "ehcp_check.report.records",
    "ehcp_check.report.safe",
    "ehcp_check.rules",
}
#: Packages the case command never needs (dates on its command line are ISO here).
NEVER = {"pandas", "pydantic", "pydantic_core", "dateutil", "openpyxl", "python_calamine"}


def _started(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", MAIN_PROBE, *args], capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    found["top"] = {m.split(".")[0] for m in found["modules"]}
    return found


def test_case_imports_only_what_it_renders() -> None:
    found = _started("case", "--requested", "2024-01-01", "--final", "2024-05-21")
    ours = {m for m in found["modules"] if m.split(".")[0] == "ehcp_check"}
    assert ours == CASE_MODULES
    assert not found["top"] & NEVER
    assert "rich.table" in found["modules"]  # the view is rich's table
    assert "rich._emoji_codes" not in found["modules"]  # emoji codes are never expanded
    assert not {"json", "calendar"} & set(found["modules"])  # the table needs neither
    assert found["patterns"] == 0  # no exception claimed: its patterns are not compiled


def test_case_as_json_and_help_import_no_rich() -> None:
    found = _started("case", "--requested", "2024-01-01", "--format", "json")
    assert not found["top"] & (NEVER | {"rich"})
    helped = _started("--help")
    assert not helped["top"] & (NEVER | {"rich", "numpy"})
    assert {m for m in helped["modules"] if m.startswith("ehcp_check.")} <= {
        "ehcp_check._cli_params",
        "ehcp_check.cli",
        "ehcp_check.errors",
        "ehcp_check.model",
    }


def test_a_claimed_exception_compiles_the_patterns() -> None:
    found = _started("case", "--requested", "2024-01-01", "--exception", "EP shortage")
    assert found["patterns"] == 1


COMMANDS = [
    info.name or get_command_name(info.callback.__name__)
    for info in app.registered_commands
    if info.callback is not None
]


def test_every_command_is_listed() -> None:
    assert {"case", "config", "audit", "compare"} <= set(COMMANDS)
    assert len(set(COMMANDS)) == len(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_the_one_command_app_helps_as_the_whole_app(name: str) -> None:
    one = app_for([name, "--help"])
    assert one is not app
    assert len(one.registered_commands) == 1
    assert (
        runner.invoke(one, [name, "--help"]).output == runner.invoke(app, [name, "--help"]).output
    )


@pytest.mark.parametrize(
    "args",
    [
        ["case", "--requested", "2024-01-01", "--final", "2024-05-21", "--as-of", "2024-06-01"],
        ["case", "--requested", "2024-01-01", "--format", "json", "--as-of", "2024-06-01"],
        ["case", "--requested", "2024-01-01", "--decision", "maybe"],
        ["case", "--requested", "nonsense"],
        ["case"],
        ["case", "--bogus"],
        ["rules"],
        ["rules", "--format", "json"],
        ["councils", "--format", "xml"],
    ],
)
def test_the_one_command_app_runs_as_the_whole_app(args: list[str]) -> None:
    whole = runner.invoke(app, args)
    one = runner.invoke(app_for(args), args)
    assert (one.exit_code, one.stdout, one.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["cas"], ["--debug", "case"]])
def test_no_command_named_first_is_the_whole_app(args: list[str]) -> None:
    assert app_for(args) is app


@given(
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2098, 12, 31)), st.integers(-40, 40)
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start: dt.date, months: int) -> None:
    """``add_months`` without the calendar module (one import less at start-up)."""
    import calendar

    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    assert add_months(start, months) == dt.date(year, month, min(start.day, last))
