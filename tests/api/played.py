"""A summit played through every JSON endpoint, each read by the convener, a delegation and an
anonymous caller: the bodies it captures are what the contract tests compare.

    python -m tests.api.played OUT.json     # write the normalised bodies (to diff two commits)
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from service.api.app import create_app
from service.settings import Settings
from tests.api.helpers import FULL, Table, make_table

VIEWERS = ("convener", "kurds", None)
MEDIATED = {"max_rounds": 2, "mediated": True}


@dataclass(frozen=True)
class Answer:
    """One request and its answer."""

    method: str
    path: str  # the route's path template, as OpenAPI names it
    url: str
    who: str | None
    status: int
    body: Any


class Recorder:
    """Sends requests through a table and keeps every JSON answer."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.answers: list[Answer] = []

    async def send(
        self,
        table: Table,
        method: str,
        template: str,
        who: str | None,
        body: Any = None,
        **params: Any,
    ) -> Any:
        path = template.replace("{summit_id}", table.id)
        for key, value in params.pop("path", {}).items():
            path = path.replace("{" + key + "}", str(value))
        headers = table.h(who) if who else {}
        response = await self.http.request(
            method, path, json=body, headers=headers, params=params or None
        )
        data = response.json()
        self.answers.append(Answer(method.lower(), template, path, who, response.status_code, data))
        return data

    async def everyone(self, table: Table, method: str, template: str, **params: Any) -> None:
        for who in VIEWERS:
            await self.send(table, method, template, who, **params)


S = "/summits/{summit_id}"


async def play(http: httpx.AsyncClient) -> list[Answer]:
    """Play two summits (one to agreement, one aborted) and read everything on the way."""
    rec = Recorder(http)
    table = await make_table(http, protocol=MEDIATED)
    rec.answers.append(Answer("post", "/summits", "/summits", None, 201, table.created))
    send, everyone = rec.send, rec.everyone
    await send(table, "GET", "/summits", None)
    await everyone(table, "GET", S)
    kurds_private = await send(
        table,
        "POST",
        S + "/parties/{party}/red-lines",
        "kurds",
        {
            "label": "Withdrawal within two years",
            "expr": "us_withdrawal_months <= 24",
            "visibility": "private",
            "rationale": "r",
            "relax": {"after_round": 1},
        },
        path={"party": "kurds"},
    )
    await send(
        table,
        "POST",
        S + "/parties/{party}/red-lines",
        "government",
        {"label": "No exit", "expr": "assad_role != exit_at_signing", "visibility": "public"},
        path={"party": "government"},
    )
    await send(
        table,
        "POST",
        S + "/parties/{party}/red-lines",
        "russia",
        {
            "label": "Cell or powers",
            "expr": "joint_cell or assad_role <= reduced_powers",
            "visibility": "private",
            "relax": "never",
        },
        path={"party": "russia"},
    )
    for party in ("kurds", "government"):
        await send(
            table,
            "PUT",
            S + "/parties/{party}/preferences",
            party,
            {
                "weights": {"us_withdrawal_months": 2, "assad_role": 1},
                "scores": {
                    "us_withdrawal_months": [[0, 1.0], [60, 0.0]]
                    if party == "kurds"
                    else [[0, 0.0], [60, 1.0]],
                    "assad_role": {
                        "full_powers": 0.0,
                        "reduced_powers": 0.5,
                        "transition_then_exit": 0.8,
                        "exit_at_signing": 1.0,
                    },
                },
                "reservation": 0.2,
            },
            path={"party": party},
        )
    await send(table, "GET", S + "/parties/{party}/preferences", "kurds", path={"party": "kurds"})
    await everyone(table, "GET", S + "/red-lines")
    await send(table, "GET", S + "/red-lines", "kurds", party="kurds")
    for package in (FULL, {"us_withdrawal_months": 50}, {"joint_cell": False}):
        for who in VIEWERS:
            await send(table, "POST", S + "/check", who, {"package": package})
    await send(table, "POST", S + "/start", "convener")
    await everyone(table, "GET", S)
    await send(table, "GET", "/summits", None, status="open")
    package = {**FULL, "us_withdrawal_months": 20}
    # A party may not table what breaks its own red line: the 409 names it.
    await send(
        table,
        "POST",
        S + "/rounds/{n}/proposals",
        "kurds",
        {"package": {**FULL, "us_withdrawal_months": 50}},
        path={"n": "current"},
    )
    first = await send(
        table,
        "POST",
        S + "/rounds/{n}/proposals",
        "government",
        {"package": {**FULL, "us_withdrawal_months": 50}, "rationale": "g"},
        path={"n": "current"},
    )
    await send(
        table,
        "POST",
        S + "/rounds/{n}/proposals",
        "kurds",
        {"package": {"us_withdrawal_months": 10}, "rationale": "partial"},
        path={"n": "1"},
    )
    await send(table, "POST", S + "/rounds/{n}/pass", "russia", path={"n": "current"})
    await everyone(table, "GET", S + "/rounds/{n}", path={"n": "current"})
    await everyone(table, "GET", S + "/events")
    await send(
        table,
        "POST",
        S + "/rounds/{n}/proposals",
        "convener",
        {"package": package, "rationale": "mediator"},
        path={"n": "current"},
    )
    await everyone(table, "GET", S + "/rounds/{n}", path={"n": "1"})
    await send(
        table,
        "POST",
        S + "/rounds/{n}/responses",
        "kurds",
        {"proposal": first["id"], "verdict": "reject", "note": "too slow"},
        path={"n": "current"},
    )
    await send(
        table,
        "POST",
        S + "/concessions",
        "kurds",
        {"issue": "us_withdrawal_months", "from": 12, "to": 20, "note": "moving"},
    )
    await send(
        table,
        "POST",
        S + "/concessions",
        "russia",
        {"issue": "joint_cell", "from": True, "to": False},
    )
    await send(
        table,
        "POST",
        S + "/red-lines/{red_line_id}/relax",
        "kurds",
        {"note": "for peace"},
        path={"red_line_id": kurds_private["id"]},
    )
    await everyone(table, "GET", S + "/concessions")
    await send(table, "POST", S + "/rounds/{n}/advance", "convener", path={"n": "current"})
    await everyone(table, "GET", S)
    await everyone(table, "GET", S + "/conflicts")
    for who in VIEWERS:
        await send(table, "POST", S + "/repair", who, {"package": {**FULL, "joint_cell": False}})
    await send(table, "GET", S + "/mediator/suggestions", "convener", objective="nash", limit=2)
    await send(
        table, "GET", S + "/mediator/frontier", "convener", a="kurds", b="government", limit=3
    )
    await send(table, "GET", S + "/checks", "convener")
    # Round 2: everyone proposes the mediator's package and accepts the others'.
    proposals = []
    for who in ("government", "kurds", "russia"):
        proposals.append(
            await send(
                table,
                "POST",
                S + "/rounds/{n}/proposals",
                who,
                {"package": package},
                path={"n": "2"},
            )
        )
    await send(table, "POST", S + "/rounds/{n}/pass", "convener", path={"n": "2"})
    for who in ("government", "kurds", "russia"):
        for proposal in proposals:
            if proposal["party"] != who:
                await send(
                    table,
                    "POST",
                    S + "/rounds/{n}/responses",
                    who,
                    {"proposal": proposal["id"], "verdict": "accept"},
                    path={"n": "2"},
                )
    await everyone(table, "GET", S)
    await everyone(table, "GET", S + "/rounds/{n}", path={"n": "2"})
    await everyone(table, "GET", S + "/events", after=3)
    await everyone(table, "GET", S + "/history")
    await send(table, "GET", S + "/history/verify", "convener")
    await everyone(table, "GET", S + "/state")
    await everyone(table, "GET", S + "/state", round=1)
    await everyone(table, "GET", S + "/diff", **{"from": 1, "to": 2})
    await send(table, "GET", "/summits", None)
    # A second summit, its phases given a length in setup, then aborted.
    other = await make_table(http)
    rec.answers.append(Answer("post", "/summits", "/summits", None, 201, other.created))
    await send(other, "PATCH", S + "/protocol", "convener", {"phase_seconds": 600})
    await send(other, "POST", S + "/abort", "convener", {"reason": "no quorum"})
    await everyone(other, "GET", S + "/history")
    await send(other, "GET", "/summits", None, limit=2)
    return rec.answers


_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_HEX = re.compile(r"^[0-9a-f]{64}$")


def normalise(value: Any, ids: dict[str, str]) -> Any:
    """Replace what changes from run to run (ids, tokens, times, hashes, durations)."""
    if isinstance(value, dict):
        return {
            key: (0.0 if key == "seconds" else normalise(item, ids)) for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalise(item, ids) for item in value]
    if isinstance(value, str):
        for real, placeholder in ids.items():
            value = value.replace(real, placeholder)
        if _TIME.match(value):
            return "<time>"
        if _HEX.match(value):
            return "<hash>"
    return value


def normalised(answers: list[Answer]) -> list[dict[str, Any]]:
    """Every answer with ids, tokens, times and hashes replaced, in the order sent."""
    ids: dict[str, str] = {}
    for answer in answers:
        if answer.method == "post" and answer.path == "/summits":
            created = answer.body
            ids[created["summit"]["id"]] = f"<summit{len(ids)}>"
            ids[created["tokens"]["convener"]] = "<token>"
            for token in created["tokens"]["parties"].values():
                ids[token] = "<token>"
    return [
        {
            "request": f"{a.method.upper()} {normalise(a.url, ids)} as {a.who or 'anonymous'}",
            "status": a.status,
            "body": normalise(a.body, ids),
        }
        for a in answers
    ]


async def _main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/parley.db")
        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
        ):
            answers = await play(http)
    out.write_bytes(orjson.dumps(normalised(answers), option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    asyncio.run(_main(Path(sys.argv[1])))
