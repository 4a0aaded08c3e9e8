"""Helpers to set up summits through the API in tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import func, select

from service.api.app import create_app
from service.db.base import metadata
from service.db.engine import Database
from service.db.repositories.summits import SUMMIT
from service.settings import Settings

ISSUES = [
    {
        "key": "assad_role",
        "title": "Role of the president",
        "kind": "options",
        "options": ["full_powers", "reduced_powers", "transition_then_exit", "exit_at_signing"],
    },
    {
        "key": "us_withdrawal_months",
        "title": "US withdrawal",
        "kind": "integer",
        "min": 0,
        "max": 60,
    },
    {"key": "joint_cell", "title": "Joint counter-ISIS cell", "kind": "boolean"},
]
PARTIES = [
    {"key": "government", "name": "Syrian government"},
    {"key": "kurds", "name": "Kurdish-led administration"},
    {"key": "russia", "name": "Russian Federation"},
]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Table:
    """A summit created through the API, with its tokens."""

    http: httpx.AsyncClient
    id: str
    convener: str
    tokens: dict[str, str]
    created: dict[str, Any] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return bearer(self.convener if who == "convener" else self.tokens[who])

    def url(self, path: str = "") -> str:
        return f"/summits/{self.id}{path}"

    async def post(self, path: str, who: str | None, body: Any = None) -> httpx.Response:
        headers = self.h(who) if who else {}
        return await self.http.post(self.url(path), json=body, headers=headers)

    async def patch(self, path: str, who: str | None, body: Any = None) -> httpx.Response:
        headers = self.h(who) if who else {}
        return await self.http.patch(self.url(path), json=body, headers=headers)

    async def get(self, path: str = "", who: str | None = None, **params: Any) -> httpx.Response:
        headers = self.h(who) if who else {}
        return await self.http.get(self.url(path), headers=headers, params=params)

    async def ok(self, method: str, path: str, who: str | None, body: Any = None) -> Any:
        headers = self.h(who) if who else {}
        response = await self.http.request(method, self.url(path), json=body, headers=headers)
        assert response.status_code < 300, response.text
        return response.json()

    async def red_line(
        self,
        party: str,
        expr: str,
        *,
        label: str = "",
        visibility: str = "public",
        rationale: str = "",
    ) -> dict[str, Any]:
        body = {
            "label": label or expr,
            "expr": expr,
            "visibility": visibility,
            "rationale": rationale,
        }
        return await self.ok("POST", f"/parties/{party}/red-lines", party, body)

    async def propose(
        self, who: str, package: dict[str, Any], rationale: str = ""
    ) -> dict[str, Any]:
        return await self.ok(
            "POST", "/rounds/current/proposals", who, {"package": package, "rationale": rationale}
        )

    async def respond(
        self, who: str, proposal: int, verdict: str, note: str = ""
    ) -> dict[str, Any]:
        return await self.ok(
            "POST",
            "/rounds/current/responses",
            who,
            {"proposal": proposal, "verdict": verdict, "note": note},
        )

    async def summit(self) -> dict[str, Any]:
        return await self.ok("GET", "", None)


async def make_table(
    http: httpx.AsyncClient,
    *,
    parties: list[dict[str, str]] | None = None,
    issues: list[dict[str, Any]] | None = None,
    protocol: dict[str, Any] | None = None,
    start: bool = False,
) -> Table:
    body = {
        "title": "Test summit",
        "issues": issues or ISSUES,
        "parties": parties or PARTIES,
        "protocol": protocol or {"max_rounds": 3},
    }
    response = await http.post("/summits", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    table = Table(
        http,
        created["summit"]["id"],
        created["tokens"]["convener"],
        created["tokens"]["parties"],
        created,
    )
    if start:
        await table.ok("POST", "/start", "convener")
    return table


FULL = {"assad_role": "reduced_powers", "us_withdrawal_months": 30, "joint_cell": True}


def snapshot(database: Database) -> tuple[Any, Any, Any]:
    """Every table's row count and every summit's event head and phase."""
    with database.transaction(write=False) as tx:
        counts = {
            t.name: tx.connection.scalar(select(func.count()).select_from(t))
            for t in metadata.sorted_tables
        }
        heads = dict(tx.execute(select(SUMMIT.c.id, SUMMIT.c.last_seq)).all())
        states = dict(tx.execute(select(SUMMIT.c.id, SUMMIT.c.phase)).all())
    return counts, heads, states


async def assert_refused(database: Database, send: Any, status: int) -> dict[str, Any]:
    """Send, expect ``status`` in the one error shape, and find the database unchanged."""
    before = snapshot(database)
    response = await send()
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    assert snapshot(database) == before
    error: dict[str, Any] = body["error"]
    return error


@asynccontextmanager
async def two_workers(
    settings: Settings,
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Two apps started on one database, as two workers are, with a client on each."""
    one, two = create_app(settings), create_app(settings)
    async with (
        one.router.lifespan_context(one),
        two.router.lifespan_context(two),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=one), base_url="http://one") as first,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=two), base_url="http://two") as second,
    ):
        yield first, second
