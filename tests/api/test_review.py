"""Review over HTTP: the state at any round or event, diffs, utilities, measures, and
declassification (what each caller may read before it and after it)."""

import json

import pytest
from pydantic import TypeAdapter

from service.domain.reviews import ReviewDiff, ReviewState, ReviewUtilities
from service.services.results.review import (
    ChartsRead,
    ChartsWithPlaneRead,
    MeasuresRead,
    OwnMeasures,
)
from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]
SECRET_LABEL = "US stays two years, quietly"
SECRET_RATIONALE = "our northern cities need cover"


def prefs(role_scores, months, reservation):
    return {
        "weights": {"assad_role": 2, "us_withdrawal_months": 1, "joint_cell": 1},
        "scores": {
            "assad_role": dict(
                zip(
                    ["full_powers", "reduced_powers", "transition_then_exit", "exit_at_signing"],
                    role_scores,
                    strict=True,
                )
            ),
            "us_withdrawal_months": months,
            "joint_cell": {"true": 1.0, "false": 0.0},
        },
        "reservation": reservation,
    }


GOVERNMENT = prefs([1.0, 0.7, 0.3, 0.0], [[0, 1.0], [60, 0.0]], 0.3)
KURDS = prefs([0.0, 0.4, 0.8, 1.0], [[0, 0.0], [60, 1.0]], 0.2)
A = {"assad_role": "full_powers", "us_withdrawal_months": 6, "joint_cell": True}
B = {"assad_role": "transition_then_exit", "us_withdrawal_months": 36, "joint_cell": True}
C = {"assad_role": "reduced_powers", "us_withdrawal_months": 12, "joint_cell": True}


async def played(client):
    """Two rounds: both reject in round 1; the Kurds relax their private red line and accept."""
    table = await make_table(client, parties=TWO)
    await table.ok("PUT", "/parties/government/preferences", "government", GOVERNMENT)
    await table.ok("PUT", "/parties/kurds/preferences", "kurds", KURDS)
    secret = await table.red_line(
        "kurds",
        "joint_cell -> us_withdrawal_months >= 24",
        label=SECRET_LABEL,
        visibility="private",
        rationale=SECRET_RATIONALE,
    )
    await table.ok("POST", "/start", "convener")
    a = await table.propose("government", A)
    b = await table.propose("kurds", B)
    await table.respond("government", b["id"], "reject")
    await table.respond("kurds", a["id"], "reject")
    await table.ok("POST", f"/red-lines/{secret['id']}/relax", "kurds", {"note": "for peace"})
    c = await table.propose("government", C, "a step")
    await table.ok("POST", "/rounds/2/pass", "kurds")
    await table.respond("kurds", c["id"], "accept")
    summit = await table.summit()
    assert summit["outcome"] == "agreement"
    return table, secret, (a, b, c)


def utility(document, package):
    weights = document["weights"]
    total = sum(weights.values())
    scores = document["scores"]
    months = scores["us_withdrawal_months"]
    m = package["us_withdrawal_months"]
    (x0, y0), (x1, y1) = months
    month_score = y0 + (y1 - y0) * (m - x0) / (x1 - x0)
    parts = {
        "assad_role": scores["assad_role"][package["assad_role"]],
        "us_withdrawal_months": month_score,
        "joint_cell": scores["joint_cell"]["true" if package["joint_cell"] else "false"],
    }
    return sum(weights[k] / total * v for k, v in parts.items())


async def test_the_state_at_each_round_is_replayed_from_the_log(client):
    table, _secret, (a, b, _c) = await played(client)
    first = await table.ok("GET", "/state?round=1", "convener")
    assert first["at"]["round"] == 1
    assert first["round"]["number"] == 1
    assert [p["id"] for p in first["round"]["proposals"]] == [a["id"], b["id"]]
    assert {(r["party"], r["verdict"]) for r in first["round"]["responses"]} == {
        ("government", "reject"),
        ("kurds", "reject"),
    }
    assert first["positions"]["government"]["package"] == A
    assert first["positions"]["kurds"]["package"] == B
    [line] = first["red_lines"]
    # Relaxed in round 2: at the end of round 1 it was still active.
    assert line["status"] == "active"
    assert line["label"] == SECRET_LABEL
    assert first["settlement"] is None
    assert first["outcome"] is None
    second = await table.ok("GET", "/state?round=2", "convener")
    assert second["red_lines"][0]["status"] == "relaxed"
    assert second["positions"]["government"]["package"] == C
    assert second["settlement"]["package"] == C
    assert second["outcome"] == "agreement"
    assert [c_["kind"] for c_ in second["concessions"]].count("red_line") == 1
    # After one event: the summit was just created.
    opening = await table.ok("GET", "/state?seq=1", "convener")
    assert opening["at"] == {"seq": 1, "round": None, "phase": None, "status": "setup"}
    assert opening["agenda"]["title"] == "Test summit"
    assert opening["red_lines"] == []
    assert opening["positions"] == {"government": None, "kurds": None}


async def test_utilities_are_the_convener_s_all_a_delegation_s_own_and_nobody_else_s(client):
    table, _, (a, b, c) = await played(client)
    everything = await table.ok("GET", "/utilities", "convener")
    assert everything["parties"] == ["government", "kurds"]
    by_id = {p["id"]: p["utilities"] for p in everything["proposals"]}
    for proposal, package in ((a, A), (b, B), (c, C)):
        assert by_id[proposal["id"]]["government"] == pytest.approx(utility(GOVERNMENT, package))
        assert by_id[proposal["id"]]["kurds"] == pytest.approx(utility(KURDS, package))
    assert everything["settlement"]["utilities"]["kurds"] == pytest.approx(utility(KURDS, C))
    rounds = [point["round"] for point in everything["trajectories"]["government"]]
    assert rounds == [1, 1, 2]
    own = await table.ok("GET", "/utilities", "kurds")
    assert own["parties"] == ["kurds"]
    assert all(set(p["utilities"]) == {"kurds"} for p in own["proposals"])
    assert set(own["trajectories"]) == {"kurds"}
    assert set(own["settlement"]["utilities"]) == {"kurds"}
    nobody = await table.ok("GET", "/utilities", None)
    assert nobody["parties"] == []
    assert all(p["utilities"] == {} for p in nobody["proposals"])
    assert nobody["trajectories"] == {}


async def test_a_delegation_never_reads_another_s_private_red_line_or_preferences(client):
    table, secret, _ = await played(client)
    for who in ("government", None):
        for path in (
            "/state?round=1",
            "/state?round=2",
            "/state",
            "/utilities",
            "/diff?from=1&to=2",
        ):
            text = json.dumps(await table.ok("GET", path, who))
            assert SECRET_LABEL not in text, (who, path)
            assert SECRET_RATIONALE not in text, (who, path)
            assert "for peace" not in text, (who, path)
        state = await table.ok("GET", "/state?round=1", who)
        assert state["red_lines"] == [
            {"id": secret["id"], "party": "kurds", "visibility": "private", "status": "active"}
        ]
        assert "kurds" not in state["preferences"]
    kurds = await table.ok("GET", "/state?round=2", "kurds")
    assert kurds["red_lines"][0]["label"] == SECRET_LABEL
    assert set(kurds["preferences"]) == {"kurds"}


async def test_the_diff_names_each_issue_a_party_moved(client):
    table, secret, (a, _b, c) = await played(client)
    diff = await table.ok("GET", "/diff?from=1&to=2", "convener")
    government = diff["parties"]["government"]
    assert government["from"] == {"proposal": a["id"], "round": 1}
    assert government["to"] == {"proposal": c["id"], "round": 2}
    assert government["moved"] == [
        {"issue": "assad_role", "from": "full_powers", "to": "reduced_powers"},
        {"issue": "us_withdrawal_months", "from": 6, "to": 12},
    ]
    assert government["utility_change"] == pytest.approx(
        utility(GOVERNMENT, C) - utility(GOVERNMENT, A)
    )
    assert diff["parties"]["kurds"]["moved"] == []
    assert [rl["id"] for rl in diff["relaxed_red_lines"]] == [secret["id"]]
    anonymous = await table.ok("GET", "/diff?from=1&to=2", None)
    assert anonymous["parties"]["government"]["utility_change"] is None


@pytest.mark.parametrize(
    ("query", "status", "where"),
    [
        ("/state?round=3", 404, None),
        ("/state?seq=999", 404, None),
        ("/state?round=1&seq=2", 422, "seq"),
        ("/state?round=0", 422, "round"),
        ("/diff?from=2&to=1", 422, "to"),
        ("/diff?from=1&to=5", 404, None),
        ("/measures?proposal=999", 404, None),
    ],
)
async def test_bad_review_queries_say_what_is_wrong(client, query, status, where):
    table, _, _ = await played(client)
    response = await client.get(table.url(query), headers=table.h("convener"))
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["message"]
    if where is not None:
        assert where in json.dumps(body["details"])


async def test_measures_of_the_settlement_for_each_role(client):
    table, _, (a, _, c) = await played(client)
    full = await table.ok("GET", "/measures", "convener")
    assert full["restricted"] is False
    assert full["proposal"] == c["id"]
    assert full["package"] == C
    # C is where the two parties' concessions meet: nothing is better for both at once.
    assert full["pareto_optimal"] is True
    assert full["joint_gain"]["status"] == "optimal"
    assert full["joint_gain"]["gain"] == 0
    assert set(full["targets"]) == {"nash", "kalai", "welfare"}
    for target in full["targets"].values():
        assert target["status"] == "optimal"
        assert target["distance"] >= 0
    assert full["gains_over_reservation"]["kurds"] == pytest.approx(utility(KURDS, C) - 0.2)
    again = await table.ok("GET", "/measures", "convener")
    assert again["cached"] is True
    own = await table.ok("GET", "/measures", "kurds")
    assert own["restricted"] is True
    assert own["parties"] == ["kurds"]
    assert "pareto_optimal" not in own
    assert "targets" not in own
    nobody = await table.ok("GET", "/measures", None)
    assert nobody["parties"] == []
    assert nobody["utilities"] == {}
    proposal = await table.ok("GET", f"/measures?proposal={a['id']}", "convener")
    assert proposal["package"] == A


async def test_measures_before_a_settlement_need_a_proposal(client):
    table = await make_table(client, parties=TWO, start=True)
    response = await table.get("/measures", "convener")
    assert response.status_code == 409
    assert "no settlement" in response.json()["error"]["message"]


async def test_declassification_opens_everything_and_verifies_in_the_chain(client):
    table, _secret, _ = await played(client)
    for who in ("government", None):
        assert SECRET_LABEL not in json.dumps(await table.ok("GET", "/history", who))
        assert SECRET_LABEL not in json.dumps(await table.ok("GET", "/red-lines", who))
        assert SECRET_LABEL not in json.dumps(await table.ok("GET", "/events", who))
        hidden = await table.get("/parties/kurds/preferences", who)
        assert hidden.status_code == (403 if who else 401)
    refused = await table.post("/declassify", "kurds", {"note": "x"})
    assert refused.status_code == 403
    assert (await table.post("/declassify", None)).status_code == 401
    done = await table.ok("POST", "/declassify", "convener", {"note": "for the debrief"})
    assert done["declassified"] is True
    again = await table.post("/declassify", "convener", {})
    assert again.status_code == 409
    assert again.json()["error"]["details"]["seq"] == done["seq"]
    verified = await table.ok("GET", "/history/verify", "convener")
    assert verified["valid"] is True
    assert verified["events"] == done["seq"]
    assert verified["head"] == done["hash"]
    events = await table.ok("GET", "/events", None)
    assert events[-1]["type"] == "summit.declassified"
    assert events[-1]["data"] == {"note": "for the debrief"}
    for who in ("government", None):
        state = await table.ok("GET", "/state?round=1", who)
        assert state["declassified"] is True
        assert state["red_lines"][0]["label"] == SECRET_LABEL
        assert state["red_lines"][0]["rationale"] == SECRET_RATIONALE
        assert set(state["preferences"]) == {"government", "kurds"}
        everything = await table.ok("GET", "/utilities", who)
        assert everything["parties"] == ["government", "kurds"]
        measures = await table.ok("GET", "/measures", who)
        assert measures["restricted"] is False
        assert "for peace" in json.dumps(await table.ok("GET", "/state", who))
        # The record and the red lines read the same way once declassified.
        [line] = await table.ok("GET", "/red-lines", who)
        assert line["label"] == SECRET_LABEL
        assert line["relax_note"] == "for peace"
        history = await table.ok("GET", "/history", who)
        assert SECRET_LABEL in json.dumps(history)
        assert SECRET_LABEL in json.dumps(await table.ok("GET", "/events", who))
        opened = await table.ok("GET", "/parties/kurds/preferences", who)
        assert opened["reservation"] == pytest.approx(0.2)
        derived = [
            c for c in history["ledger"]["government"]["concessions"] if c["kind"] == "derived"
        ]
        assert derived
        assert all("utility_change" in c for c in derived)


async def test_a_summit_cannot_be_declassified_before_it_concludes(client):
    table = await make_table(client, parties=TWO, start=True)
    before = await table.ok("GET", "/events", None)
    response = await table.post("/declassify", "convener", {"note": "too early"})
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"status": "open"}
    assert await table.ok("GET", "/events", None) == before


async def test_review_bodies_match_their_declared_types_whole(client):
    """Each body read into its declared type and written back by it is the same body: no
    field missing, none extra (redacted parts are their own types, never nulls)."""
    table, _, _ = await played(client)
    for who in ("convener", "kurds", None):
        for path, kind in (
            ("/state?round=1", ReviewState),
            ("/state", ReviewState),
            ("/diff?from=1&to=2", ReviewDiff),
            ("/utilities", ReviewUtilities),
            ("/measures", MeasuresRead | OwnMeasures),
            ("/charts", ChartsWithPlaneRead | ChartsRead),
        ):
            body = await table.ok("GET", path, who)
            adapter = TypeAdapter(kind)
            again = adapter.dump_python(adapter.validate_python(body), mode="json", by_alias=True)
            assert again == body, (who, path)


async def test_a_sealed_proposal_stays_sealed_in_the_state_of_the_running_round(client):
    table = await make_table(client, parties=TWO)
    await table.ok("PUT", "/parties/government/preferences", "government", GOVERNMENT)
    await table.ok("POST", "/start", "convener")
    tabled = await table.propose("government", A, "opening")
    for who in ("kurds", None):
        state = await table.ok("GET", "/state", who)
        [proposal] = state["round"]["proposals"]
        assert proposal == {"id": tabled["id"], "round": 1, "party": "government", "sealed": True}
        assert state["positions"]["government"] is None
        assert "opening" not in json.dumps(await table.ok("GET", "/utilities", who))
    mine = await table.ok("GET", "/state", "government")
    assert mine["round"]["proposals"][0]["package"] == A
    assert mine["round"]["proposals"][0]["utilities"] == {
        "government": pytest.approx(utility(GOVERNMENT, A))
    }


async def test_the_replayed_rounds_match_the_rounds_the_api_serves(client):
    table, _, _ = await played(client)
    for who in ("convener", "kurds", None):
        for number in (1, 2):
            served = await table.ok("GET", f"/rounds/{number}", who)
            replayed = (await table.ok("GET", f"/state?round={number}", who))["round"]
            assert [(p["id"], p["party"], p["package"]) for p in replayed["proposals"]] == [
                (p["id"], p["party"], p["package"]) for p in served["proposals"]
            ]
            assert sorted(
                (r["proposal"], r["party"], r["verdict"]) for r in replayed["responses"]
            ) == sorted((r["proposal"], r["party"], r["verdict"]) for r in served["responses"])
            assert replayed["passes"] == [p["party"] for p in served["passes"]]
            assert [
                c.get("utility_change") for c in replayed["concessions"] if c["kind"] == "derived"
            ] == [c.get("utility_change") for c in served["concessions"] if c["kind"] == "derived"]


async def test_utilities_use_the_preferences_in_force_when_each_proposal_was_tabled(client):
    """Preferences may change while a summit is open: each proposal keeps the utility of its
    moment, in the state, the utilities, the measures of a proposal and the charts."""
    table = await make_table(client, parties=TWO)
    await table.ok("PUT", "/parties/government/preferences", "government", GOVERNMENT)
    await table.ok("PUT", "/parties/kurds/preferences", "kurds", KURDS)
    await table.ok("POST", "/start", "convener")
    a = await table.propose("government", A)
    await table.ok("POST", "/rounds/1/pass", "kurds")
    await table.respond("kurds", a["id"], "reject")
    # Round 2: the government has come to like the Kurds' scores, and says so.
    await table.ok("PUT", "/parties/government/preferences", "government", KURDS)
    c = await table.propose("government", C)
    await table.ok("POST", "/rounds/2/pass", "kurds")
    everything = await table.ok("GET", "/utilities", "convener")
    by_id = {p["id"]: p["utilities"]["government"] for p in everything["proposals"]}
    assert by_id[a["id"]] == pytest.approx(utility(GOVERNMENT, A))
    assert by_id[c["id"]] == pytest.approx(utility(KURDS, C))
    assert everything["reservations"]["government"] == KURDS["reservation"]
    first = await table.ok("GET", "/state?round=1", "convener")
    assert first["preferences"]["government"]["reservation"] == GOVERNMENT["reservation"]
    assert first["positions"]["government"]["utilities"]["government"] == pytest.approx(
        utility(GOVERNMENT, A)
    )
    second = await table.ok("GET", "/state", "government")
    assert second["positions"]["government"]["utilities"] == {
        "government": pytest.approx(utility(KURDS, C))
    }
    measured = await table.ok("GET", f"/measures?proposal={a['id']}", "convener")
    assert measured["utilities"]["government"] == pytest.approx(utility(GOVERNMENT, A))
    assert measured["reservations"]["government"] == GOVERNMENT["reservation"]
    charts = await table.ok("GET", "/charts", "convener")
    [points] = [
        t
        for t in charts["utility"]["data"]
        if t["meta"] == {"party": "government", "kind": "utility"}
    ]
    assert points["y"] == pytest.approx([utility(GOVERNMENT, A), utility(KURDS, C)])


async def test_an_anonymous_reader_sees_the_verdict_of_the_public_red_lines_only(client):
    table, _secret, _proposals = await played(client)
    convener = await table.ok("GET", "/state?round=1", "convener")
    anonymous = await table.ok("GET", "/state?round=1", None)
    events = await table.ok("GET", "/events", None)
    tabled = {
        e["data"]["proposal"]["id"]: e["data"]["proposal"]["check"]["verdict"]
        for e in events
        if e["type"] == "proposal.tabled"
    }
    by_convener = {p["id"]: p["verdict"] for p in convener["round"]["proposals"]}
    by_anonymous = {p["id"]: p["verdict"] for p in anonymous["round"]["proposals"]}
    # Only the Kurds' private red line is declared: it decides the convener's verdicts, and
    # an anonymous reader gets the verdict of no red line at all, as the event log gives it.
    assert by_convener != by_anonymous
    assert by_anonymous == {key: tabled[key] for key in by_anonymous}
    assert set(by_anonymous.values()) == {"clear"}
