"""``ParleyClient`` and ``AsyncParleyClient``: twins over one shared base.

Both take a base URL, an optional bearer token and an optional httpx transport (tests pass
``httpx.ASGITransport`` or ``httpx.MockTransport``). Every endpoint of the API is a method
returning typed models; errors raise the exceptions of ``clients.errors``. Idempotent calls
(reads, PUTs, checks) are retried with exponential backoff when the server cannot be reached;
moves are never retried, since a lost answer may hide a move that was made.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, TypeVar

import httpx

from clients import calls
from clients.calls import Call, RoundRef, SummitSummary
from clients.errors import TransportError, error_for
from clients.models import (
    CheckReport,
    Concession,
    Conflicts,
    Event,
    Frontier,
    History,
    Pass,
    Preferences,
    Proposal,
    RedLine,
    Repair,
    Response,
    Round,
    Suggestions,
    Summit,
    SummitCreated,
    Value,
    Verification,
)

T = TypeVar("T")
_RETRYABLE = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError)


class _Base:
    """What both clients share: configuration, headers, reading answers, backoff."""

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

    def _attempts(self, call: Call[Any]) -> int:
        return 1 + (self.retries if call.idempotent else 0)

    def _delay(self, attempt: int) -> float:
        return float(self.backoff * (2**attempt))

    @staticmethod
    def _failed(call: Call[Any], error: Exception) -> TransportError:
        return TransportError(f"{call.method} {call.path}: {error}")


class ParleyClient(_Base):
    """A synchronous client of one Parley server, acting with one token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        **options: Any,
    ) -> None:
        super().__init__(base_url, token, **options)
        self._http = httpx.Client(
            base_url=self.base_url, headers=self._headers(), transport=transport
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> ParleyClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def send(self, call: Call[T]) -> T:
        """Send one call, retrying an idempotent one while the server cannot be reached."""
        attempts = self._attempts(call)
        for attempt in range(attempts):
            try:
                response = self._http.request(**self._request(call))
            except _RETRYABLE as error:
                if attempt + 1 == attempts:
                    raise self._failed(call, error) from error
                time.sleep(self._delay(attempt))
                continue
            except httpx.TransportError as error:
                raise self._failed(call, error) from error
            return self._read(call, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def create_summit(self, body: dict[str, Any]) -> SummitCreated:
        """Create a summit; the answer holds the tokens, once."""
        return self.send(calls.create_summit(body))

    def list_summits(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[SummitSummary]:
        """List summits, newest first."""
        return self.send(calls.list_summits(status, limit, offset))

    def get_summit(self, summit: str) -> Summit:
        """Read a summit."""
        return self.send(calls.get_summit(summit))

    def start(self, summit: str) -> Summit:
        """Start a summit (convener)."""
        return self.send(calls.start(summit))

    def abort(self, summit: str, reason: str = "") -> Summit:
        """Abort a summit (convener)."""
        return self.send(calls.abort(summit, reason))

    def declare_red_line(self, summit: str, party: str, **body: Any) -> RedLine:
        """Declare a red line (label, expr or constraint, visibility, rationale)."""
        return self.send(calls.declare_red_line(summit, party, body))

    def red_lines(self, summit: str, party: str | None = None) -> list[RedLine]:
        """List the red lines this token may see."""
        return self.send(calls.red_lines(summit, party))

    def relax(self, summit: str, red_line: int, note: str = "") -> RedLine:
        """Relax one of this party's red lines."""
        return self.send(calls.relax(summit, red_line, note))

    def set_preferences(self, summit: str, party: str, document: dict[str, Any]) -> Preferences:
        """Set a party's preferences."""
        return self.send(calls.set_preferences(summit, party, document))

    def preferences(self, summit: str, party: str) -> Preferences:
        """Read a party's preferences."""
        return self.send(calls.preferences(summit, party))

    def round(self, summit: str, number: RoundRef = "current") -> Round:
        """Read a round."""
        return self.send(calls.get_round(summit, number))

    def propose(
        self,
        summit: str,
        package: dict[str, Value],
        rationale: str = "",
        round: RoundRef = "current",
    ) -> Proposal:
        """Table a proposal."""
        return self.send(calls.propose(summit, round, package, rationale))

    def pass_turn(self, summit: str, round: RoundRef = "current") -> Pass:
        """Pass the proposals phase."""
        return self.send(calls.pass_turn(summit, round))

    def respond(
        self, summit: str, proposal: int, verdict: str, note: str = "", round: RoundRef = "current"
    ) -> Response:
        """Accept or reject a proposal."""
        return self.send(calls.respond(summit, round, proposal, verdict, note))

    def advance(self, summit: str, round: RoundRef = "current") -> dict[str, Any]:
        """Close the current phase now (convener)."""
        return self.send(calls.advance(summit, round))

    def concede(
        self, summit: str, issue: str, from_: Value, to: Value, note: str = ""
    ) -> Concession:
        """Record an explicit concession."""
        body = {"issue": issue, "from": from_, "to": to, "note": note}
        return self.send(calls.concede(summit, body))

    def concessions(self, summit: str) -> list[Concession]:
        """Read the concession ledger."""
        return self.send(calls.concessions(summit))

    def check(self, summit: str, package: dict[str, Value]) -> CheckReport:
        """Check a package against every active red line."""
        return self.send(calls.check(summit, package))

    def events(
        self, summit: str, after: int = 0, wait: float = 0, limit: int = 1000
    ) -> list[Event]:
        """Read events after ``after``, waiting up to ``wait`` seconds for one."""
        return self.send(calls.events(summit, after, wait, limit))

    def history(self, summit: str) -> History:
        """Read the whole record."""
        return self.send(calls.history(summit))

    def history_text(self, summit: str, format: str = "markdown") -> str:
        """Read the record as markdown, csv or json text."""
        return self.send(calls.history_text(summit, format))

    def verify(self, summit: str) -> Verification:
        """Recompute the hash chain (convener)."""
        return self.send(calls.verify(summit))

    def conflicts(
        self, summit: str, *, limit: int = 5, time_limit: float | None = None
    ) -> Conflicts:
        """Ask whether every active red line can hold together, and what blocks it."""
        return self.send(calls.conflicts(summit, limit, time_limit))

    def repair(
        self,
        summit: str,
        package: dict[str, Value],
        *,
        keep: list[str] | None = None,
        time_limit: float | None = None,
    ) -> Repair:
        """Ask for the nearest package that breaks no active red line (NoDeal when none)."""
        return self.send(calls.repair(summit, package, keep or [], time_limit))

    def suggestions(
        self,
        summit: str,
        objective: str = "nash",
        *,
        limit: int = 1,
        floors: dict[str, float] | None = None,
        claims: dict[str, float] | None = None,
        time_limit: float | None = None,
    ) -> Suggestions:
        """Ask for mediator suggestions (convener).

        ``floors`` raise parties' floors above their reservation values; ``claims`` (for
        ``kalai``) say what each party asks for.
        """
        return self.send(
            calls.suggestions(summit, objective, limit, floors or {}, claims or {}, time_limit)
        )

    def frontier(
        self, summit: str, a: str, b: str, *, limit: int = 50, time_limit: float | None = None
    ) -> Frontier:
        """Ask for two parties' Pareto frontier (convener)."""
        return self.send(calls.frontier(summit, a, b, limit, time_limit))


class AsyncParleyClient(_Base):
    """An asynchronous client of one Parley server, acting with one token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ) -> None:
        super().__init__(base_url, token, **options)
        self._http = httpx.AsyncClient(
            base_url=self.base_url, headers=self._headers(), transport=transport
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncParleyClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def send(self, call: Call[T]) -> T:
        """Send one call, retrying an idempotent one while the server cannot be reached."""
        attempts = self._attempts(call)
        for attempt in range(attempts):
            try:
                response = await self._http.request(**self._request(call))
            except _RETRYABLE as error:
                if attempt + 1 == attempts:
                    raise self._failed(call, error) from error
                await asyncio.sleep(self._delay(attempt))
                continue
            except httpx.TransportError as error:
                raise self._failed(call, error) from error
            return self._read(call, response)
        raise AssertionError("unreachable")  # pragma: no cover

    async def create_summit(self, body: dict[str, Any]) -> SummitCreated:
        """Create a summit; the answer holds the tokens, once."""
        return await self.send(calls.create_summit(body))

    async def list_summits(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[SummitSummary]:
        """List summits, newest first."""
        return await self.send(calls.list_summits(status, limit, offset))

    async def get_summit(self, summit: str) -> Summit:
        """Read a summit."""
        return await self.send(calls.get_summit(summit))

    async def start(self, summit: str) -> Summit:
        """Start a summit (convener)."""
        return await self.send(calls.start(summit))

    async def abort(self, summit: str, reason: str = "") -> Summit:
        """Abort a summit (convener)."""
        return await self.send(calls.abort(summit, reason))

    async def declare_red_line(self, summit: str, party: str, **body: Any) -> RedLine:
        """Declare a red line (label, expr or constraint, visibility, rationale)."""
        return await self.send(calls.declare_red_line(summit, party, body))

    async def red_lines(self, summit: str, party: str | None = None) -> list[RedLine]:
        """List the red lines this token may see."""
        return await self.send(calls.red_lines(summit, party))

    async def relax(self, summit: str, red_line: int, note: str = "") -> RedLine:
        """Relax one of this party's red lines."""
        return await self.send(calls.relax(summit, red_line, note))

    async def set_preferences(
        self, summit: str, party: str, document: dict[str, Any]
    ) -> Preferences:
        """Set a party's preferences."""
        return await self.send(calls.set_preferences(summit, party, document))

    async def preferences(self, summit: str, party: str) -> Preferences:
        """Read a party's preferences."""
        return await self.send(calls.preferences(summit, party))

    async def round(self, summit: str, number: RoundRef = "current") -> Round:
        """Read a round."""
        return await self.send(calls.get_round(summit, number))

    async def propose(
        self,
        summit: str,
        package: dict[str, Value],
        rationale: str = "",
        round: RoundRef = "current",
    ) -> Proposal:
        """Table a proposal."""
        return await self.send(calls.propose(summit, round, package, rationale))

    async def pass_turn(self, summit: str, round: RoundRef = "current") -> Pass:
        """Pass the proposals phase."""
        return await self.send(calls.pass_turn(summit, round))

    async def respond(
        self, summit: str, proposal: int, verdict: str, note: str = "", round: RoundRef = "current"
    ) -> Response:
        """Accept or reject a proposal."""
        return await self.send(calls.respond(summit, round, proposal, verdict, note))

    async def advance(self, summit: str, round: RoundRef = "current") -> dict[str, Any]:
        """Close the current phase now (convener)."""
        return await self.send(calls.advance(summit, round))

    async def concede(
        self, summit: str, issue: str, from_: Value, to: Value, note: str = ""
    ) -> Concession:
        """Record an explicit concession."""
        body = {"issue": issue, "from": from_, "to": to, "note": note}
        return await self.send(calls.concede(summit, body))

    async def concessions(self, summit: str) -> list[Concession]:
        """Read the concession ledger."""
        return await self.send(calls.concessions(summit))

    async def check(self, summit: str, package: dict[str, Value]) -> CheckReport:
        """Check a package against every active red line."""
        return await self.send(calls.check(summit, package))

    async def events(
        self, summit: str, after: int = 0, wait: float = 0, limit: int = 1000
    ) -> list[Event]:
        """Read events after ``after``, waiting up to ``wait`` seconds for one."""
        return await self.send(calls.events(summit, after, wait, limit))

    async def history(self, summit: str) -> History:
        """Read the whole record."""
        return await self.send(calls.history(summit))

    async def history_text(self, summit: str, format: str = "markdown") -> str:
        """Read the record as markdown, csv or json text."""
        return await self.send(calls.history_text(summit, format))

    async def verify(self, summit: str) -> Verification:
        """Recompute the hash chain (convener)."""
        return await self.send(calls.verify(summit))

    async def conflicts(
        self, summit: str, *, limit: int = 5, time_limit: float | None = None
    ) -> Conflicts:
        """Ask whether every active red line can hold together, and what blocks it."""
        return await self.send(calls.conflicts(summit, limit, time_limit))

    async def repair(
        self,
        summit: str,
        package: dict[str, Value],
        *,
        keep: list[str] | None = None,
        time_limit: float | None = None,
    ) -> Repair:
        """Ask for the nearest package that breaks no active red line (NoDeal when none)."""
        return await self.send(calls.repair(summit, package, keep or [], time_limit))

    async def suggestions(
        self,
        summit: str,
        objective: str = "nash",
        *,
        limit: int = 1,
        floors: dict[str, float] | None = None,
        claims: dict[str, float] | None = None,
        time_limit: float | None = None,
    ) -> Suggestions:
        """Ask for mediator suggestions (convener).

        ``floors`` raise parties' floors above their reservation values; ``claims`` (for
        ``kalai``) say what each party asks for.
        """
        return await self.send(
            calls.suggestions(summit, objective, limit, floors or {}, claims or {}, time_limit)
        )

    async def frontier(
        self, summit: str, a: str, b: str, *, limit: int = 50, time_limit: float | None = None
    ) -> Frontier:
        """Ask for two parties' Pareto frontier (convener)."""
        return await self.send(calls.frontier(summit, a, b, limit, time_limit))
