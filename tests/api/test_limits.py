"""Anonymous checks reveal nothing of private red lines; checks and solver questions are rate
limited per token (429 with Retry-After); the convener sees how many checks each made."""

from contextlib import asynccontextmanager

import httpx
import pytest

from service.api.app import create_app
from service.api.ratelimit import TokenBuckets
from service.settings import Settings
from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def served(database_url, **limits):
    app = create_app(Settings(database_url=database_url, deadline_poll_seconds=0.5, **limits))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://parley") as client:
            yield client


async def test_anonymous_checks_cannot_recover_a_private_threshold(client):
    table = await make_table(client)
    await table.red_line("kurds", "us_withdrawal_months >= 24", visibility="private")
    public = await table.red_line("government", "assad_role != exit_at_signing")
    reports = []
    for months in range(61):
        package = {**FULL, "us_withdrawal_months": months}
        report = await table.ok("POST", "/check", None, {"package": package})
        reports.append(report)
        assert report["hidden"] == 1
        assert [entry["id"] for entry in report["red_lines"]] == [public["id"]]
        assert report["counts"] == {"satisfied": 1, "violated": 0, "undetermined": 0}
        assert report["verdict"] == "clear"
    # Forty or sixty checks tell an anonymous caller nothing: every answer is the same.
    assert all(report == reports[0] for report in reports)
    # A delegation still learns that a named party's private red line is broken.
    seen = await table.ok(
        "POST", "/check", "russia", {"package": {**FULL, "us_withdrawal_months": 3}}
    )
    private = [entry for entry in seen["red_lines"] if entry["party"] == "kurds"]
    assert private[0]["status"] == "violated"
    assert set(private[0]) == {"id", "party", "visibility", "status"}
    assert seen["hidden"] == 0


async def test_a_tabled_proposal_shows_anonymous_callers_no_private_status(client):
    table = await make_table(client)
    await table.red_line("kurds", "us_withdrawal_months >= 24", visibility="private")
    await table.ok("POST", "/start", "convener")
    for party in ("government", "kurds", "russia"):
        await table.propose(party, {**FULL, "us_withdrawal_months": 40})
    # Revealed now; the government's proposal (months 40) and what anonymous sees of it.
    round_ = await table.ok("GET", "/rounds/1", None)
    for proposal in round_["proposals"]:
        assert proposal["check"]["hidden"] == 1
        assert all(entry["party"] != "kurds" for entry in proposal["check"]["red_lines"])
    # Nor does the record: the tabled proposals' checks name no private red line.
    private = {rl["id"] for rl in await table.ok("GET", "/red-lines", "kurds")}
    events = await table.ok("GET", "/events", None)
    tabled = [e["data"]["proposal"] for e in events if e["type"] == "proposal.tabled"]
    assert len(tabled) == 3
    for proposal in tabled:
        check = proposal["check"]
        assert private.isdisjoint(check["checked"] + check["violated"] + check["undetermined"])
        assert check["hidden"] == 1
    russia_view = await table.ok("GET", "/events", "russia")
    assert any(
        private & set(e["data"]["proposal"]["check"]["checked"])
        for e in russia_view
        if e["type"] == "proposal.tabled"
    )


async def test_checks_are_rate_limited_per_token(database_url):
    async with served(database_url, check_rate=0.5, check_burst=3) as client:
        table = await make_table(client)
        body = {"package": FULL}
        for _ in range(3):
            await table.ok("POST", "/check", "kurds", body)
        refused = await table.post("/check", "kurds", body)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        error = refused.json()["error"]
        assert error["code"] == "rate_limited"
        assert error["details"]["burst"] == 3
        # Another token has a bucket of its own; anonymous callers share their address's.
        await table.ok("POST", "/check", "russia", body)
        for _ in range(3):
            await table.ok("POST", "/check", None, body)
        assert (await table.post("/check", None, body)).status_code == 429


async def test_solver_questions_are_rate_limited_per_token(database_url):
    async with served(database_url, solver_rate=0.5, solver_burst=2) as client:
        table = await make_table(client)
        for _ in range(2):
            await table.ok("GET", "/conflicts", "kurds")
        refused = await table.get("/conflicts", "kurds")
        assert refused.status_code == 429
        assert refused.headers["retry-after"]
        repair = await table.post("/repair", "kurds", {"package": FULL})
        assert repair.status_code == 429
        # The review's solver-backed answers draw on the same bucket.
        for path in ("/measures", "/charts", "/report"):
            assert (await table.get(path, "kurds")).status_code == 429
        await table.ok("GET", "/conflicts", "convener")


async def test_the_convener_sees_how_many_checks_each_delegation_made(client):
    table = await make_table(client)
    other = await make_table(client)
    body = {"package": FULL}
    for who in ("kurds", "kurds", "russia", "convener", None):
        await table.ok("POST", "/check", who, body)
    await other.ok("POST", "/check", "kurds", body)
    counts = await table.ok("GET", "/checks", "convener")
    assert counts["parties"] == {"government": 0, "kurds": 2, "russia": 1}
    assert counts["convener"] == 1
    assert counts["anonymous"] == 1
    assert counts["since"]
    assert (await table.get("/checks", "kurds")).status_code == 403
    assert (await table.get("/checks")).status_code == 401


def test_a_bucket_refills_at_its_rate_and_says_when_to_retry():
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [None, None, None]
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") is None  # another key, another bucket
    now[0] = 0.5
    assert buckets.take("a") is None
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] = 100.0  # refilled, but never beyond the burst
    assert [buckets.take("a") for _ in range(4)][-1] == pytest.approx(0.5)
    assert TokenBuckets(rate=0, burst=1).take("a") is None  # 0 lifts the limit
