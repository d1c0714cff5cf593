"""The `audit` and `columns` commands: exact exit codes, messages, figures and files.

Runs on the committed examples (``examples/``) and on small files written in ``tmp_path``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from ehcp_check.audit import audit
from ehcp_check.cli import app
from ehcp_check.model import CAVEATS
from ehcp_check.report.xlsx import SHEETS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FOI = EXAMPLES / "foi-reply-2024.xlsx"
MULTI = EXAMPLES / "multi-year.xlsx"
MONTHLY = EXAMPLES / "monthly-export.csv"
CLOSURES = EXAMPLES / "closures.csv"

runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(*args, "--format", "json")
    return code, json.loads(out)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


ON_TIME = """Case ref,Date request received,Date of decision to assess,Date final EHCP issued
C-0001,2024-01-08,2024-02-05,2024-05-20
C-0002,2024-02-01,2024-03-01,2024-06-03
"""


# --- exit codes --------------------------------------------------------------------------


def test_all_on_time_exits_zero(tmp_path: Path) -> None:
    code, doc = run_json("audit", write(tmp_path / "ok.csv", ON_TIME), "--as-of", "2024-12-31")
    assert code == 0
    assert doc["summary"]["statuses"]["on_time"] == 2
    assert doc["summary"]["breaches"] == {"EHCP-6W": 0, "EHCP-16W": 0, "EHCP-20W": 0, "EHCP-15D": 0}


def test_breaches_exit_one_and_exit_zero_overrides() -> None:
    code, out, err = run("audit", FOI, "--as-of", "2025-03-31")
    assert (code, err) == (1, "")
    assert "rows read 87 = judged 83 + excluded 4 (balanced)" in out
    code, out2, _ = run("audit", FOI, "--as-of", "2025-03-31", "--exit-zero")
    assert code == 0
    assert out2 == out


def _one_line(err: str) -> str:
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2025-13"], "--month '2025-13' is not a month; write it as 2025-02."),
        (["--month", "Feb 2025"], "--month 'Feb 2025' is not a month; write it as 2025-02."),
        (
            ["--month", "2025-02", "--from", "2025-01-01"],
            "use either --month or --from/--to, not both.",
        ),
        (
            ["-o", "report.pdf"],
            "cannot tell the report format from 'report.pdf'; "
            "use one of .xlsx, .json, .csv, .md, .html.",
        ),
        (
            ["--as-of", "31/02/2025"],
            "--as-of '31/02/2025' is not a date; write it as 2024-01-31 or 31/01/2024.",
        ),
    ],
)
def test_bad_usage_exits_two_with_one_line(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("audit", MONTHLY, *args)
    assert (code, out) == (2, "")
    assert _one_line(err) == f"ehcp-check: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_missing_file_exits_two(tmp_path: Path) -> None:
    missing = tmp_path / "nope.xlsx"
    code, out, err = run("audit", missing)
    assert (code, out) == (2, "")
    assert _one_line(err) == (
        f"ehcp-check: error: {missing} does not exist: check the file name and folder.\n"
    )


def test_no_request_date_column_exits_two(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.csv", "Ref,Something\nC-0001,2024-01-01\n")
    code, out, err = run("audit", path)
    assert (code, out) == (2, "")
    assert _one_line(err) == (
        f"ehcp-check: error: {path} has no request-date column (headers seen: Ref, Something); "
        'name it with --map "Ref=request_date".\n'
    )


# --- one result, many views ----------------------------------------------------------------


def test_cli_json_equals_library_result() -> None:
    code, doc = run_json("audit", FOI, MONTHLY, "--as-of", "2025-03-31")
    assert code == 1
    library = audit([FOI, MONTHLY], as_of=date(2025, 3, 31)).to_dict()
    assert doc == library
    assert doc["summary"]["rows_read"] == 87 + 300
    # Every row read but the two total rows is listed, the two invalid ones included.
    assert len(doc["cases"]) == 85 + 300


def test_cli_and_library_reject_the_same_far_future_dates(tmp_path: Path) -> None:
    # A date more than a year after the as-of date is a typing error for both.
    far = "Case ref,Request date,Final EHCP date\nC-1,2024-01-02,2027-05-01\n"
    path = write(tmp_path / "far.csv", far)
    code, doc = run_json("audit", path, "--as-of", "2025-03-31")
    assert code == 1
    assert [i["code"] for i in doc["issues"]] == ["date-out-of-range"]
    assert doc["cases"][0]["status"] == "overdue"
    assert audit([path], as_of=date(2025, 3, 31)).to_dict() == doc


def test_groups_by_financial_year() -> None:
    code, doc = run_json(
        "audit", MULTI, "--by", "year", "--year-type", "financial", "--as-of", "2025-03-31"
    )
    assert code == 1
    assert [g["key"] for g in doc["groups"]] == ["2021-22", "2022-23", "2023-24", "2024-25"]
    assert [g["summary"]["plans_issued"] for g in doc["groups"]] == [32, 56, 66, 53]
    assert sum(g["summary"]["plans_issued"] for g in doc["groups"]) == 207
    assert doc["summary"]["plans_issued"] == 207
    assert [i["sheet"] for i in doc["inputs"]] == ["2021-22", "2022-23", "2023-24", "2024-25"]
    assert [i["header_row"] for i in doc["inputs"]] == [3, 3, 3, 1]


def test_groups_by_la() -> None:
    code, doc = run_json("audit", MULTI, "--by", "la", "--as-of", "2025-03-31", "--no-cases")
    assert code == 1
    assert sorted(g["key"] for g in doc["groups"]) == ["Northshire", "Southmoor"]
    assert doc["cases"] == []


# As of 28 February: the 18 requests received in March cannot be judged yet (excluded, each
# listed), decisions and plans dated in March had not happened, and the open-case snapshot
# is every case open when February closed, whenever it was requested.
MONTH_2025_02 = {
    "rows_read": 300,
    "cases": 282,
    "rows_excluded": 18,
    "plans_issued": 25,
    "within_20_weeks": 14,
    "pct_within_20_weeks": 56.0,
    "plans_issued_excl": 20,
    "within_20_weeks_excl": 14,
    "pct_within_20_weeks_excl": 70.0,
    "over_20_to_52_weeks": 11,
    "over_52_weeks": 0,
    "mean_weeks_to_issue": 23.7,
    "median_weeks_to_issue": 19.6,
    "p90_weeks_to_issue": 37.0,
    "max_weeks_to_issue": 39.4,
    "decisions_to_assess": 1,
    "within_6_weeks": 1,
    "pct_within_6_weeks": 100.0,
    "no_plan_decisions": 2,
    "no_plan_over_16_weeks": 0,
    "open_cases": 125,
    "open_overdue": 29,
    "max_days_overdue": 135,
    # 6W by request date (the 6-week measure's cohort); 20W: 11 plans issued late in the
    # month and 26 cases still open past 20 weeks when it closed.
    "breaches": {"EHCP-6W": 3, "EHCP-16W": 0, "EHCP-20W": 37, "EHCP-15D": 0},
    "exceptions_claimed": 6,
    "exceptions_not_lawful": 1,
    "exceptions_implausible": 0,
    "open_overdue_exception": 1,
    "dfe_excluded_mediation_tribunal": None,
    # Every case the month's figures count (152 in all), as the case list holds them.
    "statuses": {
        "on_time": 8,
        "late": 36,
        "late_exception": 5,
        "overdue": 28,
        "overdue_exception": 1,
        "open": 74,
        "not_applicable": 0,
        "invalid": 0,
    },
    "cases_with_caveats": 0,
    "breaches_with_caveats": 0,
    "caveats": {c.value: 0 for c in CAVEATS},
    "duplicate_rows": 0,
}


def test_month_summary_of_the_monthly_export() -> None:
    code, doc = run_json(
        "audit", MONTHLY, "--month", "2025-02", "--as-of", "2025-02-28", "--no-cases"
    )
    assert code == 1
    assert doc["as_of"] == "2025-02-28"
    assert doc["summary"] == MONTH_2025_02


def test_assessment_stage_is_a_recognised_open_outcome() -> None:
    _, doc = run_json("audit", MONTHLY, "--as-of", "2025-03-31", "--no-cases")
    assert [i for i in doc["issues"] if i["code"] == "unrecognised-value"] == []


# --- report files ------------------------------------------------------------------------


def test_xlsx_report_and_overwrite_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("audit", FOI, "--as-of", "2025-03-31", "-o", "report.xlsx")
    # -o writes the report file as well: the terminal report still goes to stdout.
    assert (code, err) == (1, "Wrote report.xlsx\n")
    assert out.startswith("+- EHC plan deadlines, as of Mon 31 Mar 2025 (all cases;")
    assert "Worst breaches: 10 of " in out
    assert openpyxl.load_workbook(tmp_path / "report.xlsx").sheetnames == list(SHEETS)
    before = (tmp_path / "report.xlsx").read_bytes()

    code, out, err = run("audit", FOI, "--as-of", "2025-03-31", "-o", "report.xlsx")
    assert (code, out) == (2, "")
    assert _one_line(err) == (
        "ehcp-check: error: the output file report.xlsx already exists; "
        "use --force to overwrite it.\n"
    )
    assert (tmp_path / "report.xlsx").read_bytes() == before

    code, _, err = run("audit", FOI, "--as-of", "2025-03-31", "-o", "report.xlsx", "--force")
    assert (code, err) == (1, "Wrote report.xlsx\n")


def test_quiet_prints_nothing_on_success(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["-o", "q.xlsx"]):
        code, out, err = run("audit", FOI, "--as-of", "2025-03-31", "--quiet", *extra)
        assert (code, out, err) == (1, "", ""), extra
    assert (tmp_path / "q.xlsx").is_file()
    # A --format asked for still goes to stdout (e.g. redirected to a file by a cron job).
    code, out, err = run("audit", FOI, "--as-of", "2025-03-31", "-q", "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out)["schema"].startswith("ehcp-check/audit/")
    code, out, err = run("audit", FOI, "--as-of", "2025-03-31", "-q", "--exit-zero")
    assert (code, out, err) == (0, "", "")


def test_a_period_with_no_cases_has_its_own_status(tmp_path: Path) -> None:
    out_file = tmp_path / "empty.xlsx"
    code, out, err = run(
        "audit", MONTHLY, "--month", "2023-01", "--as-of", "2023-01-31", "-o", str(out_file),
        "--quiet",
    )  # fmt: skip
    assert (code, out) == (4, "")
    assert err == (
        "ehcp-check: no cases in 2023-01: no request, plan, decision or open case falls in "
        "the period; no report written.\n"
    )
    assert not out_file.exists()
    code, _, _ = run("audit", MONTHLY, "--month", "2025-02", "--as-of", "2025-02-28", "-q")
    assert code == 1


@pytest.mark.parametrize(
    ("color", "env", "escapes"),
    [("always", {}, True), ("never", {}, False), ("auto", {}, False),
     ("always", {"NO_COLOR": "1"}, True)],
)  # fmt: skip
def test_color_option(
    color: str, env: dict[str, str], escapes: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _, out, _ = run("audit", FOI, "--as-of", "2025-03-31", "--color", color)
    assert ("\x1b[" in out) is escapes
    assert "EHC plan deadlines" in out


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    data = tmp_path / "cases.csv"
    shutil.copy(MONTHLY, data)
    original = data.read_bytes()
    code, out, err = run("audit", data, "--as-of", "2025-03-31", "-o", data, "--force")
    assert (code, out) == (2, "")
    assert _one_line(err) == (
        f"ehcp-check: error: the output file {data} is one of the input files; choose another "
        "name so the council's data is not overwritten.\n"
    )
    assert data.read_bytes() == original


def test_csv_to_stdout(tmp_path: Path) -> None:
    code, out, _ = run("audit", write(tmp_path / "ok.csv", ON_TIME), "--as-of", "2024-12-31",
                       "--format", "csv")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    header = lines[0].split(",")
    first = dict(zip(header, lines[1].split(","), strict=True))
    assert (first["case_id"], first["status"], first["deadline_20w"]) == (
        "C-0001",
        "on_time",
        "2024-05-27",
    )
    assert not out.startswith("\ufeff")


def test_markdown_to_stdout(tmp_path: Path) -> None:
    code, out, _ = run("audit", write(tmp_path / "ok.csv", ON_TIME), "--as-of", "2024-12-31",
                       "--format", "markdown")  # fmt: skip
    assert code == 0
    assert out.startswith("# ")
    assert re.search(r"^\| Plans issued +\| 2 ", out, re.MULTILINE), out


# --- column mapping and closures ------------------------------------------------------------

ODD = """Case ref,Date rec'd,Plan out
C-0001,08/01/2024,20/05/2024
C-0002,01/02/2024,01/08/2024
"""


def test_map_and_mapping_file_make_an_odd_header_usable(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.csv", ODD)
    code, _, err = run("audit", path)
    assert code == 2
    assert "has no request-date column" in err

    args = ("--as-of", "2024-12-31", "--no-cases")
    code, by_option = run_json("audit", path, "--map", "Date rec'd=request_date",
                               "--map", "Plan out=final_date", *args)  # fmt: skip
    assert code == 1
    toml = write(
        tmp_path / "council.toml",
        '[columns]\n"Date rec\'d" = "request_date"\n"Plan out" = "final_date"\n',
    )
    code, by_file = run_json("audit", path, "--mapping-file", toml, *args)
    assert code == 1
    assert by_file == by_option
    assert by_file["inputs"][0]["columns"] == {
        "case_id": "Case ref",
        "request_date": "Date rec'd",
        "final_date": "Plan out",
    }
    summary = by_file["summary"]
    assert (summary["plans_issued"], summary["within_20_weeks"]) == (2, 1)


SUMMER_CLAIM = """Case ref,Request date,Final EHCP date,Exception reason
C-0001,2024-02-25,2024-07-23,Summer holidays
"""


def test_closures_file_changes_a_summer_claims_plausibility(tmp_path: Path) -> None:
    # Window 25 Feb - 23 Jul 2024 touches the approximate summer (from 21 July) but not
    # Northshire's real one, which began on 24 July 2024.
    path = write(tmp_path / "claim.csv", SUMMER_CLAIM)
    code, default = run_json("audit", path, "--as-of", "2024-12-31")
    assert code == 0
    case = default["cases"][0]
    assert case["status"] == "late_exception"
    assert (case["exception"]["kind"], case["exception"]["plausible"]) == ("school_closure", True)

    code, real = run_json("audit", path, "--as-of", "2024-12-31", "--closures", CLOSURES)
    assert code == 1
    case = real["cases"][0]
    assert case["status"] == "late"
    assert (case["exception"]["kind"], case["exception"]["plausible"]) == ("school_closure", False)
    assert real["summary"]["exceptions_implausible"] == 1


# --- columns ---------------------------------------------------------------------------------


def test_columns_json_on_the_foi_example() -> None:
    code, out, _ = run("columns", FOI, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "ehcp-check/columns/1"
    sheets = {s["sheet"]: s for s in doc["sheets"]}
    assert [(s["sheet"], s["header_row"], s["skipped"]) for s in doc["sheets"]] == [
        ("2024", 5, None),
        ("2023", 4, None),
        ("Notes", None, "none of its first 30 rows has a request-date header"),
    ]
    assert {c["header"]: c["field"] for c in sheets["2024"]["columns"]} == {
        "Case ref": "case_id",
        "Date request received": "request_date",
        "Agreed to assess": "assess_decision",
        "Date of decision to assess": "assess_decision_date",
        "Date final EHCP issued": "final_date",
        "Outcome": "outcome",
        "20 week exception (reason)": "exception",
    }
    assert {c["header"]: c["field"] for c in sheets["2023"]["columns"]} == {
        "Reference": "case_id",
        "Request received": "request_date",
        "Decision to assess": "assess_decision",
        "6 week decision date": "assess_decision_date",
        "Final plan issued": "final_date",
        "Status": "outcome",
        "Exceptions apply": "exception",
    }
    assert sheets["2024"]["columns"][0]["samples"] == ["C-0001", "C-0002", "C-0003"]


def test_columns_text_on_the_foi_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("columns", "examples/foi-reply-2024.xlsx")
    assert code == 0
    lines = [line.rstrip() for line in out.splitlines()]
    assert "examples/foi-reply-2024.xlsx / sheet '2024': header on row 5" in lines
    assert "examples/foi-reply-2024.xlsx / sheet '2023': header on row 4" in lines
    notes = "examples/foi-reply-2024.xlsx / sheet 'Notes': skipped: none of its first 30 rows"
    assert notes in lines
    assert "has a request-date header" in lines
    row = next(ln for ln in lines if ln.lstrip().startswith("A     Case ref"))
    # Samples never wrap: one line per column, cut with an ellipsis at 80 columns.
    assert row.split() == ["A", "Case", "ref", "case_id", "C-0001,", "C-0002,", "C…"]


# --- the monthly cron script ------------------------------------------------------------------


def _monthly_script(
    tmp_path: Path,
    source: Path,
    *,
    month: str = "2025-02",
    script: Path = EXAMPLES / "monthly-report.sh",
    ehcp_check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run the monthly script the way cron does: ``env -i PATH=/usr/bin:/bin sh script``,
    with the documented variables (``EHCP_CHECK`` unless ``ehcp_check`` is False)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "INPUT": str(source),
        "OUT": str(tmp_path / "reports"),
        "MONTH": month,
    }
    if ehcp_check:
        env["EHCP_CHECK"] = str(Path(sys.executable).parent / "ehcp-check")
    return subprocess.run(
        ["env", "-i", *(f"{k}={v}" for k, v in env.items()), "sh", str(script)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )


needs_sh = pytest.mark.skipif(
    shutil.which("sh") is None or shutil.which("env") is None, reason="needs sh and env"
)


@needs_sh
def test_monthly_report_script(tmp_path: Path) -> None:
    done = _monthly_script(tmp_path, MONTHLY)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")  # quiet on success
    reports = tmp_path / "reports"
    doc = json.loads((reports / "2025-02.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == "2025-02-28"
    assert doc["summary"] == MONTH_2025_02
    assert doc["cases"] == []
    assert openpyxl.load_workbook(reports / "2025-02.xlsx").sheetnames == list(SHEETS)
    assert sorted(p.name for p in reports.iterdir()) == ["2025-02.json", "2025-02.xlsx"]


@needs_sh
def test_monthly_report_script_finds_ehcp_check_beside_itself(tmp_path: Path) -> None:
    here = tmp_path / "job"
    here.mkdir()
    script = here / "monthly-report.sh"
    shutil.copy(EXAMPLES / "monthly-report.sh", script)
    (here / "ehcp-check").symlink_to(Path(sys.executable).parent / "ehcp-check")
    done = _monthly_script(tmp_path, MONTHLY, script=script, ehcp_check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert (tmp_path / "reports" / "2025-02.xlsx").is_file()


@needs_sh
def test_monthly_report_script_says_when_ehcp_check_is_missing(tmp_path: Path) -> None:
    here = tmp_path / "lonely"
    here.mkdir()
    script = here / "monthly-report.sh"
    shutil.copy(EXAMPLES / "monthly-report.sh", script)
    done = _monthly_script(tmp_path, MONTHLY, script=script, ehcp_check=False)
    assert (done.returncode, done.stdout) == (127, "")
    assert done.stderr == (
        "monthly-report: cannot find ehcp-check; set EHCP_CHECK=/path/to/ehcp-check\n"
    )


@needs_sh
def test_monthly_report_script_empty_month(tmp_path: Path) -> None:
    done = _monthly_script(tmp_path, MONTHLY, month="2023-01")
    assert (done.returncode, done.stdout) == (4, "")
    assert done.stderr == (
        "ehcp-check: no cases in 2023-01: no request, plan, decision or open case falls in "
        "the period; no report written.\n"
    )
    assert list((tmp_path / "reports").iterdir()) == []


@needs_sh
def test_monthly_report_script_fails_on_exit_two(tmp_path: Path) -> None:
    done = _monthly_script(tmp_path, tmp_path / "missing.csv")
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        f"monthly-report: ehcp-check failed (exit 2) on {tmp_path / 'missing.csv'}"
    )
    assert list((tmp_path / "reports").iterdir()) == []


# --- docs ------------------------------------------------------------------------------------


def _command(name: str) -> Any:
    group = typer.main.get_command(app)
    return group.commands[name]  # type: ignore[attr-defined]


def test_every_command_and_audit_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    commands = sorted(group.commands)  # type: ignore[attr-defined]
    assert commands == [
        "audit",
        "case",
        "columns",
        "compare",
        "config",
        "council",
        "councils",
        "rules",
        "totals",
    ]
    for name in commands:
        assert f"ehcp-check {name}" in readme, name
    options = [
        opt
        for param in _command("audit").params
        for opt in [*param.opts, *param.secondary_opts]
        if opt.startswith("-") and opt != "--help"
    ]
    assert {"--as-of", "--month", "--by", "-o", "--output", "--no-cases"} <= set(options)
    missing = [o for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", readme)]
    assert missing == []


# --- the examples are what the generator makes -------------------------------------------------


def test_examples_are_generated_as_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = {
        "OUT": "foi-reply-2024.xlsx",
        "MULTI_OUT": "multi-year.xlsx",
        "MONTHLY_OUT": "monthly-export.csv",
        "CLOSURES_OUT": "closures.csv",
    }
    for attr, name in names.items():
        monkeypatch.setattr(module, attr, tmp_path / name)
    module.build()
    module.build_multi_year()
    module.build_monthly_export()
    module.build_closures()
    for name in names.values():
        if name.endswith(".csv"):
            assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name
        else:  # bytes depend on whether openpyxl finds lxml: compare what the cells hold
            assert _cells(tmp_path / name) == _cells(EXAMPLES / name), name


def _cells(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    wb = openpyxl.load_workbook(path)
    return [
        (ws.title, [tuple((c.value, c.number_format) for c in row) for row in ws.iter_rows()])
        for ws in wb.worksheets
    ]
