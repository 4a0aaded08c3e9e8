"""Every JSON answer must be exactly what its route's declared model writes: nothing more,
nothing less, no value of another type, the same keys in the same order. The models are the
services' result types (and, for events, the per-type data models), so this pins the one
declaration of each shape to what the routes answer, hot routes (built without a model pass)
included."""

from dataclasses import fields, is_dataclass

import orjson
import pytest
from pydantic import BaseModel, TypeAdapter

from service.api.app import create_app
from service.api.schemas.common import ErrorBody
from service.api.schemas.events import EventRead
from service.domain.events import EventType
from service.domain.reports import CheckEntryHidden, CheckReportView
from service.services.results.rounds import PassRead, ProposalRead, ResponseRead, SealedProposal
from tests.api.helpers import FULL, make_table
from tests.api.played import play

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]


def names(value):
    """The field names of a validated value (a dataclass or a pydantic model)."""
    if isinstance(value, BaseModel):
        return set(type(value).model_fields) | {"from"}
    return {f.name for f in fields(value)} | {"from"}


def strict(model, body, *, ordered=True):
    """Validate the body and write it back through the model: it must come out byte for byte.

    A field the model lacks, a missing required field, a value of another type or another
    order of keys fails (``ordered``: the event models list their fields in another order).
    """
    adapter = TypeAdapter(model)
    parsed = adapter.validate_python(body)
    items = parsed if isinstance(parsed, list) else [parsed]
    bodies = body if isinstance(body, list) else [body]
    for item, raw in zip(items, bodies, strict=True):
        if is_dataclass(item) or isinstance(item, BaseModel):
            assert set(raw) <= names(item), set(raw) - names(item)
    written = adapter.dump_json(parsed, by_alias=True, exclude_unset=True)
    assert orjson.loads(written) == body
    if ordered:
        assert written == orjson.dumps(body), (written, orjson.dumps(body))


def declared_models():
    """Each JSON route's declared answer, by method and path template."""
    out = {}
    for route in create_app().routes:
        model = getattr(route, "response_model", None)
        for method in getattr(route, "methods", ()):
            out[(method.lower(), route.path)] = model
    return out


async def test_every_answer_of_a_played_summit_is_its_declared_model_for_every_viewer(client):
    models = declared_models()
    answers = await play(client)
    checked = set()
    for answer in answers:
        model = models[(answer.method, answer.path)] if answer.status < 300 else ErrorBody
        assert model is not None, (answer.method, answer.path)
        strict(model, answer.body, ordered=model != list[EventRead])
        checked.add((answer.method, answer.path))
    json_routes = {key for key, model in models.items() if model is not None}
    # Every JSON route but the review's solver answers (typed on their own).
    left = {key for key in json_routes - checked if "review" not in str(models[key])}
    assert not left, left
    assert ("get", "/summits/{summit_id}/state") in checked


async def test_hot_route_bodies_match_their_declared_models(client):
    table = await make_table(client, parties=TWO)
    await table.red_line("kurds", "us_withdrawal_months >= 24", visibility="private")
    await table.red_line("government", "assad_role != exit_at_signing")
    await table.ok("POST", "/start", "convener")
    strict(CheckReportView, await table.ok("POST", "/check", "kurds", {"package": FULL}))
    strict(
        CheckReportView, await table.ok("POST", "/check", None, {"package": {"joint_cell": True}})
    )
    as_government = await table.ok("POST", "/check", "government", {"package": FULL})
    hidden = TypeAdapter(CheckReportView).validate_python(as_government).red_lines
    assert [type(entry) for entry in hidden].count(CheckEntryHidden) == 1
    proposal = await table.propose("government", {**FULL, "us_withdrawal_months": 6})
    strict(ProposalRead, proposal)
    sealed = (await table.ok("GET", "/rounds/1", "kurds"))["proposals"][0]
    strict(SealedProposal, sealed)
    assert set(sealed) == {"id", "round", "party", "sealed"}
    passed = await table.ok("POST", "/rounds/1/pass", "kurds")
    strict(PassRead, passed)
    answered = await table.respond("kurds", proposal["id"], "reject")
    strict(ResponseRead, answered)
    for who in ("kurds", None, "convener"):
        events = await table.ok("GET", "/events", who)
        strict(list[EventRead], events, ordered=False)
        for event in events:
            typed = TypeAdapter(EventRead).validate_python(event)
            assert typed.type == event["type"]
            assert set(event) == set(type(typed).model_fields)


async def test_every_event_type_matches_its_data_model_for_every_viewer(client):
    table = await make_table(client, parties=TWO, protocol={"max_rounds": 1})
    private = await table.red_line("kurds", "us_withdrawal_months >= 24", visibility="private")
    await table.ok(
        "PUT",
        "/parties/kurds/preferences",
        "kurds",
        {
            "weights": {"us_withdrawal_months": 1},
            "scores": {"us_withdrawal_months": [[0, 0], [60, 1]]},
        },
    )
    await table.ok("POST", "/start", "convener")
    await table.ok(
        "PATCH", "/protocol", "convener", {"phase_seconds": 900, "deadline_in_seconds": 600}
    )
    proposal = await table.propose("government", {**FULL, "us_withdrawal_months": 30})
    sealed_for = {who: await table.ok("GET", "/events", who) for who in ("kurds", None)}
    await table.ok("POST", "/rounds/1/pass", "kurds")
    await table.ok(
        "POST",
        "/concessions",
        "kurds",
        {"issue": "us_withdrawal_months", "from": 40, "to": 30, "note": "n"},
    )
    await table.ok("POST", f"/red-lines/{private['id']}/relax", "kurds", {"note": "why"})
    await table.respond("kurds", proposal["id"], "reject")
    await table.ok("POST", "/declassify", "convener", {"note": "for the debrief"})
    seen = set()
    for who in ("kurds", "government", None, "convener"):
        events = await table.ok("GET", "/events", who)
        strict(list[EventRead], events, ordered=False)
        seen |= {event["type"] for event in events}
    for events in sealed_for.values():
        strict(list[EventRead], events, ordered=False)
        assert any(e["data"].get("proposal", {}).get("sealed") for e in events)
    assert seen == {kind.value for kind in EventType}
