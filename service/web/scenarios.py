"""The console's scenario desk: the built-in scenarios, and a scenario checked into API calls.

A scenario file is a client-side recipe: the summit to create, then each party's red lines
and preferences, declared with that party's token. Its format and its checks (every problem
located at file:line:column, with what is allowed) have one home, the client library's
reader (``clients.scenario``, pure: YAML, pydantic and the client's red-line reader). The
web side is itself a thin client, so it reuses that reader rather than keep a second one:
these routes answer the located problems, or the scenario as the request bodies a client
sends, and the console's script makes those REST calls itself, with the tokens it is given.
Nothing here creates anything or touches the database.
"""

from __future__ import annotations

from typing import Any

import yaml
from anyio import CapacityLimiter, to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from clients.scenario import Scenario, ScenarioError, builtin_names, load_scenario, parse_scenario

# A scenario file is a few dozen kilobytes (syria-2016: 33 KB); four times the largest
# built-in is plenty, and bounds what one check may cost (about a second of CPU at worst).
MAX_TEXT_CHARS = 128 * 1024
# YAML aliases share nodes that validation would walk once per reference: a small file
# could stand for billions of values. A real scenario has a few thousand nodes.
MAX_NODES = 200_000
MAX_SOURCE_CHARS = 200


def _refusal(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    """Answer the service's one error shape."""
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _summary(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "title": scenario.title,
        "summary": scenario.summary,
        "max_rounds": scenario.protocol.max_rounds,
        "phase_seconds": scenario.protocol.phase_seconds,
        "parties": [{"key": party.key, "name": party.name} for party in scenario.parties],
    }


def _plan(scenario: Scenario) -> dict[str, Any]:
    """Return the scenario as the calls that set its summit up, in order."""
    return {
        "scenario": _summary(scenario),
        "create": scenario.summit_body(),
        "parties": [
            {
                "key": party.key,
                "red_lines": [red_line.api() for red_line in party.red_lines],
                "preferences": None
                if party.preferences is None
                else party.preferences.model_dump(),
            }
            for party in scenario.parties
        ],
    }


def _invalid(error: ScenarioError) -> JSONResponse:
    problems = [
        {
            "loc": list(problem.loc),
            "line": problem.line,
            "column": problem.column,
            "message": problem.message,
            "located": problem.located(error.source),
        }
        for problem in error.problems
    ]
    if error.missing:
        return _refusal(404, "not_found", str(error), {"errors": problems})
    count = len(problems)
    message = f"{error.source}: the scenario has {count} problem{'s' if count != 1 else ''}"
    return _refusal(422, "invalid_scenario", message, {"source": error.source, "errors": problems})


def _too_expanded(text: str) -> bool:
    """Say whether the document stands for more than MAX_NODES nodes once aliases expand."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return False  # the reader reports where the YAML is broken
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a node that contains itself counts once
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in node.value)
        total = min(total, MAX_NODES + 1)
        sizes[id(node)] = total
        return total

    return root is not None and size(root) > MAX_NODES


def _read(body: Any) -> Scenario | JSONResponse:
    """Check a request for a built-in scenario or a scenario's text, in a worker thread."""
    if not isinstance(body, dict) or len({"builtin", "text"} & set(body)) != 1:
        return _refusal(
            422,
            "invalid_input",
            'send {"builtin": NAME} or {"text": YAML, "source": FILE NAME}',
            {"errors": [{"loc": ["body"], "message": "one of builtin or text",
                         "allowed": ["builtin", "text"]}]},
        )  # fmt: skip
    try:
        if "builtin" in body:
            name = body["builtin"]
            if not isinstance(name, str) or name not in builtin_names():
                raise ScenarioError(
                    str(name)[:MAX_SOURCE_CHARS],
                    [f"no built-in scenario of that name (built in: {', '.join(builtin_names())})"],
                    missing=True,
                )
            return load_scenario(name)
        text, source = body["text"], body.get("source") or "uploaded scenario"
        if not isinstance(text, str) or not isinstance(source, str):
            return _refusal(422, "invalid_input", "text and source are strings")
        source = source[:MAX_SOURCE_CHARS]
        if len(text) > MAX_TEXT_CHARS:
            raise ScenarioError(source, [f"the file is over {MAX_TEXT_CHARS} characters"])
        if _too_expanded(text):
            raise ScenarioError(
                source, [f"its aliases expand to more than {MAX_NODES} values (allowed: fewer)"]
            )
        return parse_scenario(text, source)
    except ScenarioError as error:
        return _invalid(error)
    except RecursionError:
        return _invalid(ScenarioError("uploaded scenario", ["nested too deeply to read"]))


def scenario_routes() -> list[BaseRoute]:
    """Return the scenario desk's routes.

    Scenarios are read in one worker thread at a time (per app): a flood of checks waits its
    turn instead of taking the threads the rest of the service runs on.
    """
    reader = CapacityLimiter(1)
    # The built-ins ship with the package: read once per app, on first use.
    builtins: list[list[dict[str, Any]]] = []

    async def list_builtins(_request: Request) -> JSONResponse:
        """List the built-in scenarios: name, title, summary, protocol and parties."""

        def summaries() -> list[dict[str, Any]]:
            if not builtins:
                builtins.append([_summary(load_scenario(name)) for name in builtin_names()])
            return builtins[0]

        found = await to_thread.run_sync(summaries, limiter=reader)
        return JSONResponse(found, headers={"Cache-Control": "no-store"})

    async def check_scenario(request: Request) -> JSONResponse:
        """Check a built-in name or an uploaded text: its located problems (422), or its calls."""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _refusal(415, "unsupported_media_type", "send the request as application/json")
        try:
            body = await request.json()
        except ValueError:
            return _refusal(422, "invalid_input", "the body is not JSON")
        found = await to_thread.run_sync(_read, body, limiter=reader)
        if isinstance(found, JSONResponse):
            return found
        return JSONResponse(_plan(found), headers={"Cache-Control": "no-store"})

    return [
        Route("/web/scenarios", list_builtins, methods=["GET"], name="web-scenarios"),
        Route("/web/scenarios/check", check_scenario, methods=["POST"], name="web-scenario-check"),
    ]
