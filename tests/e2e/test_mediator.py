"""A mediated mock summit of syria-2016 over real HTTP: the convener's mediator settles it in
the first round in which the delegations' demands leave room for a deal, sooner than the
delegations settle it alone."""

from __future__ import annotations

import asyncio

import pytest

from clients.async_client import AsyncParleyClient
from clients.runner import RunOptions, run_scenario
from clients.scenario import load_scenario
from tests.settling import first_possible_round

pytestmark = pytest.mark.e2e


def play(server: str, mediator: str | None, strategies: dict[str, str]):
    options = RunOptions(rounds=30, wait=10, mediator=mediator, strategies=strategies)
    return asyncio.run(run_scenario(load_scenario("syria-2016"), server, options))


def mediator_rationales(server: str, result) -> set[str]:
    """Every rationale the mediator tabled: all delegations read them, so no one's utilities."""

    async def ask() -> set[str]:
        async with AsyncParleyClient(server, result.convener_token) as convener:
            found: set[str] = set()
            for number in range(1, result.summit.rounds_played + 1):
                played = await convener.round(result.summit.id, number)
                found |= {p.rationale or "" for p in played.proposals if p.party is None}
            return found

    return asyncio.run(ask())


@pytest.mark.parametrize(
    "strategies",
    [{}, {"government": "conceder", "russia": "conceder"}],
    ids=["scenario strategies", "conceding government and russia"],
)
def test_the_mediator_settles_as_soon_as_the_demands_allow(server: str, strategies) -> None:
    alone = play(server, None, strategies)
    mediated = play(server, "nash", strategies)
    assert alone.summit.outcome == "agreement"
    assert mediated.summit.outcome == "agreement"
    possible = first_possible_round(server, mediated)
    assert possible is not None
    assert possible <= mediated.summit.rounds_played <= possible + 1
    assert mediated.summit.rounds_played < alone.summit.rounds_played
    assert mediated.verification.valid
    rationales = mediator_rationales(server, mediated)
    assert rationales
    assert rationales <= {"mediator's nash text", "mediator's kalai text"}
    assert all(refused == [] for refused in mediated.refused.values())
