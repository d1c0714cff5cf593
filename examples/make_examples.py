"""Build the example files: realistic, wholly synthetic council case data.

Run from the repository root: ``python examples/make_examples.py``. Every file comes out
byte for byte the same on every run (fixed seeds, fixed workbook and zip timestamps). No
real person or case is in any of them; the councils "Northshire" and "Southmoor" are
invented.

``foi-reply-2024.xlsx`` imitates what councils send in reply to Freedom of Information
requests about EHC needs assessments: a title block with a merged title cell, a header row,
about sixty cases with a mix of real date cells and dates typed as text, "N/A", "Ongoing",
a redacted "<5" cell, an exception column with reasons, a "Total" row, a "Notes" sheet, and
a "2023" sheet whose headers are worded slightly differently.

``multi-year.xlsx`` is a four-year reply for two councils: a cover sheet, then one sheet per
financial year 2021-22 to 2024-25 whose header wording drifts from year to year, an LA
column, exception flags and reasons of each kind, and a few cases still open.

``monthly-export.csv`` is a case-management export: ISO dates, one row per request from
April 2024 to March 2025, a ``Stage`` column, blank dates for steps not reached yet.

``closures.csv`` lists Northshire's real summer closures 2021-2024 for ``--closures``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
OUT = HERE / "foi-reply-2024.xlsx"
FIXED_TIME = dt.datetime(2025, 4, 1, 9, 0, 0)
FIXED_STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
EXCEPTIONS = ["", "", "", "", "", "", "Y", "EP shortage", "Bereavement in family",
              "Summer holidays", "Parent requested delay", "Child unwell"]  # fmt: skip


def _case_rows(rng: random.Random, year: int, first: int, count: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for n in range(count):
        ref = f"C-{first + n:04d}"
        received = dt.date(year, 1, 2) + dt.timedelta(days=rng.randrange(0, 330))
        decided = received + dt.timedelta(days=rng.randrange(20, 60))
        agreed = rng.random() < 0.8
        final: object = None
        outcome = "Not agreed to assess"
        if agreed:
            final = received + dt.timedelta(days=rng.randrange(100, 260))
            outcome = "Plan issued"
            if rng.random() < 0.15:
                final, outcome = "Ongoing", "Ongoing"
            elif rng.random() < 0.05:
                final, outcome = "N/A", "Withdrawn"
        else:
            final = "N/A"
        # About a third of the dates are typed as text, the way they arrive in replies.
        as_text = rng.random() < 0.35
        show_received: object = received.strftime("%d/%m/%Y") if as_text else received
        show_decided: object = decided.strftime("%d-%b-%y") if as_text else decided
        if isinstance(final, dt.date) and as_text:
            final = f"{final.day} {final:%B %Y}"
        exception = rng.choice(EXCEPTIONS) if outcome == "Plan issued" else ""
        rows.append([ref, show_received, "Yes" if agreed else "No", show_decided, final,
                     outcome, exception or None])  # fmt: skip
    return rows


def _title(ws: Worksheet, title: str, width: int) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A2"] = "Freedom of Information request reference FOI-0000 (synthetic example)"
    ws["A3"] = "Data extracted from the case management system on 31 March 2025"
    ws["A1"].alignment = Alignment(horizontal="center")


def save_workbook(wb: openpyxl.Workbook, path: Path) -> None:
    """Save ``wb`` with fixed timestamps inside the zip, so reruns give identical bytes."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = MODIFIED.sub(rb"\g<1>" + FIXED_STAMP + rb"\g<2>", data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def build() -> None:
    """Write the FOI reply workbook."""
    rng = random.Random(2024)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024"
    _title(ws, "EHC needs assessment requests received in 2024", 7)
    header = ["Case ref", "Date request received", "Agreed to assess",
              "Date of decision to assess", "Date final EHCP issued", "Outcome",
              "20 week exception (reason)"]  # fmt: skip
    ws.append([])  # row 4 blank, header in row 5
    ws.append(header)
    for cell in ws[5]:
        cell.font = Font(bold=True)
    rows = _case_rows(rng, 2024, 1, 60)
    rows[7][3] = "<5"  # a redacted cell
    rows[12][1] = " 3rd June 2024 "  # stray spaces and an ordinal
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=6, max_row=ws.max_row):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    ws.append(["Total", len(rows), None, None, None, None, None])

    old = wb.create_sheet("2023")
    _title(old, "EHC needs assessment requests received in 2023", 7)
    old.append(["Reference", "Request received", "Decision to assess",
                "6 week decision date", "Final plan issued", "Status",
                "Exceptions apply"])  # fmt: skip
    for row in _case_rows(rng, 2023, 101, 25):
        old.append(row)
    old.append(["Grand total", 25, None, None, None, None, None])

    notes = wb.create_sheet("Notes")
    for line in (
        "Notes",
        "Dates are the dates recorded on the case management system.",
        "Where fewer than 5 cases could identify a child, the figure is shown as <5.",
        "Exceptions are as recorded by caseworkers and have not been verified.",
        "All data in this workbook is synthetic and for demonstration only.",
    ):
        notes.append([line])
    save_workbook(wb, OUT)


# --- multi-year.xlsx -------------------------------------------------------------------

MULTI_OUT = HERE / "multi-year.xlsx"
EXTRACTED = dt.date(2025, 3, 31)
LAS = ("Northshire", "Southmoor")
#: Header wording per financial year, drifting the way it does between FOI replies.
MULTI_HEADERS: dict[str, list[str]] = {
    "2021-22": ["Case ref", "Local authority", "Date request received", "Decision to assess",
                "Date of decision to assess", "Date of decision not to issue",
                "Date final EHCP issued", "Outcome", "Exception reason"],
    "2022-23": ["Reference", "LA", "Request received", "Agreed to assess",
                "6 week decision date", "16 week decision date", "Final plan issued",
                "Status", "20 week exception"],
    "2023-24": ["Case number", "Council", "Date of request", "Request outcome",
                "Request outcome date", "Date of decision not to issue", "Date EHCP issued",
                "Case status", "Exceptions apply"],
    "2024-25": ["Ref", "LA name", "EHCNA request date", "Decision to assess",
                "Decision to assess date", "16 week decision date", "Final EHCP date",
                "Current stage", "Exception reason"],
}  # fmt: skip
#: Claims written on the first late plans of every year: a bare flag, reasons of each kind.
CLAIMS = ["Y", "EP shortage", "Bereavement in family", "Summer holidays", "Y",
          "Awaiting EP advice", "Family illness"]  # fmt: skip


def _multi_rows(rng: random.Random, year: int, first: int, count: int) -> list[list[object]]:
    """One financial year of cases (April ``year`` to March ``year + 1``), by request date."""
    start = dt.date(year, 4, 1)
    days = (dt.date(year + 1, 3, 31) - start).days
    received = sorted(start + dt.timedelta(days=rng.randrange(0, days + 1)) for _ in range(count))
    claims = list(CLAIMS)
    rows: list[list[object]] = []
    for n, req in enumerate(received):
        la = LAS[0] if rng.random() < 0.6 else LAS[1]
        decided: dt.date | None = req + dt.timedelta(days=rng.randrange(21, 63))
        agreed: object = "Yes"
        no_plan: dt.date | None = None
        final: object = None
        outcome = "Plan issued"
        exception: str | None = None
        path = rng.random()
        if path < 0.14:
            agreed, outcome, final = "No", "Not agreed to assess", "N/A"
        elif path < 0.20:
            no_plan = req + dt.timedelta(days=rng.randrange(84, 130))
            outcome, final = "Decision not to issue", "N/A"
        elif path < 0.23:
            outcome, final = "Withdrawn", "N/A"
        else:
            weeks = rng.randrange(15, 20) if rng.random() < 0.5 else rng.randrange(21, 58)
            issued = req + dt.timedelta(days=weeks * 7 + rng.randrange(0, 7))
            if issued > EXTRACTED or (year == 2023 and n % 40 == 7):
                outcome, final = "Ongoing", None  # a few older cases are still open too
            else:
                final = issued
                if issued > req + dt.timedelta(days=140) and claims:
                    exception = claims.pop(0)
        if decided is not None and decided > EXTRACTED:
            decided, agreed, outcome, final = None, None, "Awaiting decision", None
        if no_plan is not None and no_plan > EXTRACTED:
            no_plan, outcome, final = None, "Ongoing", None
        rows.append([f"C-{first + n:04d}", la, req, agreed, decided, no_plan, final, outcome,
                     exception])  # fmt: skip
    if year == 2021:
        # Coronavirus claimed for a 2021 request: lawful only for steps due in 2020.
        late = next(r for r in rows if isinstance(r[6], dt.date) and r[8] is None
                    and r[6] > r[2] + dt.timedelta(days=140))  # type: ignore[operator]  # fmt: skip
        late[8] = "Covid-19 restrictions"
    return rows


def build_multi_year() -> None:
    """Write the four-year, two-council workbook."""
    rng = random.Random(2122)
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    for line in (
        "EHC needs assessment requests, Northshire and Southmoor, 2021-22 to 2024-25",
        "Reply to Freedom of Information request FOI-0001 (synthetic example)",
        "One sheet per financial year (April to March), by date the request was received.",
        "Data extracted from the case management system on 31 March 2025.",
        "Exceptions are as recorded by caseworkers and have not been verified.",
        "All data in this workbook is synthetic and for demonstration only.",
    ):
        cover.append([line])
    cover["A1"].font = Font(bold=True, size=14)
    first = 1
    for name, header in MULTI_HEADERS.items():
        year = int(name[:4])
        ws = wb.create_sheet(name)
        if year < 2024:  # the last year's sheet was exported without a title block
            ws.append([f"EHC needs assessment requests received in {name}"])
            ws["A1"].font = Font(bold=True)
            ws.append([])
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        rows = _multi_rows(rng, year, first, 80)
        first += len(rows)
        for row in rows:
            ws.append(row)
        for line in ws.iter_rows(min_row=2, max_row=ws.max_row):
            for cell in line:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    save_workbook(wb, MULTI_OUT)


# --- monthly-export.csv ----------------------------------------------------------------

MONTHLY_OUT = HERE / "monthly-export.csv"
MONTHLY_HEADER = ["Case ref", "LA", "Request date", "Decision to assess date",
                  "Decision to assess", "Date of decision not to issue", "Draft issued",
                  "Final EHCP date", "Stage", "Exception reason"]  # fmt: skip
MONTHLY_CLAIMS = ["", "", "", "", "", "", "", "", "", "", "Y", "EP shortage",
                  "Summer holidays", "Bereavement"]  # fmt: skip


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _monthly_rows(rng: random.Random, count: int) -> list[list[str]]:
    start = dt.date(2024, 4, 1)
    days = (EXTRACTED - start).days
    received = sorted(start + dt.timedelta(days=rng.randrange(0, days + 1)) for _ in range(count))
    rows: list[list[str]] = []
    for n, req in enumerate(received, 1):
        decided: dt.date | None = req + dt.timedelta(days=rng.randrange(18, 60))
        decision = "Yes"
        no_plan = draft = final = None
        claim = ""
        path = rng.random()
        if decided is not None and decided > EXTRACTED:
            decided, decision, stage = None, "", "Awaiting decision"
        elif path < 0.15:
            decision, stage = "No", "Refused"
        elif path < 0.18:
            stage = "Withdrawn"
        elif path < 0.24:
            no_plan = req + dt.timedelta(days=rng.randrange(80, 125))
            stage = "No plan"
            if no_plan > EXTRACTED:
                no_plan, stage = None, "Assessment"
        else:
            weeks = rng.randrange(14, 20) if rng.random() < 0.5 else rng.randrange(21, 45)
            final = req + dt.timedelta(days=weeks * 7 + rng.randrange(0, 7))
            draft = final - dt.timedelta(days=rng.randrange(16, 35))
            stage = "Final issued"
            if final > EXTRACTED:
                final, stage = None, "Draft issued"
                if draft > EXTRACTED:
                    draft, stage = None, "Assessment"
            elif final > req + dt.timedelta(days=140):
                claim = rng.choice(MONTHLY_CLAIMS)
        rows.append([f"C-{n:04d}", "Northshire", _iso(req), _iso(decided), decision,
                     _iso(no_plan), _iso(draft), _iso(final), stage, claim])  # fmt: skip
    return rows


def build_monthly_export() -> None:
    """Write the case-management export (UTF-8, ``\\n`` line ends)."""
    rng = random.Random(202504)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MONTHLY_HEADER)
    writer.writerows(_monthly_rows(rng, 300))
    MONTHLY_OUT.write_text(buffer.getvalue(), encoding="utf-8", newline="")


# --- closures.csv ----------------------------------------------------------------------

CLOSURES_OUT = HERE / "closures.csv"
#: Northshire's summer holidays: first and last day the schools were closed.
SUMMERS = [
    (dt.date(2021, 7, 23), dt.date(2021, 9, 5), "Summer 2021"),
    (dt.date(2022, 7, 23), dt.date(2022, 9, 4), "Summer 2022"),
    (dt.date(2023, 7, 22), dt.date(2023, 9, 3), "Summer 2023"),
    (dt.date(2024, 7, 24), dt.date(2024, 9, 3), "Summer 2024"),
]


def build_closures() -> None:
    """Write the closures file in the form ``ehcp_check.ingest.closures`` reads."""
    lines = ["first,last,label"] + [f"{a.isoformat()},{b.isoformat()},{t}" for a, b, t in SUMMERS]
    CLOSURES_OUT.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")


if __name__ == "__main__":
    build()
    build_multi_year()
    build_monthly_export()
    build_closures()
