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
    """The file name as the user gave it (for messages)."""
    data: bytes
    """The whole file."""
    identity: tuple[int, int]
    """(device, inode) of the file that was read."""


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
    name = os.fspath(path)
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
    return Source(name, data, (info.st_dev, info.st_ino))


def _read_all(
    fd: int, name: str, size: int, max_bytes: int, too_big: Callable[[str, int], str]
) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, min(_READ, max_bytes + 1 - total) or 1)
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
