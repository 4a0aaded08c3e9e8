"""The Caller: a route's request, whose body reads as JSON exactly as the standard library
reads it (pydantic's faster reader first, the standard library's for what it refuses)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi import Request
from hypothesis import given, settings
from hypothesis import strategies as st

from service.api.deps import Caller, CallerRoute
from service.domain.errors import Unauthorized
from tests.api.helpers import assert_refused, make_table

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
        caller = _caller([(b"authorization", header)])
        with pytest.raises(Unauthorized):
            caller.token  # noqa: B018 - reading it raises


MALFORMED = {"Authorization": "Basic abc", "content-type": "application/json"}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        # FastAPI parses a JSON body before anything else: a body that is not JSON is its 422.
        (b'{"package": ', 422, "body"),
        (b"[" * 5000 + b"]" * 5000, 422, "body"),
        # A body that parses leaves the malformed header to answer first: 401.
        (b'{"package": {"nothing": 1}, "extra": true}', 401, None),
        (b"", 401, None),
    ],
)
async def test_a_malformed_header_answers_after_a_body_that_is_not_json(
    client, database, body, status, where
):
    table = await make_table(client, start=True)
    url = f"/summits/{table.id}/check"
    error = await assert_refused(
        database, lambda: client.post(url, content=body, headers=MALFORMED), status
    )
    if where is not None:
        assert error["details"]["errors"][0]["loc"][0] == where
    else:
        assert error["code"] == "unauthorized"


@pytest.mark.anyio
async def test_a_malformed_header_is_401_on_a_route_without_a_body(client, database):
    table = await make_table(client)
    await assert_refused(
        database, lambda: client.get(f"/summits/{table.id}", headers=MALFORMED), 401
    )


def test_a_route_may_take_one_request_only():
    async def both(request: Request, caller: Caller) -> None:
        return None

    with pytest.raises(TypeError, match="one Caller"):
        CallerRoute("/both", both, methods=["GET"])
