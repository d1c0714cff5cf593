"""Status text read by its words: what a council's free-text outcome says became of a request.

Vocabulary as data: :data:`OUTCOME_PHRASES` is an ordered table of word patterns, each with
the :class:`~ehcp_check.model.Outcome` it states and why. The first pattern found anywhere in
the normalised text wins, so the order carries the meaning:

1. a request that ended without a plan decision: withdrawn, ceased, moved away;
2. a plan brought in from another council (transferred in, SEN2 ``H``);
3. "not yet" wording, which is open however it goes on ("not yet issued");
4. refusal to assess ("not agreed to assess", "refused to assess");
5. a decision not to issue ("not issuing", "no plan", "refused to issue");
6. open stages (draft, consultation, awaiting, in progress);
7. a plan issued or finalised;
8. weaker open words ("open", "panel", "tribunal", "received"), which a plan issued beats;
9. a bare refusal ("refused", "declined", "not agreed").

A date written in the text ("Final plan issued 12/04/24") is cut out before the words are
read and returned beside the outcome (:func:`split_status`), so that ingest can use it when
the date column is blank (caveat ``date-from-status-text``, statute.md s.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ehcp_check.model import Decision, Field, Outcome

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
#: A date written inside status text: ``12/04/24``, ``2024-04-12``, ``12 April 2024``,
#: ``12-Apr-24``.
DATE_IN_TEXT = re.compile(
    r"(?<![\d/.\-])(?:"
    r"\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[\s\-]+(?:{_MONTHS})[a-z]*\.?[\s\-,]+(?:\d{{4}}|\d{{2}})"
    r")(?![\d/.\-]*\d)",
    re.IGNORECASE,
)

_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One row of the vocabulary: a regular expression over the normalised text."""

    outcome: Outcome
    pattern: str
    """Matched with word boundaries against lower-case words separated by one space."""
    why: str


_NOT = r"(?:not|no|non|never|nt)"

# fmt: off
#: The status vocabulary, in the order it is tried (see the module docstring).
OUTCOME_PHRASES: tuple[Phrase, ...] = (
    Phrase(Outcome.WITHDRAWN, r"withdr[ae]wn?|withdrawal|withdrawing|withdraw", "withdrawn"),
    Phrase(Outcome.WITHDRAWN, r"ceased?|ceasing|cessation", "ceased"),
    Phrase(Outcome.WITHDRAWN,
           r"moved (?:out|away|abroad|house out|to (?:another|a different|new|other))"
           r"|(?:left|leaving|moved from) (?:the )?(?:area|la|authority|county|borough|uk)"
           r"|moved la|moved (?:out of )?(?:area|county|borough)|out of (?:area|county|borough)",
           "moved away"),
    Phrase(Outcome.WITHDRAWN, r"transferr?(?:ed|ing)? out|transfer out|transferr?ed to "
           r"(?:another|other|a different|new)", "transferred out"),
    Phrase(Outcome.WITHDRAWN, r"no longer (?:required|needed|resident|living)|emigrated|"
           r"deceased|closed (?:by|at) (?:parent|family|request)|request cancelled|cancelled",
           "no longer wanted"),
    Phrase(Outcome.TRANSFERRED_IN,
           r"transferr?(?:ed|ing)? in|transfer in|transfer from|transferr?ed from|ported in"
           r"|moved (?:in|into)|(?:from|by) (?:another|other|previous|a different) (?:la|authority"
           r"|council|local authority)|historic|inherited|imported", "transferred in"),
    Phrase(Outcome.OPEN, r"not yet|yet to be|still to be|to be (?:issued|finalised|decided"
           r"|confirmed)", "not yet"),
    Phrase(Outcome.REFUSED,
           rf"{_NOT} (?:agreed|agree|proceeding|proceed|going ahead) (?:to |with )?"
           r"(?:an )?(?:assess|assessment|ehcna|needs assessment)"
           r"|(?:refused|refusal|declined|decline|rejected) (?:to |of )?(?:the )?"
           r"(?:assess|assessment|ehcna|request|needs assessment)"
           r"|(?:request|assessment|ehcna) (?:refused|declined|rejected|not agreed)"
           rf"|{_NOT} to assess|decision not to assess|nta|not assessed|no to assess"
           r"|refuse to assess|refusal to assess", "refused to assess"),
    Phrase(Outcome.NO_PLAN,
           rf"{_NOT} (?:to )?(?:issue|issuing|issued)|{_NOT} (?:agreed|agree) to issue"
           r"|decision not to issue|refused to issue|refusal to issue|declined to issue"
           r"|no (?:ehcp|ehc plan|ehc|plan)(?: (?:issued|required|needed|agreed))?"
           r"|(?:plan|ehcp|ehc plan) (?:not|refused|declined)|nti|sen support"
           r"|(?:assessed|assessment complete[d]?) (?:no|not)"
           r"|(?:issue|issuing|plan) (?:refused|declined)", "decided not to issue"),
    Phrase(Outcome.OPEN,
           r"drafts?|drafting|consultation|consulting|awaiting|await|pending|in progress"
           r"|ongoing|on going|in assessment|under assessment|being assessed|assessing"
           r"|(?:assessment|ehcna) (?:agreed|underway|started|in progress|ongoing|stage)"
           r"|agreed to assess|agree to assess|tbc|paused|on hold", "still open"),
    Phrase(Outcome.PLAN_ISSUED,
           r"issued|issue|finali[sz]ed|final(?: plan| ehcp| ehc plan)?|completed?|complete"
           r"|plan (?:agreed|in place|made|named)|ehcp (?:agreed|in place|made)|named"
           r"|plan maintained|maintained", "plan issued"),
    Phrase(Outcome.OPEN,
           r"open|live|current|panel|tribunal|appeal|mediation|started|new request"
           r"|request received|received|to assess", "still open (weak words)"),
    Phrase(Outcome.REFUSED, rf"refused|refusal|declined|rejected|{_NOT} agreed", "refused"),
)
# fmt: on

_COMPILED: tuple[tuple[Outcome, re.Pattern[str]], ...] = tuple(
    (p.outcome, re.compile(rf"(?:^| )(?:{p.pattern})(?= |$)")) for p in OUTCOME_PHRASES
)

#: Whole-cell codes (SEN2 outcome letters and short forms), tried before the phrases.
OUTCOME_CODES: dict[str, Outcome] = {
    "y": Outcome.PLAN_ISSUED,
    "n": Outcome.NO_PLAN,
    "w": Outcome.WITHDRAWN,
    "h": Outcome.TRANSFERRED_IN,
    "a": Outcome.OPEN,
    "assessment": Outcome.OPEN,
    "transfer": Outcome.TRANSFERRED_IN,
    "transferred": Outcome.TRANSFERRED_IN,
}

#: The date field a date inside the status text gives, by the outcome the text states.
DATE_FOR_OUTCOME: dict[Outcome, Field] = {
    Outcome.PLAN_ISSUED: Field.FINAL_DATE,
    Outcome.NO_PLAN: Field.ISSUE_DECISION_DATE,
    Outcome.REFUSED: Field.ASSESS_DECISION_DATE,
}

#: Open stages whose words also say what became of the decision whether to assess, tried in
#: order on the normalised text of a status read as open (statute.md s.4: an open request
#: with nothing to show a decision was made is overdue on 6W once past 6 weeks; one whose
#: status says the assessment is under way had its decision). First match wins.
STAGE_PHRASES: tuple[tuple[Decision, str], ...] = (
    (
        Decision.PENDING,
        r"(?:awaiting|await|pending|to be) (?:a |the )?(?:request |assessment |panel |la |"
        r"initial )?decisions?|decisions? (?:pending|awaited|outstanding|not yet made|due)"
        r"|not yet decided|undecided|new request|request received|referral received"
        r"|awaiting (?:request )?panel|awaiting (?:ehcna|assessment) panel",
    ),
    (
        Decision.YES,
        r"assessment (?:agreed|underway|under way|started|in progress|ongoing|on going|stage)"
        r"|agreed to assess|agree to assess|in assessment|under assessment|being assessed"
        r"|assessing|needs assessment (?:in progress|ongoing|underway)|ehcna (?:in progress"
        r"|ongoing|underway|agreed)|drafts?|drafting|consultation|consulting"
        r"|awaiting (?:advice|reports?|ep|health|social care|final|the final|plan|ehcp)"
        r"|gathering advice|advice (?:requested|gathering)",
    ),
)

_STAGES: tuple[tuple[Decision, re.Pattern[str]], ...] = tuple(
    (d, re.compile(rf"(?:^| )(?:{p})(?= |$)")) for d, p in STAGE_PHRASES
)


def implied_decision(text: str) -> Decision | None:
    """What an open status says of the decision whether to assess, or None.

    >>> implied_decision("Assessment in progress"), implied_decision("Awaiting decision")
    (<Decision.YES: 'yes'>, <Decision.PENDING: 'pending'>)
    """
    norm = normalise_status(DATE_IN_TEXT.sub(" ", text))
    if classify_status(text) is not Outcome.OPEN:
        return None
    for decision, pattern in _STAGES:
        if pattern.search(norm):
            return decision
    return None


_DRAFT = re.compile(r"(?:^| )drafts?(?= |$)")


def normalise_status(text: str) -> str:
    """Lower-case words separated by one space; ``can't`` reads ``cant``, ``n't`` ``nt``."""
    flat = text.lower().replace("\u2019", "'").replace("'", "")
    return " ".join(_NON_WORD.sub(" ", flat).split())


@dataclass(frozen=True, slots=True)
class StatusReading:
    """What one status cell says."""

    outcome: Outcome | None
    """The outcome stated, or None when the words are not understood."""
    date_text: str | None = None
    """A date written in the text, as written (None when there is none)."""
    date_field: Field | None = None
    """The field that date is for (final plan, no-plan notice, refusal, draft), or None."""


def split_status(text: str) -> StatusReading:
    """Read a status cell: its outcome, and a date written in it with the field it is for."""
    found = DATE_IN_TEXT.search(text)
    date_text = found.group(0) if found else None
    words = DATE_IN_TEXT.sub(" ", text) if found else text
    outcome = classify_status(words)
    date_field: Field | None = None
    if date_text is not None and outcome is not None:
        date_field = DATE_FOR_OUTCOME.get(outcome)
        if outcome is Outcome.OPEN and _DRAFT.search(normalise_status(words)):
            date_field = Field.DRAFT_DATE
    return StatusReading(outcome, date_text, date_field)


def classify_status(text: str) -> Outcome | None:
    """The outcome a status text states by its words, or None when not understood."""
    norm = normalise_status(text)
    if not norm:
        return None
    if norm in OUTCOME_CODES:
        return OUTCOME_CODES[norm]
    for outcome, pattern in _COMPILED:
        if pattern.search(norm):
            return outcome
    return None
