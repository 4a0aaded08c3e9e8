"""The bad-input battery, by class of problem: out-of-range integers, text no database can
store (NUL, lone surrogates), non-finite numbers, bodies over the size cap, and collections
over their bounds. Each answers 4xx in the one error shape, names the field, and changes
nothing: no row in any table, no event."""

import json

import pytest

from service.api.errors import MAX_LISTED_ERRORS
from service.domain.redline.nodes import MAX_NODES
from tests.api.helpers import FULL, ISSUES, PARTIES, assert_refused, make_table

pytestmark = pytest.mark.anyio
GOOD = {"title": "t", "issues": ISSUES, "parties": PARTIES, "protocol": {"max_rounds": 2}}
BIG = [2**31, 2**63, 10**25]


def raw(body: object) -> str:
    """JSON text as a hostile client writes it: lone surrogates escaped, NaN allowed."""
    return json.dumps(body, allow_nan=True)


def named(error, *loc):
    """Assert that some listed problem is at ``loc`` (a prefix of its location)."""
    locs = [problem["loc"] for problem in error["details"]["errors"]]
    assert any(found[: len(loc)] == list(loc) for found in locs), locs


async def started(client):
    table = await make_table(client)
    red_line = await table.red_line("kurds", "joint_cell", visibility="private")
    await table.ok("POST", "/start", "convener")
    tabled = (await table.propose("government", FULL))["id"]
    return table, red_line["id"], tabled


def send(client, table, method, path, who, *, body=None, text=None):
    headers = table.h(who) if who else {}
    if text is not None:
        headers = {**headers, "content-type": "application/json"}

    async def go():
        url = path if path.startswith("/summits?") or path == "/summits" else table.url(path)
        return await client.request(method, url, json=body, content=text, headers=headers)

    return go


@pytest.mark.parametrize("big", BIG)
async def test_integers_out_of_range_are_422_naming_the_field_and_range(client, database, big):
    table, _red_line, tabled = await started(client)
    cases = [
        ("GET", f"/events?after={big}", None, None, ("query", "after")),
        ("GET", f"/stream?after={big}", None, None, ("query", "after")),
        ("GET", f"/state?seq={big}", None, None, ("query", "seq")),
        ("GET", f"/state?round={big}", None, None, ("query", "round")),
        ("GET", f"/diff?from=1&to={big}", None, None, ("query", "to")),
        ("GET", f"/measures?proposal={big}", "convener", None, ("query", "proposal")),
        ("GET", f"/summits?offset={big}", None, None, ("query", "offset")),
        ("POST", f"/red-lines/{big}/relax", "kurds", {}, ("path", "red_line_id")),
        ("POST", f"/rounds/{big}/pass", "kurds", None, ("path", "n")),
        (
            "POST",
            "/rounds/current/responses",
            "kurds",
            {"proposal": big, "verdict": "accept"},
            ("body", "proposal"),
        ),
        ("POST", "/check", None, {"package": {"us_withdrawal_months": big}}, ("package",)),
        (
            "POST",
            "/summits",
            None,
            {**GOOD, "protocol": {"max_rounds": big}},
            ("body", "protocol", "max_rounds"),
        ),
        (
            "POST",
            "/summits",
            None,
            {**GOOD, "issues": [{"key": "n", "kind": "integer", "min": 0, "max": big}]},
            ("body", "issues", 0, "max"),
        ),
    ]
    for method, path, who, body, loc in cases:
        error = await assert_refused(
            database, send(client, table, method, path, who, body=body), 422
        )
        assert error["code"] == "invalid_input"
        named(error, *loc)
        assert any(
            marker in json.dumps(error) for marker in ("2147483647", "999999", "60", "1000")
        ), error
    assert tabled


SURROGATE = "\ud800"


async def test_lone_surrogates_are_422_and_the_echo_is_valid_json(client, database):
    table, _red_line, tabled = await started(client)
    s = SURROGATE
    cases = [
        ("POST", "/check", None, {"package": {f"x{s}": 1}}, ("body", "package")),
        ("POST", "/check", None, {"package": {"assad_role": s}}, ("body", "package")),
        ("POST", "/parties/kurds/red-lines", "kurds", {"label": "l", "expr": f"a{s}"}, ("body",)),
        ("POST", "/concessions", "kurds", {"issue": s, "from": 1, "to": 2}, ("body", "issue")),
        ("POST", "/repair", None, {"package": FULL, "keep": [s]}, ("body", "keep", 0)),
        ("POST", "/summits", None, {**GOOD, "title": f"t{s}"}, ("body", "title")),
        (
            "POST",
            "/rounds/current/proposals",
            "kurds",
            {"package": FULL, "rationale": s},
            ("body", "rationale"),
        ),
    ]
    for method, path, who, body, loc in cases:
        error = await assert_refused(
            database, send(client, table, method, path, who, text=raw(body)), 422
        )
        named(error, *loc)
        assert "surrogate" in error["message"]
    assert tabled


async def test_a_body_that_is_not_utf8_is_422(client, database):
    table = await make_table(client)
    # A surrogate encoded as bytes (CESU-8), which Python's JSON reader would accept.
    text = raw({**GOOD, "title": "t"}).encode().replace(b'"t"', b'"\xed\xa0\x80"', 1)
    error = await assert_refused(
        database,
        lambda: client.post("/summits", content=text, headers={"content-type": "application/json"}),
        422,
    )
    named(error, "body")
    assert "UTF-8" in error["message"]
    assert table


async def test_an_echoed_value_that_cannot_be_encoded_is_escaped(client, database):
    """Even where the guard would not look (a query), the error's echo is written safely."""
    table = await make_table(client)
    error = await assert_refused(
        database, send(client, table, "GET", "/red-lines?party=%ED%A0%80", None), 404
    )
    assert error["code"] == "not_found"


OVERFLOWING = ["9" * 400 + ".5", "1" + "0" * 300 + "e9", "1" + "0" * 215 + "e99"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", *OVERFLOWING])
async def test_non_finite_numbers_are_422(client, database, number):
    table = await make_table(client)
    weights = '{"weights": {"joint_cell": %s}, "scores": {"joint_cell": {"true": 1, "false": 0}}}'
    cases = [
        (
            "PUT",
            "/parties/kurds/preferences",
            "kurds",
            weights % number,
            ("body", "weights", "joint_cell"),
        ),
        (
            "POST",
            "/summits",
            None,
            raw({**GOOD, "protocol": {"max_rounds": 2}})[:-2] + f', "phase_seconds": {number}}}}}',
            ("body", "protocol", "phase_seconds"),
        ),
        ("POST", "/check", None, f'{{"package": {{"us_withdrawal_months": {number}}}}}', ("body",)),
    ]
    for method, path, who, text, loc in cases:
        error = await assert_refused(
            database, send(client, table, method, path, who, text=text), 422
        )
        named(error, *loc)
    query = "inf" if number == "1e400" or number in OVERFLOWING else number
    for path, loc in [
        (f"/conflicts?time_limit={query}", ("query", "time_limit")),
        (f"/events?wait={query}", ("query", "wait")),
    ]:
        error = await assert_refused(database, send(client, table, "GET", path, None), 422)
        named(error, *loc)


async def test_nul_in_any_text_is_422_on_every_backend(client, database):
    table, red_line, tabled = await started(client)
    n = "a\u0000b"
    cases = [
        ("POST", "/summits", None, {**GOOD, "title": n}, ("body", "title")),
        (
            "POST",
            "/summits",
            None,
            {**GOOD, "parties": [{"key": "x", "name": n}, PARTIES[1]]},
            ("body", "parties", 0, "name"),
        ),
        (
            "POST",
            "/summits",
            None,
            {**GOOD, "issues": [{**ISSUES[2], "description": n}]},
            ("body", "issues", 0, "description"),
        ),
        (
            "POST",
            "/parties/kurds/red-lines",
            "kurds",
            {"label": n, "expr": "joint_cell"},
            ("body", "label"),
        ),
        (
            "POST",
            "/parties/kurds/red-lines",
            "kurds",
            {"label": "l", "expr": "joint_cell", "rationale": n},
            ("body", "rationale"),
        ),
        ("POST", f"/red-lines/{red_line}/relax", "kurds", {"note": n}, ("body", "note")),
        (
            "POST",
            "/rounds/current/proposals",
            "kurds",
            {"package": FULL, "rationale": n},
            ("body", "rationale"),
        ),
        (
            "POST",
            "/concessions",
            "kurds",
            {"issue": "joint_cell", "from": True, "to": False, "note": n},
            ("body", "note"),
        ),
        ("POST", "/abort", "convener", {"reason": n}, ("body", "reason")),
        ("POST", "/check", None, {"package": {"assad_role": n}}, ("body", "package")),
        ("GET", "/red-lines?party=a%00b", None, None, ("query", "party")),
    ]
    for method, path, who, body, loc in cases:
        error = await assert_refused(
            database, send(client, table, method, path, who, body=body), 422
        )
        named(error, *loc)
        assert "NUL" in error["message"]
    error = await assert_refused(database, lambda: client.get(f"/summits/{table.id}%00"), 422)
    named(error, "path")
    assert tabled


async def test_a_body_over_the_cap_is_413_whether_its_length_is_declared_or_not(client, database):
    table = await make_table(client)
    huge = raw({"package": {f"k{i}": i for i in range(120_000)}})
    assert len(huge) > 1_048_576

    async def chunks():
        for start in range(0, len(huge), 65_536):
            yield huge[start : start + 65_536].encode()

    for content in (huge, chunks()):
        error = await assert_refused(
            database,
            lambda content=content: client.post(
                table.url("/check"), content=content, headers={"content-type": "application/json"}
            ),
            413,
        )
        assert error["code"] == "too_large"
        assert "1048576" in error["message"]


async def test_details_list_the_first_problems_and_count_them_all(client, database):
    table = await make_table(client)
    body = {"package": {f"k{i}": i for i in range(150)}}
    error = await assert_refused(
        database, send(client, table, "POST", "/check", None, body=body), 422
    )
    details = error["details"]
    assert len(details["errors"]) == MAX_LISTED_ERRORS
    assert details["total"] == 150
    assert details["omitted"] == 150 - MAX_LISTED_ERRORS
    assert "149 more problems" in error["message"]


async def test_long_input_is_echoed_cut_short(client, database):
    table = await make_table(client)
    long = "x" * 100_000
    for package in ({"assad_role": long}, {long: 1}):
        response = await client.post(table.url("/check"), json={"package": package})
        assert response.status_code == 422
        assert len(response.content) < 2000, len(response.content)


def wide_or(n):
    return {"op": "or", "args": [{"op": "eq", "issue": "b", "value": True}] * n}


async def test_collections_over_their_bounds_are_refused(client, database):
    boolean = {"key": "b", "kind": "boolean"}
    table = await make_table(client, issues=[*ISSUES, boolean])
    options = {"key": "o", "kind": "options", "options": [f"v{i}" for i in range(257)]}
    too_long = " or ".join(["b"] * MAX_NODES)
    assert len(too_long) < 4000
    cases = [
        (
            "/summits",
            None,
            {**GOOD, "issues": [{**boolean, "key": f"b{i}"} for i in range(201)]},
            422,
            ("body", "issues"),
        ),
        ("/summits", None, {**GOOD, "issues": [options]}, 422, ("body", "issues", 0, "options")),
        (
            "/summits",
            None,
            {**GOOD, "parties": [{"key": f"p{i}"} for i in range(33)]},
            422,
            ("body", "parties"),
        ),
        (
            "/parties/kurds/red-lines",
            "kurds",
            {"label": "l", "constraint": wide_or(20_000)},
            422,
            ("constraint",),
        ),
        (
            "/parties/kurds/red-lines",
            "kurds",
            {"label": "l", "constraint": wide_or(MAX_NODES)},
            422,
            ("constraint",),
        ),
        (
            "/parties/kurds/red-lines",
            "kurds",
            {
                "label": "l",
                "constraint": {
                    "op": "in",
                    "issue": "assad_role",
                    "values": ["full_powers"] * MAX_NODES,
                },
            },
            422,
            ("constraint",),
        ),
        ("/parties/kurds/red-lines", "kurds", {"label": "l", "expr": too_long}, 422, ("expr",)),
        ("/repair", None, {"package": FULL, "keep": ["joint_cell"] * 1001}, 422, ("body", "keep")),
        ("/check", None, {"package": {f"k{i}": i for i in range(5000)}}, 422, ("body", "package")),
        (
            "/summits",
            None,
            {**GOOD, "issues": [{**ISSUES[0], "options": ["o"] * 300}]},
            422,
            ("body", "issues", 0, "options"),
        ),
    ]
    for path, who, body, status, loc in cases:
        error = await assert_refused(
            database, send(client, table, "POST", path, who, body=body), status
        )
        named(error, *loc)
    # The limit is the same for the text and the tree form: just under it, both are accepted.
    fits = MAX_NODES - 1
    await table.ok(
        "POST", "/parties/kurds/red-lines", "kurds", {"label": "t", "constraint": wide_or(fits)}
    )
    await table.ok(
        "POST",
        "/parties/kurds/red-lines",
        "kurds",
        {"label": "x", "expr": " or ".join(["b"] * fits)},
    )


async def test_finite_numbers_beyond_their_range_are_422(client, database):
    table = await make_table(client)
    scores = {"joint_cell": {"true": 1, "false": 0}, "assad_role": {"full_powers": 1}}
    for body, loc in [
        ({"weights": {"joint_cell": 1e308, "assad_role": 1e308}, "scores": scores}, "weights"),
        ({"weights": {"joint_cell": 1}, "scores": scores, "reservation": 1e300}, "reservation"),
    ]:
        error = await assert_refused(
            database,
            send(client, table, "PUT", "/parties/kurds/preferences", "kurds", body=body),
            422,
        )
        named(error, loc)


async def test_the_guard_counts_every_unstorable_text_it_finds(client, database):
    table = await make_table(client)
    notes = ", ".join(f'"k{i}": "a\\u0000b"' for i in range(30))
    error = await assert_refused(
        database,
        send(client, table, "POST", "/check", None, text=f'{{"package": {{{notes}}}}}'),
        422,
    )
    details = error["details"]
    assert len(details["errors"]) == MAX_LISTED_ERRORS
    assert details["total"] == 30
    assert details["errors"][0]["loc"] == ["body", "package", "k0"]
    assert "29 more problems" in error["message"]
