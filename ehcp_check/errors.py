"""One small exception tree. Raise only when nothing can be done; bad rows are DataIssues."""

from __future__ import annotations


class EhcpCheckError(Exception):
    """Base of every error ehcp-check raises on purpose.

    The message is one plain sentence for people: what is wrong and what to do. It never
    quotes more of the input than a file name, a header or one cell.
    """

    exit_code = 2


class UsageError(EhcpCheckError):
    """The options given cannot work together (exit 2)."""


class InputError(EhcpCheckError):
    """An input file cannot be used: missing, unreadable, hostile, or no case table (exit 2)."""


class OutputError(EhcpCheckError):
    """An output file cannot be written safely (exit 2)."""


class InternalError(EhcpCheckError):
    """A broken invariant, such as a row lost between reading and reporting: a bug (exit 3)."""

    exit_code = 3
