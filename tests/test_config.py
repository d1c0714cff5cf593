"""The settings file: where it is found, what it may hold, flags over it, `ehcp-check config`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app
from ehcp_check.config import (
    Config,
    Setting,
    load_config,
    settings_in_force,
)
from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest.source import MAX_SETTINGS_BYTES

ROOT = Path(__file__).resolve().parents[1]
MONTHLY = ROOT / "examples" / "monthly-export.csv"
runner = CliRunner()

FULL = """\
day-count = "day-one"
year-type = "Financial"
date-order = "dmy"
sheet = "Cases"
closures = "closures.csv"
mapping-file = "maps/council.toml"

[map]
"Date rec'd" = "request_date"

[limits]
rows = "2000000"
"""


def test_no_file_means_defaults(tmp_path: Path) -> None:
    cfg = load_config(cwd=tmp_path, environ={})
    assert cfg == Config()
    rows = settings_in_force(cfg, {})
    assert [(r.name, r.value, r.source) for r in rows] == [
        ("day-count", "within", "default"),
        ("year-type", "calendar", "default"),
        ("date-order", None, "default"),
        ("sheet", None, "default"),
        ("closures", None, "default"),
        ("mapping-file", None, "default"),
    ]


def test_own_file_with_paths_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "ehcp-check.toml").write_text(FULL, encoding="utf-8")
    cfg = load_config(cwd=tmp_path, environ={})
    assert cfg.source == "ehcp-check.toml"
    assert cfg.values == {
        "day-count": "day-one",
        "year-type": "financial",
        "date-order": "dmy",
        "sheet": "Cases",
        "closures": str(tmp_path / "closures.csv"),
        "mapping-file": str(tmp_path / "maps" / "council.toml"),
    }
    assert cfg.mapping == {"Date rec'd": "request_date"}
    assert cfg.limits == {"rows": "2000000"}


def test_pyproject_table_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ehcp-check]\nyear-type = "academic"\n', encoding="utf-8"
    )
    cfg = load_config(cwd=tmp_path, environ={})
    assert (cfg.source, cfg.values) == (
        "pyproject.toml [tool.ehcp-check]",
        {"year-type": "academic"},
    )
    (tmp_path / "ehcp-check.toml").write_text('year-type = "financial"\n', encoding="utf-8")
    assert load_config(cwd=tmp_path, environ={}).values == {"year-type": "financial"}
    other = tmp_path / "other.toml"
    other.write_text('day-count = "day-one"\n', encoding="utf-8")
    by_env = load_config(cwd=tmp_path, environ={"EHCP_CHECK_CONFIG": str(other)})
    assert (by_env.source, by_env.values) == (str(other), {"day-count": "day-one"})
    by_flag = load_config("ehcp-check.toml", cwd=tmp_path, environ={"EHCP_CHECK_CONFIG": "x"})
    assert by_flag.values == {"year-type": "financial"}


def test_pyproject_without_the_table_is_no_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(cwd=tmp_path, environ={}) == Config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('day-count = "weekly"',
         "ehcp-check.toml: day-count = 'weekly' is not one of within, day-one."),
        ('colour = "red"', "ehcp-check.toml: unknown setting 'colour'; the settings are day-count, "
         "year-type, date-order, sheet, closures, mapping-file, [map], [limits]."),
        ("sheet = 3", 'ehcp-check.toml: sheet must be text, e.g. sheet = "...".'),
        ('map = "x"', "ehcp-check.toml: [map] must be a table of NAME = VALUE."),
    ],
)  # fmt: skip
def test_bad_settings_are_one_sentence(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "ehcp-check.toml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_config(cwd=tmp_path, environ={})
    assert str(err.value).startswith(message)


def test_invalid_toml_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "ehcp-check.toml").write_text("day-count = \n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_config(cwd=tmp_path, environ={})
    assert str(err.value).startswith("Configuration file ")
    assert "ehcp-check.toml is not valid TOML (Invalid value (at line 1" in str(err.value)


def test_size_bounded_and_missing(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_SETTINGS_BYTES + 1))
    with pytest.raises(InputError, match="too large for configuration file"):
        load_config(big, environ={})
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="nests arrays or tables more than 32 deep"):
        load_config(deep, environ={})
    with pytest.raises(InputError, match="does not exist"):
        load_config(tmp_path / "none.toml", environ={})


def test_flags_win_over_the_file() -> None:
    cfg = Config("ehcp-check.toml", {"day-count": "day-one"}, {"A": "request_date"}, {})
    rows = settings_in_force(cfg, {"day-count": "within", "map": ["B=final_date"]})
    assert rows[0] == Setting("day-count", "within", "command line")
    assert Setting("map", "B=final_date", "command line") in rows
    assert Setting("map", "A=request_date", "ehcp-check.toml") in rows


def test_config_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EHCP_CHECK_CONFIG", raising=False)
    (tmp_path / "ehcp-check.toml").write_text(
        'day-count = "day-one"\n[limits]\nrows = "5000"\n', encoding="utf-8"
    )
    done = runner.invoke(app, ["config"], env={"COLUMNS": "80"})
    assert done.exit_code == 0
    assert [line.rstrip() for line in done.stdout.splitlines()] == [
        "Settings file: ehcp-check.toml",
        "Setting       Value      From",
        "day-count     day-one    ehcp-check.toml",
        "year-type     calendar   default",
        "date-order    -          default",
        "sheet         -          default",
        "closures      -          default",
        "mapping-file  -          default",
        "limits        rows=5000  ehcp-check.toml",
        "Flags given to audit or columns override these.",
    ]
    done = runner.invoke(app, ["config", "--format", "json"])
    doc = json.loads(done.stdout)
    assert doc["schema"] == "ehcp-check/config/1"
    assert doc["file"] == "ehcp-check.toml"
    assert doc["settings"][0] == {
        "name": "day-count",
        "value": "day-one",
        "source": "ehcp-check.toml",
    }


def test_audit_reads_the_file_and_flags_override_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EHCP_CHECK_CONFIG", raising=False)
    args = ["audit", str(MONTHLY), "--as-of", "2025-03-31", "--format", "json", "--no-cases"]
    base = json.loads(runner.invoke(app, args).stdout)
    assert base["day_count"] == "within"
    (tmp_path / "ehcp-check.toml").write_text('day-count = "day-one"\n', encoding="utf-8")
    from_file = json.loads(runner.invoke(app, args).stdout)
    assert from_file["day_count"] == "day-one"
    flagged = json.loads(runner.invoke(app, [*args, "--day-count", "within"]).stdout)
    assert flagged == base
    (tmp_path / "ehcp-check.toml").write_text('[limits]\nrows = "10"\n', encoding="utf-8")
    done = runner.invoke(app, args)
    assert done.exit_code == 2
    assert "rows" in done.stderr
