"""The client library against the real app (ASGI in process): typed answers, typed errors,
retries for idempotent calls only."""

import httpx
import pytest

from clients import errors
from clients.async_client import AsyncParleyClient
from clients.client import ParleyClient
from clients.models import CheckReport, Proposal, Summit
from tests.api.helpers import FULL, ISSUES, PARTIES

pytestmark = pytest.mark.anyio
BODY = {"title": "Client test", "issues": ISSUES, "parties": PARTIES, "protocol": {"max_rounds": 2}}


async def test_every_move_returns_typed_models(transport):
    async with AsyncParleyClient("http://parley", transport=transport) as anonymous:
        created = await anonymous.create_summit(BODY)
    summit_id = created.summit.id
    convener = AsyncParleyClient("http://parley", created.tokens.convener, transport=transport)
    kurds = AsyncParleyClient("http://parley", created.tokens.parties["kurds"], transport=transport)
    government = AsyncParleyClient(
        "http://parley", created.tokens.parties["government"], transport=transport
    )
    red_line = await kurds.declare_red_line(
        summit_id, "kurds", label="US stays", expr="us_withdrawal_months >= 24", visibility="public"
    )
    assert red_line.constraint == {"op": "ge", "issue": "us_withdrawal_months", "value": 24}
    prefs = await kurds.set_preferences(
        summit_id,
        "kurds",
        {"weights": {"joint_cell": 1}, "scores": {"joint_cell": {"true": 1, "false": 0}}},
    )
    assert prefs.normalised_weights == {"joint_cell": 1.0}
    started = await convener.start(summit_id)
    assert isinstance(started, Summit)
    assert started.round.phase == "proposals"
    report = await government.check(summit_id, FULL)
    assert isinstance(report, CheckReport)
    assert report.verdict == "clear"
    proposal = await government.propose(summit_id, FULL, "a start")
    assert isinstance(proposal, Proposal)
    assert proposal.check.verdict == "clear"
    await kurds.pass_turn(summit_id)
    await convener.advance(summit_id)  # russia has not acted: the convener moves on
    answer = await kurds.respond(summit_id, proposal.id, "accept", "fine")
    assert answer.verdict == "accept"
    current = await kurds.round(summit_id, 1)
    assert [p.id for p in current.proposals] == [proposal.id]
    events = await kurds.events(summit_id)
    assert events[0].type == "summit.created"
    ledger = await kurds.concessions(summit_id)
    assert ledger == []
    verified = await convener.verify(summit_id)
    assert verified.valid is True
    history = await convener.history(summit_id)
    assert history.rounds[0].number == 1
    markdown = await convener.history_text(summit_id, "markdown")
    assert markdown.startswith("# Client test")
    listed = await kurds.list_summits()
    assert summit_id in [s.id for s in listed]
    for c in (convener, kurds, government):
        await c.aclose()


async def test_error_codes_become_typed_exceptions_with_the_servers_details(transport):
    async with AsyncParleyClient("http://parley", transport=transport) as anonymous:
        created = await anonymous.create_summit(BODY)
        summit_id = created.summit.id
        with pytest.raises(errors.NotFound):
            await anonymous.get_summit("nope")
        with pytest.raises(errors.Unauthorized):
            await anonymous.start(summit_id)
        with pytest.raises(errors.InvalidInput) as caught:
            await anonymous.check(summit_id, {"assad_role": "abdication"})
        assert caught.value.status == 422
        assert caught.value.details["errors"][0]["issue"] == "assad_role"
    async with AsyncParleyClient(
        "http://parley", created.tokens.parties["kurds"], transport=transport
    ) as kurds:
        with pytest.raises(errors.Forbidden):
            await kurds.start(summit_id)
        with pytest.raises(errors.Conflict) as conflict:
            await kurds.pass_turn(summit_id)
        assert "setup" in conflict.value.message


def flaky(failures: int, calls: list[str]):
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) <= failures:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(
            200,
            json={
                "id": "s",
                "title": "t",
                "status": "setup",
                "issues": [],
                "parties": [],
                "protocol": {},
            },
        )

    return httpx.MockTransport(handler)


def test_idempotent_calls_are_retried_with_backoff_and_moves_are_not():
    calls: list[str] = []
    with ParleyClient("http://x", transport=flaky(2, calls), backoff=0.001) as client:
        assert client.get_summit("s").id == "s"
    assert calls == ["GET", "GET", "GET"]
    calls.clear()
    with (
        ParleyClient("http://x", transport=flaky(1, calls), backoff=0.001) as client,
        pytest.raises(errors.TransportError),
    ):
        client.start("s")
    assert calls == ["POST"]
    calls.clear()
    with (
        ParleyClient("http://x", transport=flaky(10, calls), retries=2, backoff=0.001) as client,
        pytest.raises(errors.TransportError),
    ):
        client.get_summit("s")
    assert len(calls) == 3
