"""The single-case view for a parent: timeline, verdict, the law, what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..model import Caveat, DayCount, Field, Outcome, Status
from ..rules import DISCLAIMER, EXCEPTIONS_BY_KIND, RULES_BY_CODE, ExceptionKind, RuleCode
from .records import CaseRecord

if TYPE_CHECKING:
    from ..api import CaseResult

#: The verdict in plain words, for a parent (no status codes shouted).
STATUS_WORDS: dict[str, str] = {
    Status.ON_TIME: "On time",
    Status.LATE: "Late",
    Status.LATE_EXCEPTION: "Late, but the council claims a lawful exception",
    Status.OVERDUE: "Overdue",
    Status.OVERDUE_EXCEPTION: "Overdue, but the council claims a lawful exception",
    Status.OPEN: "Open",
    Status.NOT_APPLICABLE: "No time limit applies",
    Status.INVALID: "Cannot be judged",
}


def long_date(value: date | str | None) -> str:
    """'Mon 1 Jan 2024'."""
    if value is None:
        return "-"
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d:%a} {d.day} {d:%b %Y}"


def short_date(value: date | None) -> str:
    """'1 Jan 2024' (timeline cells)."""
    return "-" if value is None else f"{value.day} {value:%b %Y}"


def weeks_days(days: int) -> str:
    """'20 weeks 1 day'."""
    w, d = divmod(days, 7)
    parts = []
    if w or not d:
        parts.append(f"{w} week{'s' if w != 1 else ''}")
    if d:
        parts.append(f"{d} day{'s' if d != 1 else ''}")
    return " ".join(parts)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the timeline."""

    label: str
    due: str | None
    actual: str | None
    verdict: str
    style: str


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _steps(rec: CaseRecord, as_of: date, received: date | None) -> list[Step]:
    req = _d(rec["request_date"])
    assert req is not None
    breaches = {b["rule"]: b for b in rec["breaches"]}
    steps = [Step("Request received", None, short_date(req), "clock starts", "dim")]

    def judged(code: RuleCode, due: date | None, actual: date | None, label: str) -> None:
        if due is None:
            return
        b = breaches.get(code.value)
        if b and b["date"] is None:
            verdict, style = f"overdue by {plural(b['days_late'], 'day')}", "bold red"
        elif b:
            verdict, style = f"late by {plural(b['days_late'], 'day')}", "bold red"
        elif actual is not None:
            spare = (due - actual).days
            verdict = "on time" + (
                f" ({plural(spare, 'day')} to spare)" if spare else " (last day)"
            )
            style = "green"
        elif rec["outcome"] == Outcome.OPEN and due >= as_of:
            verdict, style = f"due in {plural((due - as_of).days, 'day')}", "yellow"
        else:
            verdict, style = "date not given", "dim"
        steps.append(Step(label, short_date(due), short_date(actual), verdict, style))

    judged(
        RuleCode.DECISION_6W,
        _d(rec["deadline_6w"]),
        _d(rec["assess_decision_date"]),
        "Refusal to assess (6 weeks)"
        if rec["outcome"] == Outcome.REFUSED
        else "Decision to assess (6 weeks)",
    )
    draft = _d(rec["draft_date"])
    if draft is not None:
        steps.append(Step("Draft plan (no deadline)", None, short_date(draft), "", "dim"))
    if received is not None:
        steps.append(Step("Draft received (served)", None, short_date(received), "", "dim"))
    judged(
        RuleCode.NO_PLAN_16W,
        _d(rec["deadline_16w"]),
        _d(rec["issue_decision_date"]),
        "No-plan notice (16 weeks)",
    )
    final = _d(rec["final_date"])
    judged(RuleCode.FINAL_20W, _d(rec["deadline_20w"]), final, "Final plan (20 weeks)")
    if draft is not None and final is not None:
        served = received or draft
        given = (final - served).days
        b15 = breaches.get(RuleCode.COMMENT_15D.value)
        steps.append(
            Step(
                "15 days on the draft",
                f"from {short_date(served + timedelta(days=15))}",
                short_date(final),
                f"{plural(given, 'day')} given"
                + (f", {b15['days_late']} short" if b15 else ": enough"),
                "bold red" if b15 else "green",
            )
        )
    return steps


def verdict_sentence(rec: CaseRecord, as_of: date) -> str:
    """The verdict in a sentence, and one more for each other limit missed; what went
    wrong comes first."""
    status = rec["status"]
    outcome = rec["outcome"]
    req = _d(rec["request_date"])
    assert req is not None
    breaches = {b["rule"]: b for b in rec["breaches"]}
    if status == Status.INVALID:
        return f"This case cannot be judged: {rec['invalid_reason']}."
    if status == Status.NOT_APPLICABLE:
        return "No time limit applies to a request that was withdrawn or transferred in."
    parts: list[str] = []
    final = _d(rec["final_date"])
    if outcome == Outcome.PLAN_ISSUED and final is not None:
        took = weeks_days((final - req).days)
        b = breaches.get(RuleCode.FINAL_20W.value)
        if b:
            parts.append(
                f"The final EHC plan was issued {plural(b['days_late'], 'day')} late: "
                f"{took} after the request, when reg 13(2) required it by "
                f"{long_date(rec['deadline_20w'])}."
            )
        else:
            parts.append(
                f"The final EHC plan was issued on time: {took} after the request, "
                f"within the 20-week limit of reg 13(2)."
            )
    elif outcome == Outcome.OPEN:
        b6 = breaches.get(RuleCode.DECISION_6W.value)
        b20 = breaches.get(RuleCode.FINAL_20W.value)
        if b6 and b6["date"] is None:
            parts.append(
                f"The decision whether to assess is overdue by {plural(b6['days_late'], 'day')}:"
                f" reg 5(1) required it by {long_date(rec['deadline_6w'])}."
            )
            if b20 and b20["date"] is None:
                parts.append(
                    f"The 20-week deadline for the final plan, {long_date(rec['deadline_20w'])}, "
                    "has passed too (reg 13(2))."
                )
        elif b20 and b20["date"] is None:
            parts.append(
                f"The final EHC plan is overdue by {plural(b20['days_late'], 'day')}: "
                f"reg 13(2) required it by {long_date(rec['deadline_20w'])}, and none had "
                f"been issued by {long_date(as_of)}."
            )
        elif rec["deadline_20w"]:
            due = _d(rec["deadline_20w"])
            assert due is not None
            parts.append(
                f"The council is still within time: the final plan is due by "
                f"{long_date(due)} ({plural((due - as_of).days, 'day')} from "
                f"{long_date(as_of)})."
            )
        else:
            due6 = _d(rec["deadline_6w"])
            assert due6 is not None
            parts.append(
                f"The council is still within time: it must decide whether to assess by "
                f"{long_date(due6)}."
            )
    elif outcome == Outcome.NO_PLAN:
        b = breaches.get(RuleCode.NO_PLAN_16W.value)
        if b:
            parts.append(
                f"The notice that no plan would be issued came {plural(b['days_late'], 'day')} "
                f"late: reg 10(1) required it by {long_date(rec['deadline_16w'])}."
            )
        elif rec["issue_decision_date"]:
            parts.append("The notice that no plan would be issued came within 16 weeks.")
    elif outcome == Outcome.REFUSED:
        b = breaches.get(RuleCode.DECISION_6W.value)
        if b:
            parts.append(
                f"The decision not to assess came {plural(b['days_late'], 'day')} late: "
                f"reg 4(1) required it by {long_date(rec['deadline_6w'])}."
            )
        else:
            parts.append("The decision not to assess came within 6 weeks (reg 4(1)).")
    main_ok = not any(
        b["rule"] in (RuleCode.FINAL_20W, RuleCode.NO_PLAN_16W)
        or (b["rule"] == RuleCode.DECISION_6W and (outcome == Outcome.REFUSED or not b["date"]))
        for b in rec["breaches"]
    )
    extra: list[str] = []
    b6 = breaches.get(RuleCode.DECISION_6W.value)
    if b6 and b6["date"] is not None and outcome != Outcome.REFUSED:
        extra.append(
            f"The decision to assess came {plural(b6['days_late'], 'day')} after the "
            f"6-week limit (reg 5(1))."
        )
    b15 = breaches.get(RuleCode.COMMENT_15D.value)
    if b15:
        extra.append(
            f"You were given {plural(15 - b15['days_late'], 'day')} to comment on the draft, "
            f"{b15['days_late']} fewer than the 15 that reg 13(1)(a) guarantees."
        )
    if main_ok and extra:
        # Lead with what went wrong; the limit that was met comes last.
        parts = [
            *extra,
            *(p.replace("The final EHC plan was", "The final EHC plan itself was") for p in parts),
        ]
    else:
        parts += extra
    if status in (Status.LATE_EXCEPTION, Status.OVERDUE_EXCEPTION):
        parts.append(
            "The council claims a lawful exception for every limit missed (see below): the "
            "limit 'need not' be met, but it must still act as soon as practicable."
        )
    return " ".join(parts)


def _law(rec: CaseRecord) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    codes = [RuleCode.DECISION_6W]
    if rec["deadline_16w"]:
        codes.append(RuleCode.NO_PLAN_16W)
    if rec["deadline_20w"] or rec["outcome"] == Outcome.PLAN_ISSUED:
        codes.append(RuleCode.FINAL_20W)
    if rec["draft_date"] and rec["final_date"]:
        codes.append(RuleCode.COMMENT_15D)
    for code in codes:
        rule = RULES_BY_CODE[code]
        table.add_row(code.value, f"{rule.regulation}. {rule.summary}")
    return table


def _exception_text(rec: CaseRecord) -> str:
    exc = rec["exception"]
    if exc is None:
        return (
            "No exception is recorded. Each limit has its own list: the decision to assess "
            "can be excused by a school closure, exceptional personal circumstances or 4+ "
            "weeks' absence from the area (reg 5(4)); the 16- and 20-week limits by the same "
            "or an early-years closure (reg 10(4), reg 13(3)); a refusal notice only by the "
            "2020 coronavirus relaxation. Staff shortages, backlogs, late advice and requests "
            "to delay never count. Even then the duty becomes 'as soon as practicable', not "
            "a new deadline."
        )
    kind = ExceptionKind(exc["kind"])
    rule = EXCEPTIONS_BY_KIND[kind]
    if rule.lawful is False:  # the note says why it is not lawful
        head = f"Claimed: '{exc['raw']}'."
    else:
        head = f"Claimed: '{exc['raw']}' -> {rule.title}."
    by_rule: dict[str, dict[str, object]] = exc.get("by_rule") or {}
    whys = {str(v["why"]) for v in by_rule.values()}
    if len(whys) == 1:
        verdict = whys.pop()
    elif by_rule:
        verdict = " ".join(f"{code}: {v['why']}" for code, v in by_rule.items())
    else:
        verdict = exc["note"] or ""
    tail = (
        " An exception is a claim, not a pause: the council must show the fact existed and "
        "made the limit impractical, and must still act as soon as practicable."
    )
    return f"{head} {verdict}{tail}"


def _assumptions(result: CaseResult) -> list[str]:
    """One line per assumption the verdict rests on."""
    rec = result.record
    lines: list[str] = []
    if any(c["code"] == Caveat.DECISION_NOT_RECORDED for c in rec["caveats"]) or (
        rec["outcome"] == Outcome.OPEN
        and result.verdict[Field.ASSESS_DECISION][0] is None
        and not rec["assess_decision_date"]
        and not rec["draft_date"]
    ):
        lines.append(
            "No decision and no later step was given, so this assumes you have not been "
            "told yet whether the council will assess (--decision yes if it agreed)."
        )
    if rec["draft_date"] and rec["final_date"] and result.draft_received_date is None:
        lines.append(
            "The 15 days are counted from the day the draft was sent: the best case for the "
            "council. A posted draft is served later, when it would arrive in the ordinary "
            "course of post (Interpretation Act 1978 s.7); give --draft-received DATE."
        )
    return lines


def render_case(result: CaseResult) -> RenderableType:
    """Everything a parent needs on one screen (80 columns)."""
    rec = result.record
    settings = result.settings
    as_of = settings.as_of
    if rec["request_date"] is None:
        return Text("This case cannot be judged: no request date.", style="bold red")
    title = Text.assemble(
        ("EHC needs assessment requested ", "bold"),
        (long_date(rec["request_date"]), "bold"),
        (f"   as of {long_date(as_of)}", "dim"),
    )
    timeline = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False)
    timeline.add_column("Step", max_width=28)
    timeline.add_column("Due", no_wrap=True)
    timeline.add_column("Actual", no_wrap=True)
    timeline.add_column("Verdict", min_width=18)
    for s in _steps(rec, as_of, result.draft_received_date):
        timeline.add_row(s.label, s.due or "", s.actual or "-", Text(s.verdict, style=s.style))
    status = rec["status"]
    colour = {
        Status.LATE: "bold red",
        Status.OVERDUE: "bold red",
        Status.LATE_EXCEPTION: "bold yellow",
        Status.OVERDUE_EXCEPTION: "bold yellow",
        Status.OPEN: "yellow",
        Status.ON_TIME: "bold green",
    }.get(status, "bold")
    verdict = Text.assemble(
        (f"{STATUS_WORDS.get(status, status)}: ", colour),
        verdict_sentence(rec, as_of),
    )
    notes = [Text(line, style="yellow") for line in _assumptions(result)]
    if rec["boundary"]:
        notes.append(
            Text(
                "Boundary case: a step was taken exactly on the last day allowed when the day "
                "of the request is not counted. If the council counts the request day as day 1 "
                "(--day-count day-one), that step was 1 day late.",
                style="yellow",
            )
        )
    counting = (
        "Weeks are calendar weeks; the request day is day 1 (day-one convention)."
        if settings.day_count is DayCount.DAY_ONE
        else "Weeks are calendar weeks counted from the day after the request."
    )
    steps = Text()
    for i, step in enumerate(result.next_steps, 1):
        steps.append(f"{i}. {step['text']}\n")
    parts: list[RenderableType] = [
        title,
        Padding(timeline, (0, 0, 0, 0)),
        verdict,
        *notes,
        Text(""),
        Text("The law", style="bold underline"),
        _law(rec),
        Text(counting, style="dim"),
        Text(""),
        Text("Exceptions", style="bold underline"),
        Text(_exception_text(rec)),
        Text(""),
        Text("What you can do (information, not advice)", style="bold underline"),
        steps,
        Text(DISCLAIMER, style="dim italic"),
    ]
    return Group(*parts)
