"""Replaying an event log (pure): the state after any event, the end of a round, the views
written for each viewer."""

from service.domain.agenda import build_agenda
from service.domain.privacy import ANONYMOUS, CONVENER_VIEW, Role, Viewer
from service.domain.record import GENESIS, ChainedEvent, event_hash, verify_chain
from service.domain.replay import replay, round_end, rounds_played
from service.domain.review import Reviewer
from service.domain.reviews import IssueMove, SealedReviewProposal

ISSUES = [{"key": "x", "kind": "integer", "min": 0, "max": 10}, {"key": "y", "kind": "boolean"}]
AGENDA = build_agenda(ISSUES)
PARTIES = [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}]
SECRET = {
    "id": 1,
    "party": "b",
    "visibility": "private",
    "status": "active",
    "label": "never below five",
    "expr": "x >= 5",
    "rationale": "the harvest",
}
PREFS = {"weights": {"x": 1}, "scores": {"x": [[0, 1.0], [10, 0.0]]}, "reservation": 0.1}


def chain(*moves):
    """Chained events from (type, actor, data) moves, hashed as the service hashes them."""
    events, previous = [], GENESIS
    for seq, (kind, actor, data) in enumerate(moves, start=1):
        at = f"2026-01-01T00:00:{seq:02d}.000000Z"
        digest = event_hash(previous, seq=seq, at=at, type=kind, actor=actor, data=data)
        events.append(ChainedEvent(seq, at, kind, actor, data, digest))
        previous = digest
    return events


def proposal(pid, number, party, package):
    return {
        "proposal": {
            "id": pid,
            "round": number,
            "party": party,
            "package": package,
            "complete": True,
            "rationale": "",
            "check": {"verdict": "clear"},
        }
    }


LOG = chain(
    (
        "summit.created",
        "convener",
        {"title": "T", "issues": ISSUES, "parties": PARTIES, "protocol": {}},
    ),
    ("red_line.declared", "party:b", {"red_line": SECRET}),
    ("preferences.set", "party:a", {"party": "a", "preferences": PREFS}),
    ("summit.started", "convener", {}),
    ("round.opened", "system", {"round": 1, "phase": "proposals"}),  # 5
    ("proposal.tabled", "party:a", proposal(1, 1, "a", {"x": 1, "y": True})),
    ("party.passed", "party:b", {"round": 1, "party": "b"}),
    ("phase.changed", "system", {"round": 1, "from": "proposals", "to": "responses"}),
    ("response.given", "party:b", {"round": 1, "proposal": 1, "party": "b", "verdict": "reject"}),
    ("round.closed", "system", {"round": 1, "reason": "all_answered", "settled_by": None}),  # 10
    ("round.opened", "system", {"round": 2, "phase": "proposals"}),
    (
        "red_line.relaxed",
        "party:b",
        {"red_line": 1, "party": "b", "visibility": "private", "round": 2, "note": "ok"},
    ),
    ("proposal.tabled", "party:a", proposal(2, 2, "a", {"x": 4, "y": True})),
    ("party.passed", "party:b", {"round": 2, "party": "b"}),
    ("phase.changed", "system", {"round": 2, "from": "proposals", "to": "responses"}),  # 15
    ("response.given", "party:b", {"round": 2, "proposal": 2, "party": "b", "verdict": "accept"}),
    ("round.closed", "system", {"round": 2, "reason": "all_answered", "settled_by": 2}),
    (
        "summit.concluded",
        "system",
        {"outcome": "agreement", "settlement": {"x": 4, "y": True}, "proposal": 2, "round": 2},
    ),
)


def test_the_log_used_here_is_a_valid_chain():
    assert verify_chain(LOG).valid


def test_a_round_ends_just_before_the_next_one_opens():
    assert round_end(LOG, 1) == 10
    assert round_end(LOG, 2) == 18
    assert round_end(LOG, 3) is None
    assert rounds_played(LOG) == 2


def test_replaying_to_an_event_gives_the_state_then():
    first = replay(LOG, until_seq=round_end(LOG, 1))
    assert first.status == "open"
    assert first.red_lines[1]["status"] == "active"
    assert first.positions()["a"]["package"] == {"x": 1, "y": True}
    assert first.settlement is None
    last = replay(LOG)
    assert last.status == "concluded"
    assert last.red_lines[1]["status"] == "relaxed"
    assert last.rounds[2].relaxed == [1]
    assert last.settlement == {"x": 4, "y": True}
    assert [c["kind"] for c in last.concessions] == ["red_line"]
    assert replay(LOG, until_seq=3).preferences == {"a": PREFS}


def writer(viewer):
    return Reviewer("s1", AGENDA, viewer, sealed_round=None)


def test_views_hold_private_content_for_its_owner_the_convener_or_after_declassification():
    snap = replay(LOG)
    for viewer, sees in (
        (CONVENER_VIEW, True),
        (Viewer(Role.DELEGATION, "b"), True),
        (Viewer(Role.DELEGATION, "a"), False),
        (ANONYMOUS, False),
        (Viewer(Role.ANONYMOUS, declassified=True), True),
    ):
        state = writer(viewer).state(snap, round_number=2)
        assert ("label" in state.red_lines[0]) is sees, viewer
        relaxation = state.round.concessions[0]
        assert ("note" in relaxation) is sees, viewer


def test_utilities_are_shown_only_for_the_parties_a_viewer_may_see():
    snap = replay(LOG)
    assert writer(CONVENER_VIEW).utilities(snap).parties == ["a"]
    assert writer(Viewer(Role.DELEGATION, "b")).utilities(snap).parties == []
    mine = writer(Viewer(Role.DELEGATION, "a")).utilities(snap)
    assert [p.utility for p in mine.trajectories["a"]] == [0.9, 0.6]
    assert mine.settlement.utilities == {"a": 0.6}


def test_the_diff_lists_the_issues_moved_and_the_red_lines_relaxed():
    before = replay(LOG, until_seq=round_end(LOG, 1))
    after = replay(LOG, until_seq=round_end(LOG, 2))
    diff = writer(CONVENER_VIEW).diff(before, after)
    assert diff.parties["a"].moved == [IssueMove("x", 1, 4)]
    assert diff.parties["b"].moved == []
    assert [rl["id"] for rl in diff.relaxed_red_lines] == [1]
    assert round(diff.parties["a"].utility_change, 9) == -0.3


def test_a_proposal_of_the_sealed_round_shows_only_to_its_author_and_the_convener():
    snap = replay(LOG, until_seq=13)  # round 2, proposal 2 tabled, phase still open
    for viewer, sealed in ((CONVENER_VIEW, False), (Viewer(Role.DELEGATION, "b"), True)):
        view = Reviewer("s1", AGENDA, viewer, sealed_round=2).state(snap, round_number=None)
        assert isinstance(view.round.proposals[0], SealedReviewProposal) is sealed
        # The position falls back to what was public: proposal 1 of round 1.
        expected = 1 if sealed else 2
        assert view.positions["a"].id == expected


# The same summit, but party a turns its scores around between its two proposals.
TURNED = {"weights": {"x": 1}, "scores": {"x": [[0, 0.0], [10, 1.0]]}, "reservation": 0.2}
CHANGED = chain(
    *[(e.type, e.actor, e.data) for e in LOG[:11]],
    ("preferences.set", "party:a", {"party": "a", "preferences": TURNED}),
    *[(e.type, e.actor, e.data) for e in LOG[11:]],
)


def test_a_proposal_is_worth_what_the_preferences_in_force_when_it_was_tabled_say():
    snap = replay(CHANGED)
    assert snap.tabled_with[1] == {"a": PREFS}
    assert snap.tabled_with[2] == {"a": TURNED}
    view = writer(CONVENER_VIEW).utilities(snap)
    # Proposal 1 (x=1) under the first scores, proposal 2 (x=4) under the turned ones.
    assert [round(p.utility, 9) for p in view.trajectories["a"]] == [0.9, 0.4]
    # The settlement and the reservation value: the preferences in force at the end.
    assert round(view.settlement.utilities["a"], 9) == 0.4
    assert view.reservations == {"a": 0.2}
    # At the end of round 1 the turned preferences were not yet set.
    first = writer(CONVENER_VIEW).state(replay(CHANGED, until_seq=10), round_number=1)
    assert first.preferences == {"a": PREFS}
    assert round(first.positions["a"].utilities["a"], 9) == 0.9


def test_a_party_without_preferences_when_a_proposal_was_tabled_has_no_utility_of_it():
    late = chain(
        *[(e.type, e.actor, e.data) for e in LOG[:2]],
        *[(e.type, e.actor, e.data) for e in LOG[3:11]],
        ("preferences.set", "party:a", {"party": "a", "preferences": PREFS}),
        *[(e.type, e.actor, e.data) for e in LOG[11:]],
    )
    view = writer(CONVENER_VIEW).utilities(replay(late))
    assert [p.proposal for p in view.trajectories["a"]] == [2]
    assert view.proposals[0].utilities == {}
