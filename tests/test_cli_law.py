"""The verdicts issue 9 found wrong, through the command line: exact status words, exact
key lines, exit codes; and what the family is told it can do next, at 80 columns."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehcp_check.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, list[str], str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "80"})
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return result.exit_code, lines, result.stderr


def text(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def case_json(*args: str) -> tuple[int, dict[str, object]]:
    code, lines, _ = run("case", *args, "--format", "json")
    doc = json.loads("\n".join(lines))
    return code, doc["case"]


# --- coronavirus: only where the limit's deadline fell 1 May - 25 Sep 2020 ------------------


def test_covid_claim_on_a_deadline_before_the_window_is_late() -> None:
    code, lines, _ = run(
        "case", "--requested", "2019-10-01", "--final", "2020-06-01", "--exception", "Covid-19"
    )
    assert code == 1
    assert "Late: The final EHC plan was issued 104 days late: 34 weeks 6 days after the" in lines
    assert "request, when reg 13(2) required it by Tue 18 Feb 2020." in lines
    assert (
        "Claimed: 'Covid-19' -> Coronavirus. Coronavirus claimed, but this limit's "
        "deadline fell outside 1 May - 25 September 2020 (SI 2020/471): not plausible."
    ) in text(lines)


def test_covid_claim_on_a_deadline_after_the_window_is_late() -> None:
    code, doc = case_json(
        "--requested", "2020-06-01", "--final", "2020-11-30", "--exception", "Covid-19"
    )
    assert code == 1
    assert (doc["deadline_20w"], doc["status"]) == ("2020-10-19", "late")


def test_covid_resource_reason_in_the_window_is_a_covid_claim() -> None:
    code, lines, _ = run(
        "case",
        "--requested",
        "2020-02-24",
        "--final",
        "2020-08-01",
        "--exception",
        "Covid-19: educational psychologist visits suspended",
    )
    assert code == 0
    joined = text(lines)
    assert joined.startswith("EHC needs assessment requested Mon 24 Feb 2020")
    assert "Late, but the council claims a lawful exception: The final EHC plan was" in joined
    assert "LATE EXCEPTION" not in joined
    assert "Coronavirus (SI 2020/471): this limit's deadline fell in 1 May - 25 September" in joined


# --- reasons that are never lawful ------------------------------------------------------------


@pytest.mark.parametrize(
    "reason", ["Parental request for delay", "Medical report received late from NHS"]
)
def test_parental_request_and_late_medical_report_are_not_lawful(reason: str) -> None:
    code, doc = case_json(
        "--requested", "2024-01-01", "--final", "2024-06-20", "--exception", reason
    )
    assert code == 1
    assert doc["status"] == "late"
    exc = doc["exception"]
    assert isinstance(exc, dict)
    assert (exc["kind"], exc["lawful"], exc["accepted"]) == ("not_lawful", False, False)
    assert exc["by_rule"] == {
        "EHCP-20W": {
            "excused": False,
            "why": "Not a lawful exception: resource pressure, waiting for advice or reports, "
            "and requests or agreements to delay do not excuse a statutory time limit.",
        }
    }


# --- plausibility on each limit's own window -------------------------------------------------


def test_summer_claim_does_not_excuse_a_decision_due_on_15_april() -> None:
    code, doc = case_json(
        "--requested",
        "2024-03-04",
        "--decision-date",
        "2024-04-30",
        "--decision",
        "yes",
        "--final",
        "2024-07-20",
        "--exception",
        "Summer holidays",
    )
    assert code == 1
    assert doc["deadline_6w"] == "2024-04-15"
    assert doc["status"] == "late"
    exc = doc["exception"]
    assert isinstance(exc, dict)
    assert exc["by_rule"]["EHCP-6W"]["excused"] is False


@pytest.mark.parametrize(
    ("requested", "final", "claim", "deadline"),
    [
        ("2024-02-05", "2024-07-01", "Summer holidays", "2024-06-24"),
        ("2024-08-01", "2025-01-20", "Christmas holidays", "2024-12-19"),
        ("2024-06-03", "2024-11-01", "family abroad for 2 weeks", "2024-10-21"),
    ],
)
def test_implausible_claims_leave_the_plan_late(
    requested: str, final: str, claim: str, deadline: str
) -> None:
    code, doc = case_json("--requested", requested, "--final", final, "--exception", claim)
    assert code == 1
    assert (doc["deadline_20w"], doc["status"]) == (deadline, "late")
    exc = doc["exception"]
    assert isinstance(exc, dict)
    assert (exc["plausible"], exc["accepted"]) == (False, False)


# --- refusals: only coronavirus, and the reading is said -----------------------------------


def test_late_refusal_is_not_excused_by_personal_circumstances() -> None:
    code, lines, _ = run(
        "case",
        "--requested",
        "2024-01-01",
        "--decision-date",
        "2024-03-01",
        "--decision",
        "no",
        "--exception",
        "Parent in hospital",
        "--as-of",
        "2024-03-10",
    )
    assert code == 1
    joined = text(lines)
    assert "Late: The decision not to assess came 18 days late: reg 4(1) required it by Mon" in (
        joined
    )
    assert (
        "Not excused: only the coronavirus relaxation can excuse a late refusal notice. This "
        "is our reading of reg 4(1), which has no reg 5(4)-type exceptions."
    ) in joined
    assert "reg 10(4)" not in joined.split("Exceptions")[1].split("What you can do")[0]


# --- statuses -------------------------------------------------------------------------------


def test_withdrawn_request_keeps_its_late_decision(tmp_path: Path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text(
        "Case ref,Date request received,Decision to assess date,Decision to assess,Status\n"
        "A1,01/01/2024,15/03/2024,Yes,Withdrawn\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(data), "--as-of", "2024-06-01", "--format", "json"])
    assert result.exit_code == 1
    [case] = json.loads(result.stdout)["cases"]
    assert (case["outcome"], case["status"]) == ("withdrawn", "late")
    assert case["breaches"] == [
        {"rule": "EHCP-6W", "deadline": "2024-02-12", "date": "2024-03-15", "days_late": 32}
    ]


def test_awaiting_decision_past_six_weeks_is_overdue(tmp_path: Path) -> None:
    data = tmp_path / "cases.csv"
    data.write_text(
        "Case ref,Date request received,Status\nA1,03/03/2025,Awaiting decision\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["audit", str(data), "--as-of", "2025-06-30", "--format", "json"])
    assert result.exit_code == 1
    [case] = json.loads(result.stdout)["cases"]
    assert case["status"] == "overdue"
    assert case["breaches"][0] == {
        "rule": "EHCP-6W",
        "deadline": "2025-04-14",
        "date": None,
        "days_late": 77,
    }


def test_no_decision_given_means_not_told_yet() -> None:
    code, lines, _ = run("case", "--requested", "2025-03-03", "--as-of", "2025-06-30")
    assert code == 1
    joined = text(lines)
    assert "The council is still within time" not in joined
    assert (
        "Overdue: The decision whether to assess is overdue by 77 days: reg 5(1) required "
        "it by Mon 14 Apr 2025."
    ) in joined
    assert (
        "No decision and no later step was given, so this assumes you have not been told "
        "yet whether the council will assess (--decision yes if it agreed)."
    ) in joined


def test_decision_pending_says_no_assumption() -> None:
    code, doc = case_json(
        "--requested", "2025-03-03", "--decision", "pending", "--as-of", "2025-06-30"
    )
    assert code == 1
    assert (doc["status"], doc["caveats"]) == ("overdue", [])


def test_bad_decision_value_lists_the_valid_ones() -> None:
    code, _, err = run("case", "--requested", "2025-03-03", "--decision", "maybe")
    assert code == 2
    assert "--decision 'maybe' is not one of yes, no, pending." in " ".join(err.split())


def test_open_past_twenty_weeks_with_an_accepted_absence_is_not_a_breach() -> None:
    code, lines, _ = run(
        "case",
        "--requested",
        "2024-01-01",
        "--decision-date",
        "2024-02-01",
        "--decision",
        "yes",
        "--exception",
        "Family abroad for 6 weeks",
        "--as-of",
        "2024-07-01",
    )
    assert code == 0
    joined = text(lines)
    assert "Overdue, but the council claims a lawful exception: The final EHC plan is" in joined
    assert "judicial review" not in joined
    assert "Ask it for the facts behind the claim" in joined


# --- 15 days from service ------------------------------------------------------------------


def test_fifteen_days_counted_from_the_day_the_draft_arrived() -> None:
    base = ("--requested", "2024-01-01", "--draft", "2024-04-01", "--final", "2024-04-17")
    code, doc = case_json(*base)
    assert (code, doc["status"]) == (0, "on_time")
    code, doc = case_json(*base, "--draft-received", "2024-04-04")
    assert code == 1
    assert doc["breaches"] == [
        {"rule": "EHCP-15D", "deadline": "2024-04-19", "date": "2024-04-17", "days_late": 2}
    ]
    assert doc["draft_received_date"] == "2024-04-04"
    _, lines, _ = run("case", *base)
    assert (
        "The 15 days are counted from the day the draft was sent: the best case for the "
        "council. A posted draft is served later, when it would arrive in the ordinary course "
        "of post (Interpretation Act 1978 s.7); give --draft-received DATE."
    ) in text(lines)


def test_draft_received_before_it_was_sent_is_refused() -> None:
    code, _, err = run(
        "case",
        "--requested",
        "2024-01-01",
        "--draft",
        "2024-04-01",
        "--draft-received",
        "2024-03-30",
    )
    assert code == 2
    assert err.startswith("ehcp-check: error: --draft-received is before --draft")


# --- what the family can do next -------------------------------------------------------------


def steps(*args: str) -> list[dict[str, object]]:
    code, lines, _ = run("case", *args, "--format", "json")
    assert code in (0, 1)
    return list(json.loads("\n".join(lines))["case"]["next_steps"])


def kinds(items: list[dict[str, object]]) -> list[object]:
    return [s["kind"] for s in items]


def test_refusal_names_the_tribunal_the_mediation_certificate_and_the_date() -> None:
    args = ("--requested", "2024-01-01", "--decision-date", "2024-02-08", "--decision", "no")
    items = steps(*args, "--as-of", "2024-02-20")
    assert kinds(items) == [
        "tribunal_appeal",
        "mediation_certificate",
        "ombudsman_cannot_review_decision",
        "free_help",
    ]
    assert items[0]["deadline"] == "2024-04-08"
    code, lines, _ = run("case", *args, "--as-of", "2024-02-20")
    assert code == 0
    assert max(len(line) for line in lines) <= 80
    joined = text(lines)
    assert (
        "1. You can appeal the decision not to carry out an EHC needs assessment to the "
        "First-tier Tribunal (SEND), CFA 2014 s.51(2)(a). Appeal by Mon 8 Apr 2024: 2 months "
        "from the decision letter of Thu 8 Feb 2024, or within 1 month of the mediation "
        "certificate if that is later"
    ) in joined
    assert "get a mediation certificate (CFA 2014 s.55)" in joined
    assert "(Local Government Act 1974 s.26(6)(a))" in joined
    for helper in ("IPSEA", "SOS!SEN", "SENDIASS"):
        assert helper in joined
    assert "information, not advice" in joined


def test_no_plan_decision_appeal_runs_from_the_notice() -> None:
    items = steps("--requested", "2024-01-01", "--no-plan", "2024-04-15", "--as-of", "2024-05-01")
    assert items[0]["kind"] == "tribunal_appeal"
    assert items[0]["deadline"] == "2024-06-15"
    assert "s.51(2)(b)" in str(items[0]["text"])


def test_final_plan_appeal_on_sections_b_f_i() -> None:
    items = steps("--requested", "2024-01-01", "--final", "2024-05-20", "--as-of", "2024-06-01")
    assert kinds(items) == ["tribunal_appeal", "mediation_certificate", "free_help"]
    assert items[0]["deadline"] == "2024-07-20"
    assert "(sections B, F and I)" in str(items[0]["text"])
    assert "s.51(2)(c)" in str(items[0]["text"])


def test_delay_names_complaint_ombudsman_and_judicial_review() -> None:
    args = ("--requested", "2024-01-01", "--decision", "yes", "--as-of", "2024-07-01")
    items = steps(*args)
    assert kinds(items) == ["complaint", "ombudsman", "judicial_review", "free_help"]
    code, lines, _ = run("case", *args)
    assert code == 1
    assert max(len(line) for line in lines) <= 80
    joined = text(lines)
    assert "within 12 months of when you knew of the problem (Local Government Act 1974 s.26B)" in (
        joined
    )
    assert "promptly and in any event within 3 months (CPR 54.5)" in joined
    assert "R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin)" in joined


def test_completed_delay_gives_the_ombudsman_date() -> None:
    items = steps("--requested", "2024-01-01", "--final", "2024-06-20", "--as-of", "2024-07-01")
    assert kinds(items) == [
        "tribunal_appeal",
        "mediation_certificate",
        "complaint",
        "ombudsman",
        "free_help",
    ]
    assert items[3]["deadline"] == "2025-06-20"


# --- `rules` says what the engine does ---------------------------------------------------------


def test_rules_text_lists_what_the_engine_accepts_for_each_step() -> None:
    from rich.console import Console

    from ehcp_check.claims import excuse_verdict
    from ehcp_check.report.rules_view import render_rules
    from ehcp_check.rules import EXCEPTIONS_BY_KIND, LIMIT_EXCEPTIONS, ExceptionKind

    result = runner.invoke(app, ["rules"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "Exceptions, limit by limit (each limit has its own list)" in result.stdout
    wide = Console(width=2000, record=True, file=io.StringIO())
    wide.print(render_rules())
    lines = wide.export_text().splitlines()
    rows = {}
    for le in LIMIT_EXCEPTIONS:
        [row] = [ln for ln in lines if f"{le.rule.value} {le.title}" in ln]
        rows[le.step] = row
    for le in LIMIT_EXCEPTIONS:
        for kind in ExceptionKind:
            accepted = excuse_verdict(le.step, kind, 1, 0)[0]
            named = f"{EXCEPTIONS_BY_KIND[kind].title} (" in rows[le.step]
            assert named is accepted, (le.step, kind)
            if accepted:
                assert f"{EXCEPTIONS_BY_KIND[kind].title} ({le.limbs[kind]})" in rows[le.step]
    assert "no early-years limb" in rows[le.step.DECISION_TO_ASSESS]
    assert "our reading" in rows[le.step.REFUSAL]
    flat = " ".join(result.stdout.split())
    assert "only where the limit's deadline fell 1 May 2020 to 25 September 2020 inclusive" in flat
    assert "cannot know whether the claimed fact really happened" in flat


@pytest.mark.parametrize(
    ("args", "remedy"),
    [
        (
            ("--no-plan", "2024-04-15", "--as-of", "2024-05-01"),
            "1. You can appeal the decision not to issue an EHC plan to the First-tier "
            "Tribunal (SEND), CFA 2014 s.51(2)(b). Appeal by Sat 15 Jun 2024: 2 months from "
            "the decision letter of Mon 15 Apr 2024",
        ),
        (
            ("--final", "2024-05-20", "--as-of", "2024-06-01"),
            "1. You can appeal the plan's description of needs, its provision and the school "
            "named (sections B, F and I) to the First-tier Tribunal (SEND), CFA 2014 "
            "s.51(2)(c). Appeal by Sat 20 Jul 2024: 2 months from the final plan of Mon 20 "
            "May 2024",
        ),
        (
            ("--final", "2024-06-20", "--as-of", "2024-07-01"),
            "4. If the complaint does not put it right, complain to the Local Government and "
            "Social Care Ombudsman, which is free: by Fri 20 Jun 2025, 12 months from Thu 20 "
            "Jun 2024 (Local Government Act 1974 s.26B).",
        ),
    ],
)
def test_case_text_names_the_remedy_with_its_date(args: tuple[str, ...], remedy: str) -> None:
    code, lines, _ = run("case", "--requested", "2024-01-01", *args)
    assert code in (0, 1)
    assert max(len(line) for line in lines) <= 80
    assert remedy in text(lines)
