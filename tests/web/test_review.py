"""The review in Chromium: the review page's charts hold one point per proposal, and the
debrief file opens from disk with every request to a host blocked and shows its charts.

Debian's Chromium (/usr/bin/chromium) driven by Playwright; no browser is downloaded.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from clients.runner import RunOptions, RunResult, run_scenario
from clients.scenario import load_scenario
from tests.e2e.conftest import server  # noqa: F401  (the fixture, re-exported)
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.e2e
# How many points each chart of the page holds, by kind of trace.
POINTS = """(name) => {
  const chart = document.getElementById(`chart-${name}`);
  return chart.data.map((t) => ({kind: t.meta.kind, party: t.meta.party || null, n: t.x.length}));
}"""


def play(url: str) -> RunResult:
    """Play river-treaty to its end (in a thread: Playwright holds this thread's loop)."""
    box: dict[str, Any] = {}

    def run() -> None:
        options = RunOptions(rounds=10, seed=1)
        box["result"] = asyncio.run(run_scenario(load_scenario("river-treaty"), url, options))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return box["result"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watched(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_the_review_page_draws_one_point_per_proposal(browser, server):  # noqa: F811
    result = play(server)
    summit, token = result.summit.id, result.convener_token
    utilities = httpx.get(
        f"{server}/summits/{summit}/utilities", headers={"Authorization": f"Bearer {token}"}
    ).json()
    proposals = len(utilities["proposals"])
    assert proposals > 0
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    errors = watched(page)
    page.goto(f"{server}/review/{summit}#token={token}")
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    page.wait_for_selector("#chart-utility .main-svg")
    traces = page.evaluate(POINTS, "utility")
    lines = [t for t in traces if t["kind"] == "utility"]
    assert {t["party"] for t in lines} == set(utilities["parties"])
    assert all(t["n"] == proposals for t in lines)
    plane = page.evaluate(POINTS, "plane")
    assert sum(t["n"] for t in plane if t["kind"] == "proposals") == proposals
    kinds = {t["kind"] for t in plane}
    assert "frontier" in kinds
    assert ("settlement" in kinds) is (result.summit.settlement is not None)
    # Every proposal is drawn as a point in the utility chart, per party.
    markers = page.locator("#chart-utility .scatterlayer .point").count()
    assert markers == proposals * len(lines)
    assert page.locator("#viewed-as").inner_text() == "convener"
    public = context.new_page()
    public.goto(f"{server}/review/{summit}")
    public.wait_for_selector("body[data-ready='true']", timeout=30_000)
    assert public.locator("#viewed-as").inner_text() == "anonymous"
    assert public.locator("#chart-plane").count() == 0
    refused = context.new_page()
    refused.goto(f"{server}/review/nosuchsummit")
    refused.wait_for_selector("body[data-ready='true']")
    assert "no summit" in refused.locator("#status").inner_text()
    context.close()
    assert outside == []
    assert not [e for e in errors if "favicon" not in e], errors


def test_the_report_file_opens_offline_and_shows_its_charts(browser, server, tmp_path):  # noqa: F811
    result = play(server)
    response = httpx.get(
        f"{server}/summits/{result.summit.id}/report",
        headers={"Authorization": f"Bearer {result.convener_token}"},
        timeout=60,
    )
    out = tmp_path / "debrief.html"
    out.write_text(response.text, encoding="utf-8")
    context = browser.new_context()
    requested: list[str] = []

    def files_only(route: Route) -> None:
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", files_only)
    page = context.new_page()
    errors = watched(page)
    page.goto(out.as_uri())
    page.wait_for_selector("body[data-ready='true']")
    for name in ("utility", "timeline", "plane"):
        page.wait_for_selector(f"#chart-{name} .main-svg")
    assert page.locator("#chart-utility .scatterlayer .point").count() > 0
    assert page.locator("#head-hash").inner_text() == response.text.split('id="head-hash">')[1][:64]
    assert [url for url in requested if not url.startswith("file://")] == []
    context.close()
    assert errors == []
