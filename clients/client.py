"""``ParleyClient``: the synchronous client, twin of ``clients.async_client`` over one base.

It takes a base URL, an optional bearer token and an optional httpx transport (tests pass
``httpx.ASGITransport`` or ``httpx.MockTransport``). Every endpoint of the API is a method
returning typed models (each described once in ``clients.endpoints``); errors raise the
exceptions of ``clients.errors``; the base (``clients.base``) decides which calls are retried.
"""

from __future__ import annotations

import itertools
import time
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


class ParleyClient(BaseClient):
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
            base_url=self.base_url,
            headers=self._headers(),
            transport=transport,
            verify=tls_context(),
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
        for attempt in itertools.count():
            try:
                response = self._http.request(**self._request(call))
            except httpx.TransportError as error:
                time.sleep(self._retry_after(call, attempt, error))
                continue
            return self._read(call, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def create_summit(self, body: dict[str, Any]) -> SummitCreated:
        """Create a summit; the answer holds the tokens, once."""
        return self.send(endpoints.create_summit(body))

    def list_summits(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[SummitSummary]:
        """List summits, newest first."""
        return self.send(endpoints.list_summits(status, limit, offset))

    def get_summit(self, summit: str) -> Summit:
        """Read a summit."""
        return self.send(endpoints.get_summit(summit))

    def start(self, summit: str) -> Summit:
        """Start a summit (convener)."""
        return self.send(endpoints.start(summit))

    def abort(self, summit: str, reason: str = "") -> Summit:
        """Abort a summit (convener)."""
        return self.send(endpoints.abort(summit, reason))

    def declare_red_line(self, summit: str, party: str, **body: Any) -> RedLine:
        """Declare a red line (label, expr or constraint, visibility, rationale)."""
        return self.send(endpoints.declare_red_line(summit, party, body))

    def red_lines(self, summit: str, party: str | None = None) -> list[RedLine]:
        """List the red lines this token may see."""
        return self.send(endpoints.red_lines(summit, party))

    def relax(self, summit: str, red_line: int, note: str = "") -> RedLine:
        """Relax one of this party's red lines."""
        return self.send(endpoints.relax(summit, red_line, note))

    def set_preferences(self, summit: str, party: str, document: dict[str, Any]) -> Preferences:
        """Set a party's preferences."""
        return self.send(endpoints.set_preferences(summit, party, document))

    def preferences(self, summit: str, party: str) -> Preferences:
        """Read a party's preferences."""
        return self.send(endpoints.preferences(summit, party))

    def round(self, summit: str, number: RoundRef = "current") -> Round:
        """Read a round."""
        return self.send(endpoints.get_round(summit, number))

    def propose(
        self,
        summit: str,
        package: dict[str, Value],
        rationale: str = "",
        round: RoundRef = "current",
    ) -> Proposal:
        """Table a proposal."""
        return self.send(endpoints.propose(summit, round, package, rationale))

    def pass_turn(self, summit: str, round: RoundRef = "current") -> Pass:
        """Pass the proposals phase."""
        return self.send(endpoints.pass_turn(summit, round))

    def respond(
        self, summit: str, proposal: int, verdict: str, note: str = "", round: RoundRef = "current"
    ) -> Response:
        """Accept or reject a proposal."""
        return self.send(endpoints.respond(summit, round, proposal, verdict, note))

    def advance(self, summit: str, round: RoundRef = "current") -> dict[str, Any]:
        """Close the current phase now (convener)."""
        return self.send(endpoints.advance(summit, round))

    def concede(
        self, summit: str, issue: str, from_: Value, to: Value, note: str = ""
    ) -> Concession:
        """Record an explicit concession."""
        body = {"issue": issue, "from": from_, "to": to, "note": note}
        return self.send(endpoints.concede(summit, body))

    def concessions(self, summit: str) -> list[Concession]:
        """Read the concession ledger."""
        return self.send(endpoints.concessions(summit))

    def check(self, summit: str, package: dict[str, Value]) -> CheckReport:
        """Check a package against every active red line."""
        return self.send(endpoints.check(summit, package))

    def events(
        self, summit: str, after: int = 0, wait: float = 0, limit: int = 1000
    ) -> list[Event]:
        """Read events after ``after``, waiting up to ``wait`` seconds for one."""
        return self.send(endpoints.events(summit, after, wait, limit))

    def history(self, summit: str) -> History:
        """Read the whole record."""
        return self.send(endpoints.history(summit))

    def history_text(self, summit: str, format: str = "markdown") -> str:
        """Read the record as markdown, csv or json text."""
        return self.send(endpoints.history_text(summit, format))

    def verify(self, summit: str) -> Verification:
        """Recompute the hash chain (convener)."""
        return self.send(endpoints.verify(summit))

    def conflicts(
        self, summit: str, *, limit: int = 5, time_limit: float | None = None
    ) -> Conflicts:
        """Ask whether every active red line can hold together, and what blocks it."""
        return self.send(endpoints.conflicts(summit, limit, time_limit))

    def repair(
        self,
        summit: str,
        package: dict[str, Value],
        *,
        keep: list[str] | None = None,
        time_limit: float | None = None,
    ) -> Repair:
        """Ask for the nearest package that breaks no active red line (NoDeal when none)."""
        return self.send(endpoints.repair(summit, package, keep or [], time_limit))

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
            endpoints.suggestions(summit, objective, limit, floors or {}, claims or {}, time_limit)
        )

    def frontier(
        self, summit: str, a: str, b: str, *, limit: int = 50, time_limit: float | None = None
    ) -> Frontier:
        """Ask for two parties' Pareto frontier (convener)."""
        return self.send(endpoints.frontier(summit, a, b, limit, time_limit))
