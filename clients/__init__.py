"""Parley's clients: the HTTP client library, delegations and strategies, and the CLI.

Nothing here imports ``service``: clients speak to the service over HTTP only.
"""

from clients.client import AsyncParleyClient, ParleyClient
from clients.delegation import Delegation
from clients.errors import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidInput,
    NoDeal,
    NotFound,
    ParleyError,
    ServerError,
    TimeLimit,
    TransportError,
    Unauthorized,
)
from clients.strategies import Answer, Strategy, TableState, make_strategy

__all__ = [
    "Answer",
    "ApiError",
    "AsyncParleyClient",
    "Conflict",
    "Delegation",
    "Forbidden",
    "InvalidInput",
    "NoDeal",
    "NotFound",
    "ParleyClient",
    "ParleyError",
    "ServerError",
    "Strategy",
    "TableState",
    "TimeLimit",
    "TransportError",
    "Unauthorized",
    "make_strategy",
]
