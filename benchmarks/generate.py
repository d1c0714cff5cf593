"""Generate synthetic EHCP case files of a given size, with a fixed seed.

    python benchmarks/generate.py --rows 1000000 --out benchmarks/data/cases-1m.csv
    python benchmarks/generate.py --rows 100000 --out benchmarks/data/cases-100k.xlsx

The files look like a council case-management export: UK text dates in CSV (real date cells
in XLSX, with some typed text dates mixed in), blanks, "Ongoing" open cases, refusals,
no-plan decisions, withdrawn requests and exception flags and reasons. All synthetic.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

HEADERS = [
    "Case ref",
    "Date request received",
    "Decision to assess",
    "Date of decision to assess",
    "Date draft EHCP sent",
    "Date final EHCP issued",
    "Date of decision not to issue",
    "Outcome",
    "Exception reason",
]

EXCEPTIONS = np.array(
    ["", "", "", "", "", "", "", "", "Y", "EP shortage", "Summer holidays", "Bereavement"],
    dtype=object,
)


def frame(rows: int, seed: int = 20250630) -> pd.DataFrame:
    """The synthetic cases as a frame of datetime64 / text columns (NaT for blanks)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64(date(2015, 1, 1), "D")
    span = (np.datetime64(date(2025, 3, 31), "D") - start).astype(int)
    req = start + rng.integers(0, span, rows).astype("timedelta64[D]")
    decide = req + rng.integers(10, 70, rows).astype("timedelta64[D]")
    agreed = rng.random(rows) < 0.8
    # About half of plans within 20 weeks, a long tail past a year, as in recent years.
    final_days = rng.gamma(shape=4.0, scale=26.0, size=rows).astype(int) + 40
    final = req + final_days.astype("timedelta64[D]")
    draft = final - rng.integers(10, 40, rows).astype("timedelta64[D]")
    open_case = rng.random(rows) < 0.08
    no_plan = agreed & (rng.random(rows) < 0.06)
    withdrawn = rng.random(rows) < 0.01
    nat = np.datetime64("NaT", "D")
    has_plan = agreed & ~open_case & ~no_plan & ~withdrawn
    outcome = np.select(
        [withdrawn, ~agreed, no_plan, open_case, has_plan],
        ["Withdrawn", "Not agreed to assess", "Decision not to issue", "Ongoing", "Plan issued"],
        default="",
    )
    return pd.DataFrame(
        {
            HEADERS[0]: np.char.add("C-", np.arange(1, rows + 1).astype(str)),
            HEADERS[1]: req,
            HEADERS[2]: np.where(agreed, "Yes", "No"),
            HEADERS[3]: np.where(rng.random(rows) < 0.9, decide, nat),
            HEADERS[4]: np.where(has_plan & (rng.random(rows) < 0.7), draft, nat),
            HEADERS[5]: np.where(has_plan, final, nat),
            HEADERS[6]: np.where(
                no_plan, req + rng.integers(70, 130, rows).astype("timedelta64[D]"), nat
            ),
            HEADERS[7]: outcome,
            HEADERS[8]: EXCEPTIONS[rng.integers(0, len(EXCEPTIONS), rows)],
        }
    )


def write_csv(df: pd.DataFrame, path: Path) -> None:
    out = df.copy()
    for col in (HEADERS[1], HEADERS[3], HEADERS[4], HEADERS[5], HEADERS[6]):
        text = out[col].dt.strftime("%d/%m/%Y")
        out[col] = text.where(out[col].notna(), "")
    # Open cases say so in the final-date column, as case-management exports do.
    out.loc[out[HEADERS[7]] == "Ongoing", HEADERS[5]] = "Ongoing"
    out.to_csv(path, index=False)


def write_xlsx(df: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Cases")
    ws.append(["EHCP requests: synthetic export"])
    ws.append([])
    ws.append(HEADERS)
    cols = [df[h].tolist() for h in HEADERS]
    for i, row in enumerate(zip(*cols, strict=True)):
        values = [None if v is pd.NaT else v for v in row]
        for j in (1, 3, 4, 5, 6):
            v = values[j]
            if v is not None:
                d = v.date()
                # One date in ten typed as text, the way people key them in.
                values[j] = d.strftime("%d/%m/%Y") if i % 10 == 3 else d
        ws.append(values)
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True, help=".csv or .xlsx")
    parser.add_argument("--seed", type=int, default=20250630)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df = frame(args.rows, args.seed)
    if args.out.suffix == ".csv":
        write_csv(df, args.out)
    elif args.out.suffix == ".xlsx":
        write_xlsx(df, args.out)
    else:
        print("--out must end in .csv or .xlsx", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({args.rows:,} rows, {args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
