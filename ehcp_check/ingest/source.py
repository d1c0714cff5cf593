"""Open every file the user names once, check it is safe to read, and read it from that handle.

Case files, ``--closures`` and ``--mapping-file`` all come through :func:`read_source`: the
file is opened once (non-blocking, so a pipe cannot hang the open), checked with
``fstat`` on that same handle (a regular file, not empty, not over its size limit), then
read from the handle with the limit as a hard ceiling (a file that grows while being read
is refused, not followed). Nothing checks one file and reads another: a swap between
the check and the read cannot change what is read.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

from ehcp_check.errors import InputError
from ehcp_check.ingest.limits import Limits, human_size, raise_hint

_READ = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True, slots=True)
class Source:
    """One input file's bytes, read once."""

    name: str
    """The file name as the user gave it, for messages and reports (:func:`display_name`)."""
    data: bytes
    """The whole file."""


def display_name(path: str | os.PathLike[str]) -> str:
    """A file name as text every output can hold: a byte that is not UTF-8 (a name from a
    Windows archive, decoded with surrogate escapes) is shown as ``\\xe9``."""
    name = os.fspath(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate no file system byte stands for
            return name.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return name


def _gib_up(size: int) -> str:
    return f"{-(-size // (1 << 30))}GiB"


def case_file_too_big(limits: Limits) -> Callable[[str, int], str]:
    """The refusal for a case file over ``--limit file-size``."""

    def message(name: str, size: int) -> str:
        return (
            f"{name} is {human_size(size)}, more than the "
            f"{human_size(limits.max_file_bytes)} limit on input files; "
            f"{raise_hint('max_file_bytes', _gib_up(size))}."
        )

    return message


def read_source(
    path: str | os.PathLike[str],
    max_bytes: int,
    too_big: Callable[[str, int], str],
    *,
    what: str = "the spreadsheet",
) -> Source:
    """Open ``path`` once, refuse anything but a readable, non-empty regular file of at most
    ``max_bytes``, and return its bytes. ``too_big(name, size)`` words the size refusal;
    ``what`` names what a folder should hold. Raises :class:`InputError`."""
    name = display_name(path)
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise InputError(f"{name} does not exist: check the file name and folder.") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a directory, not a file: give {what} inside it.") from None
    except PermissionError:
        raise InputError(f"{name} cannot be read: you do not have permission to open it.") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a pipe with no writer on some systems
            raise _not_regular(name) from None
        raise InputError(f"{name} cannot be opened ({exc.strerror or 'unknown error'}).") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name} is a directory, not a file: give {what} inside it.")
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(name)
        if info.st_size == 0:
            raise InputError(f"{name} is empty (0 bytes): export or save it again.")
        if info.st_size > max_bytes:
            raise InputError(too_big(name, info.st_size))
        os.set_blocking(fd, True)
        data = _read_all(fd, name, info.st_size, max_bytes, too_big)
    finally:
        os.close(fd)
    if not data:
        raise InputError(f"{name} is empty (0 bytes): export or save it again.")
    return Source(name, data)


def _read_all(
    fd: int, name: str, size: int, max_bytes: int, too_big: Callable[[str, int], str]
) -> bytes:
    chunks: list[bytes] = []
    total = 0
    # The size the file says it has, and one byte more to see it did not grow, in one read
    # (no copy to join); then blocks, for a file that grew or a short read.
    want = max(size + 1, _READ)
    while True:
        try:
            chunk = os.read(fd, min(want, max_bytes + 1 - total) or 1)
            want = _READ
        except OSError as exc:
            raise InputError(
                f"{name} cannot be read ({exc.strerror or 'unknown error'}): copy it to a "
                "local folder and try again."
            ) from None
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise InputError(too_big(name, max(total, size)))
        chunks.append(chunk)


def _not_regular(name: str) -> InputError:
    return InputError(
        f"{name} is not a regular file (it is a device, pipe or socket); only ordinary "
        "files are read."
    )


#: Deepest nesting of arrays and inline tables a settings file may use (real ones use 2).
MAX_TOML_DEPTH = 32
#: Largest settings file (closures, column mapping): real ones are a few KiB.
MAX_SETTINGS_BYTES = 1 << 20


def settings_too_big(what: str) -> Callable[[str, int], str]:
    """The refusal for a settings file over :data:`MAX_SETTINGS_BYTES`."""

    def message(name: str, size: int) -> str:
        return (
            f"{what} {name} is {human_size(size)}, too large for {what.lower()} (the limit is "
            f"{human_size(MAX_SETTINGS_BYTES)}); check it is the right file."
        )

    return message


def read_settings_text(path: str | os.PathLike[str], what: str) -> tuple[str, str]:
    """(name, text) of a small UTF-8 settings file read through :func:`read_source`; ``what``
    (``Closures file``, ``Mapping file``) starts each refusal."""
    source = read_source(path, MAX_SETTINGS_BYTES, settings_too_big(what), what="the file")
    try:
        return source.name, source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{what} {source.name} is not UTF-8 text; save it as UTF-8.") from None


def toml_depth(text: str) -> int:
    """How deeply arrays and inline tables nest (brackets inside strings and comments are
    not counted). Linear in the text."""
    depth = deepest = 0
    quote = ""
    escaped = comment = False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return deepest


def parse_toml(name: str, text: str, what: str) -> dict[str, object]:
    """Parse a settings file's TOML, refusing nesting past :data:`MAX_TOML_DEPTH` first (the
    parser recurses once per level)."""
    import tomllib

    if toml_depth(text) > MAX_TOML_DEPTH:
        raise InputError(
            f"{what} {name} nests arrays or tables more than {MAX_TOML_DEPTH} deep, which no "
            "settings file needs; check it is the right file."
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{what} {name} is not valid TOML ({exc}).") from None
    except RecursionError:
        raise InputError(f"{what} {name} nests too deeply to read.") from None
