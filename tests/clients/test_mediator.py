"""The mediator strategy and the convener who plays it."""

import pytest

from clients.agenda import Agenda
from clients.async_client import AsyncParleyClient
from clients.convener import _budget
from clients.models import Suggestions
from clients.runner import RunOptions, run_scenario
from clients.scenario import load_scenario
from clients.script import ScriptError, load_script
from clients.strategies.mediator import MARGIN, Mediator
from clients.utility import Utility
from tests.clients.conduct import broken_own_red_lines

AGENDA = Agenda(
    [
        {"key": "a", "kind": "options", "options": ["x", "y", "z"]},
        {"key": "n", "kind": "integer", "min": 0, "max": 10},
    ]
)
UTILITY = Utility(
    {
        "weights": {"a": 1, "n": 1},
        "scores": {"a": {"x": 1, "y": 0.5, "z": 0}, "n": [[0, 0], [10, 1]]},
        "reservation": 0.3,
    },
    AGENDA,
)


def suggestions(*utilities, objective="nash"):
    return Suggestions.model_validate(
        {
            "objective": objective,
            "parties": ["p"],
            "suggestions": [
                {
                    "package": {"a": "y", "n": 5},
                    "utilities": u,
                    "objective": objective,
                    "value": 0.1,
                    "pareto_optimal": True,
                    "status": "optimal",
                    "bound": 0.1,
                }
                for u in utilities
            ],
        }
    )


def test_a_demand_is_the_least_a_party_has_shown_it_would_take():
    mediator = Mediator()
    own = [{"a": "x", "n": 10}, {"a": "x", "n": 6}]  # worth 1.0, then 0.8
    assert mediator.demands({"p": UTILITY}, {"p": own}, {}) == {"p": 0.8}
    accepted = {"p": [{"a": "y", "n": 4}]}  # worth 0.45
    assert mediator.demands({"p": UTILITY}, {"p": own}, accepted) == {"p": 0.45}
    cheap = {"p": [{"a": "z", "n": 0}]}  # worth 0, below the reservation value
    assert mediator.demands({"p": UTILITY}, {}, cheap) == {"p": 0.3}
    assert mediator.demands({"p": UTILITY}, {}, {}) == {}
    assert mediator.floors({"p": 0.45}) == {"p": 0.45 + MARGIN}


def test_the_text_meeting_every_demand_comes_first_then_the_focal_one():
    mediator = Mediator()
    demands = {"p": 0.6, "q": 0.5}
    within = suggestions({"p": 0.61, "q": 0.55})
    text = mediator.choose(demands, within, suggestions({"p": 0.9, "q": 0.1}, objective="kalai"))
    assert text.meets_demands
    assert "nash text: meets every delegation's demand (p 0.61, q 0.55)" in text.note
    # Tabled for every delegation to read: nothing about what the text is worth to anyone.
    assert text.rationale == "mediator's nash text"
    focal = mediator.choose(
        demands, suggestions(), suggestions({"p": 0.58, "q": 0.49}, objective="kalai")
    )
    assert not focal.meets_demands
    assert "kalai text: cuts every demand alike" in focal.note
    assert focal.rationale == "mediator's kalai text"
    assert mediator.choose(demands, suggestions(), suggestions()) is None
    with pytest.raises(ValueError, match="unknown objective"):
        Mediator("utilitarian")


@pytest.mark.anyio
async def test_the_convener_drafts_last_in_each_round_and_delegations_keep_their_red_lines(
    transport,
):
    result = await run_scenario(
        load_scenario("river-treaty"),
        "http://parley",
        RunOptions(wait=5, mediator="nash"),
        transport=transport,
    )
    assert result.summit.outcome == "agreement"
    assert result.summit.protocol["mediated"] is True
    assert result.mediator_texts
    for played in result.history.rounds:
        authors = [p.party for p in played.proposals]
        if None in authors:
            assert authors[-1] is None, "the mediator tables after every delegation"
            assert authors.count(None) == 1
    assert all(refused == [] for refused in result.refused.values())
    async with AsyncParleyClient("http://parley", result.convener_token, transport=transport) as c:
        events = await c.events(result.summit.id)
    assert broken_own_red_lines(events) == []


@pytest.mark.anyio
async def test_a_script_and_a_mediator_do_not_mix(transport):
    with pytest.raises(ScriptError, match="drop the mediator or the script"):
        await run_scenario(
            load_scenario("river-treaty"),
            "http://parley",
            RunOptions(mediator="nash", script=load_script("river-treaty")),
            transport=transport,
        )


def test_under_a_deadline_the_convener_shares_the_time_left_between_its_two_questions():
    assert _budget(None) is None  # no deadline: the server's own limit
    assert _budget(10.5) == 5.0
    assert _budget(0.3) == 0.1  # never nothing at all
