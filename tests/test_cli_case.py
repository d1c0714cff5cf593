"""The `case` and `rules` commands: exact exit codes, key lines of text and JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ehcp_check import __version__
from ehcp_check.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    assert run("--version") == (0, f"ehcp-check {__version__}\n", "")


def test_one_day_late_plan() -> None:
    code, out, _ = run("case", "--requested", "2024-01-01", "--final", "2024-05-21")
    assert code == 1
    lines = [line.rstrip() for line in out.splitlines()]
    assert "Late: The final EHC plan was issued 1 day late: 20 weeks 1 day after the" in lines
    assert "request, when reg 13(2) required it by Mon 20 May 2024." in lines
    row = next(ln for ln in lines if ln.lstrip().startswith("Final plan (20 weeks)"))
    assert " ".join(row.split()) == "Final plan (20 weeks) 20 May 2024 21 May 2024 late by 1 day"
    assert "This is information about the law and your data, not legal advice." in lines


def test_on_time_plan_exits_zero() -> None:
    code, out, _ = run("case", "--requested", "01/01/2024", "--final", "20/05/2024")
    assert code == 0
    assert "On time: The final EHC plan was issued on time: 20 weeks after the request," in out
    assert "Boundary case" in out


def test_open_case_overdue_as_of() -> None:
    code, out, _ = run(
        "case", "--requested", "2024-01-01", "--decision", "yes", "--as-of", "2024-06-01"
    )
    assert code == 1
    assert "Overdue: The final EHC plan is overdue by 12 days" in out


def test_open_case_within_time() -> None:
    code, out, _ = run(
        "case", "--requested", "2024-01-01", "--decision", "yes", "--as-of", "2024-05-01"
    )
    assert code == 0
    assert "Open: The council is still within time: the final plan is due by Mon 20 May" in out
    assert "due in 19 days" in out


def test_exit_zero_with_a_breach() -> None:
    code, _, _ = run("case", "--requested", "2024-01-01", "--final", "2024-06-21", "--exit-zero")
    assert code == 0


def test_case_json() -> None:
    code, out, _ = run(
        "case",
        "--requested",
        "2024-01-01",
        "--decision-date",
        "2024-02-01",
        "--decision",
        "yes",
        "--draft",
        "2024-05-10",
        "--final",
        "2024-05-21",
        "--exception",
        "EP shortage",
        "--as-of",
        "2024-06-01",
        "--format",
        "json",
    )
    assert code == 1
    doc = json.loads(out)
    assert doc["schema"] == "ehcp-check/case/2"
    assert doc["as_of"] == "2024-06-01"
    assert doc["day_count"] == "within"
    case = doc["case"]
    assert case["status"] == "late"
    assert case["outcome"] == "plan_issued"
    assert case["deadline_20w"] == "2024-05-20"
    assert case["weeks_to_final"] == 20.1
    assert case["days_late"] == 4
    assert case["breaches"] == [
        {"rule": "EHCP-20W", "deadline": "2024-05-20", "date": "2024-05-21", "days_late": 1},
        {"rule": "EHCP-15D", "deadline": "2024-05-25", "date": "2024-05-21", "days_late": 4},
    ]
    assert case["exception"]["kind"] == "not_lawful"
    assert case["exception"]["lawful"] is False


def test_day_one_switch() -> None:
    code, out, _ = run(
        "case",
        "--requested",
        "2024-01-01",
        "--final",
        "2024-05-20",
        "--day-count",
        "day-one",
        "--format",
        "json",
    )
    assert code == 1
    assert json.loads(out)["case"]["deadline_20w"] == "2024-05-19"


def test_bad_date_is_one_plain_sentence() -> None:
    code, out, err = run("case", "--requested", "31/02/2024")
    assert code == 2
    assert out == ""
    assert err == (
        "ehcp-check: error: --requested '31/02/2024' is not a date; write it as 2024-01-31 "
        "or 31/01/2024.\n"
    )


def test_final_before_request_exits_two() -> None:
    code, _, err = run("case", "--requested", "2024-05-01", "--final", "2024-04-01")
    assert code == 2
    assert "final plan date is before the request date" in err
    assert "Traceback" not in err


def test_conflicting_outcomes_exit_two() -> None:
    code, _, err = run(
        "case", "--requested", "2024-01-01", "--final", "2024-05-01", "--no-plan", "2024-04-01"
    )
    assert code == 2
    assert "not both" in err


def test_missing_required_option_is_usage_error() -> None:
    code, _, _ = run("case")
    assert code == 2


def test_rules_text_says_england_only() -> None:
    code, out, _ = run("rules")
    assert code == 0
    assert "England only" in out
    for code_name in ("EHCP-6W", "EHCP-16W", "EHCP-20W", "EHCP-15D"):
        assert code_name in out
    assert "reg 13(2)" in out


def test_rules_json() -> None:
    code, out, _ = run("rules", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "ehcp-check/rules/1"
    assert [r["code"] for r in doc["rules"]] == ["EHCP-6W", "EHCP-16W", "EHCP-20W", "EHCP-15D"]
    assert [r["limit_days"] for r in doc["rules"]] == [42, 112, 140, 15]
    kinds = {e["kind"]: e for e in doc["exceptions"]}
    assert kinds["not_lawful"]["excuses"] == []
    assert kinds["missed_appointment"]["lawful"] is False
    assert kinds["covid"]["excuses"] == ["EHCP-16W", "EHCP-20W", "EHCP-6W"]
    assert doc["covid_window"] == {"start": "2020-05-01", "end": "2020-09-25"}


def test_claim_that_is_not_lawful_is_explained_once() -> None:
    code, out, _ = run(
        "case", "--requested", "2024-01-01", "--final", "2024-06-01", "--exception", "EP shortage"
    )
    assert code == 1
    text = " ".join(out.split())
    assert "Claimed: 'EP shortage'. Not a lawful exception: resource pressure, waiting" in text
    assert text.count("Not a lawful exception") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/03/01", "2024-03-01"),
        ("2024.03.01", "2024-03-01"),
        ("2024/3/1", "2024-03-01"),
        ("2024-03-01", "2024-03-01"),
        ("01/03/2024", "2024-03-01"),
        ("1/3/24", "2024-03-01"),
        ("03/01/2024", "2024-01-03"),
        ("2024/01/03", "2024-01-03"),
    ],
)
def test_requested_date_orders(text: str, expected: str) -> None:
    code, out, _ = run(
        "case",
        "--requested",
        text,
        "--decision",
        "yes",
        "--as-of",
        "2024-03-02",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["case"]["request_date"] == expected
