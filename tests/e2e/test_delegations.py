"""Delegations over real HTTP against a real uvicorn: each with only its own token."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from clients.async_client import AsyncParleyClient
from clients.cli.main import app
from clients.runner import RunOptions, run_scenario
from clients.scenario import load_scenario
from tests.clients.conduct import broken_own_red_lines, moves

pytestmark = pytest.mark.e2e


def play(server: str, name: str, seed: int):
    async def go():
        result = await run_scenario(load_scenario(name), server, RunOptions(seed=seed, wait=10))
        async with AsyncParleyClient(server, result.convener_token) as convener:
            events = await convener.events(result.summit.id)
        return result, events

    return asyncio.run(go())


def test_the_syria_summit_plays_out_the_same_way_for_a_seed(server: str) -> None:
    first, first_events = play(server, "syria-2016", seed=11)
    second, second_events = play(server, "syria-2016", seed=11)
    assert first.summit.status == "concluded"
    assert (first.summit.outcome, first.summit.rounds_played, first.summit.settlement) == (
        second.summit.outcome,
        second.summit.rounds_played,
        second.summit.settlement,
    )
    assert moves(first.history, ids=False) == moves(second.history, ids=False)
    for result, events in ((first, first_events), (second, second_events)):
        assert result.verification.valid
        assert all(refused == [] for refused in result.refused.values())
        assert broken_own_red_lines(events) == []


def test_the_command_line_plays_a_script_and_reviews_it(server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    played = runner.invoke(
        app,
        [
            "summit",
            "run",
            "river-treaty",
            "--script",
            "river-treaty",
            "--server",
            server,
            "--quiet",
            "--database",
            str(tmp_path / "parley.db"),  # where the convener's token is kept
        ],
    )
    assert played.exit_code == 0, played.output
    assert "agreement after 2 round(s)" in played.output
    summit_id = re.search(r"parley history (\w+)", played.output).group(1)
    history = runner.invoke(app, ["history", summit_id, "--server", server, "--format", "json"])
    assert history.exit_code == 0, history.output
    record = json.loads(history.output)
    assert record["summit"]["settlement"]["dry_season_flow"] == 55
    package = tmp_path / "package.yaml"
    package.write_text(
        "dam_height: high\ndry_season_flow: 30\njoint_monitoring: false\npower_sharing: none\n"
    )
    checked = runner.invoke(
        app, ["check", summit_id, "--package", str(package), "--server", server, "--json"]
    )
    assert checked.exit_code == 3, checked.output
    assert json.loads(checked.output)["verdict"] == "violations"
    package.write_text(
        "package: {dam_height: medium, dry_season_flow: 55, joint_monitoring: true, "
        "power_sharing: sold_at_cost}\n"
    )
    assert (
        runner.invoke(
            app, ["check", summit_id, "--package", str(package), "--server", server]
        ).exit_code
        == 0
    )


NUMBER = re.compile(r"\d\.\d|\b(utility|utilities|target|worth)\b", re.I)


def public_words(value, key=""):
    """Every note and rationale in a JSON document, with where it was found."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from public_words(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from public_words(item, key)
    elif isinstance(value, str) and key in ("note", "rationale", "relax_note"):
        yield value


@pytest.mark.parametrize("name", ["river-treaty", "syria-2016"])
def test_public_notes_of_the_built_in_delegations_say_nothing_of_their_preferences(
    server: str, name: str
) -> None:
    result, _ = play(server, name, seed=3)
    assert result.summit.status == "concluded"
    history = httpx.get(f"{server}/summits/{result.summit.id}/history", timeout=30).json()
    events = httpx.get(f"{server}/summits/{result.summit.id}/events", timeout=30).json()
    words = [*public_words(history), *public_words(events)]
    # The delegations did speak in public: every verdict and proposal carries a note.
    assert len(words) > 10
    leaks = [text for text in words if NUMBER.search(text)]
    assert leaks == []
    # Nor does the anonymous record give away the utility of a move.
    assert '"utility_change": 0' not in json.dumps(history)
    assert all(
        entry.get("utility_change") is None
        for entry in httpx.get(f"{server}/summits/{result.summit.id}/concessions").json()
    )


def test_the_command_line_renders_server_errors_as_text_with_distinct_exit_codes(
    fresh_server: str, tmp_path: Path
) -> None:
    server = fresh_server  # its summit list must hold this test's summit alone
    runner = CliRunner()
    played = runner.invoke(
        app,
        [
            "summit",
            "run",
            "river-treaty",
            "--server",
            server,
            "--quiet",
            "--database",
            str(tmp_path / "parley.db"),
        ],
        env={"COLUMNS": "200"},
    )
    assert played.exit_code == 0, played.output
    summit_id = re.search(r"parley history (\w+)", played.output).group(1)
    listed = runner.invoke(app, ["summit", "list", "--server", server], env={"COLUMNS": "200"})
    assert listed.exit_code == 0
    assert summit_id in listed.output
    assert "The Silver River treaty" in listed.output
    assert "concluded" in listed.output
    ids = runner.invoke(app, ["summit", "list", "--server", server, "--ids"])
    assert ids.output.split() == [summit_id]

    package = tmp_path / "package.json"
    package.write_text('{"dam_height": "lowest"}')
    checked = runner.invoke(
        app, ["check", summit_id, "--package", str(package), "--server", server]
    )
    assert checked.exit_code == 2
    assert checked.stderr.splitlines()[0] == (
        "error: \"lowest\" is not a value of issue 'dam_height': expected one of low, medium, "
        "high (422 invalid_input)"
    )
    assert "{'" not in checked.stderr  # never a Python repr
    missing = runner.invoke(app, ["history", "nosuch", "--server", server])
    assert missing.exit_code == 4
    assert missing.stderr.splitlines() == ["error: no summit 'nosuch' (404 not_found)"]
    forbidden = runner.invoke(app, ["verify", summit_id, "--server", server, "--token", "wrong"])
    assert forbidden.exit_code == 1
    assert forbidden.stderr.startswith("error: ")

    watched = runner.invoke(app, ["summit", "watch", summit_id, "--server", server])
    assert watched.exit_code == 0
    assert "Concluded: agreement" in watched.output
    assert "Round " in watched.output  # the last round's table, not an empty board
