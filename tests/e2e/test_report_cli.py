"""The command line against a real server: a played summit's debrief written to a file, and
one round's state and moves printed."""

import json
import re

import httpx
import pytest
from typer.testing import CliRunner

from clients.cli.common import Exit
from clients.cli.main import app
from tests.e2e.test_readme import block_with, run_block

pytestmark = pytest.mark.e2e
runner = CliRunner()
WIDE = {"COLUMNS": "400"}


def test_a_played_summit_gives_a_debrief_file_and_a_round_by_round_review(server, tmp_path):
    kept = ["--database", str(tmp_path / "parley.db")]  # where the convener token is kept
    played = runner.invoke(
        app, ["summit", "run", "river-treaty", "--server", server, "--quiet", *kept], env=WIDE
    )
    assert played.exit_code == 0, played.output
    found = re.search(r"parley report (\w+) --out debrief.html .*--convener", played.output)
    assert found, played.output
    summit = found.group(1)
    token = json.loads((tmp_path / "parley.db.tokens").read_text())[summit]["convener"]
    out = tmp_path / "debrief.html"
    written = runner.invoke(
        app,
        ["report", summit, "--out", str(out), "--server", server, "--convener", *kept],
        env=WIDE,
    )
    assert written.exit_code == 0, written.output
    html = out.read_text(encoding="utf-8")
    head = httpx.get(
        f"{server}/summits/{summit}/history/verify", headers={"Authorization": f"Bearer {token}"}
    ).json()["head"]
    assert f'<code id="head-hash">{head}</code>' in html
    assert 'id="chart-plane"' in html
    assert 'id="pareto"' in html
    anonymous = tmp_path / "public.html"
    public = runner.invoke(app, ["report", summit, "--out", str(anonymous), "--server", server])
    assert public.exit_code == 0, public.output
    assert 'id="pareto"' not in anonymous.read_text(encoding="utf-8")
    review = runner.invoke(
        app, ["history", summit, "--round", "2", "--server", server, "--token", token], env=WIDE
    )
    assert review.exit_code == 0, review.output
    assert "Round 2: proposals" in review.output
    assert "Moved since round 1" in review.output
    missing = runner.invoke(app, ["history", summit, "--round", "99", "--server", server])
    assert missing.exit_code == Exit.NOT_FOUND
    assert "round 99 has not been played" in missing.output


def test_the_readme_s_review_block_runs_as_written(tmp_path):
    done = run_block(block_with('parley report "$S" --out debrief.html'), tmp_path)
    assert done.returncode == 0, done.stderr
    debrief = (tmp_path / "debrief.html").read_text(encoding="utf-8")
    public = (tmp_path / "public.html").read_text(encoding="utf-8")
    assert 'id="pareto"' in debrief
    assert 'id="pareto"' not in public
    assert "Round 2: proposals" in done.stdout
