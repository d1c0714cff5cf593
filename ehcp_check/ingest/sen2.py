"""SEN2 person-level XML returns (Message / Persons / Person / Requests / Assessment).

Parsed with ``defusedxml`` only. Names, birth dates, postcodes and other personal details
are never read into the case table: only the request's dates, codes, the UPN as case
reference (or ``person N request M`` when there is none) and the LA code.

The meaning of each item is :mod:`ehcp_check.ingest.sen2_items`, shared with flat exports:
``AssessmentOutcome`` decides what ``AssessmentOutcomeDate`` is, ``Week20`` true is the
exception ``"Y"``, the mediation / tribunal items fill ``mediation_tribunal`` and
``NamedPlan/StartDate`` stands in for a missing plan date (with its caveat). A case's
``row`` is the 1-based position of its ``Requests`` element in the file.
"""

from __future__ import annotations

import io
import os
from xml.etree.ElementTree import Element

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException, DTDForbidden, ElementTree

from ehcp_check.errors import InputError
from ehcp_check.ingest.codes import DateOrder, make_issue
from ehcp_check.ingest.columns import MatchKind
from ehcp_check.ingest.convert import convert_dates, convert_text, status_message
from ehcp_check.ingest.describe import ColumnInfo, ColumnReport
from ehcp_check.ingest.distinct import Distinct
from ehcp_check.ingest.limits import Limits, human_size, raise_hint
from ehcp_check.ingest.meaning import empty_extras
from ehcp_check.ingest.sen2_items import (
    CODE_DECISIONS,
    MEDIATION_ITEMS,
    XML_COLUMNS,
    assessment_date_fields,
    outcome_for_codes,
    sen2_bool,
)
from ehcp_check.ingest.sheet import Options, SheetResult, canonical_frame
from ehcp_check.ingest.status import ISSUE_FOR_STATUS, CellStatus
from ehcp_check.model import (
    Caveat,
    DataIssue,
    Field,
    Outcome,
    SheetInput,
    caveat_bit,
    withheld_bit,
)

#: SEN2 element -> canonical field, for the inputs listing.
SEN2_COLUMNS: dict[Field, str] = XML_COLUMNS


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el: Element | None, name: str) -> str:
    child = _child(el, name)
    return "" if child is None or child.text is None else child.text.strip()


def _parse(path: str, limits: Limits, data: bytes | None = None) -> Element:
    """Parse with DTDs, entities and external references all forbidden (``data``: the
    file's bytes, already read once; None reads ``path``)."""
    size = os.path.getsize(path) if data is None else len(data)
    if size > limits.max_xml_bytes:
        raise InputError(
            f"{path} is {human_size(size)}, more than the {human_size(limits.max_xml_bytes)} "
            f"limit on XML files; {raise_hint('max_xml_bytes', f'{-(-size // 2**20)}MiB')}."
        )
    try:
        tree = ElementTree.parse(
            path if data is None else io.BytesIO(data),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
    except (DTDForbidden, DefusedXmlException):
        raise InputError(
            f"{path} declares a document type (DTD) or entities, which SEN2 returns never do; "
            "it is refused as unsafe: export the return again from the case system."
        ) from None
    except ElementTree.ParseError as exc:
        raise InputError(
            f"{path} is not well-formed XML ({exc}): export the SEN2 return again."
        ) from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or 'unknown error'}).") from None
    root: Element = tree.getroot()
    return root


def read_sen2(
    path: str, opts: Options, limits: Limits | None = None, *, data: bytes | None = None
) -> SheetResult:
    """Read a SEN2 XML return into canonical cases (``data``: its bytes, if already read)."""
    root = _parse(path, limits or Limits(), data)
    persons = [el for el in root.iter() if _local(el.tag) == "Person"]
    if not persons:
        raise InputError(
            f"{path} is not a SEN2 return: it has no Person elements; give the XML return "
            "exported for the Department for Education, or a spreadsheet."
        )
    la = next((el.text.strip() for el in root.iter() if _local(el.tag) == "LEA" and el.text), "")
    raw: dict[str, list[str]] = {
        k: [] for k in ("case", "rec", "rod", "aod", "final", "wk", "start")
    }
    mediation: list[bool | None] = []
    decisions: dict[Field, list[str | None]] = {Field.ASSESS_DECISION: [], Field.ISSUE_DECISION: []}
    outcomes: list[str | None] = []
    for p_no, person in enumerate(persons, start=1):
        upn = _text(person, "UPN")
        requests = [c for c in person if _local(c.tag) == "Requests"]
        for r_no, req in enumerate(requests, start=1):
            assess = _child(req, "Assessment")
            req_code = _text(req, "RequestOutcome").upper()
            ass_code = _text(assess, "AssessmentOutcome").upper()
            if req_code in {"N", "W", "H"}:
                ass_code = ""  # no assessment followed: its placeholder code means nothing
            ident = (
                upn if upn and len(requests) == 1 else f"{upn or f'person {p_no}'} request {r_no}"
            )
            raw["case"].append(ident)
            raw["rec"].append(_text(req, "ReceivedDate"))
            raw["rod"].append(_text(req, "RequestOutcomeDate"))
            ass_decision = CODE_DECISIONS.get(ass_code)
            roles = assessment_date_fields(ass_decision)
            outcome_date = _text(assess, "AssessmentOutcomeDate")
            raw["aod"].append(outcome_date if Field.ISSUE_DECISION_DATE in roles else "")
            raw["final"].append(outcome_date if Field.FINAL_DATE in roles else "")
            raw["start"].append(_text(_child(assess, "NamedPlan"), "StartDate"))
            raw["wk"].append("Y" if sen2_bool(_text(assess, "Week20")) else "")
            flags = [sen2_bool(_text(req, item)) for item in MEDIATION_ITEMS[:2]]
            flags += [sen2_bool(_text(assess, item)) for item in MEDIATION_ITEMS[2:]]
            known = [f for f in flags if f is not None]
            mediation.append(any(known) if known else None)
            for fld, code in ((Field.ASSESS_DECISION, req_code), (Field.ISSUE_DECISION, ass_code)):
                decision = CODE_DECISIONS.get(code)
                decisions[fld].append(None if decision is None else decision.value)
            found_outcome = outcome_for_codes(req_code, ass_code)
            outcomes.append(None if found_outcome is None else found_outcome.value)
    n = len(raw["case"])
    rows = pd.Series(range(1, n + 1), dtype="int64").to_numpy()
    found: dict[Field, pd.Series] = {
        Field.CASE_ID: convert_text(Distinct.of(pd.Series(raw["case"], dtype=object))).values,
        Field.LA: pd.Series([la or None] * n, dtype=object),
        Field.EXCEPTION: convert_text(Distinct.of(pd.Series(raw["wk"], dtype=object))).values,
        Field.OUTCOME: pd.Series(outcomes, dtype=object),
    }
    for fld, values in decisions.items():
        found[fld] = pd.Series(values, dtype=object)
    issues: list[DataIssue] = []
    caveats = np.zeros(n, dtype=np.int64)
    withheld = np.zeros(n, dtype=np.int64)
    items: tuple[tuple[Field | None, str], ...] = (
        (Field.REQUEST_DATE, "rec"), (Field.ASSESS_DECISION_DATE, "rod"),
        (Field.ISSUE_DECISION_DATE, "aod"), (Field.FINAL_DATE, "final"), (None, "start"),
    )  # fmt: skip
    for target, key in items:
        column = Distinct.of(pd.Series(raw[key], dtype=object))
        conv = convert_dates(column, order=DateOrder.YMD, date1904=False, latest=opts.latest)
        if target is None:  # the plan's start date stands in for a missing plan date
            final = found[Field.FINAL_DATE]
            use = (final.isna() & conv.values.notna()).to_numpy() & np.array(
                [o == Outcome.PLAN_ISSUED.value for o in outcomes], dtype=bool
            )
            found[Field.FINAL_DATE] = final.where(~use, conv.values)
            caveats[use] |= caveat_bit(Caveat.PLAN_DATE_FROM_START_DATE)
            continue
        found[target] = conv.values
        bad = np.isin(conv.status, (CellStatus.BAD, CellStatus.OUT_OF_RANGE))
        caveats[bad] |= caveat_bit(Caveat.DATE_NOT_READ)
        hidden = np.isin(conv.status, (CellStatus.REDACTED, CellStatus.EXCEL_ERROR))
        withheld[hidden] |= withheld_bit(target)
        caveats[hidden] |= caveat_bit(Caveat.DATE_WITHHELD)
        if target is Field.FINAL_DATE:
            continue  # same cells as issue_decision_date: reported once
        for i, status in enumerate(conv.status.tolist()):
            if status in ISSUE_FOR_STATUS:
                st = CellStatus(status)
                message = status_message(st, target, raw[key][i], opts.latest)
                issues.append(make_issue(path, None, i + 1, target.value, raw[key][i],
                                         ISSUE_FOR_STATUS[st], message))  # fmt: skip
    issues.sort(key=lambda x: x.row or 0)
    frame = canonical_frame(path, None, rows, found)
    extras = empty_extras(n)
    extras["withheld"] = pd.Series(withheld, dtype="int64")
    extras["caveats"] = pd.Series(caveats, dtype="int64")
    extras["mediation_tribunal"] = pd.Series(mediation, dtype=object)
    for name, extra in extras.items():
        frame[name] = pd.Series(extra.to_numpy(), dtype=extra.dtype, index=frame.index)
    columns = {f.value: h for f, h in SEN2_COLUMNS.items()}
    infos = tuple(
        ColumnInfo("", header, fld, MatchKind.EXACT, ()) for fld, header in SEN2_COLUMNS.items()
    )
    report = ColumnReport(path, None, None, infos)
    return SheetResult(frame, issues, report, SheetInput(path, None, 0, n, columns, 0))
