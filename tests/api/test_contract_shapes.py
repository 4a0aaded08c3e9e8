"""Hot routes answer JSON they built themselves (no response-model pass): their bodies must
still validate against the models their OpenAPI documentation declares."""

import pytest
from pydantic import TypeAdapter

from service.api.schemas.red_lines import CheckReport
from service.api.schemas.rounds import EventRead, PassRead, ProposalRead, ResponseRead
from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]


def strict(model, body):
    """Validate and check no field was dropped: the body has exactly the model's fields."""
    parsed = TypeAdapter(model).validate_python(body)
    items = parsed if isinstance(parsed, list) else [parsed]
    bodies = body if isinstance(body, list) else [body]
    for item, raw in zip(items, bodies, strict=True):
        assert set(raw) <= set(type(item).model_fields) | {"from"}, set(raw) - set(
            type(item).model_fields
        )


async def test_hot_route_bodies_match_their_declared_models(client):
    table = await make_table(client, parties=TWO)
    await table.red_line("kurds", "us_withdrawal_months >= 24", visibility="private")
    await table.red_line("government", "assad_role != exit_at_signing")
    await table.ok("POST", "/start", "convener")
    strict(CheckReport, await table.ok("POST", "/check", "kurds", {"package": FULL}))
    strict(CheckReport, await table.ok("POST", "/check", None, {"package": {"joint_cell": True}}))
    proposal = await table.propose("government", {**FULL, "us_withdrawal_months": 6})
    strict(ProposalRead, proposal)
    strict(PassRead, await table.ok("POST", "/rounds/1/pass", "kurds"))
    strict(ResponseRead, await table.respond("kurds", proposal["id"], "reject"))
    for who in ("kurds", None, "convener"):
        strict(list[EventRead], await table.ok("GET", "/events", who))
