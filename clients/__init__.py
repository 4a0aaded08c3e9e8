"""Parley's clients: the HTTP client library, delegations and strategies, and the CLI.

Nothing here imports ``service``: clients speak to the service over HTTP only. The public
names are imported on first use, so that ``parley`` commands load only what they need and
importing one pure module (``clients.scenario``, as the service's web side does) does not pull
in the HTTP client with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clients.async_client import AsyncParleyClient
    from clients.client import ParleyClient
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

# Each public name and the module it lives in.
_HOMES = {
    "AsyncParleyClient": "clients.async_client",
    "ParleyClient": "clients.client",
    "Delegation": "clients.delegation",
    **dict.fromkeys(
        [
            "ApiError",
            "Conflict",
            "Forbidden",
            "InvalidInput",
            "NoDeal",
            "NotFound",
            "ParleyError",
            "ServerError",
            "TimeLimit",
            "TransportError",
            "Unauthorized",
        ],
        "clients.errors",
    ),
    **dict.fromkeys(["Answer", "Strategy", "TableState", "make_strategy"], "clients.strategies"),
}

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


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'clients' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
