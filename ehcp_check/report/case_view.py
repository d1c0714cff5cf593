"""The single-case view for a parent: timeline, verdict, the law, what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..engine import Settings
from ..model import DayCount, Outcome, Status
from ..rules import DISCLAIMER, EXCEPTIONS_BY_KIND, RULES_BY_CODE, ExceptionKind, RuleCode
from .records import CaseRecord


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


def _steps(rec: CaseRecord, as_of: date) -> list[Step]:
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
        "Decision to assess (6 weeks)",
    )
    draft = _d(rec["draft_date"])
    if draft is not None:
        steps.append(Step("Draft plan (no deadline)", None, short_date(draft), "", "dim"))
    judged(
        RuleCode.NO_PLAN_16W,
        _d(rec["deadline_16w"]),
        _d(rec["issue_decision_date"]),
        "No-plan notice (16 weeks)",
    )
    final = _d(rec["final_date"])
    judged(RuleCode.FINAL_20W, _d(rec["deadline_20w"]), final, "Final plan (20 weeks)")
    if draft is not None and final is not None:
        given = (final - draft).days
        b15 = breaches.get(RuleCode.COMMENT_15D.value)
        steps.append(
            Step(
                "15 days on the draft",
                f"from {short_date(draft + timedelta(days=15))}",
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
        if b20 and b20["date"] is None:
            parts.append(
                f"The final EHC plan is overdue by {plural(b20['days_late'], 'day')}: "
                f"reg 13(2) required it by {long_date(rec['deadline_20w'])}, and none had "
                f"been issued by {long_date(as_of)}."
            )
        elif b6 and b6["date"] is None:
            parts.append(
                f"The decision whether to assess is overdue by {plural(b6['days_late'], 'day')}:"
                f" reg 5(1) required it by {long_date(rec['deadline_6w'])}."
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
    if status == Status.LATE_EXCEPTION:
        parts.append("The council claims an exception that would excuse the delay (see below).")
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
            "No exception is recorded. The law lets a council miss a limit only where it was "
            "impractical because of a school closure, exceptional personal circumstances, or "
            "4+ weeks' absence from the area (reg 10(4)); staff shortages and backlogs never "
            "count. Even then the duty becomes 'as soon as practicable', not a new deadline."
        )
    kind = ExceptionKind(exc["kind"])
    rule = EXCEPTIONS_BY_KIND[kind]
    if rule.lawful is False:  # the note says why it is not lawful
        head = f"Claimed: '{exc['raw']}'."
    else:
        basis = f" ({rule.regulation})" if rule.lawful else ""
        head = f"Claimed: '{exc['raw']}' -> {rule.title}{basis}."
    verdict = exc["note"] or ""
    tail = (
        " An exception is a claim, not a pause: the council must show the fact existed and "
        "made the limit impractical, and must still act as soon as practicable."
    )
    return f"{head} {verdict}{tail}"


def _next_steps(rec: CaseRecord) -> list[str]:
    status = rec["status"]
    if status in (Status.LATE, Status.OVERDUE, Status.LATE_EXCEPTION):
        ask = (
            "ask for the date it will act and the reason for the delay."
            if rec["outcome"] == Outcome.OPEN
            else "ask for the reason for the delay and what it will do to put it right."
        )
        steps = [
            "Write to the council's SEND team. Quote the request date, the deadline above and "
            f"the regulation, and {ask}",
            "If the answer does not put it right, use the council's formal complaints procedure.",
            "After that, complain to the Local Government and Social Care Ombudsman "
            "(free). It measures delay from the deadline and has recommended about £100 "
            "a month of delay as a remedy.",
        ]
        if status == Status.OVERDUE:
            steps.append(
                "Where a plan is still not issued, a solicitor can send a pre-action letter "
                "for judicial review: the 20-week duty is 'hard-edged' "
                "(R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin))."
            )
        return steps
    if status == Status.OPEN:
        return [
            "Note the deadline above. If nothing arrives by then, write to the council the "
            "next day quoting it; the council must act 'as soon as practicable' and the "
            "deadline is a long-stop, not an entitlement.",
        ]
    return ["Keep the letters and dates: they are your evidence if anything goes wrong later."]


def render_case(result_record: CaseRecord, settings: Settings) -> RenderableType:
    """Everything a parent needs on one screen (80 columns)."""
    rec = result_record
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
    for s in _steps(rec, as_of):
        timeline.add_row(s.label, s.due or "", s.actual or "-", Text(s.verdict, style=s.style))
    status = rec["status"]
    colour = {
        Status.LATE: "bold red",
        Status.OVERDUE: "bold red",
        Status.LATE_EXCEPTION: "bold yellow",
        Status.OPEN: "yellow",
        Status.ON_TIME: "bold green",
    }.get(status, "bold")
    verdict = Text.assemble(
        (f"{status.upper().replace('_', ' ')}: ", colour),
        verdict_sentence(rec, as_of),
    )
    notes = []
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
    for i, line in enumerate(_next_steps(rec), 1):
        steps.append(f"{i}. {line}\n")
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
        Text("What you can do", style="bold underline"),
        steps,
        Text(DISCLAIMER, style="dim italic"),
    ]
    return Group(*parts)
