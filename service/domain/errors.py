"""The error tree of the domain.

Every error the service reports to a caller is one of these. They carry a machine-readable
``code``, a message written for the caller, and ``details`` (JSON-serialisable). They know
nothing of HTTP: the API layer maps each class to a status code in one place.

    ParleyError
     +-- InvalidInput     the request is malformed or names values outside the agenda
     +-- NotFound         no such summit, party, red line, proposal or round
     +-- Conflict         the request is well formed but out of turn or against the rules
     |    +-- NoDeal      no package keeps every active red line
     +-- Forbidden        the caller is known but may not do this
     +-- Unauthorized     the caller is not identified (missing, malformed or unknown token)
     +-- TimeLimit        a search ran out of time before it could answer
     +-- Busy             a write could not get the database's write lock in time
"""

from __future__ import annotations

from typing import Any


class ParleyError(Exception):
    """Base of every error the service reports to a caller."""

    code = "error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(ParleyError):
    """The input is malformed or outside the agenda's domain."""

    code = "invalid_input"


class NotFound(ParleyError):
    """The named resource does not exist (or may not be revealed to the caller)."""

    code = "not_found"


class Conflict(ParleyError):
    """The request is valid but the summit is not in a state that allows it."""

    code = "conflict"


class Forbidden(ParleyError):
    """The caller is identified but lacks the right for this action."""

    code = "forbidden"


class Unauthorized(ParleyError):
    """The caller could not be identified."""

    code = "unauthorized"


class NoDeal(Conflict):
    """No package keeps every active red line; ``details`` names the conflicts."""

    code = "no_deal"


class TimeLimit(ParleyError):
    """A solver search ran out of time before it found an answer."""

    code = "time_limit"


class Busy(ParleyError):
    """A write waited its bounded time for the database's write lock and did nothing.

    ``retry_after`` says in how many seconds trying again is sensible.
    """

    code = "busy"

    def __init__(self, message: str, *, retry_after: int = 1, details: Any = None) -> None:
        super().__init__(message, details=details)
        self.retry_after = retry_after
