"""``parley summit open`` and ``parley summit run --human``: people's seats beside bots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.web.scenario import AGREED, SCENARIO_YAML

pytestmark = pytest.mark.e2e
SEAT = re.compile(r"^\s+north: (http://\S+/seat/\S+)$")


def parley(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from clients.cli.main import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )


def seat_link(process: subprocess.Popen[str], lines: list[str]) -> str:
    """Read the command's links (up to "Serving until ..."); return north's seat link."""
    assert process.stdout is not None
    link = None
    for line in process.stdout:
        lines.append(line)
        match = SEAT.match(line.rstrip("\n"))
        if match:
            link = match.group(1)
        if line.startswith("Serving until"):
            break
    assert link is not None, "no seat link for north:\n" + "".join(lines)
    return link


def play_north(link: str) -> None:
    """Play north as a person's browser would: propose, then accept the others' proposals."""
    url = urlparse(link)
    base = f"{url.scheme}://{url.netloc}"
    summit = url.path.rsplit("/", 1)[-1]
    fragment = parse_qs(url.fragment)
    assert fragment["party"] == ["north"]
    headers = {"Authorization": f"Bearer {fragment['token'][0]}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        deadline = time.monotonic() + 30
        answered = False
        while time.monotonic() < deadline:
            state = http.get(f"/summits/{summit}").json()
            if state["status"] == "concluded":
                assert state["outcome"] == "agreement"
                return
            position = state["round"]
            if position and "north" in (position["waiting_for"] or []):
                if position["phase"] == "proposals":
                    http.post(
                        f"/summits/{summit}/rounds/current/proposals", json={"package": AGREED}
                    ).raise_for_status()
                elif not answered:
                    current = http.get(f"/summits/{summit}/rounds/current").json()
                    for proposal in current["proposals"]:
                        if proposal["party"] != "north" and proposal.get("complete"):
                            http.post(
                                f"/summits/{summit}/rounds/current/responses",
                                json={"proposal": proposal["id"], "verdict": "accept"},
                            ).raise_for_status()
                    answered = True
            time.sleep(0.1)
    raise AssertionError("the summit did not conclude")


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "web-test.yaml"
    path.write_text(SCENARIO_YAML, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        [
            "summit",
            "open",
            "{file}",
            "--bot",
            "south=conceder",
            "--bot",
            "east=conceder",
            "--start",
        ],
        ["summit", "run", "{file}", "--human", "north", "--quiet"],
    ],
    ids=["open", "run-human"],
)
def test_a_person_and_bots_play_one_summit_from_the_command_line(
    server: str, scenario_file: Path, command: list[str]
) -> None:
    args = [part.replace("{file}", str(scenario_file)) for part in command]
    process = parley(*args, "--server", server)
    lines: list[str] = []
    try:
        link = seat_link(process, lines)
        output = "".join(lines)
        assert "south: played by the bot conceder" in output
        assert re.search(r"/console/\w+#token=prl_\w+", output)
        assert "seat-north=prl_" in output
        play_north(link)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output + rest
    assert "outcome agreement" in rest


def test_open_names_an_unknown_party(server: str, scenario_file: Path) -> None:
    process = parley(
        "summit", "open", str(scenario_file), "--bot", "west=conceder", "--server", server
    )
    out, _ = process.communicate(timeout=30)
    assert process.returncode != 0
    assert "no party 'west'" in out


def test_open_names_every_mistake_of_a_scenario_file_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntitle: t\nprotocol: {max_rounds: 0}\nissues: []\nparties: []\n")
    process = parley("summit", "open", str(bad))
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 2  # a usage error
    assert "Traceback" not in out
    assert "protocol.max_rounds" in out
    assert "issues:" in out
    assert "parties:" in out
