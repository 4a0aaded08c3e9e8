"""The README, run as written: its bash blocks verbatim, and its Python example against a server.

Blocks fenced ``bash`` are run here, each with ``bash -euo pipefail``; blocks fenced ``sh``
install Parley or start a long-running server (CI's own ``.ci/run`` installs it the same way),
and the test pins which those are so that no new command escapes it.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clients.async_client import AsyncParleyClient
from clients.delegation import Delegation
from clients.runner import RunOptions, run_scenario, set_table, strategy_for
from clients.scenario import load_scenario
from clients.script import load_script

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```$", README, re.S | re.M)
NOT_RUN = {
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e .\n",
    'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[dev]" && pytest -n 2\n',
    "parley serve\n",
    # Serves until people finish the summit; tests/e2e/test_open.py plays the same command.
    "parley summit open syria-2016 --bot usa=boulware --bot russia=hardliner\n",
}


def bash_blocks() -> list[str]:
    return [text for language, text in BLOCKS if language == "bash"]


def block_with(fragment: str) -> str:
    return next(text for text in bash_blocks() if fragment in text)


def start_block(text: str, cwd: Path, **env: str) -> subprocess.Popen[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", text],
        cwd=cwd,
        env={**os.environ, "PATH": path, "COLUMNS": "120", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(started: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = started.communicate(timeout=600)
    return subprocess.CompletedProcess(started.args, started.returncode, out, err)


def run_block(text: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return finish(start_block(text, cwd, **env))


def test_only_install_and_serve_blocks_are_left_to_ci():
    shell = {text for language, text in BLOCKS if language in ("sh", "shell", "console")}
    assert shell == NOT_RUN
    ci = (ROOT / ".ci" / "run").read_text()
    assert "-m venv .venv" in ci
    assert 'pip install --quiet -e ".[dev]"' in ci
    assert len(bash_blocks()) == 5  # the fifth, review's, runs in tests/e2e/test_report_cli.py


def test_the_curl_walk_through_runs_on_a_server_that_already_holds_summits(server: str, tmp_path):
    async def earlier_summits() -> None:
        for _ in range(2):
            script = load_script("river-treaty")
            await run_scenario(load_scenario("river-treaty"), server, RunOptions(script=script))

    asyncio.run(earlier_summits())
    done = run_block(block_with("curl -s -X POST $B/summits "), tmp_path, PARLEY_URL=server)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert '"error"' not in out
    assert '"status": "concluded"' in out
    assert '"outcome": "agreement"' in out
    assert '"valid":true' in out.replace(" ", "")
    assert "# Post-ISIS Syria (short)" in out


def test_the_quick_start_and_the_tour_run_as_written(tmp_path):
    # The tour reviews summits it plays itself, so the two blocks run at once, each in a
    # folder of its own (most of their time is spent waiting: --pace, deadlines, polls).
    first = tmp_path / "quick"
    first.mkdir()
    started = start_block(block_with("parley summit run syria-2016\n"), first)
    tour = run_block(block_with("parley scenarios list"), tmp_path)
    quick = finish(started)
    assert quick.returncode == 0, quick.stderr
    assert "outcome" in quick.stdout
    assert (first / "parley.db").exists()
    assert (first / "parley.db.tokens").stat().st_mode & 0o777 == 0o600

    assert tour.returncode == 0, tour.stderr
    out = tour.stdout
    assert "At most 40% in the dry season" in out
    assert "# The Silver River treaty" in out  # the history, as Markdown
    assert "verifies" in out
    assert "Concluded: agreement after 2 round(s)" in out  # the watched board, final state
    assert out.count("outcome") >= 4


def test_the_script_block_runs_as_written(tmp_path):
    scripted = run_block(block_with("cat > my-script.yaml"), tmp_path)
    assert scripted.returncode == 0, scripted.stderr
    assert "agreement after 2 round(s)" in scripted.stdout
    assert "error" not in scripted.stderr


def test_the_python_example_plays_a_delegation_against_a_server(server: str, capsys):
    block = re.search(r"### Delegations in Python\n\n```python\n(.*?)```", README, re.S)
    assert block is not None
    example: dict = {}
    exec(compile(block.group(1), "README.md", "exec"), example)
    scenario = load_scenario("syria-2016")

    async def play() -> str:
        async with AsyncParleyClient(server) as founder:
            created = await founder.create_summit(scenario.summit_body(max_rounds=4))
        summit = created.summit.id
        tokens = created.tokens.parties
        clients = {key: AsyncParleyClient(server, token) for key, token in tokens.items()}
        try:
            await set_table(scenario, summit, clients)
            async with AsyncParleyClient(server, created.tokens.convener) as convener:
                await convener.start(summit)
            others = [
                Delegation(clients[key], summit, key, strategy_for(scenario, key, RunOptions()))
                for key in tokens
                if key != "kurds"
            ]
            await asyncio.gather(
                example["main"](server, summit, tokens["kurds"]), *(d.run() for d in others)
            )
        finally:
            for client in clients.values():
                await client.aclose()
        return summit

    summit = asyncio.run(play())
    printed = capsys.readouterr().out
    assert printed.split()[0] in ("agreement", "no_agreement")

    async def kurds_proposals() -> list:
        async with AsyncParleyClient(server) as reader:
            history = await reader.history(summit)
        return [p for r in history.rounds for p in r.proposals if p.party == "kurds"]

    proposals = asyncio.run(kurds_proposals())
    assert proposals
    assert all(p.rationale == "take it or leave it" for p in proposals)
