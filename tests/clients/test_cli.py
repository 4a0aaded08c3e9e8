"""The command line without a server: scenarios, and errors that say what is wrong."""

from pathlib import Path

from typer.testing import CliRunner

from clients.cli.main import app

runner = CliRunner()


def test_scenarios_are_listed_and_shown_with_their_sources():
    listed = runner.invoke(app, ["scenarios", "list"])
    assert listed.exit_code == 0
    assert "syria-2016" in listed.output
    assert "river-treaty" in listed.output
    shown = runner.invoke(app, ["scenarios", "show", "syria-2016"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "assad_role" in shown.output
    assert "2254" in shown.output


def test_an_unknown_scenario_or_a_broken_file_is_a_clear_error(tmp_path: Path):
    unknown = runner.invoke(app, ["scenarios", "show", "atlantis"])
    assert unknown.exit_code == 1
    assert "no built-in scenario" in unknown.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: broken\ntitle: t\nprotocol: {max_rounds: 0}\nissues: []\nparties: []\n"
    )
    shown = runner.invoke(app, ["scenarios", "show", str(broken)])
    assert shown.exit_code == 1
    assert "protocol.max_rounds" in shown.output


def test_a_strategy_override_must_name_a_party_and_a_known_strategy(tmp_path: Path):
    result = runner.invoke(
        app,
        [
            "summit",
            "run",
            "river-treaty",
            "--strategy",
            "atlantis=boulware",
            "--server",
            "http://127.0.0.1:9",
        ],
    )
    assert result.exit_code != 0
    bad = runner.invoke(
        app,
        [
            "summit",
            "run",
            "river-treaty",
            "--strategy",
            "midland",
            "--server",
            "http://127.0.0.1:9",
        ],
    )
    assert bad.exit_code == 2
