"""Where one proposal's time goes, by stage: a profile to choose the next optimisation from.

Proposals are tabled one after another through the real app in process (httpx's ASGI
transport, SQLite, the benchmark's 4 parties x 10 red lines); timers wrapped around the
stages add up each one's time. The bare FastAPI endpoint, called the same way, measures
what the client, ASGI and FastAPI cost for any JSON request.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy.engine import RootTransaction

import service.db.engine as engine
import service.services.eventlog as eventlog
from service.api.app import create_app
from service.api.schemas.rounds import ProposalCreate
from service.db.engine import Database
from service.domain.checker import Checker
from service.settings import Settings
from tests.benchmarks.bare_app import app as bare_app
from tests.benchmarks.bench_core import PARTIES, scenario

SUMMITS = 150
Spent = defaultdict[str, float]


def _timed(spent: Spent, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - started

    return wrapper


async def _run(folder: str) -> list[tuple[str, float]]:
    specs, _agenda, ideals, lines = scenario()
    spent: Spent = defaultdict(float)
    app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'p.db'}"))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://p") as http,
    ):
        tables = []
        for n in range(SUMMITS):
            body = {
                "title": f"p{n}",
                "issues": specs,
                "parties": [{"key": p, "name": p} for p in PARTIES],
                "protocol": {"max_rounds": 5},
            }
            created = (await http.post("/summits", json=body)).json()
            sid, tokens = created["summit"]["id"], created["tokens"]
            for party in PARTIES:
                auth = {"Authorization": f"Bearer {tokens['parties'][party]}"}
                for i, text in enumerate(lines[party]):
                    red_line = {"label": f"{i}", "expr": text, "visibility": "private"}
                    url = f"/summits/{sid}/parties/{party}/red-lines"
                    await http.post(url, json=red_line, headers=auth)
            start = {"Authorization": f"Bearer {tokens['convener']}"}
            await http.post(f"/summits/{sid}/start", headers=start)
            await http.post(f"/summits/{sid}/check", json={"package": {}})
            tables.append((sid, tokens))
        requests = [
            (
                f"/summits/{sid}/rounds/1/proposals",
                orjson.dumps({"package": ideals[party], "rationale": "bench"}),
                {
                    "Authorization": f"Bearer {tokens['parties'][party]}",
                    "content-type": "application/json",
                },
            )
            for sid, tokens in tables
            for party in PARTIES
        ]
        patches = [
            (Checker, "check", "check (compiled red lines)"),
            (eventlog, "event_hash", "hash chain (SHA-256 of canonical JSON)"),
            # SQLite commits on the driver (engine._sqlite_commit), PostgreSQL through SQLAlchemy.
            (engine, "_sqlite_commit", "commit"),
            (RootTransaction, "commit", "commit"),
        ]
        saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
        for owner, name, stage in patches:
            setattr(owner, name, _timed(spent, stage, getattr(owner, name)))
        run = Database.run

        async def hop(
            database: Database, work: Callable[[], Any], *, write: bool = True, short: bool = False
        ) -> Any:
            if not write or getattr(work, "__name__", "") != "job":  # not a move: not timed
                return await run(database, work, write=write, short=short)
            started = time.perf_counter()
            inside: list[float] = []

            def timed_work() -> Any:
                began = time.perf_counter()
                try:
                    return work()
                finally:
                    inside.append(time.perf_counter() - began)
                    spent["database work in its thread (all of it)"] += inside[-1]

            result = await run(database, timed_work, write=write, short=short)
            spent["thread hop"] += time.perf_counter() - started - inside[0]
            return result

        Database.run = hop  # type: ignore[method-assign]
        try:
            started = time.perf_counter()
            for url, body, headers in requests:
                response = await http.post(url, content=body, headers=headers)
                assert response.status_code == 201, response.text
            total = time.perf_counter() - started
        finally:
            Database.run = run  # type: ignore[method-assign]
            for owner, name, function in saved:
                setattr(owner, name, function)
    count = len(requests)
    validate = _per_call(lambda: ProposalCreate.model_validate_json(requests[0][1]), 2000)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=bare_app), base_url="http://b"
    ) as bare:
        payload = requests[0][1]
        started = time.perf_counter()
        for _ in range(count):
            await bare.post("/bare", content=payload, headers={"content-type": "application/json"})
        bare_time = (time.perf_counter() - started) / count
    inside = spent.pop("database work in its thread (all of it)") / count
    stages = {stage: seconds / count for stage, seconds in spent.items()}
    sql = inside - sum(stages[s] for s in ("check (compiled red lines)", "commit"))
    sql -= stages["hash chain (SHA-256 of canonical JSON)"]
    rows = [
        ("whole request (in process, sequential)", total / count),
        ("  client + ASGI + FastAPI, bare JSON endpoint", bare_time),
        ("  request validation (ProposalCreate from JSON)", validate),
        (
            "  thread hop (none when the move runs on the loop)",
            stages[next(iter(s for s in stages if s.startswith("thread hop")))],
        ),
        ("  check (compiled red lines)", stages["check (compiled red lines)"]),
        (
            "  hash chain (SHA-256 of canonical JSON)",
            stages["hash chain (SHA-256 of canonical JSON)"],
        ),
        ("  commit", stages["commit"]),
        ("  load, auth, SQL and the rest of the transaction", sql),
    ]
    accounted = sum(seconds for _, seconds in rows[1:])
    rows.append(("  the rest (routing, dependencies, response, orjson)", total / count - accounted))
    return rows


def _per_call(function: Callable[[], Any], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        function()
    return (time.perf_counter() - started) / count


def profile() -> list[tuple[str, float]]:
    """Return each stage of a proposal and its mean time in seconds."""
    with tempfile.TemporaryDirectory() as folder:
        return asyncio.run(_run(folder))


def main() -> None:
    """Print the profile."""
    print(f"== One proposal's time by stage ({SUMMITS * len(PARTIES)} proposals, in process)")
    rows = profile()
    total = rows[0][1]
    for name, seconds in rows:
        print(f"  {name:<52} {seconds * 1e6:>8.0f} µs {seconds / total:>6.0%}")


if __name__ == "__main__":
    main()
