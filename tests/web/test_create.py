"""Creating a summit from the console, in a real browser: a built-in scenario, an uploaded
file with mistakes (located, nothing created), a valid file, and the seat links it hands out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from clients.scenario import load_scenario
from tests.web.conftest import shoot
from tests.web.scenario import SCENARIO_YAML


def _summits(server: str) -> list[dict]:
    return httpx.get(f"{server}/summits", params={"limit": 500}).json()["items"]


def test_the_console_creates_a_summit_from_a_built_in_scenario(
    server: str, open_page: Callable[[str], Page]
) -> None:
    desk = open_page(f"{server}/console")
    expect(desk.locator("#scenario option")).to_have_count(2)
    desk.select_option("#scenario", "river-treaty")
    expect(desk.locator("#scenario-about")).to_contain_text("Highvale, Midland, Lowmere")
    desk.fill("#phase-seconds", "300")
    desk.click("#create-builtin")
    created = desk.locator("#created")
    expect(created).to_be_visible()
    expect(created).to_contain_text("is in setup")
    shoot(desk, "create-builtin")
    seats = desk.locator("#created-links li[data-party] a")
    expect(seats).to_have_count(3)
    [summit] = _summits(server)
    assert summit["title"] == load_scenario("river-treaty").title
    assert summit["status"] == "setup"
    # The scenario's red lines and preferences were declared, each with its party's token.
    console_url = desk.locator("#console-link a").inner_text()
    token = console_url.split("#token=")[1].split("&")[0]
    auth = {"Authorization": f"Bearer {token}"}
    lines = httpx.get(f"{server}/summits/{summit['id']}/red-lines", headers=auth).json()
    scenario = load_scenario("river-treaty")
    assert sorted(rl["label"] for rl in lines) == sorted(
        rl.label for party in scenario.parties for rl in party.red_lines
    )
    detail = httpx.get(f"{server}/summits/{summit['id']}").json()
    assert detail["protocol"]["phase_seconds"] == 300
    for party in scenario.parties:
        prefs = httpx.get(
            f"{server}/summits/{summit['id']}/parties/{party.key}/preferences", headers=auth
        )
        assert prefs.status_code == 200
    # A seat link opens that party's seat with its own private red lines.
    seat_url = desk.locator('#created-links li[data-party="midland"] a').inner_text()
    assert "#party=midland&token=" in seat_url
    seat = open_page(seat_url)
    private = [rl.label for rl in scenario.party("midland").red_lines if rl.visibility == "private"]
    for label in private:
        expect(seat.locator("body")).to_contain_text(label)
    # The console link opens the console, with the seat links to hand out.
    console = open_page(console_url)
    expect(console.locator("#links li[data-party]")).to_have_count(3)
    console.click("#start")
    expect(console.locator("#status")).to_contain_text("Phase: proposals")
    expect(console.locator("#status .countdown")).to_contain_text(":")


def test_an_uploaded_file_with_mistakes_shows_where_they_are_and_creates_nothing(
    server: str, open_page: Callable[[str], Page], tmp_path: Path
) -> None:
    broken = SCENARIO_YAML.replace("expr: water_share != low", "expr: water_share != none")
    broken = broken.replace("visibility: public", "visibility: everyone")
    path = tmp_path / "mine.yaml"
    path.write_text(broken, encoding="utf-8")
    before = _summits(server)
    desk = open_page(f"{server}/console")
    desk.set_input_files("#scenario-file", str(path))
    desk.click("#create-file")
    problems = desk.locator("#scenario-errors li")
    expect(problems).to_have_count(1)  # pydantic stops at the schema; the expression comes next
    expect(problems.first).to_contain_text("mine.yaml:")
    expect(problems.first).to_contain_text("'everyone' is not allowed here")
    line = broken[: broken.index("everyone")].count("\n") + 1
    expect(problems.first).to_have_attribute("data-line", str(line))
    shoot(desk, "create-file-problems")
    assert _summits(server) == before
    expect(desk.locator("#created")).to_be_hidden()

    # Fixed one mistake: the next one is shown, with its line and column.
    path.write_text(broken.replace("visibility: everyone", "visibility: public"), encoding="utf-8")
    desk.set_input_files("#scenario-file", str(path))
    desk.click("#create-file")
    expect(problems.first).to_contain_text("none")
    fixed = broken.replace("visibility: everyone", "visibility: public")
    before_token = fixed[: fixed.index("!= none") + 3]
    place = f"mine.yaml:{before_token.count(chr(10)) + 1}:{len(before_token) - before_token.rfind(chr(10))}:"
    expect(problems.first).to_contain_text(place)
    assert _summits(server) == before

    path.write_text(SCENARIO_YAML, encoding="utf-8")
    desk.set_input_files("#scenario-file", str(path))
    desk.click("#create-file")
    expect(desk.locator("#created")).to_be_visible()
    expect(desk.locator("#scenario-problems")).to_be_hidden()
    expect(desk.locator("#created-links li[data-party] a")).to_have_count(3)
    after = _summits(server)
    assert len(after) == len(before) + 1
    assert after[0]["title"] == "River talks <b>bold?</b>"
    expect(desk.locator("#created-title")).to_contain_text("River talks <b>bold?</b>")


def test_the_desk_is_reachable_and_usable_by_keyboard(
    server: str, open_page: Callable[[str], Page]
) -> None:
    desk = open_page(f"{server}/console")
    reached = []
    for _ in range(12):
        desk.keyboard.press("Tab")
        reached.append(desk.evaluate("document.activeElement.id"))
    for control in ("phase-seconds", "max-rounds", "admin-token", "scenario", "create-builtin"):
        assert control in reached, reached
    desk.focus("#scenario")
    desk.keyboard.press("ArrowDown")  # river-treaty, then syria-2016
    expect(desk.locator("#scenario")).to_have_value("syria-2016")
    desk.keyboard.press("Tab")
    assert desk.evaluate("document.activeElement.id") == "create-builtin"
    desk.keyboard.press("Enter")
    expect(desk.locator("#created")).to_be_visible()
    expect(desk.locator("#created-links li[data-party] a")).to_have_count(4)
    assert _summits(server)[0]["title"] == load_scenario("syria-2016").title
