"""The README's own delegation example runs as printed."""

import asyncio
import re
from pathlib import Path

import pytest

from clients.runner import RunOptions, run_scenario
from clients.scenario import load_scenario

pytestmark = pytest.mark.anyio
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> dict:
    block = re.search(
        r"### Delegations in Python\n\n```python\n(.*?)```", README.read_text(), re.S
    ).group(1)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    return namespace


async def test_the_readme_strategy_plays_a_whole_summit(transport, monkeypatch):
    example = readme_example()
    stubborn = example["Stubborn"]
    from clients import runner

    real = runner.strategy_for

    def with_stubborn(scenario, party, options):
        return stubborn() if party == "lowmere" else real(scenario, party, options)

    monkeypatch.setattr(runner, "strategy_for", with_stubborn)
    result = await run_scenario(
        load_scenario("river-treaty"), "http://parley", RunOptions(wait=5), transport=transport
    )
    assert result.summit.status == "concluded"
    assert result.refused["lowmere"] == []
    proposals = [p for r in result.history.rounds for p in r.proposals if p.party == "lowmere"]
    assert proposals
    assert all(p.rationale == "take it or leave it" for p in proposals)
    assert asyncio.iscoroutinefunction(example["main"])
