import pytest

from service.domain.errors import Conflict, InvalidInput
from service.domain.protocol import (
    CONVENER,
    Answer,
    Phase,
    RoundState,
    Tabled,
    build_protocol,
    check_can_pass,
    check_can_propose,
    check_can_respond,
    next_round,
    proposals_done,
    responses_done,
    settlement,
    settlement_rule,
    unanimous,
)

PARTIES = ("government", "kurds", "russia")
FULL = {"a": 1}


def state(**kw):
    return RoundState(number=1, phase=Phase.PROPOSALS, parties=PARTIES, **kw)


def test_each_party_acts_once_in_the_proposals_phase():
    s = state()
    check_can_propose(s, "kurds")
    s.proposals.append(Tabled(1, "kurds", FULL, True))
    with pytest.raises(Conflict, match="already tabled") as caught:
        check_can_propose(s, "kurds")
    assert caught.value.details == {
        "round": 1,
        "phase": "proposals",
        "waiting_for": ["government", "russia"],
    }
    s.passed.add("russia")
    with pytest.raises(Conflict, match="already passed"):
        check_can_pass(s, "russia")
    assert not proposals_done(s)
    s.passed.add("government")
    assert proposals_done(s)


def test_a_mediated_round_waits_for_the_convener_too():
    s = state(mediated=True)
    s.passed.update(PARTIES)
    assert s.waiting_for() == [CONVENER]
    check_can_pass(s, CONVENER)
    s.proposals.append(Tabled(9, None, FULL, True))
    assert proposals_done(s)


def test_the_convener_may_not_pass_an_unmediated_round():
    with pytest.raises(Conflict, match="mediated"):
        check_can_pass(state(), CONVENER)


def test_responses_cover_every_full_proposal_but_ones_own():
    s = state()
    s.proposals += [
        Tabled(1, "kurds", FULL, True),
        Tabled(2, "russia", {"a": 2}, False),
        Tabled(3, None, FULL, True),
    ]
    s.phase = Phase.RESPONSES
    assert s.missing_responses() == [
        (1, "government"),
        (1, "russia"),
        (3, "government"),
        (3, "kurds"),
        (3, "russia"),
    ]
    with pytest.raises(Conflict, match="your own"):
        check_can_respond(s, "kurds", s.proposals[0])
    with pytest.raises(Conflict, match="partial"):
        check_can_respond(s, "kurds", s.proposals[1])
    s.responses[(1, "government")] = Answer.ACCEPT
    with pytest.raises(Conflict, match="already answered"):
        check_can_respond(s, "government", s.proposals[0])
    assert s.waiting_for() == ["government", "kurds", "russia"]


def test_proposals_wait_until_their_phase_and_responses_until_theirs():
    s = state()
    s.proposals.append(Tabled(1, "kurds", FULL, True))
    with pytest.raises(Conflict, match="responses open once"):
        check_can_respond(s, "russia", s.proposals[0])
    s.phase = Phase.RESPONSES
    with pytest.raises(Conflict, match="proposals are closed"):
        check_can_propose(s, "russia")


def test_settlement_needs_unanimity_and_a_clear_package():
    s = state()
    s.proposals += [Tabled(1, "kurds", {"a": 1}, True), Tabled(2, "russia", {"a": 2}, True)]
    s.phase = Phase.RESPONSES
    s.responses = {
        (1, "government"): Answer.ACCEPT,
        (1, "russia"): Answer.REJECT,
        (2, "government"): Answer.ACCEPT,
        (2, "kurds"): Answer.ACCEPT,
    }
    assert responses_done(s)
    assert settlement(s, lambda p: True).id == 2
    assert settlement(s, lambda p: p["a"] != 2) is None
    s.responses[(1, "russia")] = Answer.ACCEPT
    assert settlement(s, lambda p: True).id == 1


def test_when_several_proposals_qualify_seating_not_timing_decides():
    s = state()
    s.phase = Phase.RESPONSES
    # russia (seated third) tabled first; kurds (seated second) tabled later
    s.proposals += [Tabled(1, "russia", {"a": 1}, True), Tabled(2, "kurds", {"a": 2}, True)]
    s.responses = {(p, q): Answer.ACCEPT for p in (1, 2) for q in PARTIES}
    assert settlement(s, lambda p: True).id == 2
    s.proposals.append(Tabled(3, None, {"a": 3}, True))
    s.responses.update({(3, q): Answer.ACCEPT for q in PARTIES})
    assert settlement(s, lambda p: True).id == 3


def test_the_record_says_by_which_rule_one_of_several_accepted_packages_settled():
    s = state()
    s.phase = Phase.RESPONSES
    s.proposals += [Tabled(1, "russia", {"a": 1}, True), Tabled(2, "kurds", {"a": 2}, True)]
    s.responses = {(p, q): Answer.ACCEPT for p in (1, 2) for q in PARTIES}
    both = unanimous(s, lambda p: True)
    assert [p.id for p in both] == [2, 1]
    assert "seated first" in settlement_rule(both)
    alone = unanimous(s, lambda p: p["a"] == 1)
    assert [p.id for p in alone] == [1]
    assert settlement_rule(alone) == "the only full package accepted by every party"


def test_the_summit_runs_out_after_max_rounds():
    protocol = build_protocol({"max_rounds": 3})
    assert next_round(2, protocol) == 3
    assert next_round(3, protocol) is None


@pytest.mark.parametrize(
    ("spec", "loc"),
    [
        ({"max_rounds": 0}, ["protocol", "max_rounds"]),
        ({"max_rounds": 2.5}, ["protocol", "max_rounds"]),
        ({"max_rounds": 2, "phase_seconds": 0}, ["protocol", "phase_seconds"]),
        ({"max_rounds": 2, "phase_seconds": True}, ["protocol", "phase_seconds"]),
        ({"max_rounds": 2, "name": "alternating"}, ["protocol", "name"]),
        ({"max_rounds": 2, "mediated": "yes"}, ["protocol", "mediated"]),
    ],
)
def test_bad_protocols_are_refused(spec, loc):
    with pytest.raises(InvalidInput) as caught:
        build_protocol(spec)
    assert caught.value.details["errors"][0]["loc"] == loc
