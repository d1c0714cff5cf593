"""Counting masks per group: the one-group path (a summary) and the many-group path (one
``bincount`` per eight masks) must give the same counts as counting row by row."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.tally import STATUSES, Cohort, Facts, count_masks


def _facts(masks: list[list[bool]], status: list[int], n: int) -> Facts:
    cohorts = list(Cohort)
    return Facts(
        masks={
            f"m{i}": (cohorts[i % len(cohorts)], np.array(m[:n], dtype=np.bool_))
            for i, m in enumerate(masks)
        },
        status_code=np.array(status[:n], dtype=np.int64),
        plan=np.zeros(n, dtype=np.bool_),
        plan_days=np.zeros(n, dtype=np.int64),
        overdue_days=np.zeros(n, dtype=np.int64),
        open_overdue=np.zeros(n, dtype=np.bool_),
        dates={c: np.full(n, np.datetime64("NaT", "D")) for c in cohorts},
    )


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(0, 40),
    groups=st.integers(1, 4),
    data=st.data(),
)
def test_counts_per_group_are_the_row_by_row_counts(
    n: int, groups: int, data: st.DataObject
) -> None:
    bools = st.lists(st.booleans(), min_size=n, max_size=n)
    masks = data.draw(st.lists(bools, min_size=1, max_size=19))
    status = data.draw(st.lists(st.integers(0, len(STATUSES)), min_size=n, max_size=n))
    codes = {
        c: np.array(
            data.draw(st.lists(st.integers(-1, groups - 1), min_size=n, max_size=n)),
            dtype=np.int64,
        )
        for c in Cohort
    }
    facts = _facts(masks, status, n)
    got = count_masks(facts, codes, groups)
    for key, (cohort, mask) in facts.masks.items():
        expected = [sum(1 for i in range(n) if mask[i] and codes[cohort][i] == g)
                    for g in range(groups)]  # fmt: skip
        assert got[key].tolist() == expected
    for s, st_ in enumerate(STATUSES):
        expected = [
            sum(1 for i in range(n) if status[i] == s and codes[Cohort.REQUEST][i] == g)
            for g in range(groups)
        ]
        assert got[f"status:{st_.value}"].tolist() == expected


def test_a_text_column_looks_up_each_row_as_its_comparisons_do() -> None:
    """``lookup`` (statuses coded in one take) agrees with ``eq`` row by row, even where
    two categories read as the same text (the last one named wins, as in ``eq``)."""
    import pandas as pd

    from ehcp_check.tally import _Text

    frame = pd.DataFrame(
        {"s": pd.Categorical([1, "1", "x", None, "x", "y"], categories=[1, "1", "x", "y"])}
    )
    text = _Text(frame, "s")
    table = {"1": 5, "x": 7}
    got = text.lookup(table, 9).tolist()
    expected = [9] * 6
    for value, code in table.items():
        for i, hit in enumerate(text.eq(value).tolist()):
            if hit:
                expected[i] = code
    assert got == expected == [9, 5, 7, 9, 7, 9]
