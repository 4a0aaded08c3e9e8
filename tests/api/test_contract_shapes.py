"""Hot routes answer JSON they built themselves (no response-model pass): their whole bodies
must be what the models their OpenAPI documentation declares would write: nothing more,
nothing less, no value of another type."""

import pytest
from pydantic import TypeAdapter

from service.api.schemas.events import EventRead
from service.api.schemas.red_lines import CheckReport
from service.api.schemas.rounds import PassRead, ProposalRead, ResponseRead
from service.domain.events import EventType
from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]


def strict(model, body):
    """Validate the body and write it back through the model: it must come out the same.

    A field the model lacks, a missing required field or a value of another type fails.
    """
    adapter = TypeAdapter(model)
    parsed = adapter.validate_python(body)
    items = parsed if isinstance(parsed, list) else [parsed]
    bodies = body if isinstance(body, list) else [body]
    for item, raw in zip(items, bodies, strict=True):
        assert set(raw) <= set(type(item).model_fields) | {"from"}, set(raw) - set(
            type(item).model_fields
        )
    assert adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True) == body


def complete(model, body, *, absent=()):
    """Check the body carries every field of the model but those named ``absent``."""
    assert set(body) == set(model.model_fields) - set(absent), set(model.model_fields) ^ set(body)


async def test_hot_route_bodies_match_their_declared_models(client):
    table = await make_table(client, parties=TWO)
    await table.red_line("kurds", "us_withdrawal_months >= 24", visibility="private")
    await table.red_line("government", "assad_role != exit_at_signing")
    await table.ok("POST", "/start", "convener")
    strict(CheckReport, await table.ok("POST", "/check", "kurds", {"package": FULL}))
    strict(CheckReport, await table.ok("POST", "/check", None, {"package": {"joint_cell": True}}))
    proposal = await table.propose("government", {**FULL, "us_withdrawal_months": 6})
    strict(ProposalRead, proposal)
    complete(ProposalRead, proposal, absent={"sealed"})
    complete(CheckReport, proposal["check"])
    sealed = (await table.ok("GET", "/rounds/1", "kurds"))["proposals"][0]
    strict(ProposalRead, sealed)
    assert set(sealed) == {"id", "round", "party", "sealed"}
    passed = await table.ok("POST", "/rounds/1/pass", "kurds")
    strict(PassRead, passed)
    complete(PassRead, passed)
    answered = await table.respond("kurds", proposal["id"], "reject")
    strict(ResponseRead, answered)
    complete(ResponseRead, answered)
    for who in ("kurds", None, "convener"):
        events = await table.ok("GET", "/events", who)
        strict(list[EventRead], events)
        for event in events:
            typed = TypeAdapter(EventRead).validate_python(event)
            assert typed.type == event["type"]
            complete(type(typed), event)


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
        strict(list[EventRead], events)
        seen |= {event["type"] for event in events}
    for events in sealed_for.values():
        strict(list[EventRead], events)
        assert any(e["data"].get("proposal", {}).get("sealed") for e in events)
    assert seen == {kind.value for kind in EventType}
