"""Rebuild ``ehcp_check/data/dfe-ehcp-2025.csv.gz`` from the Department for Education's CSVs.

Source: Department for Education, "Education, health and care plans", reporting year 2025
release (calendar years 2019-2024), SEN2 statutory return: ``timeliness_20_week.csv``,
``requests.csv`` and ``assessments.csv``;
https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans
Contains public sector information licensed under the Open Government Licence v3.0.

Keeps the "All ..." breakdown rows only (no split by age, sex or ethnicity) for England,
every region and every local authority, and the columns listed in :data:`COLUMNS`. Cell text
is copied exactly as published: numbers as written, suppression markers (``x``) as written,
and an empty cell where a file has no row for that area and year. Run::

    python scripts/build_dfe_data.py [SOURCE_DIR] [OUTPUT]

(defaults: ``../shared/reference/dfe-ehcp-2025`` and the package file). The output is
deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT.parent / "shared" / "reference" / "dfe-ehcp-2025"
OUTPUT = ROOT / "ehcp_check" / "data" / "dfe-ehcp-2025.csv.gz"

#: The columns that name the area and year: ours -> the DfE's.
KEYS: dict[str, str] = {
    "year": "time_period",
    "level": "geographic_level",
    "region_code": "region_code",
    "region_name": "region_name",
    "new_la_code": "new_la_code",
    "old_la_code": "old_la_code",
    "la_name": "la_name",
}

#: Per source file: the "All ..." breakdown and the figures kept (ours -> the DfE's, with
#: the DfE's name lower-cased: its case changes between releases).
FIGURES: dict[str, tuple[str, dict[str, str]]] = {
    "timeliness_20_week.csv": (
        "All EHC plans issued",
        {
            "plans_issued": "plans_issued_den",
            "plans_issued_excl": "plans_issued_den_ex",
            "within_20_weeks": "plans_issued_within_20_weeks",
            "within_20_weeks_excl": "plans_issued_20_weeks_ex",
            "pct_within_20_weeks": "pc_plans_issued_within_20_weeks",
            "pct_within_20_weeks_excl": "pc_plans_issued_20_weeks_ex",
            "over_20_to_52_weeks": "plans_issued_gt20weeks_ltyear",
            "over_20_to_52_weeks_excl": "plans_issued_gt20weeks_ltyear_ex",
            "over_52_weeks": "plans_issued_gt_1_year",
            "over_52_weeks_excl": "plans_issued_gt_1_year_ex",
        },
    ),
    "requests.csv": (
        "All requests for EHC needs assessments",
        {
            "requests": "requests_received_in_year",
            "requests_not_assessed": "requests_decided_not_to_assess",
            "decisions_within_6_weeks": "request_outcome_six_weeks",
            "decisions_over_6_weeks": "request_outcome_over_6_weeks",
            "pct_within_6_weeks": "request_outcome_six_weeks_pc",
            "requests_mediation": "mediation_related_request",
            "requests_tribunal": "tribunal_related_request",
        },
    ),
    "assessments.csv": (
        "All EHC needs assessments",
        {
            "assessments": "assess_in_year",
            "no_plan_decisions": "assess_not_issued",
            "no_plan_within_16_weeks": "outcome_decision_within_time",
            "no_plan_over_16_weeks": "outcome_decision_over_time",
            "assessments_mediation": "number_assess_mediation",
            "assessments_tribunal": "number_assess_tribunal",
        },
    ),
}

#: Every column of the package file, in order.
COLUMNS: tuple[str, ...] = (
    *KEYS,
    *(ours for _, figures in FIGURES.values() for ours in figures),
)

_LEVEL_ORDER = {"National": 0, "Regional": 1, "Local authority": 2}


def _rows(path: Path, breakdown: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        out = []
        for raw in reader:
            row = {str(k).strip().lower(): (v or "").strip() for k, v in raw.items()}
            if row.get("breakdown") == breakdown:
                out.append(row)
    return out


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row.get(dfe, "") for dfe in KEYS.values())


def build(source_dir: Path) -> bytes:
    """The package file's uncompressed CSV text, as bytes (UTF-8, ``\\n`` line ends)."""
    merged: dict[tuple[str, ...], dict[str, str]] = {}
    for name, (breakdown, figures) in FIGURES.items():
        for row in _rows(Path(source_dir) / name, breakdown):
            key = _key(row)
            out = merged.setdefault(key, dict(zip(KEYS, key, strict=True)))
            for ours, dfe in figures.items():
                if ours in out:
                    raise ValueError(f"{name}: two rows for {key}")
                out[ours] = row[dfe]
    ordered = sorted(
        merged.values(),
        key=lambda r: (
            int(r["year"]),
            _LEVEL_ORDER[r["level"]],
            r["region_code"],
            r["old_la_code"],
        ),
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(ordered)
    return buffer.getvalue().encode("utf-8")


def write(source_dir: Path, output: Path) -> None:
    """Build and write the gzip file (no name or time stamp inside: same input, same bytes)."""
    data = build(source_dir)
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as handle,
    ):
        handle.write(data)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else SOURCE_DIR
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    write(source, output)
    print(f"wrote {output} ({output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
