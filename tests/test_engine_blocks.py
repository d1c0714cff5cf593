"""The engine judges large tables block by block: the verdicts must be exactly those of
judging the whole table at once (every case is judged on its own row)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from ehcp_check import engine
from ehcp_check.engine import Settings, evaluate
from ehcp_check.ingest import load
from ehcp_check.model import DayCount

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [
    ROOT / "tests" / "golden" / "outputs" / "cases-400.csv",
    ROOT / "examples" / "foi-reply-2024.xlsx",
    ROOT / "examples" / "monthly-export.csv",
    *sorted((ROOT / "tests" / "fixtures" / "meaning").glob("*.csv")),
]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
@pytest.mark.parametrize("block", [1, 2])
@pytest.mark.parametrize("day_count", list(DayCount))
def test_blocks_give_the_verdicts_of_the_whole_table(
    path: Path, block: int, day_count: DayCount, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = load([path]).cases
    settings = Settings(as_of=dt.date(2024, 12, 31), day_count=day_count)
    whole = evaluate(cases, settings)
    monkeypatch.setattr(engine, "BLOCK_ROWS", block)
    assert len(cases) > block  # the table is judged in more than one block
    pd.testing.assert_frame_equal(evaluate(cases, settings), whole)


@pytest.mark.parametrize("block", [7, 64, 399])
def test_blocks_of_any_size_on_a_larger_table(block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    cases = load([INPUTS[0]]).cases
    settings = Settings(as_of=dt.date(2025, 6, 30))
    whole = evaluate(cases, settings)
    monkeypatch.setattr(engine, "BLOCK_ROWS", block)
    assert len(cases) > block
    pd.testing.assert_frame_equal(evaluate(cases, settings), whole)


def test_a_block_of_another_type_widens_the_column_not_cuts_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blocks are written into whole columns; a block whose values need a wider type
    (never expected of the engine) widens the column rather than being cut to fit."""
    import numpy as np

    def judge(cols: engine.Columns, n: int, settings: Settings) -> dict[str, np.ndarray]:
        first = int(cols["x"][0])
        values = np.arange(first, first + n)
        return {"v": values if first == 0 else values + 0.5}

    monkeypatch.setattr(engine, "_judge", judge)
    monkeypatch.setattr(engine, "BLOCK_ROWS", 2)
    out = engine._judge_in_blocks({"x": np.arange(4)}, 4, Settings(as_of=dt.date(2025, 1, 1)))
    assert out["v"].tolist() == [0.0, 1.0, 2.5, 3.5]
