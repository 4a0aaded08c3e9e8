"""The Caller: a route's request, whose body reads as JSON exactly as the standard library
reads it (pydantic's faster reader first, the standard library's for what it refuses)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.api.deps import Caller
from service.domain.errors import Unauthorized

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


def _read(body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> Any:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers or []}
    return asyncio.run(Caller(scope, receive).json())


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_every_document_reads_as_the_standard_library_reads_it(value: Any, ascii_only: bool):
    body = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert repr(_read(body)) == repr(json.loads(body))


@pytest.mark.parametrize(
    "body",
    [
        b'["\\ud800"]',  # a lone surrogate: pydantic's reader refuses it
        b"[" * 500 + b"]" * 500,  # deeper than pydantic's reader goes
        b'{"a": 1, "a": 2}',
        b'{"n": 100000000000000000000000000000000000001}',
        b'{"x": 1e400, "y": NaN}',
    ],
)
def test_what_the_fast_reader_refuses_reads_as_before(body: bytes):
    assert repr(_read(body)) == repr(json.loads(body))


@pytest.mark.parametrize("body", [b"", b"{", b'{"a": 1} x', b"\xff"])
def test_a_body_that_is_not_json_fails_as_before(body: bytes):
    try:
        json.loads(body)
    except ValueError as error:
        expected = error
    with pytest.raises(type(expected)) as raised:
        _read(body)
    assert str(raised.value) == str(expected)


def _caller(headers: list[tuple[bytes, bytes]]) -> Caller:
    return Caller({"type": "http", "method": "GET", "path": "/", "headers": headers}, _nothing)


async def _nothing() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def test_the_token_is_read_and_a_malformed_header_refused():
    assert _caller([(b"authorization", b"Bearer  prl_x ")]).token == "prl_x"
    assert _caller([(b"authorization", b"bearer prl_y")]).token == "prl_y"
    assert _caller([]).token is None
    for header in (b"Basic abc", b"Bearer ", b"Bearer"):
        with pytest.raises(Unauthorized):
            _caller([(b"authorization", header)])
