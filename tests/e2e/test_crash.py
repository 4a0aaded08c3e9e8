"""A real server SIGKILLed mid-round, with moves in flight, then restarted on the same
database: every acknowledged move is there, the chain verifies, the deadline that passed while
it was down fires, and the round goes on."""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

import httpx
import pytest

from tests.api.helpers import FULL, ISSUES, PARTIES
from tests.e2e.conftest import free_port, launch, stop

pytestmark = pytest.mark.e2e
# Long enough for the kill below (a second of concessions in) to come well before it.
PHASE_SECONDS = 3.0
VALUES = ["full_powers", "reduced_powers", "transition_then_exit", "exit_at_signing"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def concede(url: str, summit: str, token: str, acked: list[int], stop_at: threading.Event) -> None:
    """Record concessions as fast as the server takes them; keep the ids it acknowledged."""
    with httpx.Client(base_url=url, headers=bearer(token), timeout=5) as http:
        i = 0
        while not stop_at.is_set():
            body = {"issue": "assad_role", "from": VALUES[i % 4], "to": VALUES[(i + 1) % 4]}
            try:
                response = http.post(f"/summits/{summit}/concessions", json=body)
            except httpx.TransportError:
                return  # the server is gone: this request was never acknowledged
            if response.status_code == 201:
                acked.append(response.json()["id"])
            i += 1


def test_a_killed_server_loses_no_acknowledged_move(database_url: str) -> None:
    port = free_port()
    process, url = launch(database_url, port)
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            body = {
                "title": "crash",
                "issues": ISSUES,
                "parties": PARTIES,
                "protocol": {"max_rounds": 5, "phase_seconds": PHASE_SECONDS},
            }
            created = http.post("/summits", json=body).json()
            summit, tokens = created["summit"]["id"], created["tokens"]
            parties: dict[str, str] = tokens["parties"]
            convener = bearer(tokens["convener"])
            http.post(f"/summits/{summit}/start", headers=convener).raise_for_status()
            opened = time.monotonic()
            # Two of three parties propose: the phase waits for its deadline.
            tabled = {}
            for party in ("government", "kurds"):
                response = http.post(
                    f"/summits/{summit}/rounds/current/proposals",
                    json={"package": FULL},
                    headers=bearer(parties[party]),
                )
                assert response.status_code == 201, response.text
                tabled[party] = response.json()["id"]
        acked: dict[str, list[int]] = {party: [] for party in parties}
        stop_at = threading.Event()
        threads = [
            threading.Thread(target=concede, args=(url, summit, token, acked[party], stop_at))
            for party, token in parties.items()
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        process.send_signal(signal.SIGKILL)  # mid-round, requests in flight
        # Killed before the phase deadline, so the deadline passes while the server is down.
        assert time.monotonic() - opened < PHASE_SECONDS
        process.wait()
        stop_at.set()
        for thread in threads:
            thread.join()
        assert all(acked.values()), acked
        # The proposals deadline passes while the server is down.
        time.sleep(max(0.0, opened + PHASE_SECONDS + 0.5 - time.monotonic()))
    finally:
        stop(process)

    process, url = launch(database_url, port)
    try:
        with httpx.Client(base_url=url, timeout=10) as http:
            after_restart(http, summit, parties, convener, acked, tabled)
    finally:
        stop(process)


def after_restart(
    http: httpx.Client,
    summit: str,
    parties: dict[str, str],
    convener: dict[str, str],
    acked: dict[str, list[int]],
    tabled: dict[str, int],
) -> None:
    ledger = http.get(f"/summits/{summit}/concessions").json()
    kept = {entry["id"] for entry in ledger}
    for party, ids in acked.items():
        assert set(ids) <= kept, f"{party} lost acknowledged concessions"
    round_one = http.get(f"/summits/{summit}/rounds/1", headers=convener).json()
    assert {p["id"] for p in round_one["proposals"]} >= set(tabled.values())
    # The missed deadline fires on restart: the round moves on to its responses.
    deadline = time.monotonic() + 10
    summit_now: dict[str, Any] = {}
    while time.monotonic() < deadline:
        summit_now = http.get(f"/summits/{summit}").json()
        if summit_now["round"] and summit_now["round"]["phase"] != "proposals":
            break
        time.sleep(0.2)
    assert (summit_now["round"]["number"], summit_now["round"]["phase"]) == (1, "responses")
    verify = http.get(f"/summits/{summit}/history/verify", headers=convener).json()
    assert verify["valid"], verify
    assert verify["events"] >= sum(map(len, acked.values())) + 4
    # And the round goes on: a response is taken, and the convener closes the phase.
    response = http.post(
        f"/summits/{summit}/rounds/1/responses",
        json={"proposal": tabled["government"], "verdict": "accept"},
        headers=bearer(parties["kurds"]),
    )
    assert response.status_code == 201, response.text
    advance = http.post(f"/summits/{summit}/rounds/1/advance", headers=convener)
    assert advance.status_code == 200, advance.text
    assert http.get(f"/summits/{summit}").json()["round"]["number"] == 2
    assert http.get(f"/summits/{summit}/history/verify", headers=convener).json()["valid"]
