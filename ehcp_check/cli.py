"""The command line: parse options, call the library, render, pick the exit code.

Heavy modules (pandas, openpyxl) are imported inside the commands that need them, so
``--help`` and ``rules`` start quickly. Only this module prints or reads the clock.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar, cast

import typer

from . import __version__
from .errors import EhcpCheckError
from .model import DayCount

if TYPE_CHECKING:
    from rich.console import Console

app = typer.Typer(
    name="ehcp-check",
    help=(
        "Check whether an English council met the legal deadlines for EHC plans "
        "(SEND Regulations 2014), from its own data."
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
)


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


class Decided(StrEnum):
    yes = "yes"
    no = "no"


_state: dict[str, bool] = {"debug": False}

F = TypeVar("F", bound=Callable[..., None])


def guarded(command: F) -> F:
    """Turn our errors into one plain sentence and exit 2, and any other error into a
    short internal-error line (exit 3) with no traceback, so no case data is shown.
    ``--debug`` lets the traceback through."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except (typer.Exit, KeyboardInterrupt):
            raise
        except EhcpCheckError as err:
            if _state["debug"]:
                raise
            fail(str(err), err.exit_code)
        except Exception as err:
            if _state["debug"]:
                raise
            fail(
                f"internal error ({type(err).__name__}); this is a bug. Rerun with --debug "
                "for the full traceback (it may show case data).",
                3,
            )

    return cast(F, wrapper)


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def fail(message: str, code: int = 2) -> NoReturn:
    """One plain sentence on stderr, then exit."""
    typer.echo(f"ehcp-check: error: {message}", err=True)
    raise typer.Exit(code)


def parse_date(text: str, option: str) -> date:
    """A date from the command line: ISO (2024-01-31) or UK day-first (31/01/2024)."""
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    from dateutil import parser as du

    try:
        return du.parse(value, dayfirst=True).date()
    except (ValueError, OverflowError):
        fail(f"{option} {text!r} is not a date; write it as 2024-01-31 or 31/01/2024.")


def _opt_date(text: str | None, option: str) -> date | None:
    return None if text is None else parse_date(text, option)


def _as_of(text: str | None) -> date:
    return date.today() if text is None else parse_date(text, "--as-of")


def _emit_json(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ehcp-check {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks for unexpected errors.")
    ] = False,
) -> None:
    _state["debug"] = debug


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge open cases as of this date (default: today).",
        show_default=False,
    ),
]
DayCountOpt = Annotated[
    DayCount,
    typer.Option(
        "--day-count",
        case_sensitive=False,
        help="'within': deadline = request + 7N days; 'day-one': the request day is day 1.",
    ),
]
ExitZero = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 after a successful run even if breaches.")
]


@app.command()
@guarded
def case(
    requested: Annotated[
        str,
        typer.Option("--requested", metavar="DATE", help="Date the council received the request."),
    ],
    decision_date: Annotated[
        str | None,
        typer.Option(
            "--decision-date", metavar="DATE", help="Date you were told whether it would assess."
        ),
    ] = None,
    decision: Annotated[
        Decided | None,
        typer.Option("--decision", case_sensitive=False, help="Did it agree to assess?"),
    ] = None,
    draft: Annotated[
        str | None, typer.Option("--draft", metavar="DATE", help="Date the draft plan was sent.")
    ] = None,
    final: Annotated[
        str | None,
        typer.Option("--final", metavar="DATE", help="Date the final EHC plan was issued."),
    ] = None,
    no_plan: Annotated[
        str | None,
        typer.Option(
            "--no-plan",
            metavar="DATE",
            help="Date you were told, after assessment, that no plan would be issued.",
        ),
    ] = None,
    exception: Annotated[
        str | None,
        typer.Option(
            "--exception",
            metavar="TEXT",
            help="The exception the council claims, in its words (or 'Y').",
        ),
    ] = None,
    school_advice: Annotated[
        str | None,
        typer.Option(
            "--school-advice", metavar="DATE", help="Date the council asked the school for advice."
        ),
    ] = None,
    as_of: AsOf = None,
    day_count: DayCountOpt = DayCount.WITHIN,
    output_format: Annotated[
        TextOrJson, typer.Option("--format", case_sensitive=False, help="Output format.")
    ] = TextOrJson.text,
    exit_zero: ExitZero = False,
) -> None:
    """Check one request: every deadline, the verdict, the law, what to do next."""
    from .api import CaseFacts, check_case
    from .engine import Settings
    from .model import BREACH_STATUSES, Decision

    facts = CaseFacts(
        request_date=parse_date(requested, "--requested"),
        assess_decision_date=_opt_date(decision_date, "--decision-date"),
        assess_decision=Decision(decision.value) if decision else None,
        no_plan_date=_opt_date(no_plan, "--no-plan"),
        draft_date=_opt_date(draft, "--draft"),
        final_date=_opt_date(final, "--final"),
        exception=exception,
        school_advice_date=_opt_date(school_advice, "--school-advice"),
    )
    if facts.final_date is not None and facts.no_plan_date is not None:
        fail("give either --final or --no-plan, not both: a request ends one way.")
    if decision is Decided.no and (facts.final_date or facts.no_plan_date):
        fail("--decision no means the council refused to assess; drop --final / --no-plan.")
    settings = Settings(as_of=_as_of(as_of), day_count=day_count)
    result = check_case(facts, settings)
    record = result.record
    if record["status"] == "invalid":
        fail(f"this case cannot be judged: {record['invalid_reason']}.")
    if output_format is TextOrJson.json:
        _emit_json(
            {
                "schema": "ehcp-check/case/1",
                "tool_version": __version__,
                "as_of": settings.as_of.isoformat(),
                "day_count": settings.day_count.value,
                "case": record,
            }
        )
    else:
        from .report.case_view import render_case

        _console().print(render_case(record, settings))
    breach = record["status"] in BREACH_STATUSES
    raise typer.Exit(1 if breach and not exit_zero else 0)


@app.command()
@guarded
def rules(
    output_format: Annotated[
        TextOrJson, typer.Option("--format", case_sensitive=False, help="Output format.")
    ] = TextOrJson.text,
) -> None:
    """Show the statutory time limits and exceptions, with citations (England only)."""
    from .report.rules_view import render_rules, rules_document

    if output_format is TextOrJson.json:
        _emit_json(rules_document())
    else:
        _console().print(render_rules())


def main() -> None:
    """Console-script entry point: exit codes per the data contract (130 on Ctrl-C)."""
    app()
