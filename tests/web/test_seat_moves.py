"""More of a seat's moves through the page: relaxing, conceding, refusals and a busy server."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from playwright.sync_api import Page, Route, expect

from clients.cli.open import OpenTable
from clients.client import ParleyClient
from tests.web.conftest import shoot


def started(server: str, table: OpenTable) -> OpenTable:
    with ParleyClient(server, table.convener_token) as convener:
        convener.start(table.summit_id)
    return table


def test_a_seat_relaxes_a_red_line_and_records_a_concession(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = started(server, table_for({}))
    seat = open_page(table.seat_link("north"))
    board = open_page(table.board_link())
    mine = seat.locator("#my-red-lines li.red-line", has_text="Monitors stay")
    mine.locator("input[id^='relax-note-']").fill("monitors can go if the share holds")
    mine.locator("button[id^='relax-']").click()
    expect(mine).to_contain_text("relaxed")
    expect(mine).to_contain_text("monitors can go if the share holds")
    expect(seat.locator("#concessions")).to_contain_text("relaxed “Monitors stay”")
    # Others see that North relaxed a private red line, never which.
    expect(board.locator("#concessions")).to_contain_text("relaxed a private red line")
    expect(board.locator("#concessions")).not_to_contain_text("Monitors stay")

    seat.select_option("#concede-issue", "water_share")
    seat.fill("#concede-from", "high")
    seat.fill("#concede-to", "mid")
    seat.fill("#concede-note", "a third will do")
    seat.click("#concede-submit")
    expect(seat.locator("#concessions")).to_contain_text("water_share: high → mid")
    expect(board.locator("#concessions")).to_contain_text("a third will do")
    shoot(seat, "seat-concessions")


def test_the_seat_shows_the_servers_refusal_in_its_words(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = started(server, table_for({}))
    seat = open_page(table.seat_link("north"))
    seat.select_option("#pick-monitors", "false")  # breaks north's own red line
    seat.click("#propose")
    notice = seat.locator("#notices")
    expect(notice).to_contain_text("409")
    expect(notice).to_contain_text("breaks your own active red line")
    expect(notice).to_contain_text("“Monitors stay”")
    seat.select_option("#concede-issue", "water_share")
    seat.fill("#concede-from", "plenty")
    seat.fill("#concede-to", "mid")
    seat.click("#concede-submit")
    expect(notice).to_contain_text("422")
    expect(notice).to_contain_text("plenty")


def test_a_busy_server_is_waited_for_not_shown_as_a_failure(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = started(server, table_for({}))
    refused: list[str] = []

    def busy_once(route: Route) -> None:
        if not refused:
            refused.append(route.request.url)
            route.fulfill(
                status=429,
                headers={"Retry-After": "1", "Content-Type": "application/json"},
                body=json.dumps(
                    {"error": {"code": "rate_limited", "message": "slow down", "details": {}}}
                ),
            )
        else:
            route.continue_()

    seat = open_page(table.seat_link("north"))
    seat.route("**/summits/*/check", busy_once)
    seat.select_option("#pick-water_share", "high")
    expect(seat.locator("#notices")).to_contain_text("The server is busy")
    expect(seat.locator("#composer-report .verdict")).to_be_visible(timeout=5_000)
    expect(seat.locator("#composer-report")).not_to_contain_text("refused")
    assert len(refused) == 1


def test_the_board_counts_down_the_phase_and_names_who_is_awaited(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = started(server, table_for({}, phase_seconds=120))
    board = open_page(table.board_link())
    countdown = board.locator("#status .countdown")
    expect(countdown).to_contain_text(re.compile(r"⏱ [12]:\d\d left"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=3_000)  # it ticks without a reload
    expect(board.locator("#status")).to_contain_text("Waiting for: North, South, East")
    with ParleyClient(server, table.tokens["south"]) as south:
        south.pass_turn(table.summit_id)
    expect(board.locator("#status")).to_contain_text("Waiting for: North, East")
    expect(board.locator("#rounds")).to_contain_text("Passed: South")
