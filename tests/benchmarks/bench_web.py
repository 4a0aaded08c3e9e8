"""Web benchmark: first full render of each page, and event-to-screen latency in the browser.

    python -m tests.benchmarks web

One uvicorn worker on SQLite and Debian's Chromium (/usr/bin/chromium) driven by Playwright.

- First render: a syria-2016 summit with 30 rounds of history (every party tables a package
  each round and every other party rejects it), each page opened in a fresh browser context
  (nothing cached), and reloaded in one context (scripts revalidated from the cache); the
  time from navigation start to the first render of the summit's data, measured by the page
  itself (``performance.now()``). What that render covers, on every page: the status line
  (round, phase, countdown, who is awaited), the current and the previous round with their
  proposals, checks and responses, the red lines the page's token may see and the
  concessions; on the seat also the agenda, its own preferences and the composer. It never
  covers the whole history (no page fetches it). The console draws its table first and then
  fills two slower panels as they arrive: every party's preferences (one request each, once
  the summit's parties are known) and the solver's answer on conflicts; "complete: console"
  is the time until both are drawn too. The time to first byte, the page's scripts and their
  evaluation are inside every figure; the later composer check and the event stream are not.
- Event to screen: four seats and a board open, each in its own context (like five laptops),
  while moves are made over the REST API; for every event and every page, the time from the
  event's timestamp (taken by the server as it records the move, before commit) to the page's
  render that includes it (both clocks are this machine's).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, sync_playwright

from clients.agenda import Agenda
from clients.position import Position
from clients.scenario import load_scenario
from clients.utility import Utility
from tests.benchmarks.servers import uvicorn_server
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

HISTORY_ROUNDS = 30
RENDERS = 15
LATENCY_ROUNDS = 3
MOVE_GAP = 0.15


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _set_table(http: httpx.Client, rounds: int) -> tuple[str, dict[str, Any]]:
    """Create syria-2016 with every party's red lines and preferences; return id and tokens."""
    scenario = load_scenario("syria-2016")
    created = http.post("/summits", json=scenario.summit_body(max_rounds=rounds)).json()
    summit, tokens = created["summit"]["id"], created["tokens"]
    for party in scenario.parties:
        headers = _bearer(tokens["parties"][party.key])
        for red_line in party.red_lines:
            http.post(
                f"/summits/{summit}/parties/{party.key}/red-lines",
                json=red_line.api(),
                headers=headers,
            ).raise_for_status()
        if party.preferences is not None:
            http.put(
                f"/summits/{summit}/parties/{party.key}/preferences",
                json=party.preferences.model_dump(),
                headers=headers,
            ).raise_for_status()
    http.post(f"/summits/{summit}/start", headers=_bearer(tokens["convener"])).raise_for_status()
    return summit, tokens


def _own_package(
    http: httpx.Client, summit: str, party: str, token: str, issues: list[dict[str, Any]]
) -> Any:
    """The party's ideal: its best package breaking none of its own red lines."""
    headers = _bearer(token)
    agenda = Agenda(issues)
    mine = http.get(f"/summits/{summit}/red-lines", headers=headers).json()
    trees = [rl["constraint"] for rl in mine if rl["party"] == party and rl["status"] == "active"]
    prefs = http.get(f"/summits/{summit}/parties/{party}/preferences", headers=headers)
    utility = Utility(prefs.json(), agenda) if prefs.status_code == 200 else None
    return Position(agenda, trees, utility).ideal()


def _play_round(
    http: httpx.Client, summit: str, tokens: dict[str, Any], packages: dict[str, Any], gap: float
) -> None:
    """Every party tables its package (or passes); every other party rejects it."""
    for party, token in tokens["parties"].items():
        package = packages[party]
        if package is None:
            http.post(f"/summits/{summit}/rounds/current/pass", headers=_bearer(token))
        else:
            http.post(
                f"/summits/{summit}/rounds/current/proposals",
                json={"package": package, "rationale": f"{party}'s line"},
                headers=_bearer(token),
            ).raise_for_status()
        time.sleep(gap)
    current = http.get(f"/summits/{summit}/rounds/current").json()
    for party, token in tokens["parties"].items():
        for proposal in current["proposals"]:
            if proposal["party"] != party and proposal.get("complete"):
                http.post(
                    f"/summits/{summit}/rounds/current/responses",
                    json={"proposal": proposal["id"], "verdict": "reject", "note": "not yet"},
                    headers=_bearer(token),
                ).raise_for_status()
                time.sleep(gap)


def _history(http: httpx.Client, rounds: int, gap: float) -> tuple[str, dict[str, Any]]:
    summit, tokens = _set_table(http, rounds + 1)
    issues = http.get(f"/summits/{summit}").json()["issues"]
    packages = {
        party: _own_package(http, summit, party, token, issues)
        for party, token in tokens["parties"].items()
    }
    for _ in range(rounds):
        _play_round(http, summit, tokens, packages, gap)
    return summit, tokens


def _links(base: str, summit: str, tokens: dict[str, Any]) -> dict[str, str]:
    party = next(iter(tokens["parties"]))
    return {
        "seat": f"{base}/seat/{summit}#party={party}&token={tokens['parties'][party]}",
        "board": f"{base}/board/{summit}",
        "console": f"{base}/console/{summit}#token={tokens['convener']}",
    }


def _first_renders(
    browser: Browser, url: str, times: int, *, complete: bool = False
) -> tuple[list[float], list[float]]:
    """Fresh contexts: the first render's times, and (``complete``) the slower panels' too."""
    first, whole = [], []
    for _ in range(times):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", timeout=30_000)
        first.append(float(page.evaluate("window.__parley.readyAt")))
        if complete:
            # (wait_for_function evaluates a string, which the pages' CSP forbids: poll.)
            deadline = time.monotonic() + 30
            while not page.evaluate("window.__parley.completeAt"):
                assert time.monotonic() < deadline, "the console's panels never filled"
                page.wait_for_timeout(5)
            whole.append(float(page.evaluate("window.__parley.completeAt")))
        context.close()
    return first, whole


def _warm_renders(browser: Browser, url: str, times: int) -> list[float]:
    """Reloads in one context: scripts and styles revalidated from the browser's cache."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    out = []
    page.goto(url)
    for attempt in range(times + 1):
        if attempt:
            page.reload()  # (a second goto to a URL with a fragment would not reload)
        page.wait_for_selector("body[data-ready='true']", timeout=30_000)
        out.append(float(page.evaluate("window.__parley.readyAt")))
    context.close()
    return out[1:]


def _latencies(browser: Browser, base: str, http: httpx.Client) -> list[float]:
    summit, tokens = _set_table(http, LATENCY_ROUNDS + 1)
    seats = [
        f"{base}/seat/{summit}#party={party}&token={token}"
        for party, token in tokens["parties"].items()
    ]
    pages = []
    for url in [*seats, f"{base}/board/{summit}"]:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", timeout=30_000)
        pages.append(page)
    first = int(http.get(f"/summits/{summit}").json()["events"])
    issues = http.get(f"/summits/{summit}").json()["issues"]
    packages = {
        party: _own_package(http, summit, party, token, issues)
        for party, token in tokens["parties"].items()
    }
    for _ in range(LATENCY_ROUNDS):
        _play_round(http, summit, tokens, packages, MOVE_GAP)
    last = int(http.get(f"/summits/{summit}").json()["events"])
    time.sleep(1.5)
    out: list[float] = []
    for page in pages:
        probe = page.evaluate("window.__parley")
        events = {e["seq"]: e for e in probe["events"] if e["seq"] > first}
        renders = sorted(probe["renders"], key=lambda r: r["shown"])
        for seq in range(first + 1, last + 1):
            event = events.get(seq)
            shown = next((r["shown"] for r in renders if r["seq"] >= seq), None)
            if event is None or shown is None:
                out.append(float("inf"))  # never shown: counts as the worst case
                continue
            at = _epoch_ms(event["at"])
            out.append(shown - at)
        page.context.close()
    return out


def _epoch_ms(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000


def _row(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    n = len(ordered)

    def pct(p: float) -> float:
        return ordered[min(n - 1, round(p * (n - 1)))]

    return (
        f"| {name} | {n} | {statistics.median(ordered):.0f} | {pct(0.9):.0f} | {pct(0.99):.0f} "
        f"| {ordered[-1]:.0f} |"
    )


def main() -> None:
    """Run both measurements and print a table (milliseconds)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {"PARLEY_DATABASE_URL": f"sqlite:///{Path(folder) / 'web.db'}"}
        with uvicorn_server("service.main:app", env) as port:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=60) as http, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                began = time.monotonic()
                summit, tokens = _history(http, HISTORY_ROUNDS, 0)
                made = time.monotonic() - began
                events = http.get(f"/summits/{summit}").json()["events"]
                print(
                    f"history: {HISTORY_ROUNDS} rounds of syria-2016, {events} events "
                    f"(played in {made:.1f} s)"
                )
                rows = ["| measure (ms) | n | p50 | p90 | p99 | max |", "|---|---|---|---|---|---|"]
                for name, url in _links(base, summit, tokens).items():
                    cold, whole = _first_renders(browser, url, RENDERS, complete=name == "console")
                    rows.append(_row(f"first render: {name}", cold))
                    if whole:
                        rows.append(_row(f"complete (+ preferences, conflicts): {name}", whole))
                    warm = _warm_renders(browser, url, RENDERS)
                    rows.append(_row(f"first render, reload: {name}", warm))
                rows.append(
                    _row("event to screen (4 seats + board)", _latencies(browser, base, http))
                )
                browser.close()
    print("\n".join(rows))
    print("targets: first render p50 < 200 ms; event to screen p50 < 250 ms, p99 < 1000 ms")
