"""The board of a summit, drawn as a room sees it: 80x24 at least, more when wider."""

from __future__ import annotations

import io
import itertools
from datetime import datetime

import pytest
from rich.console import Console

from clients.async_client import AsyncParleyClient
from clients.cli.board import Board, look
from clients.runner import RunOptions, Watchers, run_scenario
from clients.scenario import load_scenario

pytestmark = pytest.mark.anyio


def draw(board: Board, width: int, height: int) -> list[str]:
    console = Console(width=width, height=height, record=True, file=io.StringIO())
    console.print(board.render(width, height))
    return console.export_text().splitlines()


async def frames_of(transport, name: str, mediator: str | None = None, sizes=((80, 24),)):
    scenario = load_scenario(name)
    frames: list[dict] = []
    board: Board | None = None

    def on_summit(summit):
        nonlocal board
        if board is None:
            board = Board(summit, {p.key: p.strategy for p in scenario.parties})

    async def on_look(client, summit):
        await look(client, board)
        frames.append({size: draw(board, *size) for size in sizes})

    def on_move(note):
        if board is not None:
            board.on_move(note)

    watchers = Watchers(on_summit=on_summit, on_look=on_look, on_move=on_move)
    options = RunOptions(wait=5, mediator=mediator)
    result = await run_scenario(scenario, "http://parley", options, watchers, transport=transport)
    return result, frames, board


async def test_every_frame_fits_80x24_and_says_where_the_round_stands(transport):
    result, frames, _ = await frames_of(transport, "river-treaty", sizes=((80, 24), (120, 40)))
    assert result.summit.status == "concluded"
    assert len(frames) > 4
    for frame in frames:
        small = frame[(80, 24)]
        assert len(small) <= 24
        assert all(len(line) <= 80 for line in small)
        # The second line says where the round stands, in full.
        assert small[1].startswith(("Round ", "Concluded: "))
        assert "…" not in small[1]
    mid = [f[(80, 24)] for f in frames if f[(80, 24)][1].startswith("Round ")]
    assert any("awaiting" in frame[1] for frame in mid)
    text = "\n".join("\n".join(frame) for frame in mid)
    for name in ("Highvale", "Midland", "Lowmere"):
        assert name in text
    assert "breaks" in text
    # The convener's board names every broken red line by its label, private ones too.
    assert "“Half the dry-season flow”" in text or "“A real dam”" in text
    wide = "\n".join("\n".join(f[(120, 40)]) for f in frames)
    assert "Highvale (boulware) · Midland (conceder) · Lowmere (tit_for_tat)" in wide
    assert "Concessions" in wide
    final = frames[-1][(80, 24)]
    assert final[1].startswith(f"Concluded: agreement after {result.summit.rounds_played} round")
    assert "settled it" in final[1]


async def test_the_syria_board_fits_80x24_with_the_mediators_text(transport):
    result, frames, _board = await frames_of(transport, "syria-2016", mediator="nash")
    assert result.summit.status == "concluded"
    for frame in frames:
        small = frame[(80, 24)]
        assert len(small) <= 24
        assert all(len(line) <= 80 for line in small)
    text = "\n".join("\n".join(f[(80, 24)]) for f in frames)
    assert "Mediator's text: nash text, meets every demand" in text or (
        "Mediator's text: kalai text, cuts every demand alike" in text
    )
    assert any(line.startswith("Round") and "Mediator" in line for line in frames[-1][(80, 24)])


async def test_a_board_shows_an_anonymous_reader_no_private_label(transport):
    result, _, _ = await frames_of(transport, "river-treaty")
    async with AsyncParleyClient("http://parley", transport=transport) as anonymous:
        summit = await anonymous.get_summit(result.summit.id)
        board = Board(summit)
        await look(anonymous, board)
    text = "\n".join(draw(board, 160, 60))
    assert text.splitlines()[1].startswith("Concluded: agreement")
    for party in load_scenario("river-treaty").parties:
        for red_line in party.red_lines:
            if red_line.visibility == "private":
                assert red_line.label not in text


async def test_pace_spaces_each_delegations_moves(transport):
    scenario = load_scenario("river-treaty")
    options = RunOptions(wait=5, rounds=2, pace=0.3)
    result = await run_scenario(scenario, "http://parley", options, transport=transport)
    async with AsyncParleyClient("http://parley", result.convener_token, transport=transport) as c:
        events = await c.events(result.summit.id)
    moves = ("proposal.tabled", "party.passed", "response.given")
    by_party: dict[str, list[datetime]] = {}
    for event in events:
        if event.type in moves and event.actor.startswith("party:"):
            by_party.setdefault(event.actor, []).append(datetime.fromisoformat(event.at))
    assert len(by_party) == 3
    for times in by_party.values():
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        assert gaps
        assert min(gaps) >= 0.29


def test_the_status_line_names_round_phase_deadline_and_who_is_awaited():
    from datetime import UTC, timedelta

    from clients.models import Summit

    deadline = (datetime.now(UTC) + timedelta(seconds=90)).isoformat()
    summit = Summit.model_validate(
        {
            "id": "s1",
            "title": "A summit with a very long title " * 4,
            "status": "open",
            "issues": [{"key": "a", "title": "A", "kind": "boolean"}],
            "parties": [{"key": "p", "name": "Pellucidar"}, {"key": "q", "name": "Quivira"}],
            "protocol": {"max_rounds": 5},
            "round": {"number": 2, "phase": "responses", "deadline": deadline,
                      "waiting_for": ["q", "convener"]},
        }
    )  # fmt: skip
    board = Board(summit)
    lines = draw(board, 80, 24)
    assert lines[0].endswith("…")  # the title gives way
    assert lines[1].startswith("Round 2 of 5 · responses · deadline ")
    assert "UTC (in 8" in lines[1]
    # A long status wraps onto the next line; it is never cut.
    status = " ".join(" ".join(lines[1:3]).split())
    assert status.endswith("· awaiting Quivira, Mediator")
