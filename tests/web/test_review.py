"""The review in Chromium: the review page's charts hold one point per proposal under the
pages' strict Content-Security-Policy (no violation reported), each role sees what it may,
hostile text stays text; the debrief file opens from disk with every request to a host
blocked and shows its charts.

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
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

from clients.cli.open import OpenTable, open_table, play_bots
from clients.models import Summit
from clients.runner import RunOptions, RunResult, run_scenario
from clients.scenario import load_scenario
from tests.e2e.conftest import server  # noqa: F401  (the fixture, re-exported)
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, run_in_thread, shoot
from tests.web.scenario import HOSTILE, HOSTILE_RATIONALE, web_scenario

pytestmark = pytest.mark.e2e
# How many points each chart of the page holds, by kind of trace (plotly's own data, read
# from the chart's element).
POINTS = """(name) => {
  const chart = document.getElementById(`chart-${name}`);
  return chart.data.map((t) => ({kind: t.meta.kind, party: t.meta.party || null, n: t.x.length}));
}"""
# Every Content-Security-Policy violation the page reports, from the first script on.
CSP_PROBE = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
});
"""
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>"


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


def hostile_summit(url: str) -> tuple[OpenTable, Summit]:
    """The web scenario with a hostile party name, played by bots to its end."""
    scenario = web_scenario()
    scenario.party("east").name = HOSTILE_NAME
    bots = {"north": "conceder", "south": "conceder", "east": "conceder"}
    table = run_in_thread(lambda: open_table(scenario, url, bots=bots))
    summit = run_in_thread(lambda: play_bots(table, scenario, wait=5, start=True))
    return table, summit


def open_review(context: BrowserContext, url: str) -> tuple[Page, list[str]]:
    page = context.new_page()
    errors = watched(page)
    page.goto(url)
    page.wait_for_selector("body[data-ready='true']", timeout=30_000)
    return page, errors


def test_the_review_page_draws_one_point_per_proposal_under_the_strict_csp(browser, server):  # noqa: F811
    table, summit = hostile_summit(server)
    convener = {"Authorization": f"Bearer {table.convener_token}"}
    utilities = httpx.get(f"{server}/summits/{table.summit_id}/utilities", headers=convener).json()
    proposals = len(utilities["proposals"])
    assert proposals > 0
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_PROBE)
    outside: list[str] = []

    def only_loopback(request: Request) -> None:
        # Recorded, not routed: Chromium's --host-resolver-rules already fails every other
        # host, and a route would run each request (plotly.min.js too, uncached) through Python.
        address = urlparse(request.url)
        if address.scheme not in ("data", "blob") and address.hostname != "127.0.0.1":
            outside.append(request.url)

    context.on("request", only_loopback)
    page, errors = open_review(
        context, f"{server}/review/{table.summit_id}#token={table.convener_token}"
    )
    page.wait_for_selector("#chart-utility .main-svg")
    traces = page.evaluate(POINTS, "utility")
    lines = [t for t in traces if t["kind"] == "utility"]
    assert {t["party"] for t in lines} == set(utilities["parties"]) == {"north", "south", "east"}
    assert all(t["n"] == proposals for t in lines)
    plane = page.evaluate(POINTS, "plane")
    assert sum(t["n"] for t in plane if t["kind"] == "proposals") == proposals
    kinds = {t["kind"] for t in plane}
    assert {"frontier", "reference"} <= kinds
    assert ("settlement" in kinds) is (summit.settlement is not None)
    # Every proposal is drawn as a point in the utility chart, per party.
    assert page.locator("#chart-utility .scatterlayer .point").count() == proposals * len(lines)
    assert page.locator("#viewed-as").inner_text() == "convener"
    assert "valid" in page.locator("#chain").inner_text()
    # Hostile text shows as text: in the page, in the charts' legends, in the title.
    body = page.locator("body").inner_text()
    assert HOSTILE_NAME in body
    assert HOSTILE in body
    assert HOSTILE_RATIONALE in body
    assert "<b>bold?</b>" in page.locator("#title").inner_text()
    assert HOSTILE_NAME in page.locator("#chart-utility .legend").text_content()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    # The round picker shows the state at the end of that round and what moved since.
    page.select_option("#round-picker", "1")
    page.wait_for_selector("body[data-round='1'][data-ready='true']")
    first = httpx.get(
        f"{server}/summits/{table.summit_id}/state", params={"round": 1}, headers=convener
    ).json()
    shown = page.locator("#round article.proposal").evaluate_all(
        "(n) => n.map((a) => Number(a.dataset.proposal))"
    )
    assert shown == [p["id"] for p in first["round"]["proposals"]]
    assert "The first round" in page.locator("#diff").inner_text()
    if summit.rounds_played > 1:
        page.select_option("#round-picker", "2")
        page.wait_for_selector("body[data-round='2'][data-ready='true']")
        diff = httpx.get(
            f"{server}/summits/{table.summit_id}/diff",
            params={"from": 1, "to": 2},
            headers=convener,
        ).json()
        for party, moves in diff["parties"].items():
            for move in moves["moved"]:
                assert (
                    page.locator(
                        f"#diff li[data-party='{party}'] li[data-issue='{move['issue']}']"
                    ).count()
                    == 1
                )
    page.select_option("#round-picker", str(summit.rounds_played))
    page.wait_for_selector(f"body[data-round='{summit.rounds_played}'][data-ready='true']")
    shoot(page, "review-convener")
    assert page.evaluate("window.__csp") == []

    # A delegation: its own utilities only, no joint measures, no other's secret.
    south, south_errors = open_review(
        context, f"{server}/review/{table.summit_id}#party=south&token={table.tokens['south']}"
    )
    assert south.locator("#viewed-as").inner_text() == "delegation (South)"
    own = [t for t in south.evaluate(POINTS, "utility") if t["kind"] == "utility"]
    assert [t["party"] for t in own] == ["south"]
    assert south.locator("#chart-plane").count() == 0
    assert south.locator("#measures-restricted").count() == (1 if summit.settlement else 0)
    assert "SOUTH-SECRET-LABEL" in south.locator("body").inner_text()
    assert south.evaluate("window.__csp") == []
    north, _ = open_review(
        context, f"{server}/review/{table.summit_id}#party=north&token={table.tokens['north']}"
    )
    assert "SOUTH-SECRET-LABEL" not in north.locator("body").inner_text()
    # Whom the page speaks for comes from the server, not from the link's party.
    mislabelled, _ = open_review(
        context, f"{server}/review/{table.summit_id}#party=north&token={table.tokens['south']}"
    )
    assert mislabelled.locator("#viewed-as").inner_text() == "delegation (South)"
    # Anyone: no utilities, nothing private.
    public, public_errors = open_review(context, f"{server}/review/{table.summit_id}")
    assert public.locator("#viewed-as").inner_text() == "anonymous"
    assert public.locator("#chart-plane").count() == 0
    assert [t for t in public.evaluate(POINTS, "utility") if t["kind"] == "utility"] == []
    assert "SOUTH-SECRET-LABEL" not in public.locator("body").inner_text()
    shoot(public, "review-public")
    refused, _ = open_review(context, f"{server}/review/nosuchsummit")
    assert "no summit" in refused.locator("#notices").inner_text()
    # After declassification, everyone reads every utility.
    if summit.status == "concluded":
        response = httpx.post(
            f"{server}/summits/{table.summit_id}/declassify",
            json={"note": "debrief"},
            headers=convener,
        )
        assert response.status_code == 201, response.text
        opened, _ = open_review(context, f"{server}/review/{table.summit_id}")
        everyone = [t for t in opened.evaluate(POINTS, "utility") if t["kind"] == "utility"]
        assert {t["party"] for t in everyone} == {"north", "south", "east"}
        assert "SOUTH-SECRET-LABEL" in opened.locator("body").inner_text()
        assert opened.evaluate("window.__csp") == []
    context.close()
    assert outside == []
    # A refusal the page shows (the delegation's 403 on the chain, the 404) logs a failed load.
    for logged in (errors, south_errors, public_errors):
        assert not [e for e in logged if not e.startswith("Failed to load resource")], logged


def test_the_review_page_and_plotly_are_served_under_the_pages_csp(server):  # noqa: F811
    page = httpx.get(f"{server}/review/anything")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in page.text
    script = httpx.get(f"{server}/static/vendor/plotly.min.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "Plotly" in script.text[:2000] or "plotly" in script.text[:2000]
    again = httpx.get(
        f"{server}/static/vendor/plotly.min.js", headers={"If-None-Match": script.headers["etag"]}
    )
    assert again.status_code == 304


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
