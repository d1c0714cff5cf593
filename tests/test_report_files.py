"""JSON, CSV, Markdown and HTML renderers of an audit."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
from pathlib import Path

import pytest
from report_fixtures import make_result

from ehcp_check.audit import AuditOptions, AuditResult
from ehcp_check.errors import OutputError
from ehcp_check.periods import GroupBy
from ehcp_check.report.figures import CASE_COLUMNS
from ehcp_check.report.files import (
    render_csv,
    render_json,
    render_markdown,
    write_csv,
    write_json,
    write_markdown,
)
from ehcp_check.report.html import SCRIPT, render_html, write_html

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return make_result(options=AuditOptions(by=GroupBy.YEAR))


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- JSON --------------------------------------------------------------------------------


def test_json_is_the_result_document(result: AuditResult, tmp_path: Path) -> None:
    doc = json.loads(render_json(result))
    assert doc == json.loads(json.dumps(result.to_dict()))
    assert doc["schema"] == "ehcp-check/audit/2"
    out = write_json(result, tmp_path / "a.json")
    assert out.read_text(encoding="utf-8") == render_json(result)


# --- CSV ---------------------------------------------------------------------------------


def test_csv_columns_and_one_row_per_case(result: AuditResult) -> None:
    text = render_csv(result)
    assert text.splitlines()[0] == ",".join(CASE_COLUMNS)
    assert CASE_COLUMNS[:7] == ("file", "sheet", "row", "case_id", "la", "status", "outcome")
    assert len(rows(text)) == len(result.verdicts)


def test_csv_values(result: AuditResult) -> None:
    by_id = {r["case_id"]: r for r in rows(render_csv(result))}
    c3 = by_id["C003"]
    assert c3["row"] == "7"
    assert c3["status"] == "late"
    assert c3["request_date"] == "2024-02-01"
    assert c3["deadline_20w"] == "2024-06-20"
    assert c3["weeks_to_final"] == "41.1"
    assert c3["weeks_open"] == ""
    assert c3["days_late"] == "148"
    assert c3["breaches"] == "EHCP-6W:6;EHCP-20W:148"
    assert c3["exception_raw"] == "EP shortage"
    assert c3["exception_kind"] == "not_lawful"
    assert c3["exception_lawful"] == "false"
    assert c3["exception_plausible"] == ""
    assert c3["exception_accepted"] == "false"
    c7 = by_id["C007"]
    assert (c7["status"], c7["final_date"], c7["weeks_open"]) == ("overdue", "", "43.6")
    assert by_id["C001"]["exception_kind"] == ""
    assert by_id["C001"]["exception_accepted"] == ""
    assert by_id["C010"]["invalid_reason"] == "no readable request date"


def test_csv_neutralises_formula_text(result: AuditResult) -> None:
    by_row = {r["row"]: r for r in rows(render_csv(result))}
    assert by_row["15"]["case_id"] == "'=1+1"
    assert by_row["15"]["exception_raw"] == "'@SUM(A1) backlog"
    assert by_row["16"]["case_id"] == "'@SUM(A1)"
    assert by_row["16"]["exception_raw"] == '\'=HYPERLINK("http://x")'
    assert by_row["17"]["case_id"] == "'+44 20"
    assert by_row["17"]["exception_raw"] == "'-x"
    assert by_row["18"]["case_id"] == "'-x"
    assert by_row["18"]["days_late"] == "151"


def test_csv_file_has_bom_and_stdout_form_does_not(result: AuditResult, tmp_path: Path) -> None:
    out = write_csv(result, tmp_path / "cases.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode("utf-8") == render_csv(result)
    assert not render_csv(result).startswith("\ufeff")


def test_writers_refuse_to_overwrite_and_to_clobber_inputs(
    result: AuditResult, tmp_path: Path
) -> None:
    out = tmp_path / "cases.csv"
    write_csv(result, out)
    with pytest.raises(OutputError, match="already exists"):
        write_csv(result, out)
    write_csv(result, out, force=True)
    src = tmp_path / "foi.xlsx"
    src.write_bytes(b"PK")
    for writer in (write_json, write_csv, write_markdown, write_html):
        with pytest.raises(OutputError, match="is one of the input files"):
            writer(result, src, force=True, inputs=[src])
    assert src.read_bytes() == b"PK"


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_golden(result: AuditResult, tmp_path: Path) -> None:
    golden = GOLDEN / "audit.md"
    text = render_markdown(result)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    out = write_markdown(result, tmp_path / "a.md")
    assert out.read_text(encoding="utf-8") == text


def test_markdown_escapes_pipes_and_neutralises() -> None:
    result = make_result(options=AuditOptions(by=GroupBy.LA))
    text = render_markdown(result)
    assert "| North \\| South |" in text
    assert "| '=1+1 | 15 |" in text
    assert "\\<script>alert(1)\\</script>" in text
    assert re.search(r"(?<!\\)<", text) is None


# --- HTML --------------------------------------------------------------------------------


def test_html_is_self_contained_and_escaped(tmp_path: Path) -> None:
    result = make_result(options=AuditOptions(by=GroupBy.LA))
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    # One script, ours, allowed by its hash; data never becomes markup.
    assert page.lower().count("<script") == 1
    assert f"<script>{SCRIPT}</script>" in page
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[bold]Fake[/bold]" in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page
    assert "default-src 'none'" in page
    for external in ("<link", " src=", "href=", "@import", "url("):
        assert external not in page
    assert page.count("<svg") == 2
    out = write_html(result, tmp_path / "a.html")
    assert out.read_text(encoding="utf-8") == page


def test_html_without_groups_has_one_chart(result: AuditResult) -> None:
    page = render_html(make_result())
    assert page.count("<svg") == 1
    assert "<h2>Breaches (11: EHCP-6W 1, EHCP-16W 0, EHCP-20W 8, EHCP-15D 2)</h2>" in page
    assert '<tr><td>=1+1</td><td class=n data-v="15">15</td><td>EHCP-20W</td>' in page


def test_html_lists_every_breach_and_every_data_issue(result: AuditResult) -> None:
    r = make_result()
    page = render_html(r)
    breaches_table = page.split('id="breaches"')[1].split("</table>")[0]
    assert breaches_table.count("<tr>") == 1 + 11  # header + every breach
    issues_table = page.split('id="issues"')[1].split("</table>")[0]
    assert issues_table.count("<tr>") == 1 + len(r.issues)
    assert 'id="breaches-filter"' in page
    assert 'id="issues-filter"' in page
    assert "<h2>Method</h2>" in page
    assert "SEND Regs 2014 reg 13(2)" in page


def test_row_reference_names_the_sheet_when_several_were_read() -> None:
    from ehcp_check.report.figures import row_ref

    assert row_ref("2023-24", 11, True) == "2023-24!11"
    assert row_ref("2023-24", 11, False) == "11"
    assert row_ref(None, 7, True) == "7"
    assert row_ref("2024", None, True) == ""
    assert row_ref("2024", float("nan"), True) == ""
