"""Build ``examples/foi-reply-2024.xlsx``: a realistic, wholly synthetic FOI reply workbook.

Run from the repository root: ``python examples/make_examples.py``. The workbook imitates
what councils send in reply to Freedom of Information requests about EHC needs
assessments: a title block with a merged title cell, a header row, about sixty cases with
a mix of real date cells and dates typed as text, "N/A", "Ongoing", a redacted "<5" cell,
an exception column with reasons, a "Total" row, a "Notes" sheet, and a "2023" sheet whose
headers are worded slightly differently. No real person or case is in it.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent / "foi-reply-2024.xlsx"
FIXED_TIME = dt.datetime(2025, 4, 1, 9, 0, 0)
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


def build() -> None:
    """Write the workbook."""
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
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(OUT)


if __name__ == "__main__":
    build()
