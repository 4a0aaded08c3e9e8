"""The convener's console, in a real browser: conflicts, the mediator's text, running a summit."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from clients.cli.open import OpenTable
from clients.client import ParleyClient
from tests.web.conftest import shoot


def test_the_console_shows_conflict_sets_and_tables_a_mediator_text(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = table_for({}, mediated=True)
    with ParleyClient(server, table.tokens["south"]) as south:
        blocker = south.declare_red_line(
            table.summit_id,
            "south",
            label="No monitors, ever",
            expr="not monitors",
            visibility="private",
        )
    console = open_page(table.console_link())
    conflicts = console.locator("#conflicts")
    expect(conflicts).to_contain_text("No deal is possible")
    conflict_set = conflicts.locator("li.conflict-set")
    expect(conflict_set).to_have_count(1)
    expect(conflict_set).to_contain_text("Monitors stay")
    expect(conflict_set).to_contain_text("No monitors, ever")
    # Every party's red lines and preferences, private ones included, and the seat links.
    expect(console.locator("#red-lines")).to_contain_text("SOUTH-SECRET-LABEL")
    expect(console.locator("#preferences details")).to_have_count(3)
    expect(console.locator('#links li[data-party="north"] a')).to_contain_text(
        "#party=north&token="
    )
    shoot(console, "console-conflicts")

    with ParleyClient(server, table.tokens["south"]) as south:
        south.relax(table.summit_id, blocker.id, "monitors may stay after all")
    expect(conflicts).to_contain_text("A deal is possible", timeout=5_000)

    console.click("#start")
    expect(console.locator("#status")).to_contain_text("Phase: proposals")
    console.select_option("#objective", "nash")
    console.click("#suggest")
    first = console.locator("#suggestions article.suggestion").first
    expect(first).to_contain_text("Utilities:")
    first.locator("button").click()
    console.fill("#rationale", "The mediator's single text")
    console.click("#table-text")
    text = console.locator('#rounds article.proposal[data-party="mediator"]')
    expect(text).to_contain_text("Mediator text")
    expect(text).to_contain_text("The mediator's single text")
    with ParleyClient(server, table.convener_token) as convener:
        proposals = convener.round(table.summit_id, "current").proposals
    assert [p.party for p in proposals] == [None]
    assert proposals[0].rationale == "The mediator's single text"
    console.click("#verify")
    expect(console.locator("#verification")).to_contain_text("The record is intact")
    shoot(console, "console-mediator")
    # The debrief from the console: the convener's own review, with the token in the fragment.
    own = console.locator("#review-own")
    expect(own).to_have_attribute("href", f"/review/{table.summit_id}#token={table.convener_token}")
    review = open_page(f"{server}/review/{table.summit_id}#token={table.convener_token}")
    expect(review.locator("body")).to_contain_text("SOUTH-SECRET-LABEL")


def test_the_console_shows_the_servers_refusal(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = table_for({})
    console = open_page(table.console_link())
    console.click("#table-text")  # before the summit has started
    expect(console.locator("#notices")).to_contain_text("409")
    expect(console.locator("#notices")).to_contain_text("waiting for the convener to start it")
