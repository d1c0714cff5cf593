"""``audit`` and the other commands coerce paths, integers and lists as typer does, without
importing pydantic (``ehcp_check._cli_params``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer import _coercion
from typer.testing import CliRunner

from ehcp_check.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "monthly-export.csv"
runner = CliRunner()

PROBE = """
import sys
from ehcp_check.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.split(".")[0] in {"pydantic", "pydantic_core"}))
"""


def _command(name: str) -> Any:
    from typer.main import get_command

    return get_command(app).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "args",
    [
        ["audit", str(EXAMPLE), "--as-of", "2025-03-31", "--exit-zero", "--format", "json"],
        ["audit", str(EXAMPLE), str(EXAMPLE), "--as-of", "2025-03-31", "--exit-zero", "--top",
         "3", "--limit", "rows=100000", "--map", "Case ref=case_id"],
        ["columns", str(EXAMPLE)],
    ],
)  # fmt: skip
def test_commands_with_paths_lists_and_integers_do_not_import_pydantic(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("files", ("a.csv", "b.csv")),
        ("files", ["a.csv"]),
        ("files", "a.csv"),
        ("files", ("dir/with space/ä.xlsx",)),
        ("--limit", ("cells=5",)),
        ("--limit", ["rows=1", "cells=2"]),
        ("--limit", "rows=1"),
        ("--map", ("Date rec'd=request_date",)),
        ("--top", "3"),
        ("--top", "0"),
        ("--top", "-2"),
        ("--top", 7),
        ("--top", " 4"),  # not plain: typer decides
        ("--top", "+4"),
        ("--mapping-file", "m.toml"),
        ("--mapping-file", "../up/m.toml"),
        ("--output", "out/report.xlsx"),
        ("--closures", "closures.csv"),
        ("--as-of", "2025-03-31"),
        ("--output", "."),  # an existing folder: typer's checks of the path run
        ("--config", str(EXAMPLE)),
        ("files", (str(ROOT), str(EXAMPLE))),
        ("--mapping-file", ""),
    ],
)
def test_values_are_those_typer_gives(option: str, value: Any) -> None:
    command = _command("audit")
    param = next(p for p in command.params if option in p.opts or p.name == option)
    ctx = command.make_context("audit", [str(EXAMPLE)])
    own = _coercion.build_runtime_param(param.type_descriptor)
    refused: Exception | None = None
    try:
        typer_own = own.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # typer refuses it: so must the fast path, in the same words
        refused = exc
    if refused is not None:
        with pytest.raises(type(refused)) as again:
            param.get_runtime_param().coerce(value, param=param, ctx=ctx)
        assert str(again.value) == str(refused)
        return
    fast = param.get_runtime_param().coerce(value, param=param, ctx=ctx)
    assert type(fast) is type(typer_own)
    assert fast == typer_own
    if isinstance(fast, list):
        assert [type(v) for v in fast] == [type(v) for v in typer_own]


@pytest.mark.parametrize("value", ["many", "-2", "1.5"])
def test_a_bad_integer_keeps_typer_s_check(value: str) -> None:
    result = runner.invoke(app, ["audit", str(EXAMPLE), "--top", value])
    assert result.exit_code == 2
    assert "--top must be a whole number 0 or more." in result.stderr
