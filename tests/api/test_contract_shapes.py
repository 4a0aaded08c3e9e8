"""Hot routes answer JSON they built themselves (no response-model pass): their whole bodies
must be what the models their OpenAPI documentation declares would write: nothing more,
nothing less, no value of another type."""

import pytest
from pydantic import TypeAdapter

from service.api.schemas.red_lines import CheckReport
from service.api.schemas.rounds import EventRead, PassRead, ProposalRead, ResponseRead
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
            complete(EventRead, event)
