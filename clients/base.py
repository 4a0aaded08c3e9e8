"""What ``ParleyClient`` and ``AsyncParleyClient`` share: configuration, reading answers, retries.

Idempotent calls (reads, PUTs, checks) are retried with exponential backoff when the server
cannot be reached; moves are never retried, since a lost answer may hide a move that was made.
An answer of 400 or more becomes the exception of ``clients.errors`` for its status and code.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any, TypeVar

import httpx

from clients.endpoints import Call
from clients.errors import TransportError, error_for

T = TypeVar("T")


@functools.cache
def tls_context() -> ssl.SSLContext:
    """Return httpx's default TLS settings, built once for every client of the process.

    Each client would otherwise build its own (~16 ms of CPU, loading the certificate roots),
    though most speak plain HTTP to a server on 127.0.0.1.
    """
    return httpx.create_ssl_context()


_RETRYABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError)


class BaseClient:
    """What both clients share: configuration, headers, reading answers, the retry policy."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.1,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _request(self, call: Call[Any]) -> dict[str, Any]:
        return {
            "method": call.method,
            "url": call.path,
            "json": call.json,
            "params": call.params or None,
            "timeout": call.timeout or self.timeout,
        }

    @staticmethod
    def _read(call: Call[T], response: httpx.Response) -> T:
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = response.text
            raise error_for(response.status_code, body)
        return call.parse(response)

    def _retry_after(self, call: Call[Any], attempt: int, error: httpx.TransportError) -> float:
        """Return how long to wait before retrying ``call`` after a failed ``attempt`` (from 0).

        Raise ``TransportError`` instead when it may not be retried: a move (a lost answer
        may hide a move that was made), an error that a retry would not mend, or the last try.
        """
        retryable = call.idempotent and isinstance(error, _RETRYABLE)
        if not retryable or attempt >= self.retries:
            raise TransportError(f"{call.method} {call.path}: {error}") from error
        return float(self.backoff * (2**attempt))
