"""One error shape, one handler per kind of failure; the only place that knows status codes."""

from __future__ import annotations

import logging
import math
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.ratelimit import RateLimited, retry_after_header
from service.domain.errors import (
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ParleyError,
    TimeLimit,
    Unauthorized,
)

log = logging.getLogger("parley.api")

STATUS: dict[type[ParleyError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Unauthorized: 401,
    TimeLimit: 503,
    Busy: 503,
}


# How many problems details.errors lists; the rest are counted (total, omitted).
MAX_LISTED_ERRORS = 10


class ErrorJSON(JSONResponse):
    """JSON that can always be written: input echoed in an error may not be encodable."""

    def render(self, content: Any) -> bytes:
        """Encode the body, escaping lone surrogates and writing non-finite numbers as text."""
        try:
            return super().render(content)
        except (UnicodeEncodeError, ValueError):
            return super().render(encodable(content))


def encodable(value: Any) -> Any:
    """Return ``value`` with every string UTF-8 encodable and every float finite."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {encodable(key): encodable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encodable(item) for item in value]
    return value


def capped(details: Any) -> Any:
    """List at most MAX_LISTED_ERRORS problems in ``details``, with how many there were."""
    if not isinstance(details, dict):
        return details
    listed = details.get("errors")
    if not isinstance(listed, list) or len(listed) <= MAX_LISTED_ERRORS:
        return details
    total = max(len(listed), details.get("total") or 0)
    return {
        **details,
        "errors": listed[:MAX_LISTED_ERRORS],
        "total": total,
        "omitted": total - MAX_LISTED_ERRORS,
    }


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """Return the API's one error shape (details capped, echoed input made encodable)."""
    body = {"error": {"code": code, "message": message, "details": capped(details)}}
    return ErrorJSON(body, status_code=status, headers=headers)


def status_of(error: ParleyError) -> int:
    """Return the HTTP status of a domain error."""
    for kind in type(error).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return 500


async def _parley_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ParleyError)
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, Busy):
        headers = {"Retry-After": str(exc.retry_after)}
    return error_response(status, exc.code, exc.message, exc.details, headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": list(error.get("loc", ())),
            "message": error.get("msg", ""),
            "type": error.get("type"),
        }
        for error in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "message": "invalid request"}
    where = "/".join(str(part) for part in first["loc"])
    message = f"{first['message']} (at {where})" if where else str(first["message"])
    return error_response(422, InvalidInput.code, message, {"errors": errors})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's answer to a body it could not parse (e.g. JSON nested too deeply).
        return error_response(
            422,
            InvalidInput.code,
            "the request body could not be parsed: it must be JSON, nested at most a few "
            "hundred levels",
            {"errors": [{"loc": ["body"], "message": str(exc.detail)}]},
        )
    codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
    code = codes.get(exc.status_code, "http_error")
    message = "no such route" if exc.status_code == 404 else str(exc.detail)
    return error_response(exc.status_code, code, message, None, getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s on %s %s", incident, request.method, request.url.path)
    return error_response(500, "internal_error", "internal server error", {"incident": incident})


async def _rate_limited(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    retry = retry_after_header(exc)
    return error_response(
        429,
        "rate_limited",
        f"too many {exc.what}: this token may make {exc.burst} at once, then {exc.rate:g} a "
        f"second; retry in {retry} s",
        {"retry_after": float(retry), "rate": exc.rate, "burst": exc.burst},
        {"Retry-After": retry},
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(ParleyError, _parley_error)
    app.add_exception_handler(RateLimited, _rate_limited)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
