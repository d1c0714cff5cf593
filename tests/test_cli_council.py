"""`ehcp-check council` and `ehcp-check councils`: exact output, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import LeagueSortOpt, app
from ehcp_check.council import LeagueSort, council_record, league
from ehcp_check.published import find_council
from ehcp_check.report.published_view import render_council, sparkline

runner = CliRunner()

HERTS = """\
Hertfordshire - 919 - E10000015 - East of England
New EHC plans issued within 20 weeks (Reg. 13(2)), by calendar year of issue

Year   Plans  % incl  % excl         Rank  Region  England  20-52w   >52w
-------------------------------------------------------------------------
2019   1,135    87.1    87.9    41 of 150    65.0     60.4       x      x
2020   1,170    78.8    78.7    58 of 151    58.8     58.0       x      x
2021   1,482    76.6    78.0    61 of 152    65.0     59.9       x      x
2022   1,585    32.3    32.6   111 of 147    32.4     49.2       x      x
2023   1,363    41.5    40.2   102 of 150    34.2     50.3     764     33
2024   1,781    55.2    56.3   =69 of 151    39.6     46.4     747     50

Trend of % excl., 2019-2024 (scale 0-100):
  Hertfordshire  [#**,-=]
  England        [===-=-]

% incl / % excl: within 20 weeks, including / excluding exceptions (Reg. 13(3)).
Rank: among councils in England by % excl., 1 = best; '=' marks a tie.
Region, England: their % excl. the same year. 20-52w, >52w: plans issued after
more than 20 weeks and up to 52, after more than 52 weeks (published from 2023).
x = not available (the DfE's marker); - = no figure that year.
Source: Department for Education, Education, health and care plans (SEN2),
reporting year 2025. Open Government Licence v3.0.
"""

EAST = """\
Councils, 2024, East of England
New EHC plans issued within 20 weeks (Reg. 13(2)), by calendar year of issue
Rank by % excl. exceptions among all 151 ranked councils in England, 1 = best

 Rank  Council                       Plans  % incl  % excl  % excl, 0-100
-----------------------------------------------------------------------------
   23  Peterborough                    389    86.1    89.4  ###############
   48  Bedford                         355    73.0    74.2  #############
  =69  Hertfordshire                 1,781    55.2    56.3  ##########
  =69  Norfolk                       1,909    55.7    56.3  ##########
   82  Central Bedfordshire            649    42.5    48.8  ########
   83  Thurrock                        288    48.3    48.6  ########
  119  Luton                           377    29.4    27.1  #####
  122  Suffolk                       1,366    25.4    25.4  ####
  133  Southend-on-Sea                 299    16.1    16.1  ###
  135  Essex                         1,833    16.2    15.0  ###
 =141  Cambridgeshire                  729     7.7     8.8  #
-----------------------------------------------------------------------------
       England                      90,392    45.9    46.4  ########

'=' marks a tie; - = no published figure. % excl. leaves out exception cases
(Reg. 13(3)).
Source: Department for Education, Education, health and care plans (SEN2),
reporting year 2025. Open Government Licence v3.0.
"""


@pytest.mark.parametrize("name", ["hertfordshire", "Herts", "919", "E10000015"])
def test_council_hertfordshire_exactly(name: str) -> None:
    result = runner.invoke(app, ["council", name])
    assert result.exit_code == 0
    assert result.output == HERTS


def test_council_fits_80_columns() -> None:
    for text in (HERTS, EAST, render_council(council_record(find_council("919")), plain=False)):
        assert max(len(line) for line in text.splitlines()) <= 80


def test_council_terminal_draws_blocks() -> None:
    text = render_council(council_record(find_council("919")), plain=False)
    assert "Hertfordshire · 919 · E10000015 · East of England" in text
    assert "  Hertfordshire  [█▇▇▃▄▅]\n  England        [▅▅▅▄▅▄]\n" in text
    plain = render_council(council_record(find_council("919")), plain=True)
    assert plain.isascii()


@pytest.mark.parametrize(
    ("values", "plain", "drawn"),
    [
        ([0.0, 12.5, 50.0, 99.9, 100.0, None], False, "▁▂▅██ "),
        ([0.0, 12.5, 50.0, 99.9, 100.0, None], True, "_.=## "),
        ([12.49, 12.5], False, "▁▂"),  # the step boundary, both sides
        ([-5.0, 150.0], True, "_#"),  # clamped
    ],
)
def test_sparkline(values: list[float | None], plain: bool, drawn: str) -> None:
    assert sparkline(values, plain=plain) == drawn


def test_council_json_is_the_library_record() -> None:
    result = runner.invoke(app, ["council", "herts", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc == council_record(find_council("919")).to_dict()
    assert [(y["year"], y["pct_within_20_weeks_excl"]) for y in doc["years"]] == [
        (2019, 87.9),
        (2020, 78.7),
        (2021, 78.0),
        (2022, 32.6),
        (2023, 40.2),
        (2024, 56.3),
    ]
    assert doc["years"][0]["suppressed"] == {"over_20_to_52_weeks": "x", "over_52_weeks": "x"}


def test_council_csv() -> None:
    result = runner.invoke(app, ["council", "herts", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["pct_within_20_weeks_excl"] for r in rows] == [
        "87.9",
        "78.7",
        "78.0",
        "32.6",
        "40.2",
        "56.3",
    ]
    assert rows[0]["over_52_weeks"] == ""
    assert rows[0]["suppressed"] == "over_20_to_52_weeks=x;over_52_weeks=x"
    assert rows[-1]["rank"] == "69"
    assert rows[-1]["rank_tied"] == "True"


def test_council_markdown() -> None:
    result = runner.invoke(app, ["council", "herts", "--format", "markdown"])
    assert result.exit_code == 0
    assert result.output.startswith(
        "# Hertfordshire (919, East of England): EHC plans issued within 20 weeks\n"
    )
    assert "| 2022 | 1585 | 32.3 | 32.6 | 111 | 32.4 | 49.2 |  |  |" in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "Notingham",
            "ehcp-check: error: no council called 'Notingham' in the Department for "
            "Education's figures. Closest: Nottingham; Wokingham; Nottinghamshire; Birmingham.\n",
        ),
        (
            "Beds",
            "ehcp-check: error: 'Beds' matches several councils: Bedford; Central "
            "Bedfordshire. Give more of the name or a code.\n",
        ),
    ],
)
def test_council_unknown_or_ambiguous_exits_2(name: str, message: str) -> None:
    result = runner.invoke(app, ["council", name])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_councils_east_of_england_exactly() -> None:
    result = runner.invoke(app, ["councils", "--year", "2024", "--region", "East of England"])
    assert result.exit_code == 0
    assert result.output == EAST


def test_councils_default_year_is_the_latest() -> None:
    result = runner.invoke(app, ["councils", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["schema"] == "ehcp-check/councils/1"
    assert doc["year"] == 2024
    assert len(doc["councils"]) == 153
    assert doc["councils"][0]["rank"] == 1
    assert doc == league(2024).to_dict()


@pytest.mark.parametrize("sort", ["pct_excl", "pct", "plans", "name", "NAME"])
def test_councils_sort_options(sort: str) -> None:
    result = runner.invoke(app, ["councils", "--sort", sort, "--format", "csv"])
    assert result.exit_code == 0
    names = [r["council"] for r in csv.DictReader(io.StringIO(result.output))]
    expected = [r.name for r in league(2024, sort=LeagueSort(sort.lower())).rows]
    assert names == expected


def test_councils_markdown() -> None:
    result = runner.invoke(app, ["councils", "--year", "2019", "--format", "markdown"])
    assert result.exit_code == 0
    assert result.output.startswith("# Councils ranked by EHC plans issued within 20 weeks, 2019\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["councils", "--year", "2018"],
            "ehcp-check: error: no published figures for 2018; the release covers 2019-2024.\n",
        ),
        (
            ["councils", "--region", "East"],
            "ehcp-check: error: 'East' matches several regions: North East; East Midlands; "
            "East of England; South East. Give more of the name or a code.\n",
        ),
    ],
)
def test_councils_errors_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == message


def test_cli_sort_choices_mirror_the_library() -> None:
    assert [c.value for c in LeagueSortOpt] == [c.value for c in LeagueSort]


def test_case_does_not_load_the_published_figures() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ehcp_check.cli import app\n"
        "r = CliRunner().invoke(app, ['case', '--requested', '2024-01-08', "
        "'--final', '2024-05-01', '--as-of', '2024-06-01'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('ehcp_check.published', 'ehcp_check.council', "
        "'ehcp_check.compare', 'ehcp_check.dfe') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
