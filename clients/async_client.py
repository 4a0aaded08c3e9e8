"""``AsyncParleyClient``: the asynchronous twin of ``clients.client.ParleyClient``.

The same methods over the same calls (``clients.endpoints``) and the same base
(``clients.base``), awaited.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any, TypeVar

import httpx

from clients import endpoints
from clients.base import BaseClient, tls_context
from clients.endpoints import Call, RoundRef
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
    SummitSummary,
    Value,
    Verification,
)

T = TypeVar("T")


class AsyncParleyClient(BaseClient):
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
            base_url=self.base_url,
            headers=self._headers(),
            transport=transport,
            verify=tls_context(),
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
        for attempt in itertools.count():
            try:
                response = await self._http.request(**self._request(call))
            except httpx.TransportError as error:
                await asyncio.sleep(self._retry_after(call, attempt, error))
                continue
            return self._read(call, response)
        raise AssertionError("unreachable")  # pragma: no cover

    async def create_summit(self, body: dict[str, Any]) -> SummitCreated:
        """Create a summit; the answer holds the tokens, once."""
        return await self.send(endpoints.create_summit(body))

    async def list_summits(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[SummitSummary]:
        """List summits, newest first."""
        return await self.send(endpoints.list_summits(status, limit, offset))

    async def get_summit(self, summit: str) -> Summit:
        """Read a summit."""
        return await self.send(endpoints.get_summit(summit))

    async def start(self, summit: str) -> Summit:
        """Start a summit (convener)."""
        return await self.send(endpoints.start(summit))

    async def abort(self, summit: str, reason: str = "") -> Summit:
        """Abort a summit (convener)."""
        return await self.send(endpoints.abort(summit, reason))

    async def declare_red_line(self, summit: str, party: str, **body: Any) -> RedLine:
        """Declare a red line (label, expr or constraint, visibility, rationale)."""
        return await self.send(endpoints.declare_red_line(summit, party, body))

    async def red_lines(self, summit: str, party: str | None = None) -> list[RedLine]:
        """List the red lines this token may see."""
        return await self.send(endpoints.red_lines(summit, party))

    async def relax(self, summit: str, red_line: int, note: str = "") -> RedLine:
        """Relax one of this party's red lines."""
        return await self.send(endpoints.relax(summit, red_line, note))

    async def set_preferences(
        self, summit: str, party: str, document: dict[str, Any]
    ) -> Preferences:
        """Set a party's preferences."""
        return await self.send(endpoints.set_preferences(summit, party, document))

    async def preferences(self, summit: str, party: str) -> Preferences:
        """Read a party's preferences."""
        return await self.send(endpoints.preferences(summit, party))

    async def round(self, summit: str, number: RoundRef = "current") -> Round:
        """Read a round."""
        return await self.send(endpoints.get_round(summit, number))

    async def propose(
        self,
        summit: str,
        package: dict[str, Value],
        rationale: str = "",
        round: RoundRef = "current",
    ) -> Proposal:
        """Table a proposal."""
        return await self.send(endpoints.propose(summit, round, package, rationale))

    async def pass_turn(self, summit: str, round: RoundRef = "current") -> Pass:
        """Pass the proposals phase."""
        return await self.send(endpoints.pass_turn(summit, round))

    async def respond(
        self, summit: str, proposal: int, verdict: str, note: str = "", round: RoundRef = "current"
    ) -> Response:
        """Accept or reject a proposal."""
        return await self.send(endpoints.respond(summit, round, proposal, verdict, note))

    async def advance(self, summit: str, round: RoundRef = "current") -> dict[str, Any]:
        """Close the current phase now (convener)."""
        return await self.send(endpoints.advance(summit, round))

    async def concede(
        self, summit: str, issue: str, from_: Value, to: Value, note: str = ""
    ) -> Concession:
        """Record an explicit concession."""
        body = {"issue": issue, "from": from_, "to": to, "note": note}
        return await self.send(endpoints.concede(summit, body))

    async def concessions(self, summit: str) -> list[Concession]:
        """Read the concession ledger."""
        return await self.send(endpoints.concessions(summit))

    async def check(self, summit: str, package: dict[str, Value]) -> CheckReport:
        """Check a package against every active red line."""
        return await self.send(endpoints.check(summit, package))

    async def events(
        self, summit: str, after: int = 0, wait: float = 0, limit: int = 1000
    ) -> list[Event]:
        """Read events after ``after``, waiting up to ``wait`` seconds for one."""
        return await self.send(endpoints.events(summit, after, wait, limit))

    async def history(self, summit: str) -> History:
        """Read the whole record."""
        return await self.send(endpoints.history(summit))

    async def history_text(self, summit: str, format: str = "markdown") -> str:
        """Read the record as markdown, csv or json text."""
        return await self.send(endpoints.history_text(summit, format))

    async def verify(self, summit: str) -> Verification:
        """Recompute the hash chain (convener)."""
        return await self.send(endpoints.verify(summit))

    async def conflicts(
        self, summit: str, *, limit: int = 5, time_limit: float | None = None
    ) -> Conflicts:
        """Ask whether every active red line can hold together, and what blocks it."""
        return await self.send(endpoints.conflicts(summit, limit, time_limit))

    async def repair(
        self,
        summit: str,
        package: dict[str, Value],
        *,
        keep: list[str] | None = None,
        time_limit: float | None = None,
    ) -> Repair:
        """Ask for the nearest package that breaks no active red line (NoDeal when none)."""
        return await self.send(endpoints.repair(summit, package, keep or [], time_limit))

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
            endpoints.suggestions(summit, objective, limit, floors or {}, claims or {}, time_limit)
        )

    async def frontier(
        self, summit: str, a: str, b: str, *, limit: int = 50, time_limit: float | None = None
    ) -> Frontier:
        """Ask for two parties' Pareto frontier (convener)."""
        return await self.send(endpoints.frontier(summit, a, b, limit, time_limit))
