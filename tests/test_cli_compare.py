"""`ehcp-check compare`: the command wired to the totals reader, exact output, exit codes.

Most tests stand the totals reader in with one that returns a table built here (the
reader's contract: ``read_totals(paths, *, sheet, overrides, limits) -> TotalsResult``), so
the command is pinned on its own; ``test_compare_reads_a_real_reply`` runs the real reader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from test_compare import quarters, row, table
from typer.testing import CliRunner

import ehcp_check.ingest.totals as totals_module
from ehcp_check.cli import app
from ehcp_check.compare import compare

runner = CliRunner()


@dataclass
class FakeResult:
    table: pd.DataFrame
    issues: list[Any] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


@pytest.fixture
def reader(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The totals reader stood in; set ``state["result"]``, read ``state["calls"]``."""
    state: dict[str, Any] = {"calls": []}

    def read_totals(paths: list[str], **kwargs: Any) -> FakeResult:
        state["calls"].append((paths, kwargs))
        result: FakeResult = state["result"]
        return result

    monkeypatch.setattr(totals_module, "read_totals", read_totals)
    return state


MATCH = """\
Hertfordshire (919): the reply beside the published figures
===========================================================

2019: MATCHES
                                    Reply  Published  Difference  Verdict
  plans issued                      1,135      1,135           0  matches
  within 20 weeks                     989        989           0  matches
  % within 20 weeks                  87.1       87.1     0.0 pts
  Arithmetic:
    plans issued: Qtr 1 280 + Qtr 2 290 + Qtr 3 270 + Qtr 4 295 = 1,135; 1,135 -
      1,135 = 0
    within 20 weeks: Qtr 1 245 + Qtr 2 250 + Qtr 3 240 + Qtr 4 254 = 989; 989 -
      989 = 0
    % within 20 weeks: 989 / 1,135 = 87.1%; 87.1 - 87.1 = 0.0 points

matches: equal; consistent: the published figure lies within the range a
suppressed cell leaves; differs; impossible: a period's counts cannot all be
true. Difference = reply - published.
Published: Department for Education, Education, health and care plans (SEN2),
reporting year 2025, by calendar year of issue. Open Government Licence v3.0.
"""


def test_compare_matches_exactly(reader: dict[str, Any], tmp_path: Path) -> None:
    reader["result"] = FakeResult(table(quarters([280, 290, 270, 295], [245, 250, 240, 254])))
    result = runner.invoke(app, ["compare", str(tmp_path / "reply.xlsx")])
    assert result.exit_code == 0
    assert result.output == MATCH
    assert max(len(line) for line in result.output.splitlines()) <= 80
    (paths, kwargs) = reader["calls"][0]
    assert paths == [str(tmp_path / "reply.xlsx")]
    assert kwargs == {"sheet": None, "overrides": None, "limits": None}


def test_compare_impossible_quarter_exits_1(reader: dict[str, Any]) -> None:
    reader["result"] = FakeResult(table(quarters([280, 290, 270, 295], [245, 300, 240, 254])))
    result = runner.invoke(app, ["compare", "reply.xlsx"])
    assert result.exit_code == 1
    assert "2019: IMPOSSIBLE\n" in result.output
    assert (
        "  IMPOSSIBLE Qtr 2 (reply.xlsx, Sheet1, row 4): more plans within 20 weeks than\n"
        "    issued: within 20 weeks 300 > plans issued 290.\n"
    ) in result.output
    assert runner.invoke(app, ["compare", "reply.xlsx", "--exit-zero"]).exit_code == 0


def test_an_impossible_period_in_no_compared_year_is_still_shown(
    reader: dict[str, Any],
) -> None:
    rows = [
        row("2019-20 Q4", "quarter", date(2020, 1, 1), date(2020, 3, 31), "plans_issued", 320),
        row(
            "2019-20 Q4",
            "quarter",
            date(2020, 1, 1),
            date(2020, 3, 31),
            "within_20_weeks_excl",
            350,
        ),
    ]
    reader["result"] = FakeResult(table(rows))
    result = runner.invoke(app, ["compare", "reply.xlsx"])
    assert result.exit_code == 1
    assert (
        "No calendar year of the reply can be compared with the published figures.\n"
        "\n"
        "Impossible periods:\n"
        "  2019-20 Q4 (reply.xlsx, Sheet1, row 2): more plans within 20 weeks (excluding\n"
        "    exceptions) than issued: within 20 weeks, excl. 350 > plans issued 320.\n"
    ) in result.output


def test_compare_passes_options_through(reader: dict[str, Any]) -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254], la=None)
    reader["result"] = FakeResult(table(rows), issues=["one"], unknown_columns=["Notes"])
    args = [
        "compare",
        "r.csv",
        "--la",
        "herts",
        "--sheet",
        "Q",
        "--map",
        "Final EHCPs=plans_issued",
    ]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0
    _, kwargs = reader["calls"][0]
    assert kwargs["sheet"] == "Q"
    assert kwargs["overrides"] == {"Final EHCPs": "plans_issued"}
    doc = json.loads(result.output)
    assert doc["notes"] == [
        "1 cell(s) or sheet(s) of the reply were not read as counts; 'ehcp-check totals "
        "FILE' lists them.",
        "headers not understood (not compared): 'Notes'.",
    ]


def test_compare_json_is_the_library_result(reader: dict[str, Any]) -> None:
    frame = table(quarters([280, 290, 270, 295], [245, 250, 240, 254]))
    reader["result"] = FakeResult(frame)
    result = runner.invoke(app, ["compare", "reply.xlsx", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == compare(frame).to_dict()


def test_compare_csv_and_markdown(reader: dict[str, Any]) -> None:
    reader["result"] = FakeResult(table(quarters([280, 290, 270, 295], [245, 250, 240, 254])))
    csv_out = runner.invoke(app, ["compare", "reply.xlsx", "--format", "csv"])
    assert csv_out.exit_code == 0
    assert csv_out.output.splitlines()[:2] == [
        "council,old_la_code,year,year_verdict,measure,reply,reply_low,reply_high,published,"
        "difference,difference_points,verdict,arithmetic",
        'Hertfordshire,919,2019,matches,plans_issued,1135,1135,1135,1135,0,,matches,"Qtr 1 280 '
        '+ Qtr 2 290 + Qtr 3 270 + Qtr 4 295 = 1,135; 1,135 - 1,135 = 0"',
    ]
    md = runner.invoke(app, ["compare", "reply.xlsx", "--format", "markdown"])
    assert md.exit_code == 0
    assert "## Hertfordshire (919), 2019: matches\n" in md.output


def test_compare_without_a_council_exits_2(reader: dict[str, Any]) -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254], la=None)
    reader["result"] = FakeResult(table(rows))
    result = runner.invoke(app, ["compare", "reply.xlsx"])
    assert result.exit_code == 2
    assert result.stderr == (
        "ehcp-check: error: the reply does not say which council it is from; name it with "
        "--la (e.g. --la Hertfordshire or --la 919).\n"
    )


def test_compare_terminal_text_is_cleaned(reader: dict[str, Any]) -> None:
    rows = quarters([280, 290, 270, 295], [245, 250, 240, 254])
    rows[0]["period"] = rows[1]["period"] = "Qtr\x1b[31m 1"
    reader["result"] = FakeResult(table(rows))
    result = runner.invoke(app, ["compare", "reply.xlsx"])
    assert "\x1b" not in result.output
    assert "Qtr [31m 1 280" in result.output


def test_compare_help_lists_it() -> None:
    result = runner.invoke(app, ["compare", "--help"])
    assert result.exit_code == 0
    assert "--la" in result.output


def test_compare_reads_a_real_reply(tmp_path: Path) -> None:
    path = tmp_path / "reply.csv"
    path.write_text(
        "Hertfordshire County Council,,\n"
        "Period,Final plans issued,Plans issued within 20 weeks\n"
        "Jan-Mar 2019,280,245\n"
        "Apr-Jun 2019,290,250\n"
        "Jul-Sep 2019,270,240\n"
        "Oct-Dec 2019,295,254\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compare", str(path), "--la", "Hertfordshire"])
    assert result.exit_code == 0, result.output
    assert "2019: MATCHES" in result.output


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".csv", ".md"])
def test_compare_writes_a_report_file(reader: dict[str, Any], tmp_path: Path, suffix: str) -> None:
    frame = table(quarters([280, 290, 270, 295], [245, 300, 240, 254]))
    reader["result"] = FakeResult(frame)
    out = tmp_path / f"compare{suffix}"
    result = runner.invoke(app, ["compare", "reply.xlsx", "-o", str(out)])
    assert result.exit_code == 1  # the impossible quarter
    assert result.stderr == f"Wrote {out}\n"
    assert result.stdout == ""  # piped: the file is the report
    expected = compare(frame)
    if suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8")) == expected.to_dict()
    elif suffix == ".csv":
        from ehcp_check.report.compare_view import compare_csv

        assert out.read_text(encoding="utf-8") == compare_csv(expected)
    elif suffix == ".md":
        assert out.read_text(encoding="utf-8").startswith("# The reply beside")
    else:
        from openpyxl import load_workbook

        wb = load_workbook(out)
        assert wb.sheetnames == ["Compare", "Reasons"]
        ws = wb["Compare"]
        assert [c.value for c in ws[1]][:6] == [
            "Council", "LA code", "Year", "Year verdict", "Measure", "Reply",
        ]  # fmt: skip
        assert [c.value for c in ws[2]][:10] == [
            "Hertfordshire", "919", 2019, "impossible", "plans_issued", 1135, 1135, 1135,
            1135, 0,
        ]  # fmt: skip
        assert len(ws._charts) == 1
        kinds = [row[2] for row in wb["Reasons"].iter_rows(min_row=2, values_only=True)]
        assert "impossible" in kinds
        assert "reason" in kinds
    again = runner.invoke(app, ["compare", "reply.xlsx", "-o", str(out)])
    assert again.exit_code == 2
    assert "already exists; use --force" in again.stderr


def test_compare_report_format_from_the_extension(reader: dict[str, Any], tmp_path: Path) -> None:
    reader["result"] = FakeResult(table(quarters([280, 290, 270, 295], [245, 250, 240, 254])))
    result = runner.invoke(app, ["compare", "reply.xlsx", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert result.stderr == (
        "ehcp-check: error: cannot tell the report format from 'x.pdf'; use one of .xlsx, "
        ".json, .csv, .md.\n"
    )
    assert reader["calls"] == []  # refused before reading


def test_compare_takes_a_mapping_file(reader: dict[str, Any], tmp_path: Path) -> None:
    reader["result"] = FakeResult(table(quarters([280, 290, 270, 295], [245, 250, 240, 254])))
    mapping = tmp_path / "map.toml"
    mapping.write_text('sheet = "Q"\n[measures]\n"Final EHCPs" = "plans_issued"\n', "utf-8")
    args = ["compare", "r.xlsx", "--mapping-file", str(mapping), "--map", "On time=ignore"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    _, kwargs = reader["calls"][0]
    assert kwargs["sheet"] == "Q"
    assert kwargs["overrides"] == {"Final EHCPs": "plans_issued", "On time": "ignore"}
