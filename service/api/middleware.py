"""The request guard: what no route should ever see, refused before any route runs.

- a body over the configured size is a 413 (read no further than the limit);
- text the databases cannot store is a 422 naming where it is: a NUL character (PostgreSQL
  refuses it, SQLite would keep it: one behaviour for both) or a lone surrogate (not UTF-8);
- a non-finite number (``NaN``, ``Infinity``, or ``1e400``, which overflows to infinity) is a
  422: JSON has no such numbers and no column can hold them.

Bodies that are not JSON at all are left to FastAPI, which answers them in the error shape.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import MAX_LISTED_ERRORS, error_response

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
# Where JSON can hold a non-finite number: a NaN or Infinity constant, an exponent of three
# digits or more, or (with an exponent of at most 99, and no leading zeros in JSON) an integer
# part of 210 digits or more. Searched for one by one: as one alternation, Python's regular
# expressions take 4.6 µs over a proposal's body instead of 1.8.
_LONG_EXPONENT = re.compile(rb"[eE][+-]?\d{3}")
_LONG_NUMBER = 210
_LONG_DIGITS = re.compile(rb"\d{%d}" % _LONG_NUMBER)


class _NonFinite:
    """What the JSON reader puts where the text had NaN, Infinity or -Infinity."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class RequestGuard:
    """ASGI middleware: body size cap, then storable text and finite numbers."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what no route may see; pass everything else on unchanged."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = _url_problems(scope)
        if problems:
            await _refuse_input(problems, scope, receive, send)
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        body = await self._body(receive)
        if body is None:
            return  # the client went away
        if len(body) > self.max_body_bytes:
            await self._too_large(scope, receive, send)
            return
        # Nearly every body is ASCII and holds nothing suspect: it needs no parse.
        if not body.isascii() or _suspect(body):
            found = _body_problems(body)
            # The error lists the first few problems and counts them all: keep only the first.
            problems = list(islice(found, MAX_LISTED_ERRORS + 1))
            if problems:
                total = len(problems) + sum(1 for _ in found)
                await _refuse_input(problems, scope, receive, send, total=total)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _body(self, receive: Receive) -> bytes | None:
        """Read the body (no further than just past the limit); None if the client left."""
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        first: bytes = message.get("body", b"")
        if not message.get("more_body", False):
            return first  # nearly every body comes in one message
        body = bytearray(first)
        while len(body) <= self.max_body_bytes:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        return bytes(body)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_body_bytes
        response = error_response(
            413,
            "too_large",
            f"the request body is larger than {limit} bytes",
            {
                "errors": [
                    {"loc": ["body"], "message": "too large", "allowed": f"at most {limit} bytes"}
                ]
            },
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _refuse_input(
    problems: list[dict[str, Any]],
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    total: int | None = None,
) -> None:
    """Answer 422 with ``problems`` (the first of ``total``, when more were counted)."""
    count = len(problems) if total is None else total
    first = problems[0]
    where = "/".join(str(part) for part in first["loc"])
    more = f" (and {count - 1} more problems)" if count > 1 else ""
    details: dict[str, Any] = {"errors": problems}
    if count > len(problems):
        details["total"] = count
    response = error_response(
        422, "invalid_input", f"{first['message']} (at {where}){more}", details
    )
    await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _url_problems(scope: Scope) -> list[dict[str, Any]]:
    problems = []
    if "\x00" in scope["path"]:
        problems.append(_problem(["path"], "a NUL character"))
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                problems.append(_problem(["query", name.replace("\x00", "")], "a NUL character"))
    return problems


def _body_problems(body: bytes) -> Iterator[dict[str, Any]]:
    if not body:
        return
    if not body.isascii():
        try:
            body.decode("utf-8")  # json.loads would let encoded surrogates through
        except UnicodeDecodeError as error:
            yield _problem(["body"], f"bytes that are not UTF-8 (from byte {error.start})")
            return
    # Nearly every body holds neither: it needs no parse to find where.
    if not _suspect(body):
        return
    non_finite: list[str] = []

    def constant(text: str) -> _NonFinite:
        non_finite.append(text)
        return _NonFinite(text)

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            non_finite.append(text)
        return value

    try:
        document = json.loads(body, parse_constant=constant, parse_float=number)
    except (ValueError, RecursionError):
        return  # not JSON: FastAPI answers it
    # JSON carries a NUL or a lone surrogate only as a \u escape.
    if not non_finite and _SUSPECT_ESCAPE.search(body) is None:
        return
    # Every problem is counted (the body is bounded); the error lists the first few.
    for loc, bad in _walk(document):
        yield _problem(["body", *loc], bad)


def _suspect(body: bytes) -> bool:
    """Say whether a body may hold a non-finite number, or a NUL or lone surrogate escape."""
    return (
        b"NaN" in body
        or b"Infinity" in body
        or (b"\\u" in body and _SUSPECT_ESCAPE.search(body) is not None)
        or _LONG_EXPONENT.search(body) is not None
        or (len(body) >= _LONG_NUMBER and _LONG_DIGITS.search(body) is not None)
    )


def _problem(loc: list[str | int], what: str) -> dict[str, Any]:
    if what == "a non-finite number":
        allowed = "a finite number"
    else:
        allowed = "text without NUL characters or lone surrogates (UTF-8 only)"
    return {"loc": loc, "message": f"the input holds {what}", "allowed": allowed}


def _walk(document: object) -> Iterator[tuple[list[str | int], str]]:
    stack: list[tuple[object, list[str | int]]] = [(document, [])]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, str):
            bad = _bad_text(value)
            if bad:
                yield loc, bad
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                bad = _bad_text(key)
                if bad:
                    yield [*loc, _printable(key)], bad
                stack.append((item, [*loc, _printable(key)]))
        elif isinstance(value, list):
            stack.extend((item, [*loc, i]) for i, item in reversed(list(enumerate(value))))
        elif isinstance(value, _NonFinite) or (
            isinstance(value, float) and not math.isfinite(value)
        ):
            yield loc, "a non-finite number"


def _bad_text(text: str) -> str | None:
    if text.isascii():
        return "a NUL character" if "\x00" in text else None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "a lone surrogate (not UTF-8)"
    return "a NUL character" if "\x00" in text else None


def _printable(key: str) -> str:
    """Return a key as an error may echo it: NULs dropped, lone surrogates escaped."""
    return key.replace("\x00", "").encode("utf-8", "backslashreplace").decode("utf-8")
