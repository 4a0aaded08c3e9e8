"""Browser tests: a real uvicorn server, Debian's Chromium driven by Playwright, bots in a thread.

Chromium is the system's (/usr/bin/chromium; browser builds cannot be downloaded here). Every
request to a host other than 127.0.0.1 is blocked, so a page that reached for a CDN would
break. Each test saves screenshots of the pages it drives under tests/web/screenshots/.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from clients.cli.open import OpenTable, open_table, play_bots
from clients.models import Summit
from clients.scenario import Scenario
from tests.e2e.conftest import server  # noqa: F401  (the fixture, re-exported)
from tests.web.scenario import web_scenario

T = TypeVar("T")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # No host but loopback resolves: a page that reached for a CDN would break. (page.route
    # blocks too, but runs every request through Python, which slows the pages it measures.)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def launch(playwright_chromium) -> Browser:  # type: ignore[no-untyped-def]
    return playwright_chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright.chromium)
        yield chromium
        chromium.close()


def only_loopback(route: Route) -> None:
    host = urlparse(route.request.url).hostname
    if host == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def open_page(context: BrowserContext) -> Callable[[str], Page]:
    """Open a URL in a new tab of the test's browser; script errors fail the test.

    (The browser's own "Failed to load resource" lines are not script errors: a refusal
    the page shows, such as a 409, logs one.)
    """
    errors: list[str] = []

    def opener(url: str) -> Page:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", timeout=20_000)
        return page

    yield opener  # type: ignore[misc]
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    # Chromium takes a second or two to capture a tab that is not in front; in front, 0.1 s.
    page.bring_to_front()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def run_in_thread(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to its end in a thread (Playwright's sync API holds this thread's loop)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = asyncio.run(work())
        except BaseException as error:
            box["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


class Bots:
    """Bots playing their parties in a thread of their own (an event loop of their own)."""

    def __init__(self, table: OpenTable, scenario: Scenario) -> None:
        self.result: Summit | None = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.result = asyncio.run(play_bots(table, scenario, wait=5))
            except BaseException as error:  # reported by join()
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, timeout: float = 30) -> Summit:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the bots did not finish"
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


@pytest.fixture
def scenario() -> Scenario:
    return web_scenario()


@pytest.fixture
def table_for(server: str, scenario: Scenario) -> Callable[..., OpenTable]:  # noqa: F811
    """Open the web scenario's summit on the test server (not started)."""

    def make(
        bots: dict[str, str], *, mediated: bool = False, phase_seconds: float | None = None
    ) -> OpenTable:
        chosen = scenario.model_copy(deep=True)
        chosen.protocol.mediated = mediated
        return run_in_thread(
            lambda: open_table(chosen, server, bots=bots, phase_seconds=phase_seconds)
        )

    return make
