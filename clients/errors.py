"""The exceptions the client raises, mapped from the service's error codes.

ParleyError               any failure talking to a Parley server
 +-- ApiError             the server answered with an error (status, code, message, details)
 |    +-- InvalidInput    422: malformed input; details.errors says where and what is allowed
 |    +-- NotFound        404
 |    +-- Conflict        409: out of turn; the message says what the summit waits for
 |    |    +-- NoDeal     409: no package keeps every active red line (details: conflicts)
 |    +-- Forbidden       403
 |    +-- Unauthorized    401
 |    +-- ServerError     5xx
 |         +-- TimeLimit  503: the solver's time limit ran out before it found an answer
 +-- TransportError       no answer (connection refused, reset, timed out)
"""

from __future__ import annotations

from typing import Any


class ParleyError(Exception):
    """Any failure talking to a Parley server."""


class TransportError(ParleyError):
    """The server could not be reached or did not answer."""


class ApiError(ParleyError):
    """The server answered with an error."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class InvalidInput(ApiError):
    """422: the request was malformed or named values outside the agenda."""


class NotFound(ApiError):
    """404: no such summit, party, red line, proposal or round."""


class Conflict(ApiError):
    """409: out of turn or against the rules."""


class NoDeal(Conflict):
    """409 no_deal: no package keeps every active red line; details hold the conflicts."""


class Forbidden(ApiError):
    """403: the token may not do this."""


class Unauthorized(ApiError):
    """401: missing, malformed or unknown token."""


class ServerError(ApiError):
    """5xx: the server failed."""


class TimeLimit(ServerError):
    """503 time_limit: the solver's search ran out of time; ask again with more."""


_BY_CODE: dict[str, type[ApiError]] = {"no_deal": NoDeal, "time_limit": TimeLimit}
_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidInput,
}


def error_for(status: int, body: Any) -> ApiError:
    """Build the exception for an error response."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {"code": "http_error", "message": str(body)[:500], "details": None}
    kind = _BY_CODE.get(str(error.get("code"))) or _BY_STATUS.get(
        status, ServerError if status >= 500 else ApiError
    )
    return kind(status, str(error.get("code")), str(error.get("message")), error.get("details"))
