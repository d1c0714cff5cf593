"""Safety helpers shared by every renderer and writer: visible control characters, formula
injection, and atomic, careful writes.

Control characters (:func:`visible`): text from an input file, a file name or an error may
hold ESC, other C0 and C1 controls, or lone surrogates (a file name that is not UTF-8, as
Python decodes it). Raw, they would let a cell clear the screen, set the window title,
write the clipboard (OSC 52) or forge links (OSC 8), and a surrogate cannot be encoded
at all. :func:`visible` shows each as a visible escape (``\x1b``; a file name's undecodable
byte as ``\xe9``), so the text stays readable and nothing acts. The terminal console
(:func:`safe_console`), the Markdown and HTML escapers and the error path all use it.

Formula injection (OWASP "CSV injection"): a spreadsheet evaluates a text that begins with
``=``, ``+``, ``-`` or ``@`` (and, in some programs, a tab or carriage return) as a
formula. Case files come from councils and FOI replies, so every text we did not write is
treated as hostile:

* CSV: such text gets a leading ``'`` (:func:`neutralise`). Excel then shows it as text.
* XLSX: the text is stored unchanged as a string cell (``t="s"``, never an ``<f>`` element)
  with the ``quotePrefix`` style that Excel itself sets when a user types ``'=1+1``, so it
  stays text even when the cell is edited (see ``report/xlsx.py``).

A text that is a plain number (``-3``, ``+4.5``) is left alone: a spreadsheet reads it as
that number, which cannot run anything. Numbers and dates are never turned into text.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import OutputError

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

#: First characters that make a spreadsheet treat a text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_RISKY_START = r"[=+\-@\t\r]"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_RISKY = re.compile(_RISKY_START)
_PLAIN_NUMBER = re.compile(_NUMBER)


#: Characters never shown raw: C0 controls but tab and line feed, DEL, C1 controls, lone
#: surrogates, and the bidirectional overrides that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_LAYOUT = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte a file name could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, layout: bool = True) -> str:
    """``text`` with every control character shown as a visible escape.

    ``layout`` keeps tab and line feed (where the output has lines); without it they are
    escaped too. Plain text comes back unchanged (one C-speed search).

    >>> visible("C-1\x1b[2J"), visible("r\udce9ponse.csv"), visible("a\tb", layout=False)
    ('C-1\\x1b[2J', 'r\\xe9ponse.csv', 'a\\x09b')
    """
    pattern = _CONTROL if layout else _CONTROL_OR_LAYOUT
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def safe_console(**options: Any) -> Console:
    """A rich console that shows control characters in any text it writes as visible escapes
    (its own styling and cursor codes pass through): every terminal renderer prints
    through one. Emoji codes such as ``:fire:`` are shown as written, never replaced (which
    also spares loading rich's table of emoji names at each start)."""
    from rich.console import Console
    from rich.segment import Segment

    class _SafeConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(visible(text), **kwargs)  # escaped before layout

        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            clean = (
                seg if seg.control else Segment(visible(seg.text), seg.style, seg.control)
                for seg in buffer
            )
            return super()._render_buffer(clean)

    options.setdefault("emoji", False)
    return _SafeConsole(**options)


def is_risky(text: str) -> bool:
    """True when a spreadsheet could evaluate ``text`` as a formula."""
    return bool(_RISKY.match(text)) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(value: object) -> object:
    """A text that could run as a formula gets a leading ``'``; anything else is unchanged.

    >>> neutralise("=1+1")
    "'=1+1"
    >>> neutralise("-3"), neutralise(-3), neutralise("Smith")
    ('-3', -3, 'Smith')
    """
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def neutralise_text(text: str) -> str:
    """:func:`neutralise` for a value known to be a string (typed for callers)."""
    return "'" + text if is_risky(text) else text


def neutralise_series(values: pd.Series) -> pd.Series:
    """:func:`neutralise` over a column (object dtype out; each distinct value checked once,
    non-strings pass through)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = np.array([neutralise(u) for u in uniques.tolist()] + [None], dtype=object)
    return pd.Series(lookup[codes], index=values.index, dtype=object)


def check_output_path(
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Refuse an output path that is an input file, a directory, or (without ``force``) an
    existing file. Returns the path as a :class:`Path`."""
    out = Path(path)
    for given in inputs:
        src = Path(given)
        same = out.resolve() == src.resolve()
        if not same and out.exists() and src.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(out, src)
        if same:
            raise OutputError(
                f"the output file {out} is one of the input files; choose another name so "
                "the council's data is not overwritten."
            )
    if out.is_dir():
        raise OutputError(f"the output path {out} is a folder; give a file name.")
    if out.exists() and not force:
        raise OutputError(f"the output file {out} already exists; use --force to overwrite it.")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"the folder {parent} does not exist; create it first.")
    return out


@contextlib.contextmanager
def _library_temp_files_in(folder: Path) -> Iterator[None]:
    """Send libraries' temporary files (openpyxl writes each sheet to one) into ``folder``
    while a writer runs, instead of the system temp folder: case data never lands outside
    the output's own folder, and the folder is removed with everything in it afterwards."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved


#: Errors that mean "this file system cannot make hard links here".
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK})


def _link_into_place(tmp: Path, out: Path) -> None:
    """Put the finished file at ``out`` only if nothing is there: a hard link fails with
    EEXIST when another writer got there first (atomic, unlike check-then-rename). Where
    links are unsupported, an exclusively created placeholder is replaced instead."""
    try:
        os.link(tmp, out)
        return
    except FileExistsError:
        raise _exists(out) from None
    except OSError as err:
        if err.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.EXDEV,
            errno.EMLINK,
        ):
            raise
    try:
        os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise _exists(out) from None
    os.replace(tmp, out)


def _exists(out: Path) -> OutputError:
    return OutputError(f"the output file {out} already exists; use --force to overwrite it.")


def atomic_write(
    path: str | os.PathLike[str],
    writer: Callable[[Path], None],
    *,
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write a file all at once or not at all, and never over another writer's file.

    ``writer`` is called with a temporary path inside a private folder created next to
    ``path`` (libraries' own temporary files go there too). When it returns, the file is
    put in place: with ``force`` by :func:`os.replace` (atomic on one file system);
    without, by a hard link that fails if ``path`` exists, so two runs writing the same
    name cannot both succeed. On any error or interrupt the private folder is removed and
    ``path`` is left as it was. Raises :class:`~ehcp_check.errors.OutputError` for an
    unsafe ``path`` and for a write that fails (a full disk, say) as one sentence.
    """
    out = check_output_path(path, force=force, inputs=inputs)
    parent = out.parent if str(out.parent) else Path(".")
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=parent))
    except OSError as err:
        raise OutputError(f"cannot write in the folder {parent}: {err.strerror}.") from err
    tmp = work / out.name
    try:
        with _library_temp_files_in(work):
            writer(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        if force:
            os.replace(tmp, out)
        else:
            _link_into_place(tmp, out)
    except OSError as err:
        raise OutputError(f"cannot write {out}: {err.strerror or err}.") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    encoding: str = "utf-8",
) -> Path:
    """Write ``text`` atomically (``\\n`` line ends, as given)."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)

    return atomic_write(path, write, force=force, inputs=inputs)


def write_pieces(path: Path, pieces: Iterable[str], *, prefix: bytes = b"") -> None:
    """Write ``prefix`` and then ``pieces`` (as UTF-8) to ``path``, a new file.

    The writes happen on a second thread while the next piece is being made (a write
    waits on the disk without holding the interpreter), so a long file costs little more
    than making its text. An error on either side stops both and is raised here.
    """
    import queue
    import threading

    todo: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failed: list[BaseException] = []

    def drain(fh: Any) -> None:
        try:
            while (data := todo.get()) is not None:
                if not failed:
                    fh.write(data)
        except BaseException as err:  # handed to the caller below
            failed.append(err)
            while todo.get() is not None:  # let the maker finish putting
                pass

    with open(path, "wb") as fh:
        worker = threading.Thread(target=drain, args=(fh,), daemon=True)
        worker.start()
        try:
            if prefix:
                todo.put(prefix)
            for piece in pieces:
                if failed:
                    break
                todo.put(piece.encode("utf-8"))
        finally:
            todo.put(None)
            worker.join()
    if failed:
        raise failed[0]
