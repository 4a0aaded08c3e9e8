import pytest

from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio


async def test_a_party_declares_its_own_red_lines_only(client):
    table = await make_table(client)
    body = {"label": "No exit", "expr": "assad_role != exit_at_signing"}
    assert (await table.post("/parties/government/red-lines", None, body)).status_code == 401
    assert (await table.post("/parties/government/red-lines", "kurds", body)).status_code == 403
    assert (await table.post("/parties/government/red-lines", "convener", body)).status_code == 403
    assert (await table.post("/parties/turkey/red-lines", "kurds", body)).status_code == 404
    created = await table.post("/parties/government/red-lines", "government", body)
    assert created.status_code == 201
    red_line = created.json()
    assert red_line["visibility"] == "private"
    assert red_line["constraint"] == {"op": "ne", "issue": "assad_role", "value": "exit_at_signing"}
    assert red_line["status"] == "active"


async def test_the_tree_form_is_accepted_and_rendered_to_canonical_text(client):
    table = await make_table(client)
    tree = {
        "op": "implies",
        "if": {"op": "eq", "issue": "joint_cell", "value": True},
        "then": {"op": "ge", "issue": "us_withdrawal_months", "value": 24},
    }
    created = await table.ok(
        "POST", "/parties/kurds/red-lines", "kurds", {"label": "cell needs US", "constraint": tree}
    )
    assert created["expr"] == "joint_cell -> us_withdrawal_months >= 24"
    both = {
        "label": "x",
        "expr": "joint_cell",
        "constraint": {"op": "eq", "issue": "joint_cell", "value": False},
    }
    disagreement = await table.post("/parties/kurds/red-lines", "kurds", both)
    assert disagreement.status_code == 422
    assert "different red lines" in disagreement.json()["error"]["message"]


async def test_syntax_errors_point_at_the_token(client):
    table = await make_table(client)
    response = await table.post(
        "/parties/kurds/red-lines", "kurds", {"label": "x", "expr": "joint_cell and and"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    detail = error["details"]["errors"][0]
    assert (detail["line"], detail["column"]) == (1, 16)
    assert "'not'" in detail["expected"]


async def test_others_see_private_red_lines_as_id_party_visibility_and_status(client):
    table = await make_table(client)
    secret = await table.red_line(
        "russia", "joint_cell", label="Tartus stays", visibility="private", rationale="naval base"
    )
    public = await table.red_line(
        "kurds", "us_withdrawal_months >= 24", label="US stays", visibility="public"
    )
    for who in ("kurds", None):
        listed = await table.ok("GET", "/red-lines", who)
        hidden = next(rl for rl in listed if rl["id"] == secret["id"])
        assert set(hidden) == {"id", "party", "visibility", "status", "declared_round"}
        assert next(rl for rl in listed if rl["id"] == public["id"])["label"] == "US stays"
    for who in ("russia", "convener"):
        listed = await table.ok("GET", "/red-lines", who)
        assert next(rl for rl in listed if rl["id"] == secret["id"])["rationale"] == "naval base"
    only_kurds = await table.ok("GET", "/red-lines?party=kurds", None)
    assert [rl["id"] for rl in only_kurds] == [public["id"]]


async def test_relaxing_is_the_owners_concession_and_happens_once(client):
    table = await make_table(client, start=True)
    red_line = await table.red_line("kurds", "us_withdrawal_months >= 24")
    path = f"/red-lines/{red_line['id']}/relax"
    assert (await table.post(path, "russia", {"note": "x"})).status_code == 403
    assert (await table.post(path, "convener", {"note": "x"})).status_code == 403
    relaxed = await table.ok("POST", path, "kurds", {"note": "for the deal"})
    assert relaxed["status"] == "relaxed"
    assert relaxed["relax_note"] == "for the deal"
    assert (await table.post(path, "kurds", {})).status_code == 409
    assert (await table.post("/red-lines/999/relax", "kurds", {})).status_code == 404
    ledger = await table.ok("GET", "/concessions", None)
    assert [(c["kind"], c["party"], c["red_line"], c["round"]) for c in ledger] == [
        ("red_line", "kurds", red_line["id"], 1)
    ]


async def test_a_relaxed_red_line_no_longer_counts_in_checks(client):
    table = await make_table(client)
    red_line = await table.red_line("kurds", "us_withdrawal_months >= 24")
    package = {"package": {"us_withdrawal_months": 6}}
    assert (await table.ok("POST", "/check", None, package))["verdict"] == "violations"
    await table.ok("POST", f"/red-lines/{red_line['id']}/relax", "kurds", {})
    report = await table.ok("POST", "/check", None, package)
    assert report["verdict"] == "clear"
    assert report["red_lines"] == []


async def test_check_reports_explain_violations_and_count_statuses(client):
    table = await make_table(client)
    await table.red_line(
        "kurds", "joint_cell -> us_withdrawal_months >= 24", label="Cell needs the US"
    )
    await table.red_line("government", "assad_role != exit_at_signing", visibility="private")
    report = await table.ok(
        "POST",
        "/check",
        "kurds",
        {"package": {"joint_cell": True, "us_withdrawal_months": 12, "assad_role": "full_powers"}},
    )
    assert report["complete"] is True
    assert report["verdict"] == "violations"
    assert report["counts"] == {"satisfied": 1, "violated": 1, "undetermined": 0}
    kurdish = next(e for e in report["red_lines"] if e["party"] == "kurds")
    assert kurdish["label"] == "Cell needs the US"
    assert "us_withdrawal_months is 12" in kurdish["explanation"]
    partial = await table.ok("POST", "/check", None, {"package": {"joint_cell": True}})
    assert partial["complete"] is False
    assert partial["verdict"] == "undetermined"


async def test_preferences_are_private_to_the_party_and_the_convener(client):
    table = await make_table(client)
    doc = {
        "weights": {"assad_role": 2, "us_withdrawal_months": 1},
        "scores": {
            "assad_role": {
                "full_powers": 1,
                "reduced_powers": 0.7,
                "transition_then_exit": 0.3,
                "exit_at_signing": 0,
            },
            "us_withdrawal_months": [[0, 1], [60, 0]],
        },
        "reservation": 0.4,
    }
    assert (await table.ok("PUT", "/parties/government/preferences", "government", doc))[
        "normalised_weights"
    ] == pytest.approx({"assad_role": 2 / 3, "us_withdrawal_months": 1 / 3})
    assert (await table.get("/parties/government/preferences", "kurds")).status_code == 403
    assert (await table.get("/parties/government/preferences", None)).status_code == 401
    assert (await table.ok("GET", "/parties/government/preferences", "convener"))[
        "reservation"
    ] == 0.4
    assert (await table.get("/parties/kurds/preferences", "kurds")).status_code == 404
    bad = await client.put(
        table.url("/parties/kurds/preferences"),
        json={"weights": {"nope": 1}, "scores": {}},
        headers=table.h("kurds"),
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["errors"][0]["loc"] == ["weights", "nope"]
