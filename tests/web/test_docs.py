"""/docs works offline: Swagger UI from local assets, with every other host blocked."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import BrowserContext, Route, expect

from tests.web.conftest import shoot


def test_docs_render_every_operation_with_outside_hosts_blocked(
    server: str, context: BrowserContext
) -> None:
    blocked: list[str] = []

    def only_loopback(route: Route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page = context.new_page()
    page.route("**/*", only_loopback)
    page.goto(f"{server}/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=15_000)
    expect(
        page.locator(".opblock-summary-path", has_text="/summits/{summit_id}/stream")
    ).to_have_count(1)
    assert operations.count() >= 20
    assert blocked == []
    shoot(page, "docs")
