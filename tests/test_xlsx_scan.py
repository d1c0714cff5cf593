"""The package guard's plain-stretch measure agrees with its definition in regular expressions.

:func:`ehcp_check.ingest.package._plain_cells` finds every cell start tag with numpy; the
regular expressions here say what it must find: a stretch is plain when every ``<c`` start
tag is ``<c r="`` then 1-3 capitals, 1-7 digits, ``"`` and white space, ``/`` or ``>``, and
then its cells are those references, in order. Any byte soup must get the same answer.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.ingest.package import _needs_callbacks, _plain_cells, column_number

_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_PLAIN = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[\s/>]')
_PREFIXED = re.compile(rb":c[\s/>]")
_HUGE_NEGATIVE = re.compile(rb"<v>\s*-\s*(?:[0-9]{11}|[0-9.]*[eEiI])")


def _defined(data: bytes) -> tuple[list[int], list[int]] | None:
    starts = data.count(b'<c r="')
    if data.count(b"<c") != starts and sum(map(data.count, _STARTS)) != starts:
        return None
    found = _PLAIN.findall(data)
    if len(found) != starts:
        return None
    return [int(r) for _, r in found], [column_number(c) for c, _ in found]


def _needs(data: bytes) -> bool:
    if b'"e"' in data or b"'e'" in data or b"dimension" in data:
        return True
    if b":c" in data and _PREFIXED.search(data):
        return True
    return _HUGE_NEGATIVE.search(data) is not None


_REFERENCE = st.builds(
    lambda letters, digits, after: b'<c r="' + letters + digits + after,
    st.text("ABCXYZ", min_size=0, max_size=4).map(str.encode),
    st.text("0123456789", min_size=0, max_size=9).map(str.encode),
    st.sampled_from([b'" ', b'"/', b'">', b'"\t', b'"\x0b', b'"\x0c', b'"x', b'"', b"", b"'>"]),
)
_PIECE = st.one_of(
    _REFERENCE,
    _REFERENCE,
    st.sampled_from(
        [b"<c>", b"<c/>", b"<cols>", b"<col ", b"<c", b"<c\n", b"<c\r", b"<c\t", b"<x:c ", b"<",
         b"<c  r=", b"<c r='A1'>", b'<c r="a1" ', b'<c s="0" r="A1">', b"<v>1</v>", b"</c>",
         b"<row r=\"3\">", b'"e"', b"'e'", b"'", b":", b":c>", b"dimension", b"<v>-12345678901",
         b"<v> - 1e5", b"c", b'r="']
    ),
    st.binary(max_size=6),
)  # fmt: skip
_VALID = st.builds(
    lambda letters, digits, after: b'<c r="' + letters + digits + after,
    st.text("ABCXYZ", min_size=1, max_size=3).map(str.encode),
    st.text("0123456789", min_size=1, max_size=7).map(str.encode),
    st.sampled_from([b'" ', b'"/', b'">', b'"\t', b'"\n', b'"\r', b'"\x0b', b'"\x0c', b'"x']),
)
_HARMLESS = st.sampled_from([b"<v>1</v>", b"</c>", b'<row r="3">', b"</row>", b"text", b"<c/>"])
#: Mostly plain stretches, so that one odd cell decides the answer.
_PLAIN_SOUP = st.lists(st.one_of(_VALID, _VALID, _HARMLESS, _PIECE), max_size=30).map(b"".join)
_SOUP = st.one_of(st.lists(_PIECE, max_size=30).map(b"".join), _PLAIN_SOUP)


@settings(max_examples=400, deadline=None)
@given(_SOUP)
def test_plain_cells_are_the_regular_expressions_cells(data: bytes) -> None:
    found = _plain_cells(data)
    want = _defined(data)
    if want is None:
        assert found is None
        return
    assert found is not None
    assert (found[0].tolist(), found[1].tolist()) == want


@settings(max_examples=400, deadline=None)
@given(_SOUP)
def test_what_needs_the_parser_is_decided_as_before(data: bytes) -> None:
    assert _needs_callbacks(data) is _needs(data)


def test_plain_cells_at_the_limits_of_a_reference() -> None:
    found = _plain_cells(b'<row r="1"><c r="XFD1048576"><v>1</v></c><c r="A9999999"/>')
    assert found is not None
    assert (found[0].tolist(), found[1].tolist()) == ([1048576, 9999999], [16384, 1])
    assert _plain_cells(b'<c r="A12345678"/>') is None  # eight digits: left to the parser
    assert _plain_cells(b'<c r="ABCD1"/>') is None  # four letters
    assert _plain_cells(b'<c r="A1"') is None  # nothing after the quote
    assert _plain_cells(b"<cols><col/></cols>") is not None  # no cell at all


def test_each_byte_after_a_reference() -> None:
    for byte in range(256):
        data = b'<c r="B7' + bytes([ord('"'), byte]) + b'<c r="A1">'
        assert (_plain_cells(data) is None) is (_defined(data) is None), byte
