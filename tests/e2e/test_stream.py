"""The server-sent events stream over real HTTP: live, resumable, redacted, and closed at the end."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

SUMMIT = {
    "title": "Stream",
    "issues": [{"key": "monitors", "title": "Monitors", "kind": "boolean"}],
    "parties": [{"key": "north", "name": "North"}, {"key": "south", "name": "South"}],
    "protocol": {"max_rounds": 1},
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def messages(response: httpx.Response) -> Iterator[dict[str, Any]]:
    """Parse a text/event-stream into messages ({"id", "event", "data"}), comments skipped."""
    message: dict[str, Any] = {}
    for line in response.iter_lines():
        if not line:
            if message:
                yield message
            message = {}
        elif not line.startswith(":"):
            field, _, value = line.partition(":")
            message[field] = value.removeprefix(" ")


def open_summit(server: str) -> tuple[str, dict[str, Any]]:
    created = httpx.post(f"{server}/summits", json=SUMMIT).json()
    summit, tokens = created["summit"]["id"], created["tokens"]
    httpx.post(
        f"{server}/summits/{summit}/parties/south/red-lines",
        json={"label": "SECRET-OF-SOUTH", "expr": "not monitors", "visibility": "private"},
        headers=bearer(tokens["parties"]["south"]),
    ).raise_for_status()
    return summit, tokens


def conclude(server: str, summit: str, tokens: dict[str, Any]) -> None:
    httpx.post(
        f"{server}/summits/{summit}/abort",
        json={"reason": "done"},
        headers=bearer(tokens["convener"]),
    ).raise_for_status()


def read_all(server: str, summit: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    with httpx.stream(
        "GET", f"{server}/summits/{summit}/stream", headers=headers, timeout=10
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return list(messages(response))


def test_the_stream_sends_each_event_with_its_seq_and_closes_after_the_conclusion(
    server: str,
) -> None:
    summit, tokens = open_summit(server)
    conclude(server, summit, tokens)
    got = read_all(server, summit, {})
    events = [json.loads(m["data"]) for m in got if m.get("event") != "end"]
    assert [m["id"] for m in got[:-1]] == [str(e["seq"]) for e in events]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "summit.concluded"
    assert got[-1]["event"] == "end"


def test_last_event_id_resumes_after_that_event(server: str) -> None:
    summit, tokens = open_summit(server)
    conclude(server, summit, tokens)
    whole = [m for m in read_all(server, summit, {}) if "id" in m]
    resumed = [m for m in read_all(server, summit, {"Last-Event-ID": "2"}) if "id" in m]
    assert [m["id"] for m in resumed] == [m["id"] for m in whole[2:]]


def test_a_move_wakes_an_open_stream_at_once(server: str) -> None:
    summit, tokens = open_summit(server)
    arrived: list[tuple[float, dict[str, Any]]] = []

    def follow() -> None:
        with httpx.stream("GET", f"{server}/summits/{summit}/stream", timeout=10) as response:
            for message in messages(response):
                if message.get("event") == "end":
                    return
                arrived.append((time.monotonic(), json.loads(message["data"])))

    head = httpx.get(f"{server}/summits/{summit}").json()["events"]
    reader = threading.Thread(target=follow)
    reader.start()
    deadline = time.monotonic() + 5
    while len(arrived) < head and time.monotonic() < deadline:
        time.sleep(0.02)
    before = len(arrived)
    assert before == head  # the stream has sent the log so far and now waits
    began = time.monotonic()
    httpx.post(
        f"{server}/summits/{summit}/start", headers=bearer(tokens["convener"])
    ).raise_for_status()
    while len(arrived) == before and time.monotonic() < began + 5:
        time.sleep(0.005)
    assert len(arrived) > before
    assert arrived[before][1]["type"] == "summit.started"
    # Unwoken, the stream would look again only after its 15 s wait; 1.5 s leaves room for load.
    assert arrived[before][0] - began < 1.5
    conclude(server, summit, tokens)
    reader.join(10)
    assert not reader.is_alive()


def test_the_stream_redacts_private_red_lines_for_other_readers(server: str) -> None:
    summit, tokens = open_summit(server)
    conclude(server, summit, tokens)
    anonymous = json.dumps(read_all(server, summit, {}))
    north = json.dumps(read_all(server, summit, bearer(tokens["parties"]["north"])))
    south = json.dumps(read_all(server, summit, bearer(tokens["parties"]["south"])))
    assert "SECRET-OF-SOUTH" not in anonymous
    assert "SECRET-OF-SOUTH" not in north
    assert "SECRET-OF-SOUTH" in south


@pytest.mark.parametrize(
    ("path", "headers", "status", "code"),
    [
        ("stream", {"Last-Event-ID": "seven"}, 422, "invalid_input"),
        ("stream", {"Last-Event-ID": str(10**25)}, 422, "invalid_input"),
        ("stream?after=2147483648", {}, 422, "invalid_input"),
        ("stream", {"Authorization": "Bearer nonsense"}, 401, "unauthorized"),
        ("stream?after=-1", {}, 422, None),
    ],
)
def test_a_bad_request_gets_a_json_error_not_a_stream(
    server: str, path: str, headers: dict[str, str], status: int, code: str | None
) -> None:
    summit, _ = open_summit(server)
    response = httpx.get(f"{server}/summits/{summit}/{path}", headers=headers, timeout=5)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"]
    if code is not None:
        assert error["code"] == code


def test_an_unknown_summit_is_404(server: str) -> None:
    response = httpx.get(f"{server}/summits/nosuchsummit/stream", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
