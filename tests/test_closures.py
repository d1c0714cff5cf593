"""Real closure dates replace the approximate summers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ehcp_check.api import CaseFacts, check_case
from ehcp_check.engine import Settings
from ehcp_check.errors import InputError
from ehcp_check.ingest.closures import load_closures, short_closures
from ehcp_check.rules import Closure


def test_csv_closures(tmp_path: Path) -> None:
    path = tmp_path / "closures.csv"
    path.write_text(
        "First,Last,Label\n2024-07-23,2024-09-03,Summer 2024\n\n01/06/2024,02/06/2024,\n"
    )
    assert load_closures(path) == (
        Closure(date(2024, 6, 1), date(2024, 6, 2), ""),
        Closure(date(2024, 7, 23), date(2024, 9, 3), "Summer 2024"),
    )
    assert short_closures(load_closures(path)) == [Closure(date(2024, 6, 1), date(2024, 6, 2))]


def test_toml_closures(tmp_path: Path) -> None:
    path = tmp_path / "closures.toml"
    path.write_text('[[closure]]\nfirst = 2023-07-20\nlast = 2023-09-05\nlabel = "Summer"\n')
    assert load_closures(path) == (Closure(date(2023, 7, 20), date(2023, 9, 5), "Summer"),)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("c.csv", "from,to\n2024-01-01,2024-02-01\n", " needs a header row with 'first'"),
        ("c.csv", "first,last\n2024-09-03,2024-07-23\n", " row 2: the closure ends before"),
        ("c.csv", "first,last\n2024-02-30,2024-03-01\n", " row 2: '2024-02-30' is not a date"),
        ("c.csv", "first,last\n", " lists no closures."),
        ("c.toml", "closure = 3\n", " has no [[closure]] entries."),
        ("c.toml", "[[closure]]\nfirst = 2024-01-01\n", ": closure 1 needs 'first'"),
        ("c.toml", "[[closure\n", " is not valid TOML"),
    ],
)
def test_bad_closure_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_closures(path)
    assert str(err.value).startswith(str(path) + message[len(name) :]) or message in str(err.value)


def test_missing_closure_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_closures(tmp_path / "nope.csv")


def test_real_closure_changes_plausibility() -> None:
    facts = CaseFacts(
        request_date=date(2024, 1, 8), final_date=date(2024, 6, 28), exception="School closure"
    )
    default = check_case(facts, Settings(as_of=date(2025, 1, 1))).record
    assert default["exception"]["plausible"] is False  # no summer before 28 June
    easter = Closure(date(2024, 3, 25), date(2024, 4, 26), "long spring closure")
    real = check_case(facts, Settings(as_of=date(2025, 1, 1), closures=(easter,))).record
    assert real["exception"]["plausible"] is True
    assert real["status"] == "late_exception"
