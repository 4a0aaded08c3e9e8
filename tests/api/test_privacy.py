"""Play a summit with private red lines and preferences, then read every endpoint as every
other role and look for any trace of another party's private label, expression, rationale,
preferences or utility changes."""

import json

import pytest

from tests.api.helpers import make_table

pytestmark = pytest.mark.anyio

# Each private red line uses an expression and words found nowhere else.
SECRETS = {
    "government": ("GOV-LABEL-a91", "us_withdrawal_months not in {13, 17}", "GOV-RATIONALE-c22"),
    "kurds": (
        "KURD-LABEL-b73",
        "assad_role not in {full_powers, exit_at_signing}",
        "KURD-RATIONALE-d48",
    ),
    "russia": ("RUS-LABEL-e15", "joint_cell -> us_withdrawal_months <= 47", "RUS-RATIONALE-f66"),
}
PREFERENCE_MARKS = {"government": 0.4242, "kurds": 0.3131, "russia": 0.2727}


def prefs(mark):
    return {
        "weights": {"assad_role": 2, "us_withdrawal_months": 1},
        "scores": {
            "assad_role": {
                "full_powers": 1,
                "reduced_powers": mark,
                "transition_then_exit": 0.2,
                "exit_at_signing": 0,
            },
            "us_withdrawal_months": [[0, 1], [60, 0]],
        },
        "reservation": mark,
    }


def markers(party):
    label, expr, rationale = SECRETS[party]
    return [label, expr, rationale, str(PREFERENCE_MARKS[party])]


def utility_leaks(value, viewer):
    """Yield every concession-like object of another party that carries a utility change."""
    if isinstance(value, dict):
        if "utility_change" in value and value.get("party") != viewer:
            yield value
        for item in value.values():
            yield from utility_leaks(item, viewer)
    elif isinstance(value, list):
        for item in value:
            yield from utility_leaks(item, viewer)


async def play(table):
    for party, (label, expr, rationale) in SECRETS.items():
        await table.red_line(party, expr, label=label, visibility="private", rationale=rationale)
        await table.ok(
            "PUT", f"/parties/{party}/preferences", party, prefs(PREFERENCE_MARKS[party])
        )
    await table.red_line(
        "kurds", "us_withdrawal_months >= 12", label="US stays a year", visibility="public"
    )
    await table.ok("POST", "/start", "convener")
    r1 = {
        "government": {"assad_role": "full_powers", "us_withdrawal_months": 0, "joint_cell": False},
        "kurds": {"assad_role": "reduced_powers", "us_withdrawal_months": 36, "joint_cell": True},
        "russia": {"assad_role": "reduced_powers", "us_withdrawal_months": 12, "joint_cell": False},
    }
    ids = {
        party: (await table.propose(party, package, f"{party} opening"))["id"]
        for party, package in r1.items()
    }
    for party in r1:
        for other, pid in ids.items():
            if other != party:
                verdict = "reject"
                await table.respond(party, pid, verdict)
    r2 = {
        "government": {
            "assad_role": "reduced_powers",
            "us_withdrawal_months": 24,
            "joint_cell": True,
        },
        "kurds": {"assad_role": "reduced_powers", "us_withdrawal_months": 24, "joint_cell": True},
    }
    ids = {party: (await table.propose(party, package))["id"] for party, package in r2.items()}
    await table.ok("POST", "/rounds/2/pass", "russia")
    await table.ok(
        "POST",
        f"/red-lines/{(await own_private(table, 'russia'))}/relax",
        "russia",
        {"note": "RUS-NOTE-g07"},
    )
    for party in ("kurds", "russia"):
        await table.respond(party, ids["government"], "accept")
    await table.respond("government", ids["kurds"], "accept")
    await table.respond("russia", ids["kurds"], "accept")
    assert (await table.summit())["outcome"] == "agreement"


async def own_private(table, party):
    listed = await table.ok("GET", "/red-lines", party)
    return next(rl["id"] for rl in listed if rl["party"] == party and rl["visibility"] == "private")


async def responses_for(table, who):
    """Every endpoint's answer as ``who`` sees it (including refusals)."""
    client = table.http
    bodies = []
    gets = [
        "",
        "/red-lines",
        "/rounds/1",
        "/rounds/2",
        "/rounds/current",
        "/events",
        "/concessions",
        "/history",
        "/history?format=csv",
        "/history?format=markdown",
        "/history/verify",
        "/conflicts?limit=20",
        "/mediator/suggestions?objective=nash",
        "/mediator/frontier?a=government&b=kurds",
    ]
    gets += [f"/parties/{p}/preferences" for p in SECRETS]
    for path in gets:
        bodies.append((path, (await table.get(path, who)).text))
    bodies.append(("/summits", (await client.get("/summits")).text))
    packages = [
        {"us_withdrawal_months": 13, "assad_role": "exit_at_signing", "joint_cell": True},
        {"us_withdrawal_months": 50, "joint_cell": True},
        {"assad_role": "full_powers"},
    ]
    for package in packages:
        bodies.append(("/check", (await table.post("/check", who, {"package": package})).text))
        bodies.append(("/repair", (await table.post("/repair", who, {"package": package})).text))
    for rid in range(1, 8):
        bodies.append((f"relax {rid}", (await table.post(f"/red-lines/{rid}/relax", who, {})).text))
    bodies.append(
        (
            "propose",
            (await table.post("/rounds/current/proposals", who, {"package": packages[0]})).text,
        )
    )
    return bodies


@pytest.mark.parametrize("viewer", ["government", "kurds", "russia", None])
async def test_no_endpoint_shows_another_partys_private_content(client, viewer):
    table = await make_table(client)
    await play(table)
    others = [party for party in SECRETS if party != viewer]
    for path, body in await responses_for(table, viewer):
        for party in others:
            for marker in [
                *markers(party),
                "RUS-NOTE-g07" if party == "russia" else markers(party)[0],
            ]:
                assert marker not in body, f"{marker} of {party} leaked to {viewer} via {path}"
        if body.startswith(("{", "[")):
            leaks = list(utility_leaks(json.loads(body), viewer))
            assert not leaks, f"utility change leaked to {viewer} via {path}: {leaks[:1]}"


async def test_the_owner_and_the_convener_do_see_the_private_content(client):
    table = await make_table(client)
    await play(table)
    convener_history = (await table.get("/history", "convener")).text
    events = (await table.get("/events", "convener")).text
    for party in SECRETS:
        own = (await table.get("/red-lines", party)).text
        assert SECRETS[party][0] in own
        assert SECRETS[party][2] in own
        assert SECRETS[party][0] in events
    assert "utility_change" in convener_history
