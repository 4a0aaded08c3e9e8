"""The command line's errors: one line ``error: ...`` each, a distinct exit code, no traceback.

Everything here is refused before any server is started (or found unreachable).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clients.cli.common import EXIT_MEANINGS, Exit
from clients.cli.main import app
from clients.scenario import builtin_names

runner = CliRunner()
RIVER = Path(__file__).resolve().parents[2] / "clients" / "scenarios" / "river-treaty.yaml"


def invoke(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    # Never a traceback: every failure is an exit with a code.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def errors_of(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def broken_copy(tmp_path: Path, *swaps: tuple[str, str]) -> Path:
    text = RIVER.read_text()
    for old, new in swaps:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_scenarios_are_listed_and_shown_with_their_sources_and_relaxation_rules():
    listed = invoke("scenarios", "list")
    assert listed.exit_code == 0
    assert all(name in listed.output for name in builtin_names())
    shown = invoke("scenarios", "show", "river-treaty")
    assert shown.exit_code == 0
    assert "At most 40% in the dry season" in shown.output
    assert "round 2" in shown.output
    syria = invoke("scenarios", "show", "syria-2016")
    assert syria.exit_code == 0
    assert "2254" in syria.output


def test_the_help_lists_the_exit_codes():
    shown = invoke("--help")
    assert shown.exit_code == 0
    for code, meaning in EXIT_MEANINGS.items():
        assert f"{int(code)} {meaning}" in shown.output
    assert len(set(Exit)) == 7


def test_an_unknown_scenario_is_not_found_and_names_the_built_in_ones():
    for command in (["scenarios", "show"], ["summit", "run"]):
        result = invoke(*command, "atlantis")
        assert result.exit_code == Exit.NOT_FOUND
        assert errors_of(result) == [
            "error: atlantis: no built-in scenario of that name and no such file "
            "(built in: river-treaty, syria-2016)"
        ]


def test_a_misspelt_issue_in_an_expression_names_file_line_column_and_the_issues(tmp_path):
    path = broken_copy(tmp_path, ('expr: "dry_season_flow <= 40"', 'expr: "dry_seson_flow <= 40"'))
    line = line_of(path, "dry_seson_flow")
    column = path.read_text().splitlines()[line - 1].index("dry_seson") + 1
    for command in (["scenarios", "show"], ["summit", "run"]):
        result = invoke(*command, str(path))
        assert result.exit_code == Exit.USAGE
        assert errors_of(result) == [
            f"error: {path}:{line}:{column}: parties.0.red_lines.1.expr: unknown issue "
            "'dry_seson_flow'; expected one of dam_height, dry_season_flow, joint_monitoring, "
            "power_sharing"
        ]


def test_a_bad_kind_names_its_place_and_what_is_allowed(tmp_path):
    path = broken_copy(tmp_path, ("kind: options", "kind: choice"))
    result = invoke("scenarios", "show", str(path))
    assert result.exit_code == Exit.USAGE
    line = line_of(path, "kind: choice")
    assert errors_of(result) == [
        f"error: {path}:{line}:11: issues.0.kind: 'choice' is not allowed here; "
        "use 'options', 'integer' or 'boolean'"
    ]


def test_every_problem_of_a_scenario_is_reported_at_once(tmp_path):
    path = broken_copy(
        tmp_path,
        ("strategy: conceder", "strategy: bulware"),
        ("after_round: 2", "after_round: 9"),
        ("low: 0.0, medium: 0.6", "lowest: 0.0, medium: 0.6"),
    )
    result = invoke("scenarios", "show", str(path))
    assert result.exit_code == Exit.USAGE
    found = errors_of(result)
    assert len(found) == 3
    assert (
        "parties.1.strategy: unknown strategy 'bulware'; use one of boulware, conceder"
        in (found[2])
    )
    assert "relax.after_round: round 9 never comes: the summit has 8 rounds" in found[0]
    assert "scores.dam_height.lowest: 'lowest' is not a value of 'dam_height'" in found[1]


def test_a_file_that_is_not_yaml_says_where(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ntitle: [unclosed\n")
    result = invoke("scenarios", "show", str(path))
    assert result.exit_code == Exit.USAGE
    assert errors_of(result)[0].startswith(f"error: {path}:3:1: not valid YAML")


def test_strategy_overrides_must_name_a_party_and_a_known_strategy():
    unknown = invoke("summit", "run", "river-treaty", "--strategy", "midland=bulware")
    assert unknown.exit_code == Exit.USAGE
    assert errors_of(unknown) == [
        "error: --strategy 'midland=bulware': no strategy 'bulware' "
        "(known: boulware, conceder, hardliner, time_dependent, tit_for_tat)"
    ]
    stranger = invoke("summit", "run", "river-treaty", "--strategy", "usa=boulware")
    assert stranger.exit_code == Exit.USAGE
    assert errors_of(stranger) == [
        "error: --strategy 'usa=boulware': river-treaty has no party 'usa' "
        "(its parties: highvale, midland, lowmere)"
    ]
    shapeless = invoke("summit", "run", "river-treaty", "--strategy", "midland")
    assert shapeless.exit_code == Exit.USAGE
    assert "write party=strategy" in errors_of(shapeless)[0]
    mediator = invoke("summit", "run", "river-treaty", "--mediator", "fair")
    assert mediator.exit_code == Exit.USAGE
    assert errors_of(mediator) == [
        "error: --mediator 'fair': use one of nash, maximin, welfare, kalai"
    ]


def test_a_script_is_checked_against_its_scenario_before_anything_starts(tmp_path):
    script = tmp_path / "script.yaml"
    script.write_text(
        "scenario: river-treaty\n"
        "rounds:\n"
        "  - round: 1\n"
        "    moves:\n"
        "      - {party: lowmere, relax: 'Enough water to keep the sea out'}\n"
        "      - {party: highvale, relax: 'At most 40% in the dry season'}\n"
        "      - {party: atlantis, pass: true}\n"
        "      - {party: midland, propose: {dam_height: huge}}\n"
    )
    result = invoke("summit", "run", "river-treaty", "--script", str(script))
    assert result.exit_code == Exit.USAGE
    # Each points at the value to blame: the label, the party, the package.
    assert errors_of(result) == [
        f"error: {script}:5:33: rounds.0.moves.0.relax: lowmere's red line "
        "'Enough water to keep the sea out' is not relaxable",
        f"error: {script}:6:34: rounds.0.moves.1.relax: 'At most 40% in the dry season' "
        "may be relaxed from round 2 on, not in round 1",
        f"error: {script}:7:17: rounds.0.moves.2.party: no party 'atlantis' in "
        "river-treaty: use one of highvale, midland, lowmere",
        f"error: {script}:8:35: rounds.0.moves.3.propose: 'huge' is not an option of "
        "'dam_height': low, medium, high",
    ]


def test_a_server_that_does_not_answer_says_how_to_start_one():
    url = f"http://127.0.0.1:{closed_port()}"
    for command in (
        ["summit", "run", "river-treaty"],
        ["summit", "list"],
        ["history", "abc"],
    ):
        result = invoke(*command, "--server", url)
        assert result.exit_code == Exit.UNREACHABLE
        assert errors_of(result) == [f"error: no Parley server answers at {url} (ConnectError)"]
        assert "parley serve" in result.stderr


def test_a_read_only_command_never_creates_a_database(tmp_path):
    missing = tmp_path / "none.db"
    for command in (
        ["history", "abc"],
        ["verify", "abc", "--token", "t"],
        ["summit", "list"],
        ["summit", "watch", "abc"],
    ):
        result = invoke(*command, "--database", str(missing))
        assert result.exit_code == Exit.NOT_FOUND, command
        assert errors_of(result) == [f"error: no database at {missing}: nothing was played there"]
    assert not missing.exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.json", '{"dam_height": "low",', "p.json:1:22: not valid JSON"),
        ("p.yaml", "dam_height: [low\n", "p.yaml:2:1: not valid YAML or JSON"),
        ("p.yaml", "- low\n- high\n", "p.yaml: a package is a mapping from issue keys"),
    ],
)
def test_check_refuses_a_file_that_is_not_a_package(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    result = invoke("check", "abc", "--package", str(path), "--database", str(tmp_path / "x.db"))
    assert result.exit_code == Exit.USAGE
    assert errors_of(result)[0].startswith(f"error: {tmp_path}/{message}")
    missing = invoke("check", "abc", "--package", str(tmp_path / "nothing.json"))
    assert missing.exit_code == Exit.NOT_FOUND


def test_bad_options_are_usage_errors():
    result = invoke("history", "abc", "--format", "pdf")
    assert result.exit_code == Exit.USAGE
    assert errors_of(result) == ["error: --format 'pdf' is not a format: use markdown, json or csv"]
    assert invoke("verify", "abc").exit_code == Exit.USAGE
    assert invoke("summit", "list", "--status", "done").exit_code == Exit.USAGE


def test_strategy_options_are_checked_against_the_strategy(tmp_path):
    path = broken_copy(tmp_path, ("strategy_options: {}", "strategy_options: {e: fast, speed: 2}"))
    result = invoke("scenarios", "show", str(path))
    assert result.exit_code == Exit.USAGE
    line = line_of(path, "speed: 2")
    found = errors_of(result)
    assert found[0].startswith(f"error: {path}:{line}:")
    assert found[0].endswith("parties.0.strategy_options.e: e is a number, not 'fast'")
    assert found[1].endswith(
        "parties.0.strategy_options.speed: boulware has no option 'speed' (its options: e, "
        "floor, relax_policy, sound, sound_budget)"
    )
