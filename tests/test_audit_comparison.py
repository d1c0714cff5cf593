"""The audit of a case table beside the council's published figures (`published_comparison`)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app
from ehcp_check.compare import Verdict, audit_comparison, audit_council
from ehcp_check.published import UnknownArea, find_council

runner = CliRunner()

#: Three plans issued in 2019: two within 20 weeks (140 days), one late.
CASES = """\
Case ref,LA,Date request received,Date final EHCP issued
A1,{la},07/01/2019,20/05/2019
A2,{la},07/01/2019,27/05/2019
A3,{la},07/01/2019,01/07/2019
"""


def cases(tmp_path: Path, la: str = "Hertfordshire") -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(CASES.format(la=la), encoding="utf-8")
    return path


def test_one_council_in_the_la_column_gets_the_comparison(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["audit", str(cases(tmp_path)), "--as-of", "2025-01-01", "--format", "json"]
    )
    assert result.exit_code == 1  # one case is late
    doc = json.loads(result.output)
    comparison = doc["published_comparison"]
    assert comparison["schema"] == "ehcp-check/compare/1"
    (year,) = comparison["years"]
    assert (year["council"], year["year"], year["verdict"]) == ("Hertfordshire", 2019, "differs")
    plans = year["lines"][0]
    assert (plans["measure"], plans["reply"], plans["published"], plans["difference"]) == (
        "plans_issued",
        3,
        1135,
        -1132,
    )
    pct = year["percentages"][0]
    assert (pct["reply"], pct["published"]) == (66.7, 87.1)


def test_la_option_names_the_council(tmp_path: Path) -> None:
    path = cases(tmp_path, la="")
    plain = runner.invoke(app, ["audit", str(path), "--as-of", "2025-01-01", "--format", "json"])
    assert "published_comparison" not in json.loads(plain.output)
    named = runner.invoke(
        app, ["audit", str(path), "--as-of", "2025-01-01", "--format", "json", "--la", "919"]
    )
    assert json.loads(named.output)["published_comparison"]["years"][0]["old_la_code"] == "919"


def test_unknown_la_option_exits_2_before_reading(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(tmp_path / "missing.csv"), "--la", "Atlantis"])
    assert result.exit_code == 2
    assert "no council called 'Atlantis'" in result.stderr


def test_terminal_shows_the_block(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(cases(tmp_path)), "--as-of", "2025-01-01"])
    assert result.output.endswith(
        "\nBeside the published figures for Hertfordshire (919):\n"
        "  Year    Plans    DfE  % incl    DfE  % excl    DfE  Verdict\n"
        "  2019        3  1,135    66.7   87.1    66.7   87.9  differs\n"
    )


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (["Hertfordshire", "Hertfordshire"], "919"),
        (["Herts", "Hertfordshire County Council", None], "919"),  # one council, three spellings
        (["Hertfordshire", "Essex"], None),  # several: no comparison
        (["Northshire"], None),  # not a council
        ([None, ""], None),
    ],
)
def test_audit_council_from_the_column(names: list[str | None], code: str | None) -> None:
    council = audit_council(pd.DataFrame({"la": names}), None)
    assert (council.old_code if council else None) == code


def test_audit_council_option_wins_and_must_exist() -> None:
    frame = pd.DataFrame({"la": ["Essex"]})
    council = audit_council(frame, "herts")
    assert council is not None
    assert council.old_code == "919"
    with pytest.raises(UnknownArea):
        audit_council(frame, "Atlantis")
    assert audit_council(pd.DataFrame({"x": [1]}), None) is None


def test_audit_comparison_matches_when_the_audit_does() -> None:
    summary = {"plans_issued": 1135, "within_20_weeks": 989, "plans_issued_excl": 1010,
               "within_20_weeks_excl": 888}  # fmt: skip
    result = audit_comparison([("2019", summary)], find_council("919"))
    assert [y.verdict for y in result.years] == [Verdict.MATCHES]
    empty = audit_comparison([], find_council("919"))
    assert empty.years == ()
    assert empty.notes == ("the audit has no plans issued to compare.",)
