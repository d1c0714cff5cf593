"""SEN2 items and codes in one place, for the XML reader and for flat exports alike.

The Department for Education's SEN2 person-level return names each item; exports of it
(CSV or Excel, the DfE template, lower-case case-system names such as ``receiveddate``)
carry the same items as columns. Both the XML reader (:mod:`ehcp_check.ingest.sen2`) and
the sheet reader (:mod:`ehcp_check.ingest.meaning`) read them through this table, so an
item means the same wherever it appears (data contract s.1; statute.md s.4 and s.5):

* ``ReceivedDate`` -> ``request_date``; ``RequestOutcomeDate`` -> ``assess_decision_date``;
  ``RequestOutcome`` -> ``assess_decision`` (and the outcome for ``N`` / ``W`` / ``H``).
* ``AssessmentOutcome`` decides what ``AssessmentOutcomeDate`` is: with ``Y`` the date the
  final plan was issued (``final_date``, and the decision to issue); with ``N`` the notice
  that no plan will be issued (``issue_decision_date``, the 16-week limit, reg 10(1));
  with ``A`` (not yet decided), ``W`` (withdrawn) or ``H`` (transferred in) no decision date.
* ``Week20`` = 1 is a bare exception flag (reg 13(3)); 0 is no claim.
* ``RequestMediation``, ``RequestTribunal``, ``AssessmentMediation``, ``AssessmentTribunal``:
  mediation or a tribunal took place, so the case leaves the DfE-comparable figures.
* ``NamedPlan`` / ``StartDate``: the plan's start date, used as the plan date only when
  there is no outcome date (caveat ``plan-date-from-start-date``: a start date can pre-date
  a transfer in).
"""

from __future__ import annotations

from ehcp_check.model import Decision, Field, Outcome

#: SEN2 outcome codes (``RequestOutcome``, ``AssessmentOutcome``).
CODE_YES = "Y"
CODE_NO = "N"
CODE_PENDING = "A"
CODE_WITHDRAWN = "W"
CODE_TRANSFERRED = "H"

#: The decision each code states (W and H are outcomes, not decisions).
CODE_DECISIONS: dict[str, Decision] = {
    CODE_YES: Decision.YES,
    CODE_NO: Decision.NO,
    CODE_PENDING: Decision.PENDING,
}

#: The outcome W / H state wherever they appear.
CODE_OUTCOMES: dict[str, Outcome] = {
    CODE_WITHDRAWN: Outcome.WITHDRAWN,
    CODE_TRANSFERRED: Outcome.TRANSFERRED_IN,
}

#: What ``AssessmentOutcomeDate`` is, by the ``AssessmentOutcome`` decision.
ASSESSMENT_DATE_FIELDS: dict[Decision, tuple[Field, ...]] = {
    Decision.YES: (Field.ISSUE_DECISION_DATE, Field.FINAL_DATE),
    Decision.NO: (Field.ISSUE_DECISION_DATE,),
    Decision.PENDING: (),
}

#: The SEN2 item whose date ``AssessmentOutcome`` qualifies, normalised as headers are.
ASSESSMENT_OUTCOME_DATE = "assessment outcome date"

#: Items read for the mediation / tribunal exclusion (statute.md s.5).
MEDIATION_ITEMS: tuple[str, ...] = (
    "RequestMediation",
    "RequestTribunal",
    "AssessmentMediation",
    "AssessmentTribunal",
)

#: SEN2 booleans that mean yes (``Week20``, mediation items): ``1``, ``1.0``, ``true``.
TRUE_VALUES = frozenset({"1", "1.0", "true", "y", "yes"})
#: SEN2 booleans that mean no.
FALSE_VALUES = frozenset({"0", "0.0", "false", "n", "no"})

#: SEN2 element -> canonical field, for the inputs listing of an XML return.
XML_COLUMNS: dict[Field, str] = {
    Field.CASE_ID: "UPN",
    Field.LA: "LEA",
    Field.REQUEST_DATE: "ReceivedDate",
    Field.ASSESS_DECISION_DATE: "RequestOutcomeDate",
    Field.ASSESS_DECISION: "RequestOutcome",
    Field.ISSUE_DECISION_DATE: "AssessmentOutcomeDate",
    Field.ISSUE_DECISION: "AssessmentOutcome",
    Field.FINAL_DATE: "AssessmentOutcomeDate",
    Field.OUTCOME: "RequestOutcome / AssessmentOutcome",
    Field.EXCEPTION: "Week20",
}


def sen2_bool(text: str) -> bool | None:
    """A SEN2 boolean: True, False, or None when blank or not one."""
    value = text.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    return None


def outcome_for_codes(request_code: str, assess_code: str) -> Outcome | None:
    """The outcome a request's two SEN2 codes state (None when neither says)."""
    if CODE_WITHDRAWN in (request_code, assess_code):
        return Outcome.WITHDRAWN
    if CODE_TRANSFERRED in (request_code, assess_code):
        return Outcome.TRANSFERRED_IN
    if request_code == CODE_NO:
        return Outcome.REFUSED
    if assess_code == CODE_YES:
        return Outcome.PLAN_ISSUED
    if assess_code == CODE_NO:
        return Outcome.NO_PLAN
    if request_code in {CODE_YES, CODE_PENDING} or assess_code == CODE_PENDING:
        return Outcome.OPEN
    return None


def assessment_date_fields(decision: Decision | str | None) -> tuple[Field, ...]:
    """The fields ``AssessmentOutcomeDate`` fills for an ``AssessmentOutcome`` decision."""
    if decision is None:
        return ()
    return ASSESSMENT_DATE_FIELDS.get(Decision(decision), ())
