"""Golden snapshots of the terminal views at 80 and 120 columns and piped (no width given):
``audit`` (a month of the monthly export, and the FOI reply by year), ``columns`` and
``rules``. Regenerate with ``UPDATE_GOLDEN=1 python -m pytest tests/test_golden_views.py``
and read the diff before committing it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden" / "views"
runner = CliRunner()

VIEWS: dict[str, list[str]] = {
    "audit-month": [
        "audit", "examples/monthly-export.csv", "--month", "2025-02", "--as-of", "2025-02-28",
    ],
    "audit-foi-by-year": ["audit", "examples/foi-reply-2024.xlsx", "--as-of", "2025-03-31",
                          "--by", "year"],
    "columns-foi": ["columns", "examples/foi-reply-2024.xlsx"],
    "columns-month-first": ["columns", "tests/fixtures/ingest/month_first.csv"],
    "rules": ["rules"],
}  # fmt: skip
WIDTHS: dict[str, str | None] = {"80": "80", "120": "120", "piped": None}


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("view", list(VIEWS))
def test_view(view: str, width: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("EHCP_CHECK_CONFIG", raising=False)
    env = {"COLUMNS": WIDTHS[width]} if WIDTHS[width] else {}
    done = runner.invoke(app, VIEWS[view], env=env)
    assert done.exit_code in (0, 1), done.stderr
    text = done.stdout
    lines = text.splitlines()
    limit = int(WIDTHS[width] or 80)
    assert max(len(line) for line in lines) <= limit
    assert "\x1b[" not in text
    golden = GOLDEN / f"{view}-{width}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
