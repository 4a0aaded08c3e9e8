"""The browser tests' scenario: three parties, secrets to keep, and a hostile public label."""

from __future__ import annotations

from clients.scenario import Scenario, parse_scenario

# What north (the person at the seat) must never see of the others.
SECRETS = ["SOUTH-SECRET-LABEL", "SOUTH-SECRET-RATIONALE", "years >= 5", "0.123457", "3.21"]
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_RATIONALE = "<script>window.__pwned = 1</script>"
AGREED = {"water_share": "high", "monitors": True, "years": 10}

SCENARIO_YAML = """
name: web-test
title: "River talks <b>bold?</b>"
protocol: {max_rounds: 4}
issues:
  - key: water_share
    title: Water share
    kind: options
    options: [low, mid, high]
    description: How much of the river's flow goes downstream.
    option_descriptions: {low: a fifth, mid: a third, high: a half}
  - key: monitors
    title: Monitoring mission
    kind: boolean
  - key: years
    title: Treaty years
    kind: integer
    min: 1
    max: 10
parties:
  - key: north
    name: North
    red_lines:
      - label: Monitors stay
        expr: monitors
        visibility: private
        rationale: NORTH-OWN-RATIONALE
        relax: {after_round: 1}
    preferences:
      weights: {water_share: 1, monitors: 1, years: 1}
      scores:
        water_share: {low: 0.0, mid: 0.5, high: 1.0}
        monitors: {"true": 1.0, "false": 0.0}
        years: [[1, 0.0], [10, 1.0]]
      reservation: 0.2
  - key: south
    name: South
    strategy: conceder
    red_lines:
      - label: SOUTH-SECRET-LABEL
        expr: years >= 5
        visibility: private
        rationale: SOUTH-SECRET-RATIONALE
    preferences:
      weights: {water_share: 3.21, monitors: 1, years: 2}
      scores:
        water_share: {low: 0.0, mid: 0.4, high: 1.0}
        monitors: {"true": 1.0, "false": 0.3}
        years: [[1, 0.0], [10, 1.0]]
      reservation: 0.123457
  - key: east
    name: East
    strategy: conceder
    red_lines:
      - label: "<img src=x onerror=alert(1)>"
        expr: water_share != low
        visibility: public
        rationale: "<script>window.__pwned = 1</script>"
    preferences:
      weights: {water_share: 1, monitors: 1, years: 1}
      scores:
        water_share: {low: 0.0, mid: 0.6, high: 1.0}
        monitors: {"true": 1.0, "false": 0.0}
        years: [[1, 0.2], [10, 1.0]]
      reservation: 0.1
"""


def web_scenario() -> Scenario:
    """Return the scenario (parsed and validated like any scenario file)."""
    return parse_scenario(SCENARIO_YAML, "web-test")
