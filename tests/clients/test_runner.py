"""Scenarios played through the runner against the app in process."""

import pytest

from clients.async_client import AsyncParleyClient
from clients.runner import RunOptions, run_scenario
from clients.scenario import load_scenario
from clients.script import Script, ScriptError, load_script
from tests.clients.conduct import broken_own_red_lines, moves

pytestmark = pytest.mark.anyio


async def play(transport, name, **options):
    return await run_scenario(
        load_scenario(name), "http://parley", RunOptions(wait=5, **options), transport=transport
    )


async def record(transport, result):
    async with AsyncParleyClient(
        "http://parley", result.convener_token, transport=transport
    ) as convener:
        return await convener.events(result.summit.id)


async def test_the_example_script_plays_exactly(transport):
    result = await play(transport, "river-treaty", script=load_script("river-treaty"))
    assert (result.summit.outcome, result.summit.rounds_played) == ("agreement", 2)
    assert result.summit.settlement == {
        "dam_height": "medium",
        "dry_season_flow": 55,
        "joint_monitoring": True,
        "power_sharing": "sold_at_cost",
    }
    played = moves(result.history)
    high = (
        ("dam_height", "high"),
        ("dry_season_flow", 40),
        ("joint_monitoring", False),
        ("power_sharing", "none"),
    )
    proposals = [m for m in played if m[1] == "propose"]
    assert [(m[0], m[3]) for m in proposals] == [(1, "highvale"), (1, "midland"), (2, "highvale")]
    assert proposals[0][4] == tuple(sorted(high))
    responses = [(m[0], m[3], m[4]) for m in played if m[1] == "respond"]
    assert responses == [
        (1, "midland", "reject"),
        (1, "lowmere", "reject"),
        (1, "highvale", "reject"),
        (1, "lowmere", "accept"),
        (2, "midland", "accept"),
        (2, "lowmere", "accept"),
    ]
    concessions = [(m[2], m[3], m[4]) for m in played if m[1] == "concede"]
    assert concessions == [
        ("red_line", "highvale", None),
        ("explicit", "lowmere", "dam_height"),
        ("derived", "highvale", "dam_height"),
        ("derived", "highvale", "dry_season_flow"),
        ("derived", "highvale", "joint_monitoring"),
        ("derived", "highvale", "power_sharing"),
    ]
    assert next(m[4:] for m in played if m[1] == "respond") == (
        "reject",
        "Forty percent would ruin the dry-season harvest.",
        False,
    )
    assert broken_own_red_lines(await record(transport, result)) == []


async def test_a_refused_step_fails_loudly_naming_round_and_step(transport):
    script = Script.model_validate(
        {
            "rounds": [
                {
                    "round": 1,
                    "moves": [
                        {"party": "midland", "pass": True},
                        {
                            "party": "highvale",
                            "propose": {
                                "dam_height": "low",
                                "dry_season_flow": 40,
                                "joint_monitoring": False,
                                "power_sharing": "none",
                            },
                        },
                    ],
                }
            ]
        }
    )
    with pytest.raises(ScriptError) as caught:
        await play(transport, "river-treaty", script=script)
    message = str(caught.value)
    assert message.startswith(
        "round 1, step 2 (highvale propose a package): refused by the server: "
    )
    assert message.endswith("(409 conflict)")
    assert "red line" in message
    assert caught.value.refused


async def test_a_script_naming_a_missing_red_line_or_proposal_is_refused(transport):
    script = Script.model_validate(
        {"rounds": [{"round": 1, "moves": [{"party": "highvale", "relax": "No such line"}]}]}
    )
    with pytest.raises(
        ScriptError, match=r"round 1, step 1 .* has no red line labelled 'No such line'"
    ):
        await play(transport, "river-treaty", script=script)


async def test_strategies_settle_the_teaching_scenario_the_same_way_every_time(transport):
    first = await play(transport, "river-treaty", seed=3)
    second = await play(transport, "river-treaty", seed=3)
    assert first.summit.outcome == "agreement"
    assert len(moves(first.history)) > 10
    assert moves(first.history, ids=False) == moves(second.history, ids=False)
    assert first.summit.settlement == second.summit.settlement
    for result in (first, second):
        assert all(refused == [] for refused in result.refused.values())
        assert broken_own_red_lines(await record(transport, result)) == []
        for party, utility in result.utilities.items():
            assert utility >= load_scenario("river-treaty").party(party).preferences.reservation


async def test_a_refused_start_leaves_no_summit_open(transport):
    from clients.scenario import Scenario

    raw = load_scenario("river-treaty").model_dump()
    # Built in Python, past the file checks: the server is the one to refuse this red line.
    raw["parties"][0]["red_lines"][0]["expr"] = "dam_hieght >= medium"
    scenario = Scenario.model_validate(raw)
    with pytest.raises(ScriptError) as caught:
        await run_scenario(scenario, "http://parley", RunOptions(wait=5), transport=transport)
    assert caught.value.refused
    assert "unknown issue 'dam_hieght'" in str(caught.value)
    async with AsyncParleyClient("http://parley", transport=transport) as reader:
        summits = await reader.list_summits()
    assert [(s.status, s.outcome) for s in summits] == [("concluded", "aborted")]


@pytest.mark.parametrize("name", ["river-treaty", "syria-2016"])
async def test_relaxations_are_logged_from_the_round_their_rule_names(transport, name):
    scenario = load_scenario(name)
    rules = {
        (party.key, red_line.label): red_line.relax
        for party in scenario.parties
        for red_line in party.red_lines
    }
    result = await play(transport, name)
    async with AsyncParleyClient(
        "http://parley", result.convener_token, transport=transport
    ) as convener:
        red_lines = {rl.id: rl for rl in await convener.red_lines(result.summit.id)}
        ledger = await convener.concessions(result.summit.id)
    relaxed = [c for c in ledger if c.kind == "red_line"]
    assert relaxed, "the scenario's strategies relax some red line"
    for concession in relaxed:
        red_line = red_lines[concession.red_line]
        rule = rules[(red_line.party, red_line.label)]
        assert rule is not None
        assert concession.round >= rule.after_round
        assert red_line.relax == {"after_round": rule.after_round}
