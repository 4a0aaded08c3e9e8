"""The convener sets the phase deadline of a running summit from the console, and the board's
countdown follows; the controls work by keyboard and show the server's refusals."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from clients.cli.open import OpenTable
from clients.client import ParleyClient
from tests.web.conftest import shoot


def test_the_console_sets_the_deadline_and_the_board_counts_down_to_it(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = table_for({})
    with ParleyClient(server, table.convener_token) as convener:
        convener.start(table.summit_id)
    board = open_page(table.board_link())
    expect(board.locator("#status")).to_contain_text("Phase: proposals")
    expect(board.locator("#status .countdown")).to_have_count(0)  # no deadline yet
    console = open_page(table.console_link())
    expect(console.locator("#clock-now")).to_contain_text("Each phase: no deadline")

    # By keyboard: type the seconds, Enter submits.
    console.focus("#deadline-in")
    console.keyboard.type("90")
    console.keyboard.press("Enter")
    expect(console.locator("#notices")).to_contain_text("deadline is set")
    countdown = board.locator("#status .countdown")
    expect(countdown).to_have_text(re.compile(r"⏱ 1:(2\d|30) left"), timeout=3_000)
    shoot(board, "board-deadline")

    console.fill("#deadline-in", "600")
    console.click("#set-deadline")
    expect(countdown).to_have_text(re.compile(r"⏱ (10:00|9:5\d) left"), timeout=3_000)
    expect(console.locator("#clock-now")).to_contain_text("ends at")

    # A bad value is the server's refusal in the page, and changes nothing.
    console.fill("#deadline-in", "-5")
    console.click("#set-deadline")
    expect(console.locator("#notices")).to_contain_text("422")
    expect(console.locator("#notices")).to_contain_text("deadline_in_seconds")
    expect(countdown).to_have_text(re.compile(r"⏱ (10:00|9:5\d) left"))

    # Every phase from the next one on.
    console.focus("#phase-length")
    console.keyboard.type("45")
    console.keyboard.press("Enter")
    expect(console.locator("#clock-now")).to_contain_text("Each phase: 45 s")
    shoot(console, "console-deadline")
    with ParleyClient(server, table.convener_token) as convener:
        summit = convener.get_summit(table.summit_id)
        assert summit.protocol["phase_seconds"] == 45
        types = [event.type for event in convener.events(table.summit_id)]
    assert types.count("protocol.changed") == 3
    # Clearing the current deadline: the board's countdown goes.
    console.fill("#deadline-in", "")
    console.click("#set-deadline")
    expect(countdown).to_have_count(0, timeout=3_000)
