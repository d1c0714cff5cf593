"""The command line: parse options, call the library, render, pick the exit code.

Heavy modules (pandas, openpyxl) are imported inside the commands that need them, so
``--help`` and ``rules`` start quickly. Only this module prints or reads the clock.
"""

from __future__ import annotations

import copy
import functools
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar, cast

import typer
from typer.core import TyperArgument, TyperCommand

from . import __version__
from ._cli_params import install as _install_fast_params
from .errors import EhcpCheckError
from .model import DayCount

if TYPE_CHECKING:
    from rich.console import Console

    from .ingest import Limits
    from .ingest.totals import TotalsResult
    from .periods import Period

_install_fast_params()  # option values without pydantic's start-up (_cli_params.py)

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
    """``--format`` of the commands without tables of cases: the same words as ``audit``'s
    (``table`` for people, ``json`` for programs)."""

    table = "table"
    json = "json"


class Decided(StrEnum):
    yes = "yes"
    no = "no"
    pending = "pending"


_state: dict[str, bool] = {"debug": False}

#: Option groups in ``--help``, in this order (``rich_help_panel`` of each option).
PANELS = ("Input", "Period", "Judging", "Output")
_RANGE = re.compile(r";?\s*(?:x>=\d+|\d+<=x<=\d+|x<=\d+)")


class PlainErrorsCommand(TyperCommand):
    """A command that answers a bad option value with one plain sentence naming the valid
    ones (``--decision 'maybe' is not one of yes, no, pending.``), exit 2."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            result: list[str] = super().parse_args(ctx, args)
        except typer.BadParameter as err:
            fail(_bad_value(err))
        return result


class PanelCommand(PlainErrorsCommand):
    """A command whose ``--help`` lists options in groups (input, period, judging,
    output) with plain metavars, and which answers a bad option value with one plain
    sentence naming the valid ones."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        panels: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            name, text = record
            if isinstance(param, TyperArgument):
                metavar = param.metavar or param.name or "ARG"
                plural = "..." if param.nargs != 1 else ""
                arguments.append((f"{metavar}{plural}", text))
                continue
            text = _RANGE.sub("", text).replace("[]", "").replace("[default: ]", "").strip()
            text = re.sub(r"\[\s*;?\s*", "[", text).replace("; ]", "]")
            panel = getattr(param, "rich_help_panel", None) or "Other"
            panels.setdefault(panel, []).append((name, text))
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        order = [p for p in PANELS if p in panels] + [p for p in panels if p not in PANELS]
        for panel in order:
            with formatter.section(f"{panel} options" if panel != "Other" else "Other options"):
                formatter.write_dl(panels[panel])

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar or "[OPTIONS]"]
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                metavar = param.metavar or param.name or "ARG"
                pieces.append(f"{metavar}..." if param.nargs != 1 else metavar)
        return pieces


def _bad_value(err: typer.BadParameter) -> str:
    """'--by 'foo' is not one of year, quarter, month, la.' and the like."""
    param = err.param
    opts = getattr(param, "opts", None) or []
    name = max(opts, key=len) if opts else str(getattr(param, "name", None) or "a value")
    found = re.search(r"'([^']*)' is not one of (.*?)\.?$", err.message)
    if found:
        choices = ", ".join(c.strip(" '") for c in found.group(2).split(","))
        return f"{name} {found.group(1)!r} is not one of {choices}."
    lo = getattr(param, "min", None)
    hi = getattr(param, "max", None)
    if lo is not None or hi is not None:
        span = (
            f"from {lo} to {hi}"
            if lo is not None and hi is not None
            else (f"{lo} or more" if lo is not None else f"{hi} or less")
        )
        return f"{name} must be a whole number {span}."
    message = err.message.removeprefix("Value error, ")
    return f"{name}: {message.rstrip('.')}."


F = TypeVar("F", bound=Callable[..., None])


def guarded(command: F) -> F:
    """Turn our errors into one plain sentence and exit 2, and any other error into a
    short internal-error line (exit 3) with no traceback, so no case data is shown.
    ``--debug`` lets the traceback through."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except typer.Exit:
            raise
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see main): files were cleaned up
            fail("interrupted; no report file was left half-written.", 130)
        except MemoryError:
            fail(
                "ran out of memory reading or judging the cases; if you raised a --limit, "
                "lower it again, or split the file, or run on a machine with more memory.",
                2,
            )
        except EhcpCheckError as err:
            if _state["debug"]:
                raise
            fail(str(err), err.exit_code)
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as err:  # also a reader's native panic, which is no Exception
            if _state["debug"]:
                raise
            fail(
                f"internal error ({type(err).__name__}); this is a bug. Rerun with --debug "
                "for the full traceback (it may show case data).",
                3,
            )

    return cast(F, wrapper)


class ColorOpt(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


def _console(stderr: bool = False, color: ColorOpt = ColorOpt.auto) -> Console:
    """A console for our output. ``auto`` colours a terminal unless NO_COLOR is set (rich
    reads it); ``always`` colours even when piped; ``never`` is plain text."""
    from .report.safe import safe_console

    if color is ColorOpt.always:
        return safe_console(stderr=stderr, highlight=False, soft_wrap=False, force_terminal=True)
    if color is ColorOpt.never:
        return safe_console(
            stderr=stderr, highlight=False, soft_wrap=False, color_system=None, no_color=True
        )
    return safe_console(stderr=stderr, highlight=False, soft_wrap=False)


#: Exit status of a run whose period holds no case at all (documented in the README).
EXIT_EMPTY_PERIOD = 4


def fail(message: str, code: int = 2) -> NoReturn:
    """One plain sentence on stderr, then exit. Control characters (from a file name or a
    cell) are shown as visible escapes; line breaks are folded to spaces."""
    from .report.safe import visible

    one_line = " ".join(visible(message).split())
    typer.echo(f"ehcp-check: error: {one_line}", err=True)
    raise typer.Exit(code)


_YEAR_FIRST = re.compile(r"^\d{4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}$")


def parse_date(text: str, option: str) -> date:
    """A date from the command line: ISO (2024-01-31), year first with any separator
    (2024/01/31, 2024.01.31) or UK day-first (31/01/2024)."""
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    from dateutil import parser as du

    year_first = _YEAR_FIRST.match(value) is not None
    try:
        return du.parse(value, dayfirst=not year_first, yearfirst=year_first).date()
    except (ValueError, OverflowError):
        fail(f"{option} {text!r} is not a date; write it as 2024-01-31 or 31/01/2024.")


def _opt_date(text: str | None, option: str) -> date | None:
    return None if text is None else parse_date(text, option)


def _as_of(text: str | None) -> date:
    return date.today() if text is None else parse_date(text, "--as-of")


def _emit_json(doc: dict[str, Any]) -> None:
    """Indented for people at a terminal; compact (and several times faster, through the
    C encoder) when piped to a script or a file."""
    import json

    indent = 2 if sys.stdout.isatty() else None
    _write_stdout(json.dumps(doc, indent=indent, ensure_ascii=False) + "\n")


def _write_stdout(text: str) -> None:
    """Write a document to stdout as UTF-8 whatever the locale says (JSON, CSV and Markdown
    are UTF-8 formats); at a terminal, control characters are shown as visible escapes."""
    if sys.stdout.isatty():
        from .report.safe import visible

        text = visible(text)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.encoding or "").lower().replace("-", "") == "utf8":
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8", "backslashreplace"))
    buffer.flush()


def _write_stdout_pieces(pieces: Iterable[str]) -> None:
    """:func:`_write_stdout` for a document that comes in pieces (each written as it
    comes, so a long one is never held whole). When the reader stops early (``| head``),
    writing stops quietly and the run ends as it would have."""
    try:
        for piece in pieces:
            _write_stdout(piece)
    except BrokenPipeError:
        import os

        try:  # nothing more reaches the pipe, not even the flush at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass


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
        rich_help_panel="Judging",
        metavar="DATE",
        help="Judge open cases as of this date (default: today).",
        show_default=False,
    ),
]
DayCountOpt = Annotated[
    DayCount,
    typer.Option(
        "--day-count",
        rich_help_panel="Judging",
        case_sensitive=False,
        help="'within': deadline = request + 7N days; 'day-one': the request day is day 1.",
    ),
]
ExitZero = Annotated[
    bool,
    typer.Option(
        "--exit-zero",
        rich_help_panel="Output",
        help="Exit 0 after a successful run, even when there are breaches.",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        rich_help_panel="Output",
        help="No terminal report and no messages on success, only a --format json/csv/"
        "markdown asked for (errors still go to stderr); for cron jobs.",
    ),
]
ColorOption = Annotated[
    ColorOpt,
    typer.Option(
        "--color",
        rich_help_panel="Output",
        case_sensitive=False,
        help="Colour the terminal report: auto (a terminal, unless NO_COLOR is set), "
        "always, never.",
    ),
]


@app.command(cls=PlainErrorsCommand)
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
        typer.Option(
            "--decision",
            case_sensitive=False,
            help="Did it agree to assess? 'pending' if you have not been told yet (the "
            "default when no decision date or later step is given).",
        ),
    ] = None,
    draft: Annotated[
        str | None, typer.Option("--draft", metavar="DATE", help="Date the draft plan was sent.")
    ] = None,
    draft_received: Annotated[
        str | None,
        typer.Option(
            "--draft-received",
            metavar="DATE",
            help="Date you received the draft plan: the 15 days to comment count from it.",
        ),
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
        TextOrJson,
        typer.Option(
            "--format", rich_help_panel="Output", case_sensitive=False, help="Output format."
        ),
    ] = TextOrJson.table,
    exit_zero: ExitZero = False,
    quiet: QuietOpt = False,
) -> None:
    """Check one request against every deadline.

    Shows each statutory step with its due date, the verdict, the law it rests on, what an
    exception claim means, and what to do next.
    """
    from .api import CaseFacts, case_document, check_case
    from .engine import Settings
    from .model import BREACH_STATUSES, Decision

    facts = CaseFacts(
        request_date=parse_date(requested, "--requested"),
        assess_decision_date=_opt_date(decision_date, "--decision-date"),
        assess_decision=Decision(decision.value) if decision else None,
        no_plan_date=_opt_date(no_plan, "--no-plan"),
        draft_date=_opt_date(draft, "--draft"),
        draft_received_date=_opt_date(draft_received, "--draft-received"),
        final_date=_opt_date(final, "--final"),
        exception=exception,
        school_advice_date=_opt_date(school_advice, "--school-advice"),
    )
    if facts.final_date is not None and facts.no_plan_date is not None:
        fail("give either --final or --no-plan, not both: a request ends one way.")
    if decision is Decided.no and (facts.final_date or facts.no_plan_date):
        fail("--decision no means the council refused to assess; drop --final / --no-plan.")
    if decision is Decided.pending and (
        facts.assess_decision_date or facts.draft_date or facts.final_date or facts.no_plan_date
    ):
        fail("--decision pending means you have not been told yet; drop the later dates.")
    received = facts.draft_received_date
    if received is not None:
        if facts.draft_date is None:
            fail("--draft-received needs --draft (the date the draft was sent).")
        if received < facts.draft_date:
            fail("--draft-received is before --draft: a draft is received after it is sent.")
    settings = Settings(as_of=_as_of(as_of), day_count=day_count)
    result = check_case(facts, settings)
    record = result.record
    if record["status"] == "invalid":
        fail(f"this case cannot be judged: {record['invalid_reason']}.")
    if output_format is TextOrJson.json:
        _emit_json(case_document(result, __version__))
    elif not quiet:
        from .report.case_view import render_case

        _console().print(render_case(result))
    breach = record["status"] in BREACH_STATUSES
    raise typer.Exit(1 if breach and not exit_zero else 0)


@app.command(cls=PlainErrorsCommand)
@guarded
def rules(
    output_format: Annotated[
        TextOrJson,
        typer.Option(
            "--format", rich_help_panel="Output", case_sensitive=False, help="Output format."
        ),
    ] = TextOrJson.table,
) -> None:
    """Show the time limits and exceptions, with citations.

    England only: Wales and Scotland run other systems.
    """
    from .report.rules_view import render_rules, rules_document

    if output_format is TextOrJson.json:
        _emit_json(rules_document())
    else:
        _console().print(render_rules())


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command("config", cls=PanelCommand)
@guarded
def config_command(
    config: ConfigOpt = None,
    output_format: Annotated[
        TextOrJson,
        typer.Option(
            "--format",
            rich_help_panel="Output",
            case_sensitive=False,
            help="Output on stdout: table or json.",
        ),
    ] = TextOrJson.table,
) -> None:
    """Show the settings in force and where each came from.

    Reads the settings file (--config, EHCP_CHECK_CONFIG, ./ehcp-check.toml or
    [tool.ehcp-check] in ./pyproject.toml); flags given to audit or columns override it.
    """
    from .config import load_config, settings_in_force
    from .report.config_view import config_document, render_config

    cfg = load_config(config)
    rows = settings_in_force(cfg, {})
    if output_format is TextOrJson.json:
        _emit_json(config_document(cfg, rows))
    else:
        _console().print(render_config(cfg, rows))


# The choices below mirror library enums (stats.GroupBy, periods.YearType,
# ingest.DateOrder). They are restated here so that `--help` does not import numpy and
# pandas; tests/test_cli_options.py keeps each pair identical.


class ByOpt(StrEnum):
    year = "year"
    quarter = "quarter"
    month = "month"
    la = "la"


class YearTypeOpt(StrEnum):
    calendar = "calendar"
    financial = "financial"
    academic = "academic"


class DateOrderOpt(StrEnum):
    dmy = "dmy"
    mdy = "mdy"
    ymd = "ymd"


Files = Annotated[
    list[Path],
    typer.Argument(
        help="Case files: .xlsx .xlsm .xls .ods .csv .tsv .txt, or a SEN2 .xml return.",
        show_default=False,
        metavar="FILE",
        readable=False,  # ingest checks and words it, on the handle it reads
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        rich_help_panel="Input",
        metavar="NAME",
        help="Read only this sheet of each workbook.",
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        rich_help_panel="Input",
        metavar="'HEADER=FIELD'",
        help='Map a column onto a field, e.g. --map "Date rec\'d=request_date" (repeatable).',
    ),
]
MappingFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--mapping-file",
        rich_help_panel="Input",
        metavar="TOML",
        help="A reusable column mapping file.",
        readable=False,
    ),
]
DateOrderOption = Annotated[
    DateOrderOpt | None,
    typer.Option(
        "--date-order",
        rich_help_panel="Input",
        case_sensitive=False,
        help="Order of numeric dates in text (default: day first unless a column proves "
        "otherwise).",
    ),
]


#: ``--format`` of the commands that print a table, or JSON, CSV or Markdown.
TableFormatOpt = Annotated[
    TableFormat,
    typer.Option("--format", case_sensitive=False, help="Output on stdout."),
]
#: ``--mapping-file`` of the commands that read tables of totals.
MeasuresFileOpt = Annotated[
    Path | None,
    typer.Option("--mapping-file", metavar="TOML", help="A file with a [measures] table."),
]
LimitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--limit",
        rich_help_panel="Input",
        metavar="NAME=VALUE",
        help="Raise a safety limit, e.g. --limit unpacked-size=3GiB (names: file-size, "
        "xml-size, unpacked-size, ratio, parts, rows, columns, cells).",
    ),
]


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        rich_help_panel="Input",
        metavar="TOML",
        help="Settings file (default: ./ehcp-check.toml, or [tool.ehcp-check] in "
        "./pyproject.toml; also EHCP_CHECK_CONFIG). Flags override it.",
    ),
]


def _limits(items: list[str] | None) -> Limits | None:
    from .ingest import Limits

    return Limits().with_settings(items) if items else None


def _config(path: Path | None) -> Any:
    from .config import load_config

    return load_config(path)


def _cfg_path(cfg: Any, name: str) -> Path | None:
    value = cfg.values.get(name)
    return Path(value) if value else None


def _merged_mapping(cfg: Any, items: list[str] | None) -> dict[str, str] | None:
    """The file's [map] with --map entries on top."""
    merged = dict(cfg.mapping)
    merged.update(_mapping(items) or {})
    return merged or None


def _merged_limits(cfg: Any, items: list[str] | None) -> Limits | None:
    """The file's [limits] with --limit entries on top."""
    settings = [f"{k}={v}" for k, v in cfg.limits.items()] + list(items or [])
    return _limits(settings)


def _mapping(items: list[str] | None) -> dict[str, str] | None:
    from .ingest import parse_mapping_option

    if not items:
        return None
    return dict(parse_mapping_option(item) for item in items)


@app.command(cls=PanelCommand)
@guarded
def columns(
    files: Files,
    sheet: SheetOpt = None,
    map_: MapOpt = None,
    mapping_file: MappingFileOpt = None,
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            rich_help_panel="Output",
            min=0,
            max=20,
            metavar="N",
            help="Sample values shown per column (0-20).",
        ),
    ] = 3,
    limit: LimitOpt = None,
    date_order: DateOrderOption = None,
    output_format: Annotated[
        TextOrJson,
        typer.Option(
            "--format",
            rich_help_panel="Output",
            case_sensitive=False,
            help="Output on stdout: table or json.",
        ),
    ] = TextOrJson.table,
    quiet: QuietOpt = False,
    color: ColorOption = ColorOpt.auto,
    config: ConfigOpt = None,
    save_mapping: Annotated[
        Path | None,
        typer.Option(
            "--save-mapping",
            rich_help_panel="Output",
            metavar="FILE.toml",
            help="Write the mapping found to a file to edit and reuse with --mapping-file.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", rich_help_panel="Output", help="Overwrite an existing file."),
    ] = False,
) -> None:
    """Show how each sheet's columns were read.

    Per sheet: the header row found, the field each column was mapped to (or "not used")
    and sample values, so a mapping can be fixed with --map in one go.
    """
    from .ingest import inspect_columns, mapping_toml
    from .ingest.totals import TOTALS_REASON, TotalsTableError, read_totals
    from .report.columns_view import columns_document, render_columns

    if save_mapping is not None and save_mapping.exists() and not force:
        fail(f"{save_mapping} already exists; use --force to overwrite it.")

    cfg = _config(config)
    sheet = sheet or cfg.values.get("sheet")
    mapping_file = mapping_file or _cfg_path(cfg, "mapping-file")
    order = date_order.value if date_order else cfg.values.get("date-order")
    case_maps, measure_maps = _split_maps(map_)
    if mapping_file is not None:
        from .ingest.totals import read_totals_mapping

        measure_maps = {**read_totals_mapping(mapping_file).measures, **measure_maps}
    reports, totals = [], []
    for file in files:
        try:
            part = inspect_columns(
                [file],
                sheet=sheet,
                mapping=_merged_mapping(cfg, case_maps),
                mapping_file=mapping_file,
                samples=samples,
                limits=_merged_limits(cfg, limit),
                date_order=order,
            )
        except TotalsTableError:
            part = []
        reports += part
        if not part or any(r.skipped == TOTALS_REASON for r in part):
            found = read_totals(
                [str(file)],
                sheet=sheet,
                overrides=measure_maps,
                limits=_merged_limits(cfg, limit),
            )
            totals.append(found)
    if save_mapping is not None:
        try:
            save_mapping.write_text(mapping_toml(reports), encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {save_mapping}: {exc.strerror or 'unknown error'}.")
        if not quiet:
            _console(stderr=True).print(f"Wrote {save_mapping}", markup=False, highlight=False)
    if output_format is TextOrJson.json:
        doc = columns_document(reports)
        if totals:
            doc["totals"] = [i.to_dict() for t in totals for i in t.inputs if i.orientation]
        _emit_json(doc)
    elif not quiet:
        if reports:
            _console(color=color).print(render_columns(reports))
        if totals:
            from .report.totals_view import render_understood

            _console(color=color).print(render_understood(totals))


def _split_maps(items: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """``--map`` items for case fields, and those naming a totals measure."""
    from .ingest.totals_vocab import Measure

    measures = {m.value for m in Measure}
    case, totals = [], {}
    for item in items or []:
        header, _, name = item.rpartition("=")
        if name.strip().lower() in measures:
            totals[header.strip()] = name.strip().lower()
        else:
            case.append(item)
    return case, totals


def _read_totals(
    files: list[Path],
    sheet: str | None,
    map_: list[str] | None,
    mapping_file: Path | None,
    limit: list[str] | None,
) -> TotalsResult:
    """Read tables of totals as `totals` and `compare` do: a mapping file's [measures] (and
    its sheet), then --map items over them."""
    from .ingest.totals import parse_measure_option, read_totals, read_totals_mapping

    overrides: dict[str, str] = {}
    if mapping_file is not None:
        from_file = read_totals_mapping(mapping_file)
        overrides.update(from_file.measures)
        sheet = sheet or from_file.sheet
    overrides.update(dict(parse_measure_option(item) for item in map_ or []))
    return read_totals(
        [str(f) for f in files], sheet=sheet, overrides=overrides or None, limits=_limits(limit)
    )


@app.command(cls=PlainErrorsCommand)
@guarded
def totals(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="FOI replies giving counts per month, quarter or year: .xlsx .xls .ods .csv.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    sheet: SheetOpt = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="'HEADER=MEASURE'",
            help='Name the measure of a header, e.g. --map "Late plans=plans_issued_over_20_weeks"'
            " (or =ignore; repeatable).",
        ),
    ] = None,
    mapping_file: MeasuresFileOpt = None,
    limit: LimitOpt = None,
    output_format: TableFormatOpt = TableFormat.table,
    quiet: QuietOpt = False,
) -> None:
    """Read a table of totals (counts per period) into one long table.

    Periods down the rows or across the columns, months, quarters, financial, academic and
    calendar years; suppressed counts (<5, *) kept as suppressed, never 0; totals left out;
    headers not understood listed.
    """
    result = _read_totals(files, sheet, map_, mapping_file, limit)
    if output_format is TableFormat.json:
        from .report.totals_view import totals_document

        _emit_json(totals_document(result))
    elif output_format is TableFormat.csv:
        from .report.totals_view import render_csv

        sys.stdout.write(render_csv(result))
    elif output_format is TableFormat.markdown:
        from .report.totals_view import render_markdown

        sys.stdout.write(render_markdown(result))
    elif not quiet:
        from .report.totals_view import render_totals

        _console().print(render_totals(result))


@app.command(cls=PanelCommand)
@guarded
def audit(
    files: Files,
    as_of: AsOf = None,
    day_count: Annotated[
        DayCount | None,
        typer.Option(
            "--day-count",
            rich_help_panel="Judging",
            case_sensitive=False,
            help="'within' (default): deadline = request + 7N days; 'day-one': the request "
            "day is day 1.",
            show_default=False,
        ),
    ] = None,
    sheet: SheetOpt = None,
    map_: MapOpt = None,
    mapping_file: MappingFileOpt = None,
    date_order: DateOrderOption = None,
    limit: LimitOpt = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            rich_help_panel="Period",
            metavar="DATE",
            help="Start of the period (cohorts in it).",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", rich_help_panel="Period", metavar="DATE", help="End of the period (inclusive)."
        ),
    ] = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            rich_help_panel="Period",
            metavar="YYYY-MM",
            help="One calendar month (monthly report).",
        ),
    ] = None,
    by: Annotated[
        ByOpt | None,
        typer.Option(
            "--by",
            rich_help_panel="Period",
            case_sensitive=False,
            help="Figures per year, quarter, month or LA.",
        ),
    ] = None,
    year_type: Annotated[
        YearTypeOpt | None,
        typer.Option(
            "--year-type",
            rich_help_panel="Period",
            case_sensitive=False,
            help="Calendar (default), financial (April-March) or academic (September-August) "
            "years.",
            show_default=False,
        ),
    ] = None,
    closures: Annotated[
        Path | None,
        typer.Option(
            "--closures",
            rich_help_panel="Judging",
            metavar="FILE",
            readable=False,
            help="Real school closure dates (CSV or TOML) instead of the approximate summers.",
        ),
    ] = None,
    output_format: Annotated[
        TableFormat,
        typer.Option(
            "--format", rich_help_panel="Output", case_sensitive=False, help="Output on stdout."
        ),
    ] = TableFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            rich_help_panel="Output",
            metavar="FILE",
            help="Write a report file; format from the extension: .xlsx .json .csv .md .html.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", rich_help_panel="Output", help="Overwrite an existing output."),
    ] = False,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            rich_help_panel="Output",
            min=0,
            metavar="N",
            help="How many of the worst breaches to list.",
        ),
    ] = 10,
    with_cases: Annotated[
        bool,
        typer.Option(
            "--cases/--no-cases",
            rich_help_panel="Output",
            help="List every case in --format json output.",
        ),
    ] = True,
    la: Annotated[
        str | None,
        typer.Option(
            "--la",
            metavar="NAME",
            help="The council audited (name or code): its figures per year beside the "
            "published ones (default: the one council an LA column names).",
        ),
    ] = None,
    exit_zero: ExitZero = False,
    quiet: QuietOpt = False,
    color: ColorOption = ColorOpt.auto,
    config: ConfigOpt = None,
) -> None:
    """Audit every case in council spreadsheets.

    Judges each case against the statutory limits, lists every breach and every row it
    could not use, and reports figures comparable with the Department for Education's.
    """
    from .audit import AuditOptions, audit_table, latest_date
    from .engine import Settings
    from .ingest import load
    from .ingest.closures import load_closures
    from .stats import GroupBy, YearType

    writers = _writers() if output is not None else {}
    if output is not None and output.suffix.lower() not in writers:
        fail(
            f"cannot tell the report format from {output.name!r}; "
            "use one of .xlsx, .json, .csv, .md, .html."
        )
    period = _period(from_, to, month)
    as_of_date = _as_of(as_of)
    cfg = _config(config)
    day_count = day_count or DayCount(cfg.values.get("day-count", DayCount.WITHIN.value))
    year_type_value = year_type.value if year_type else cfg.values.get("year-type", "calendar")
    closures = closures or _cfg_path(cfg, "closures")
    mapping_file = mapping_file or _cfg_path(cfg, "mapping-file")
    sheet = sheet or cfg.values.get("sheet")
    order = date_order.value if date_order else cfg.values.get("date-order")
    settings = Settings(
        as_of=as_of_date,
        day_count=day_count,
        closures=load_closures(closures) if closures else None,
    )
    if la is not None:
        from .published import find_council

        find_council(la)  # an unknown name stops here, before any file is read
    options = AuditOptions(
        period=period,
        by=GroupBy(by.value) if by else None,
        year_type=YearType(year_type_value),
        la=la,
    )
    mapping = _merged_mapping(cfg, map_)
    limits = _merged_limits(cfg, limit)
    latest = latest_date(as_of_date)
    with _Progress() as bar:
        loaded = load(
            files,
            sheet=sheet,
            mapping=mapping,
            mapping_file=mapping_file,
            date_order=order,
            latest=latest,
            limits=limits,
            on_file=bar.stage("Reading case files", total=len(files)),
        )
        bar.stage("Judging cases")
        result = audit_table(loaded, settings, options)
        if period is not None and not result.in_scope.rows.any():
            # Nothing to report: no empty report file, one line, a status of its own.
            typer.echo(
                f"ehcp-check: no cases in {period.label}: no request, plan, decision or "
                "open case falls in the period; no report written.",
                err=True,
            )
            raise typer.Exit(EXIT_EMPTY_PERIOD)
        if output is not None:
            writer = writers[output.suffix.lower()]
            extra: dict[str, Any] = {}
            if output.suffix.lower() == ".xlsx":
                extra["progress"] = bar.rows(f"Writing {output.name}")
            else:
                bar.stage(f"Writing {output.name}")
            named = [*files, *(p for p in (closures, mapping_file) if p is not None)]
            writer(result, output, force=force, inputs=named, **extra)
    if output is not None and not quiet:
        _console(stderr=True).print(f"Wrote {output}", markup=False, highlight=False)
    if output_format is TableFormat.json:
        from .report.files import json_chunks

        indent = 2 if sys.stdout.isatty() else None  # as _emit_json
        _write_stdout_pieces(json_chunks(result, indent=indent, cases=with_cases))
    elif output_format is TableFormat.csv:
        from .report.files import render_csv

        _write_stdout(render_csv(result))
    elif output_format is TableFormat.markdown:
        from .report.files import render_markdown

        _write_stdout(render_markdown(result))
    elif not quiet:
        # With -o the terminal report is printed as well (the file is the extra).
        from .report.terminal import render_audit

        _console(color=color).print(render_audit(result, top=top))
        if result.comparison is not None:
            from .report.compare_view import render_published_comparison

            sys.stdout.write("\n" + render_published_comparison(result.comparison))
    raise typer.Exit(1 if result.breach_count and not exit_zero else 0)


class _Progress:
    """Progress on stderr while an audit runs, when stderr is a terminal (nothing when
    piped or in a cron job). Each stage replaces the one before."""

    def __init__(self) -> None:
        self._err = _console(stderr=True)
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self._err.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._err,
                transient=True,
            )
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def stage(self, label: str, total: int | None = None) -> Callable[[str], None]:
        """Start a stage; the returned callback advances it by one step."""
        if self._bar is not None:
            from rich.markup import escape

            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(escape(label), total=total)
        task = self._task
        return lambda _item: self._bar.advance(task) if self._bar is not None else None

    def rows(self, label: str) -> Callable[[int, int], None]:
        """Start a stage counted in rows; the callback takes (done, total)."""
        self.stage(label)
        task = self._task
        return lambda done, total: (
            self._bar.update(task, completed=done, total=total) if self._bar is not None else None
        )


def _period(from_: str | None, to: str | None, month: str | None) -> Period | None:
    from .periods import Period

    if month is not None:
        if from_ or to:
            fail("use either --month or --from/--to, not both.")
        try:
            return Period.month(month)
        except ValueError:
            fail(f"--month {month!r} is not a month; write it as 2025-02.")
    if from_ is None and to is None:
        return None
    start = parse_date(from_, "--from") if from_ else date(2014, 9, 1)
    end = parse_date(to, "--to") if to else date(9999, 12, 31)
    if end < start:
        fail("--to is before --from.")
    return Period.between(start, end)


def _writers() -> dict[str, Callable[..., object]]:
    from .report import files, html, xlsx

    return {
        ".xlsx": xlsx.write_xlsx,
        ".json": files.write_json,
        ".csv": files.write_csv,
        ".md": files.write_markdown,
        ".html": html.write_html,
    }


# --- the Department for Education's published figures ---------------------------------------
# Imports stay inside the commands: `--help` and `case` never load the package data.


class LeagueSortOpt(StrEnum):
    """Restates council.LeagueSort (so `--help` imports nothing); a test keeps them equal."""

    pct_excl = "pct_excl"
    pct = "pct"
    plans = "plans"
    name = "name"


def _plain() -> bool:
    """ASCII drawing when stdout is not a colour terminal (piped, NO_COLOR, dumb)."""
    console = _console()
    return not console.is_terminal or console.color_system is None


@app.command(cls=PlainErrorsCommand)
@guarded
def council(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME|CODE",
            help="Council name (forgiving: 'Herts', 'hertfordshire') or code ('919', 'E10000015').",
        ),
    ],
    output_format: TableFormatOpt = TableFormat.table,
) -> None:
    """One council's published figures, by year.

    The Department for Education's figures (SEN2, 2019-2024), beside England's and its
    region's: % of new EHC plans issued
    within 20 weeks including and excluding exceptions, plans issued, the 20-52 and
    over-52-week bands, and the council's rank each year (1 = best).
    """
    from .council import council_record
    from .published import find_council
    from .report import published_view as view

    record = council_record(find_council(name))
    _emit_view(
        output_format,
        record.to_dict,
        lambda: view.council_csv(record),
        lambda: view.council_markdown(record),
        lambda: view.render_council(record, plain=_plain()),
    )


def _emit_view(
    output_format: TableFormat,
    doc: Callable[[], dict[str, Any]],
    csv: Callable[[], str],
    markdown: Callable[[], str],
    table: Callable[[], str],
) -> None:
    """Write the one view ``--format`` asks for to stdout."""
    if output_format is TableFormat.json:
        _emit_json(doc())
    else:
        render = {TableFormat.csv: csv, TableFormat.markdown: markdown}.get(output_format, table)
        sys.stdout.write(render())


@app.command(cls=PlainErrorsCommand)
@guarded
def councils(
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="YYYY", help="Calendar year of issue (default: latest)."),
    ] = None,
    sort: Annotated[
        LeagueSortOpt,
        typer.Option("--sort", case_sensitive=False, help="Order of the list."),
    ] = LeagueSortOpt.pct_excl,
    region: Annotated[
        str | None,
        typer.Option("--region", metavar="NAME", help="Only this region's councils."),
    ] = None,
    output_format: TableFormatOpt = TableFormat.table,
) -> None:
    """Every council's published figures, ranked.

    One year's figures for every council (1 = best).

    Ranked by % of new EHC plans issued within 20 weeks excluding exceptions, among all
    councils in England (also with --region).
    """
    from .council import LeagueSort, league
    from .published import published
    from .report import published_view as view

    table = league(
        year if year is not None else published().years[-1],
        sort=LeagueSort(sort.value),
        region=region,
    )
    _emit_view(
        output_format,
        table.to_dict,
        lambda: view.league_csv(table),
        lambda: view.league_markdown(table),
        lambda: view.render_league(table, plain=_plain()),
    )


@app.command(cls=PlainErrorsCommand)
@guarded
def compare(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="A reply giving totals per period: .xlsx .xls .ods .csv .tsv .txt.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    la: Annotated[
        str | None,
        typer.Option(
            "--la",
            metavar="NAME",
            help="The council (name or code); default: the one named in the file.",
        ),
    ] = None,
    sheet: SheetOpt = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="'HEADER=MEASURE'",
            help='Read a header as a measure, e.g. --map "Final EHCPs=plans_issued".',
        ),
    ] = None,
    mapping_file: MeasuresFileOpt = None,
    limit: LimitOpt = None,
    output_format: TableFormatOpt = TableFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write a report file; format from the extension: .xlsx .json .csv .md.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output.")] = False,
    exit_zero: ExitZero = False,
    quiet: QuietOpt = False,
) -> None:
    """A reply's totals beside the published figures.

    Checks a council's own totals against what it reported to the Department.

    Per calendar year (quarters and months added up when they make a whole year): the
    reply's figure, the published one, the difference in plans and points, a verdict,
    the likely reasons for a difference checked one by one, and impossible periods.
    Exit 1 when a year differs or a period is impossible.
    """
    from .compare import compare as compare_totals
    from .report import compare_view as view

    suffixes = (".xlsx", ".json", ".csv", ".md")
    if output is not None and output.suffix.lower() not in suffixes:
        fail(
            f"cannot tell the report format from {output.name!r}; "
            "use one of .xlsx, .json, .csv, .md."
        )
    read = _read_totals(files, sheet, map_, mapping_file, limit)
    notes = []
    if read.issues:
        notes.append(
            f"{len(read.issues)} cell(s) or sheet(s) of the reply were not read as counts; "
            "'ehcp-check totals FILE' lists them."
        )
    if read.unknown_columns:
        notes.append(
            "headers not understood (not compared): "
            + ", ".join(repr(str(u)[:30]) for u in read.unknown_columns[:6])
            + "."
        )
    result = compare_totals(read.table, la=la, notes=notes)
    if output is not None:
        _write_compare(result, output, force=force, inputs=files)
        if not quiet:
            typer.echo(f"Wrote {output}", err=True)
    if output_format is TableFormat.json:
        _emit_json(result.to_dict())
    elif output_format is TableFormat.csv:
        sys.stdout.write(view.compare_csv(result))
    elif output_format is TableFormat.markdown:
        sys.stdout.write(view.compare_markdown(result))
    elif not quiet and (output is None or sys.stdout.isatty()):
        sys.stdout.write(view.render_compare(result))
    raise typer.Exit(1 if result.differs and not exit_zero else 0)


def _write_compare(result: Any, output: Path, *, force: bool, inputs: list[Path]) -> None:
    """A compare report file, its format from the extension."""
    import json

    from .report import compare_view as view
    from .report.compare_xlsx import write_compare_xlsx
    from .report.safe import write_text

    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        write_compare_xlsx(result, output, force=force, inputs=inputs)
        return
    text = {
        ".json": lambda: json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n",
        ".csv": lambda: view.compare_csv(result),
        ".md": lambda: view.compare_markdown(result),
    }[suffix]()
    write_text(output, text, force=force, inputs=inputs)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM as Ctrl-C: unwind, so every ``finally`` removes its temporary files."""
    raise KeyboardInterrupt


def _quiet_unraisable(unraisable: Any) -> None:
    """Drop "Exception ignored in ..." reports (a library's generator closed while the run
    unwinds after an interrupt or a full disk): they print tracebacks that can hold case
    data, and the run has already said what happened in one sentence."""


def _quiet_warning(*args: Any, **kwargs: Any) -> None:
    """Library warnings (dateutil's UnknownTimezoneWarning quotes the cell it parsed) are
    never printed: what matters is reported as data issues."""


def main() -> None:
    """Console-script entry point: exit codes per the data contract (130 on Ctrl-C or
    SIGTERM, after cleaning up)."""
    import signal
    import warnings

    signal.signal(signal.SIGTERM, _terminate)
    sys.unraisablehook = _quiet_unraisable
    if not _state["debug"] and not sys.warnoptions:
        warnings.showwarning = _quiet_warning
    args = sys.argv[1:]
    # The command is the first word that is no option (the global options take no value).
    if next((a for a in args if not a.startswith("-")), None) in _WHOLE_FILE_COMMANDS:
        from ._memory import keep_freed_memory

        keep_freed_memory()
    app_for(args)()


#: Commands that read whole case files, for which the process keeps the memory it frees
#: (see ``_memory.py``); the others start without loading ctypes.
_WHOLE_FILE_COMMANDS = ("audit", "columns")


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command ``args`` name first, or the whole app when they name
    none (``--help``, ``--version``, a misspelt command): typer inspects the signature of
    every command it builds, and building one instead of all nine saves a few milliseconds
    of each run. What the one command parses, prints and exits with is the same."""
    name = args[0] if args else None
    chosen = [
        info
        for info in app.registered_commands
        if info.callback is not None
        and (info.name or typer.main.get_command_name(info.callback.__name__)) == name
    ]
    if len(chosen) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one
