"""Every endpoint of the API described once, as a ``Call``; the sync and async clients send them.

A call knows its method, path, body, query, how to read the answer, and whether it may be
retried (reads, PUTs and checks are idempotent; moves are not).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
from pydantic import TypeAdapter

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
RoundRef = int | str


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request and how to read its answer."""

    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    idempotent: bool = False
    timeout: float | None = None


@functools.cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    """One validator per answer type: building one for a list type costs ~0.2 ms a call."""
    return TypeAdapter(kind)


def _model(kind: type[T]) -> Callable[[httpx.Response], T]:
    adapter: TypeAdapter[T] = _adapter(kind)  # type: ignore[arg-type]  # types hash
    return lambda response: adapter.validate_python(response.json())


def _json(response: httpx.Response) -> Any:
    return response.json()


def _text(response: httpx.Response) -> str:
    return response.text


def create_summit(body: dict[str, Any]) -> Call[SummitCreated]:
    """POST /summits with title, issues, parties and protocol."""
    return Call("POST", "/summits", _model(SummitCreated), json=body)


def list_summits(status: str | None, limit: int, offset: int) -> Call[list[SummitSummary]]:
    """GET /summits, one page."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if status is not None:
        params["status"] = status
    adapter: TypeAdapter[list[SummitSummary]] = _adapter(list[SummitSummary])
    return Call(
        "GET",
        "/summits",
        lambda r: adapter.validate_python(r.json()["items"]),
        params=params,
        idempotent=True,
    )


def get_summit(summit: str) -> Call[Summit]:
    """GET /summits/{id}."""
    return Call("GET", f"/summits/{summit}", _model(Summit), idempotent=True)


def start(summit: str) -> Call[Summit]:
    """POST /summits/{id}/start."""
    return Call("POST", f"/summits/{summit}/start", _model(Summit))


def abort(summit: str, reason: str) -> Call[Summit]:
    """POST /summits/{id}/abort."""
    return Call("POST", f"/summits/{summit}/abort", _model(Summit), json={"reason": reason})


def declare_red_line(summit: str, party: str, body: dict[str, Any]) -> Call[RedLine]:
    """POST /summits/{id}/parties/{party}/red-lines."""
    return Call("POST", f"/summits/{summit}/parties/{party}/red-lines", _model(RedLine), json=body)


def red_lines(summit: str, party: str | None) -> Call[list[RedLine]]:
    """GET /summits/{id}/red-lines."""
    params = {"party": party} if party else {}
    return Call(
        "GET", f"/summits/{summit}/red-lines", _model(list[RedLine]), params=params, idempotent=True
    )


def relax(summit: str, red_line: int, note: str) -> Call[RedLine]:
    """POST /summits/{id}/red-lines/{rl}/relax."""
    return Call(
        "POST",
        f"/summits/{summit}/red-lines/{red_line}/relax",
        _model(RedLine),
        json={"note": note},
    )


def set_preferences(summit: str, party: str, document: dict[str, Any]) -> Call[Preferences]:
    """PUT /summits/{id}/parties/{party}/preferences."""
    path = f"/summits/{summit}/parties/{party}/preferences"
    return Call("PUT", path, _model(Preferences), json=document, idempotent=True)


def preferences(summit: str, party: str) -> Call[Preferences]:
    """GET /summits/{id}/parties/{party}/preferences."""
    path = f"/summits/{summit}/parties/{party}/preferences"
    return Call("GET", path, _model(Preferences), idempotent=True)


def get_round(summit: str, round_ref: RoundRef) -> Call[Round]:
    """GET /summits/{id}/rounds/{n}."""
    return Call("GET", f"/summits/{summit}/rounds/{round_ref}", _model(Round), idempotent=True)


def propose(
    summit: str, round_ref: RoundRef, package: dict[str, Value], rationale: str
) -> Call[Proposal]:
    """POST /summits/{id}/rounds/{n}/proposals."""
    body = {"package": package, "rationale": rationale}
    return Call(
        "POST", f"/summits/{summit}/rounds/{round_ref}/proposals", _model(Proposal), json=body
    )


def pass_turn(summit: str, round_ref: RoundRef) -> Call[Pass]:
    """POST /summits/{id}/rounds/{n}/pass."""
    return Call("POST", f"/summits/{summit}/rounds/{round_ref}/pass", _model(Pass))


def respond(
    summit: str, round_ref: RoundRef, proposal: int, verdict: str, note: str
) -> Call[Response]:
    """POST /summits/{id}/rounds/{n}/responses."""
    body = {"proposal": proposal, "verdict": verdict, "note": note}
    return Call(
        "POST", f"/summits/{summit}/rounds/{round_ref}/responses", _model(Response), json=body
    )


def advance(summit: str, round_ref: RoundRef) -> Call[dict[str, Any]]:
    """POST /summits/{id}/rounds/{n}/advance."""
    return Call("POST", f"/summits/{summit}/rounds/{round_ref}/advance", _json)


def concede(summit: str, body: dict[str, Any]) -> Call[Concession]:
    """POST /summits/{id}/concessions."""
    return Call("POST", f"/summits/{summit}/concessions", _model(Concession), json=body)


def concessions(summit: str) -> Call[list[Concession]]:
    """GET /summits/{id}/concessions."""
    return Call("GET", f"/summits/{summit}/concessions", _model(list[Concession]), idempotent=True)


def check(summit: str, package: dict[str, Value]) -> Call[CheckReport]:
    """POST /summits/{id}/check (a read: safe to retry)."""
    return Call(
        "POST",
        f"/summits/{summit}/check",
        _model(CheckReport),
        json={"package": package},
        idempotent=True,
    )


def events(summit: str, after: int, wait: float, limit: int) -> Call[list[Event]]:
    """GET /summits/{id}/events (long poll when ``wait`` > 0)."""
    params = {"after": after, "wait": wait, "limit": limit}
    return Call(
        "GET",
        f"/summits/{summit}/events",
        _model(list[Event]),
        params=params,
        idempotent=True,
        timeout=wait + 15,
    )


def history(summit: str) -> Call[History]:
    """GET /summits/{id}/history as JSON."""
    return Call("GET", f"/summits/{summit}/history", _model(History), idempotent=True)


def history_text(summit: str, format: str) -> Call[str]:
    """GET /summits/{id}/history as csv or markdown (or raw json text)."""
    return Call(
        "GET", f"/summits/{summit}/history", _text, params={"format": format}, idempotent=True
    )


def verify(summit: str) -> Call[Verification]:
    """GET /summits/{id}/history/verify."""
    return Call("GET", f"/summits/{summit}/history/verify", _model(Verification), idempotent=True)


def report(summit: str, parties: list[str], time_limit: float | None) -> Call[str]:
    """GET /summits/{id}/report: the self-contained HTML debrief."""
    params: dict[str, Any] = {}
    if parties:
        params["party"] = parties
    if time_limit is not None:
        params["time_limit"] = time_limit
    return Call(
        "GET", f"/summits/{summit}/report", _text, params=params, idempotent=True, timeout=120.0
    )


def state(summit: str, round_number: int) -> Call[dict[str, Any]]:
    """GET /summits/{id}/state?round=N: the summit as it stood at the end of round N."""
    return Call(
        "GET", f"/summits/{summit}/state", _json, params={"round": round_number}, idempotent=True
    )


def diff(summit: str, first: int, second: int) -> Call[dict[str, Any]]:
    """GET /summits/{id}/diff?from=A&to=B: what moved between two rounds."""
    return Call(
        "GET",
        f"/summits/{summit}/diff",
        _json,
        params={"from": first, "to": second},
        idempotent=True,
    )


def _solver_params(time_limit: float | None, **params: Any) -> dict[str, Any]:
    return params | ({"time_limit": time_limit} if time_limit is not None else {})


def conflicts(summit: str, limit: int, time_limit: float | None) -> Call[Conflicts]:
    """GET /summits/{id}/conflicts."""
    return Call(
        "GET",
        f"/summits/{summit}/conflicts",
        _model(Conflicts),
        params=_solver_params(time_limit, limit=limit),
        idempotent=True,
        timeout=(time_limit or 300) + 30,
    )


def repair(
    summit: str, package: dict[str, Value], keep: list[str], time_limit: float | None
) -> Call[Repair]:
    """POST /summits/{id}/repair (a read: safe to retry)."""
    return Call(
        "POST",
        f"/summits/{summit}/repair",
        _model(Repair),
        json={"package": package, "keep": keep},
        params=_solver_params(time_limit),
        idempotent=True,
        timeout=(time_limit or 300) + 30,
    )


def suggestions(
    summit: str,
    objective: str,
    limit: int,
    floors: dict[str, float],
    claims: dict[str, float],
    time_limit: float | None,
) -> Call[Suggestions]:
    """GET /summits/{id}/mediator/suggestions (convener)."""
    raised = [f"{party}:{value!r}" for party, value in floors.items()]
    claimed = [f"{party}:{value!r}" for party, value in claims.items()]
    params = _solver_params(time_limit, objective=objective, limit=limit, floor=raised)
    return Call(
        "GET",
        f"/summits/{summit}/mediator/suggestions",
        _model(Suggestions),
        params=params | ({"claim": claimed} if claimed else {}),
        idempotent=True,
        timeout=(time_limit or 300) + 30,
    )


def frontier(summit: str, a: str, b: str, limit: int, time_limit: float | None) -> Call[Frontier]:
    """GET /summits/{id}/mediator/frontier (convener)."""
    return Call(
        "GET",
        f"/summits/{summit}/mediator/frontier",
        _model(Frontier),
        params=_solver_params(time_limit, a=a, b=b, limit=limit),
        idempotent=True,
        timeout=(time_limit or 300) + 30,
    )
