"""The solver over HTTP: conflicts, repair, mediator suggestions and frontiers, with their
privacy, their errors, their time limits and their cache."""

import asyncio

import pytest

from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio

GOV_SECRET = ("GOV-SECRET-LABEL", "assad_role in {full_powers, reduced_powers}", "GOV-WHY-1")
RUS_SECRET = ("RUS-SECRET-LABEL", "us_withdrawal_months <= 12", "RUS-WHY-2")
HIDDEN = ("label", "expr", "constraint", "rationale", "issues")


def prefs(months_curve, reservation=0.0):
    return {
        "weights": {"assad_role": 1, "us_withdrawal_months": 1, "joint_cell": 1},
        "scores": {
            "assad_role": {
                "full_powers": 1,
                "reduced_powers": 0.6,
                "transition_then_exit": 0.3,
                "exit_at_signing": 0,
            },
            "us_withdrawal_months": months_curve,
            "joint_cell": {"true": 0.5, "false": 0.5},
        },
        "reservation": reservation,
    }


async def deadlocked(client):
    """Russia's private red line and the Kurds' public one cannot both hold."""
    table = await make_table(client)
    label, expr, why = GOV_SECRET
    gov = await table.red_line("government", expr, label=label, visibility="private", rationale=why)
    kurds = await table.red_line("kurds", "us_withdrawal_months >= 24", label="US stays")
    label, expr, why = RUS_SECRET
    rus = await table.red_line("russia", expr, label=label, visibility="private", rationale=why)
    await table.red_line("russia", "joint_cell", label="Joint cell")
    table.ids = {"gov": gov["id"], "kurds": kurds["id"], "rus": rus["id"]}
    return table


async def events(table):
    return len((await table.get("/events", "convener")).json())


@pytest.mark.parametrize("viewer", ["government", "kurds", None])
async def test_conflicts_name_a_private_red_line_without_its_content(client, viewer):
    table = await deadlocked(client)
    response = await table.get("/conflicts", viewer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["feasible"] is False
    assert body["exhaustive"] is True
    assert body["witness"] is None
    [conflict] = body["conflicts"]
    entries = {entry["id"]: entry for entry in conflict["red_lines"]}
    assert set(entries) == {table.ids["kurds"], table.ids["rus"]}
    russian = entries[table.ids["rus"]]
    assert russian["party"] == "russia"
    assert russian["visibility"] == "private"
    assert not set(HIDDEN) & set(russian)
    assert entries[table.ids["kurds"]]["expr"] == "us_withdrawal_months >= 24"
    for secret in (*RUS_SECRET, "<= 12"):
        assert secret not in response.text


@pytest.mark.parametrize("viewer", ["russia", "convener"])
async def test_the_owner_and_the_convener_see_the_whole_conflict(client, viewer):
    table = await deadlocked(client)
    body = (await table.get("/conflicts", viewer)).json()
    [conflict] = body["conflicts"]
    russian = next(e for e in conflict["red_lines"] if e["id"] == table.ids["rus"])
    assert russian["label"] == RUS_SECRET[0]
    assert russian["expr"] == RUS_SECRET[1]


async def test_once_relaxed_a_deal_is_possible_and_only_the_convener_sees_a_witness(client):
    table = await deadlocked(client)
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {"note": "ok"})
    for viewer in ("government", "russia", None):
        body = (await table.get("/conflicts", viewer)).json()
        assert body["feasible"] is True
        assert body["conflicts"] == []
        assert body["witness"] is None
    witness = (await table.get("/conflicts", "convener")).json()["witness"]
    check = (await table.post("/check", "convener", {"package": witness})).json()
    assert check["complete"] is True
    assert check["verdict"] == "clear"


async def test_answers_are_remembered_until_the_summit_changes(client, app):
    table = await deadlocked(client)
    pool = app.state.solver
    first = (await table.get("/conflicts", "kurds")).json()
    searches = pool.searches
    again = (await table.get("/conflicts", "government")).json()
    assert first["cached"] is False
    assert again["cached"] is True
    assert pool.searches == searches
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {})
    changed = (await table.get("/conflicts", "kurds")).json()
    assert changed["cached"] is False
    assert changed["feasible"] is True
    assert pool.searches == searches + 1


async def test_identical_requests_arriving_together_share_one_search(client, app):
    table = await deadlocked(client)
    pool = app.state.solver
    before = pool.searches
    answers = await asyncio.gather(*(table.get("/conflicts", "kurds") for _ in range(6)))
    assert {r.status_code for r in answers} == {200}
    assert pool.searches == before + 1
    assert len({r.json()["feasible"] for r in answers}) == 1


async def test_repair_when_no_deal_exists_is_409_with_the_redacted_conflicts(client):
    table = await deadlocked(client)
    before = await events(table)
    response = await table.post("/repair", "government", {"package": {"joint_cell": False}})
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "no_deal"
    [conflict] = error["details"]["conflicts"]
    assert {e["id"] for e in conflict["red_lines"]} == {table.ids["kurds"], table.ids["rus"]}
    assert RUS_SECRET[0] not in response.text
    assert await events(table) == before


async def test_repair_moves_the_fewest_issues_then_spares_the_caller(client):
    table = await deadlocked(client)
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {})
    await table.ok("PUT", "/parties/government/preferences", "government", prefs([[0, 1], [60, 0]]))
    await table.ok("PUT", "/parties/kurds/preferences", "kurds", prefs([[0, 0], [60, 1]]))
    text = {"assad_role": "full_powers", "us_withdrawal_months": 5, "joint_cell": True}
    answers = {}
    for who in ("government", "kurds"):
        response = await table.post("/repair", who, {"package": text})
        assert response.status_code == 200, response.text
        answers[who] = response.json()
    for body in answers.values():
        assert body["changed"] == ["us_withdrawal_months"]
        assert body["status"] == "optimal"
        assert body["check"]["verdict"] == "clear"
        assert body["package"]["assad_role"] == "full_powers"
    # The government wants the Americans out soon, the Kurds want them to stay.
    assert answers["government"]["package"]["us_withdrawal_months"] == 24
    assert answers["kurds"]["package"]["us_withdrawal_months"] == 60


async def test_repair_keeps_what_it_is_told_to_keep(client):
    table = await deadlocked(client)
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {})
    text = {"assad_role": "exit_at_signing", "joint_cell": False}
    kept = await table.post("/repair", "kurds", {"package": text, "keep": ["joint_cell"]})
    assert kept.status_code == 409
    assert kept.json()["error"]["code"] == "no_deal"
    assert kept.json()["error"]["details"] == {"keep": ["joint_cell"]}
    free = await table.post("/repair", "kurds", {"package": text})
    assert free.status_code == 200
    assert free.json()["changed"] == ["assad_role", "joint_cell"]
    statuses = {e["id"]: e for e in free.json()["check"]["red_lines"]}
    assert statuses[table.ids["gov"]]["status"] == "satisfied"
    assert "label" not in statuses[table.ids["gov"]]
    assert GOV_SECRET[0] not in free.text


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"package": {"nope": 1}}, ["body", "package", "nope"]),
        ({"package": {"us_withdrawal_months": 99}}, ["body", "package", "us_withdrawal_months"]),
        ({"package": {"joint_cell": True}, "keep": ["assad_role"]}, ["body", "keep", 0]),
        ({"package": {}, "extra": 1}, ["body", "extra"]),
    ],
)
async def test_repair_refuses_bad_input_saying_where(client, body, where):
    table = await deadlocked(client)
    before = await events(table)
    response = await table.post("/repair", "kurds", body)
    assert response.status_code == 422, response.text
    locations = [e["loc"] for e in response.json()["error"]["details"]["errors"]]
    assert where in locations
    assert await events(table) == before


async def test_mediator_suggestions_are_for_the_convener(client):
    table = await deadlocked(client)
    assert (await table.get("/mediator/suggestions", None)).status_code == 401
    refused = await table.get("/mediator/suggestions", "kurds")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    bad = await table.get("/mediator/suggestions", "convener", objective="utilitarian")
    assert bad.status_code == 422
    assert "nash" in bad.text


async def test_suggestions_count_only_the_parties_with_preferences(client):
    table = await deadlocked(client)
    none = (await table.get("/mediator/suggestions", "convener")).json()
    assert none["suggestions"] == []
    assert none["reason"] == "no party has set preferences"
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {})
    await table.ok("PUT", "/parties/government/preferences", "government", prefs([[0, 1], [60, 0]]))
    await table.ok("PUT", "/parties/kurds/preferences", "kurds", prefs([[0, 0], [60, 1]], 0.2))
    for objective in ("nash", "maximin", "welfare", "kalai"):
        response = await table.get(
            "/mediator/suggestions", "convener", objective=objective, limit=2
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["parties"] == ["government", "kurds"]
        assert 1 <= len(body["suggestions"]) <= 2
        first = body["suggestions"][0]
        assert set(first["utilities"]) == {"government", "kurds"}
        assert first["status"] == "optimal"
        assert first["pareto_optimal"] is True
        assert first["objective"] == objective
        check = (await table.post("/check", "convener", {"package": first["package"]})).json()
        assert check["verdict"] == "clear"
        assert first["utilities"]["kurds"] >= 0.2


async def test_the_frontier_of_two_parties(client):
    table = await deadlocked(client)
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {})
    await table.ok("PUT", "/parties/government/preferences", "government", prefs([[0, 1], [60, 0]]))
    await table.ok("PUT", "/parties/kurds/preferences", "kurds", prefs([[0, 0], [60, 1]]))
    response = await table.get("/mediator/frontier", "convener", a="government", b="kurds")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["complete"] is True
    firsts = [p["utilities"]["government"] for p in body["points"]]
    seconds = [p["utilities"]["kurds"] for p in body["points"]]
    assert len(firsts) > 3
    assert firsts == sorted(firsts, reverse=True)
    assert seconds == sorted(seconds)
    for a, b, message in [
        ("government", "government", "two different parties"),
        ("government", "nobody", "no party 'nobody'"),
        ("government", "russia", "russia has set no preferences"),
    ]:
        bad = await table.get("/mediator/frontier", "convener", a=a, b=b)
        assert bad.status_code == 422
        assert message in bad.text
    assert (
        await table.get("/mediator/frontier", "kurds", a="government", b="kurds")
    ).status_code == 403


async def test_the_time_limit_is_the_callers_up_to_the_servers(client, settings):
    table = await deadlocked(client)
    cut = (await table.get("/conflicts", "kurds", time_limit=1e-9)).json()
    assert cut["timed_out"] is True
    assert cut["feasible"] is None
    assert cut["exhaustive"] is False
    too_long = await table.get("/conflicts", "kurds", time_limit=settings.solver_time_limit + 1)
    assert too_long.status_code == 422
    assert too_long.json()["error"]["details"]["errors"][0]["loc"] == ["query", "time_limit"]


async def test_a_long_search_does_not_hold_up_other_requests(client):
    issues = [
        {"key": f"i{k}", "title": "", "kind": "integer", "min": 0, "max": 100} for k in range(40)
    ]
    table = await make_table(client, issues=issues)
    curve = {"weights": {f"i{k}": k + 1 for k in range(40)}}
    await table.ok(
        "PUT",
        "/parties/government/preferences",
        "government",
        curve | {"scores": {f"i{k}": [[0, 1], [100, 0]] for k in range(40)}},
    )
    await table.ok(
        "PUT",
        "/parties/kurds/preferences",
        "kurds",
        curve | {"scores": {f"i{k}": [[0, 0], [37, 1], [100, 0.2]] for k in range(40)}},
    )
    search = asyncio.create_task(
        table.get(
            "/mediator/frontier", "convener", a="government", b="kurds", limit=500, time_limit=2
        )
    )
    await asyncio.sleep(0.2)
    for _ in range(5):
        assert (await table.get("", None)).status_code == 200
        assert not search.done()
    answer = await search
    assert answer.status_code == 200
    walk = answer.json()
    # 500 points over 101^40 packages: the 2 s limit cuts the walk, and says so.
    assert walk["timed_out"] is True
    assert walk["complete"] is False


async def test_floors_and_claims_shape_the_suggestions(client):
    table = await deadlocked(client)
    await table.ok("POST", f"/red-lines/{table.ids['rus']}/relax", "russia", {})
    await table.ok("PUT", "/parties/government/preferences", "government", prefs([[0, 1], [60, 0]]))
    await table.ok("PUT", "/parties/kurds/preferences", "kurds", prefs([[0, 0], [60, 1]]))
    plain = (await table.get("/mediator/suggestions", "convener", objective="welfare")).json()
    assert plain["floors"] == {"government": 0.0, "kurds": 0.0}
    raised = await table.get(
        "/mediator/suggestions", "convener", objective="welfare", floor=["kurds:0.8"]
    )
    body = raised.json()
    assert body["floors"] == {"government": 0.0, "kurds": 0.8}
    assert body["suggestions"][0]["utilities"]["kurds"] >= 0.8 - 1e-3
    too_high = await table.get(
        "/mediator/suggestions", "convener", floor=["kurds:1", "government:1"]
    )
    assert too_high.json()["suggestions"] == []
    claimed = await table.get(
        "/mediator/suggestions",
        "convener",
        objective="kalai",
        claim=["government:0.9", "kurds:0.9"],
    )
    assert claimed.status_code == 200, claimed.text
    worth = claimed.json()["suggestions"][0]["utilities"]
    assert abs(worth["government"] - worth["kurds"]) < 0.05  # equal cuts of equal claims


@pytest.mark.parametrize(
    ("params", "where", "message"),
    [
        ({"floor": ["kurds"]}, ["query", "floor", 0], "is not party:utility"),
        ({"floor": ["kurds:2"]}, ["query", "floor", 0], "is not party:utility"),
        ({"floor": ["russia:0.5"]}, ["query", "floor", 0], "not a party with preferences"),
        ({"floor": ["kurds:0.1", "kurds:0.2"]}, ["query", "floor", 1], "a second floor"),
        ({"claim": ["kurds:0.5"]}, ["query", "claim"], "kalai objective only"),
        ({"floor": ["kurds:0.1"]}, ["query", "floor", 0], "never lowers it"),
        (
            {"objective": "kalai", "claim": ["kurds:0.2"]},
            ["query", "claim", 0],
            "less than its floor",
        ),
        (
            {"objective": "kalai", "floor": ["kurds:0.5"], "claim": ["kurds:0.4"]},
            ["query", "claim", 0],
            "less than its floor",
        ),
    ],
)
async def test_bad_floors_and_claims_are_refused_saying_where(client, params, where, message):
    table = await deadlocked(client)
    await table.ok(
        "PUT", "/parties/kurds/preferences", "kurds", prefs([[0, 0], [60, 1]], reservation=0.3)
    )
    response = await table.get("/mediator/suggestions", "convener", **params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert message in error["message"]
    assert where in [e["loc"] for e in error["details"]["errors"]]
