"""A delegation's seat and the board, in a real browser against a real server and bots."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Page, Response, expect

from clients.cli.open import OpenTable
from clients.client import ParleyClient
from clients.scenario import Scenario
from tests.web.conftest import Bots, shoot
from tests.web.scenario import AGREED, HOSTILE, HOSTILE_RATIONALE, SECRETS
from tests.web.seat_play import accept_every_proposal, propose_agreed_package

BOTS = {"south": "conceder", "east": "conceder"}


TEE_FETCH = """
window.__bodies = [];
const fetchOnce = window.fetch;
window.fetch = async (...args) => {
  const response = await fetchOnce(...args);
  response.clone().text().then((body) => window.__bodies.push([response.url, body]));
  return response;
};
"""


def start(server: str, table: OpenTable) -> None:
    with ParleyClient(server, table.convener_token) as convener:
        convener.start(table.summit_id)


def test_a_person_at_one_seat_plays_to_agreement_against_bots(
    server: str,
    scenario: Scenario,
    table_for: Callable[..., OpenTable],
    open_page: Callable[[str], Page],
) -> None:
    table = table_for(BOTS)
    seat = open_page(table.seat_link("north"))
    board = open_page(table.board_link())
    bots = Bots(table, scenario)
    start(server, table)
    propose_agreed_package(seat)
    shoot(seat, "seat-proposals")
    accept_every_proposal(seat, 2)
    expect(seat.locator("#outcome")).to_contain_text("agreement", timeout=15_000)
    expect(board.locator("#outcome")).to_contain_text("agreement", timeout=5_000)
    expect(board.locator("#outcome .package")).to_contain_text("high")
    shoot(seat, "seat-concluded")
    shoot(board, "board-concluded")
    final = bots.join()
    assert final.outcome == "agreement"
    assert final.settlement == AGREED


def test_a_bots_move_reaches_the_board_and_the_seat_within_a_second(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = table_for({})
    start(server, table)
    seat = open_page(table.seat_link("north"))
    board = open_page(table.board_link())
    expect(board.locator("#status")).to_contain_text("Phase: proposals")
    south = board.locator('#rounds article.proposal[data-party="south"]')
    seen_at_seat = seat.locator('#rounds article.proposal[data-party="south"]')
    expect(south).to_have_count(0)
    with ParleyClient(server, table.tokens["south"]) as bot:
        began = time.monotonic()
        bot.propose(table.summit_id, AGREED, "the bot's move")
    south.wait_for(timeout=1000)
    seen_at_seat.wait_for(timeout=max(1, 1000 - (time.monotonic() - began) * 1000))
    assert time.monotonic() - began < 1.0
    # Sealed to the others while the proposals phase runs: shown, but not its package.
    expect(south).to_contain_text("sealed")
    expect(seen_at_seat).not_to_contain_text("high")
    shoot(board, "board-proposals")


def test_the_seat_shows_and_fetches_nothing_private_of_another_party(
    server: str,
    scenario: Scenario,
    table_for: Callable[..., OpenTable],
    open_page: Callable[[str], Page],
    context,  # type: ignore[no-untyped-def]
) -> None:
    table = table_for(BOTS)
    responses: list[Response] = []
    context.on("response", lambda response: responses.append(response))
    # The browser keeps no body of a response a script read as a stream: the page's fetches
    # are also teed here, so the event stream's body is checked as well.
    context.add_init_script(TEE_FETCH)
    seat = open_page(table.seat_link("north"))
    bots = Bots(table, scenario)
    start(server, table)
    propose_agreed_package(seat)
    accept_every_proposal(seat, 2)
    expect(seat.locator("#outcome")).to_contain_text("agreement", timeout=15_000)
    expect(seat.locator("#connection")).to_contain_text("stream closed", timeout=5_000)
    bots.join()
    texts = [seat.content(), seat.locator("body").inner_text()]
    unread = []
    for response in responses:
        try:
            texts.append(response.text())
        except Exception:
            unread.append(response.url)
    teed = seat.evaluate("window.__bodies")
    texts += [body for _url, body in teed]
    assert [url for url in unread if "/stream" not in url] == []
    urls = [url for url, _body in teed]
    assert any(url.endswith("/check") for url in urls)
    assert any(url.endswith("/preferences") for url in urls)
    streamed = [body for url, body in teed if url.endswith("/stream")]
    assert streamed
    assert '"type":"summit.concluded"' in streamed[-1]
    # A number leaks as itself, not as digits inside a longer number (a timestamp's
    # "13:09:13.218306Z" holds "3.21" by chance).
    patterns = {secret: re.compile(rf"(?<![\d.]){re.escape(secret)}(?!\d)") for secret in SECRETS}
    for text in texts:
        for secret, pattern in patterns.items():
            assert not pattern.search(text), f"{secret!r} leaked"
    # The seat does show its own private red line, and others' only as a private red line.
    body = seat.locator("body").inner_text()
    assert "NORTH-OWN-RATIONALE" in body
    assert "a private red line of South" in body


def test_hostile_labels_render_as_text(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = table_for({})
    dialogs: list[str] = []
    seat = open_page(table.seat_link("north"))
    seat.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    board = open_page(table.board_link())
    for page in (seat, board):
        label = page.locator("li.red-line", has_text="onerror").locator(".name")
        expect(label).to_have_text(HOSTILE)
        expect(page.locator("li.red-line", has_text="onerror")).to_contain_text(HOSTILE_RATIONALE)
        expect(page.locator("#title")).to_have_text("River talks <b>bold?</b>")
        assert page.locator("img").count() == 0
        assert page.locator("main script, main b").count() == 0
        assert page.evaluate("window.__pwned") is None
    assert dialogs == []


def test_a_package_is_composed_and_proposed_by_keyboard(
    server: str, table_for: Callable[..., OpenTable], open_page: Callable[[str], Page]
) -> None:
    table = table_for({})
    start(server, table)
    seat = open_page(table.seat_link("north"))

    def tab_to(element_id: str, limit: int = 40) -> None:
        for _ in range(limit):
            seat.keyboard.press("Tab")
            if seat.evaluate("document.activeElement && document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("pick-water_share")
    for _ in range(3):  # not set -> low -> mid -> high
        seat.keyboard.press("ArrowDown")
    tab_to("pick-monitors")
    seat.keyboard.press("ArrowDown")  # not set -> yes
    tab_to("pick-years")
    seat.keyboard.type("10")
    tab_to("rationale")
    seat.keyboard.type("typed, not clicked")
    expect(seat.locator("#composer-report .verdict")).to_contain_text("clear")
    tab_to("propose")
    seat.keyboard.press("Enter")
    mine = seat.locator('#rounds article.proposal[data-party="north"]')
    expect(mine).to_contain_text("high")
    expect(mine).to_contain_text("typed, not clicked")
    with ParleyClient(server, table.tokens["north"]) as north:
        tabled = north.round(table.summit_id, "current").proposals
    assert [p.package for p in tabled] == [AGREED]
    shoot(seat, "seat-keyboard")
