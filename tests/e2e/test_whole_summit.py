"""A whole summit over real HTTP against a real uvicorn: three delegations, each in its own
thread with only its own token, following the event stream by long poll."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

ISSUES = [
    {
        "key": "assad_role",
        "title": "Role of the president",
        "kind": "options",
        "options": ["full_powers", "reduced_powers", "transition_then_exit", "exit_at_signing"],
    },
    {
        "key": "us_withdrawal_months",
        "title": "US withdrawal",
        "kind": "integer",
        "min": 0,
        "max": 60,
    },
    {"key": "joint_cell", "title": "Joint counter-ISIS cell", "kind": "boolean"},
]
# Round 1: each party opens with its ideal; round 2: the government relaxes its red line
# and everyone tables the compromise, which all accept.
OPENING = {
    "government": {"assad_role": "full_powers", "us_withdrawal_months": 0, "joint_cell": False},
    "kurds": {"assad_role": "transition_then_exit", "us_withdrawal_months": 48, "joint_cell": True},
    "russia": {"assad_role": "full_powers", "us_withdrawal_months": 6, "joint_cell": True},
}
COMPROMISE = {"assad_role": "transition_then_exit", "us_withdrawal_months": 24, "joint_cell": True}


def delegation(url: str, summit: str, party: str, token: str, errors: list[str]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    seen = 0
    acted: set[tuple[int, str]] = set()
    with httpx.Client(base_url=f"{url}/summits/{summit}", headers=headers, timeout=30) as http:
        try:
            while True:
                events = http.get("/events", params={"after": seen, "wait": 10}).json()
                if events:
                    seen = events[-1]["seq"]
                if any(e["type"] == "summit.concluded" for e in events):
                    return
                position = http.get(f"{url}/summits/{summit}").json()["round"]
                if position is None:
                    continue
                number, phase = position["number"], position["phase"]
                if (number, phase) in acted or party not in (position["waiting_for"] or []):
                    continue
                acted.add((number, phase))
                if phase == "proposals":
                    act_proposals(http, party, number)
                else:
                    act_responses(http, party, number)
        except Exception as error:  # reported to the test thread
            errors.append(f"{party}: {error!r}")


def act_proposals(http: httpx.Client, party: str, number: int) -> None:
    if number == 2 and party == "government":
        mine = [
            rl
            for rl in http.get("/red-lines").json()
            if rl["party"] == party and rl["status"] == "active"
        ]
        for rl in mine:
            response = http.post(
                f"/red-lines/{rl['id']}/relax", json={"note": "for the transition"}
            )
            response.raise_for_status()
    package = OPENING[party] if number == 1 else COMPROMISE
    response = http.post(
        f"/rounds/{number}/proposals",
        json={"package": package, "rationale": f"{party} round {number}"},
    )
    response.raise_for_status()


def act_responses(http: httpx.Client, party: str, number: int) -> None:
    for proposal in http.get(f"/rounds/{number}").json()["proposals"]:
        if proposal["party"] == party or not proposal["complete"]:
            continue
        verdict = "accept" if proposal["package"] == COMPROMISE else "reject"
        response = http.post(
            f"/rounds/{number}/responses", json={"proposal": proposal["id"], "verdict": verdict}
        )
        response.raise_for_status()


def test_three_delegations_reach_agreement_over_real_http(server: str) -> None:
    created = httpx.post(
        f"{server}/summits",
        json={
            "title": "Post-ISIS Syria (short)",
            "issues": ISSUES,
            "parties": [{"key": k, "name": k.title()} for k in OPENING],
            "protocol": {"max_rounds": 4, "phase_seconds": 20},
        },
    ).json()
    summit, tokens = created["summit"]["id"], created["tokens"]
    convener = {"Authorization": f"Bearer {tokens['convener']}"}

    def declare(party: str, body: dict[str, Any]) -> None:
        headers = {"Authorization": f"Bearer {tokens['parties'][party]}"}
        response = httpx.post(
            f"{server}/summits/{summit}/parties/{party}/red-lines", json=body, headers=headers
        )
        assert response.status_code == 201, response.text

    declare(
        "government",
        {
            "label": "The president stays",
            "expr": "assad_role <= reduced_powers",
            "visibility": "private",
        },
    )
    declare(
        "kurds",
        {
            "label": "The US stays two years",
            "expr": "us_withdrawal_months >= 24",
            "visibility": "public",
        },
    )
    declare("russia", {"label": "Joint cell", "expr": "joint_cell", "visibility": "public"})
    # A delegation learns that the government's private red line breaks the compromise; an
    # anonymous caller sees only the public red lines (all kept) and that one was not shown.
    kurds = {"Authorization": f"Bearer {tokens['parties']['kurds']}"}
    check = f"{server}/summits/{summit}/check"
    conflict = httpx.post(check, json={"package": COMPROMISE}, headers=kurds).json()
    assert conflict["verdict"] == "violations"
    anonymous = httpx.post(check, json={"package": COMPROMISE}).json()
    assert (anonymous["verdict"], anonymous["hidden"]) == ("clear", 1)

    errors: list[str] = []
    threads = [
        threading.Thread(
            target=delegation, args=(server, summit, party, tokens["parties"][party], errors)
        )
        for party in OPENING
    ]
    for thread in threads:
        thread.start()
    assert httpx.post(f"{server}/summits/{summit}/start", headers=convener).status_code == 200
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)

    final = httpx.get(f"{server}/summits/{summit}").json()
    assert (final["status"], final["outcome"], final["rounds_played"]) == (
        "concluded",
        "agreement",
        2,
    )
    assert final["settlement"] == COMPROMISE
    verified = httpx.get(f"{server}/summits/{summit}/history/verify", headers=convener).json()
    assert verified["valid"] is True
    history = httpx.get(f"{server}/summits/{summit}/history").json()
    ledger = history["ledger"]["government"]["concessions"]
    assert [c["kind"] for c in ledger] == ["red_line", "derived", "derived", "derived"]
    assert [c.get("issue") for c in ledger[1:]] == [
        "assad_role",
        "us_withdrawal_months",
        "joint_cell",
    ]
    markdown = httpx.get(f"{server}/summits/{summit}/history", params={"format": "markdown"}).text
    assert "## Settlement" in markdown
