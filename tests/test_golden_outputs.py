"""Every writer's bytes on fixed inputs, pinned: speed work must not change what is written.

``tests/golden/outputs/`` holds, for each input below, what ``ehcp-check audit`` writes on
stdout in each ``--format`` and in each ``-o`` report file (text formats; the XLSX report is
checked cell by cell in ``test_report_xlsx.py``). Paths are relative to the repository and the
tool version is replaced by ``<version>``. Regenerate only on purpose, with
``UPDATE_GOLDEN=1 python -m pytest tests/test_golden_outputs.py``, and read the diff.

``cases-400.csv`` is synthetic (``benchmarks/generate.py --rows 400``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_check import __version__
from ehcp_check.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "outputs"
INPUTS = {
    "foi": ("examples/foi-reply-2024.xlsx", "2025-03-31"),
    "monthly": ("examples/monthly-export.csv", "2025-06-30"),
    "multi-year": ("examples/multi-year.xlsx", "2025-06-30"),
    "generated": ("tests/golden/outputs/cases-400.csv", "2025-06-30"),
}
STDOUT = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}
FILES = ("csv", "json", "md", "html")

runner = CliRunner()


def _normalised(text: str) -> str:
    return text.replace(str(ROOT) + os.sep, "").replace(__version__, "<version>")


def _check(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8", newline="")
    assert text == golden.read_bytes().decode("utf-8"), name


@pytest.mark.parametrize("fmt", list(STDOUT))
@pytest.mark.parametrize("key", list(INPUTS))
def test_stdout_bytes(key: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path, as_of = INPUTS[key]
    result = runner.invoke(app, ["audit", path, "--as-of", as_of, "--format", fmt, "--exit-zero"])
    assert result.exit_code == 0, result.stderr
    _check(f"{key}.stdout.{STDOUT[fmt]}", _normalised(result.stdout))


@pytest.mark.parametrize("ext", FILES)
@pytest.mark.parametrize("key", list(INPUTS))
def test_report_file_bytes(
    key: str, ext: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    path, as_of = INPUTS[key]
    out = tmp_path / f"report.{ext}"
    args = ["audit", path, "--as-of", as_of, "-o", str(out), "--exit-zero", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    _check(f"{key}.report.{ext}", _normalised(out.read_bytes().decode("utf-8")))
