"""What a person does at a seat, through the page only."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def propose_agreed_package(seat: Page) -> None:
    """Compose water_share=high, monitors=yes, years=10 with the controls, and propose it."""
    seat.select_option("#pick-water_share", "high")
    seat.select_option("#pick-monitors", "true")
    seat.fill("#pick-years", "10")
    expect(seat.locator("#composer-report .verdict")).to_contain_text("clear")
    expect(seat.locator("#composer-worth")).to_contain_text("Worth to you: 1.000")
    seat.fill("#rationale", "Half the flow, monitors, ten years")
    seat.click("#propose")
    expect(seat.locator('#rounds article.proposal[data-party="north"]')).to_have_count(1)


def accept_every_proposal(seat: Page, count: int) -> None:
    """In the responses phase, accept each of the others' ``count`` proposals, with a note."""
    expect(seat.locator("#status")).to_contain_text("Phase: responses", timeout=15_000)
    buttons = seat.locator("#rounds button[id^='accept-']")
    expect(buttons).to_have_count(count)
    for left in range(count - 1, -1, -1):
        note = seat.locator("#rounds input[id^='note-']").first
        note.fill("We can live with this")
        buttons.first.click()
        expect(buttons).to_have_count(left)
