"""The app's one summit cache: bounded, one entry per summit whatever the number of red-line
revisions, and never a reason for a worker to miss another worker's change."""

import httpx
import pytest

from service.api.app import create_app
from service.services.cache import LRU, SummitCache
from tests.api.helpers import FULL, make_table, two_workers
from tests.domain.test_replay import LOG

pytestmark = pytest.mark.anyio


async def test_declaring_and_checking_many_times_keeps_one_entry_per_summit(app, client):
    table = await make_table(client)
    cache: SummitCache = app.state.cache
    for n in range(25):
        await table.red_line("kurds", f"us_withdrawal_months >= {n}")
        report = await table.ok("POST", "/check", "kurds", {"package": FULL})
        assert len(report["red_lines"]) == n + 1
    assert len(cache.compiled) == 1
    assert len(cache.red_lines) == 1
    rev, kept = cache.red_lines.get(table.id)
    assert rev == 25
    assert len(kept.all) == 25


async def test_a_declaration_leaves_its_red_lines_in_the_cache_for_the_next_request(app, client):
    table = await make_table(client)
    await table.red_line("kurds", "us_withdrawal_months >= 6")
    cache: SummitCache = app.state.cache
    rev, kept = cache.red_lines.get(table.id)
    assert rev == 1
    assert [rl.expr for rl in kept.all] == ["us_withdrawal_months >= 6"]


async def test_the_cache_holds_at_most_its_size_in_summits(settings):
    settings.cache_summits = 3
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as http,
    ):
        tables = [await make_table(http) for _ in range(5)]
        for table in tables:
            await table.red_line("kurds", "joint_cell")
            await table.ok("POST", "/check", None, {"package": FULL})
        cache: SummitCache = app.state.cache
        assert len(cache.compiled) == 3
        assert len(cache.agendas) == 3
        assert cache.compiled.get(tables[0].id) is None
        assert cache.compiled.get(tables[-1].id) is not None


async def test_two_workers_see_each_others_red_lines_at_once(settings):
    async with two_workers(settings) as (first, second):
        table = await make_table(first)
        url = table.url("/check")
        before = (await second.post(url, json={"package": FULL})).json()
        assert before["red_lines"] == []
        await table.red_line("kurds", "us_withdrawal_months >= 40", visibility="public")
        after = (await second.post(url, json={"package": FULL})).json()
        assert [(e["party"], e["status"]) for e in after["red_lines"]] == [("kurds", "violated")]
        relaxed = await table.ok("POST", f"/red-lines/{after['red_lines'][0]['id']}/relax", "kurds")
        assert relaxed["status"] == "relaxed"
        again = (await second.post(url, json={"package": FULL})).json()
        assert again["verdict"] == "clear"


def test_the_lru_forgets_the_least_recently_used():
    lru: LRU[int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1
    lru.put("c", 3)
    assert lru.get("b") is None
    assert (lru.get("a"), lru.get("c"), len(lru)) == (1, 3, 2)


async def test_the_replayed_log_is_kept_and_read_on_only_from_where_it_stopped(app, client):
    table = await make_table(client, start=True)
    cache: SummitCache = app.state.cache
    first = await table.ok("GET", "/state", "convener")
    kept = cache.replays.get(table.id)
    assert kept is not None
    assert kept.seq == first["at"]["seq"]
    again = await table.ok("GET", "/state", "convener")
    assert again == first
    assert cache.replays.get(table.id) is kept  # nothing read again
    await table.propose("kurds", FULL)
    after = await table.ok("GET", "/state", "convener")
    assert after["at"]["seq"] == first["at"]["seq"] + 1
    grown = cache.replays.get(table.id)
    assert grown.events[: len(kept.events)] == kept.events
    assert grown.snapshots is kept.snapshots  # a snapshot after event S never goes stale
    # Asking for an earlier point answers from the kept log, as it stood then.
    earlier = await table.ok("GET", f"/state?seq={first['at']['seq']}", "convener")
    assert earlier["at"] == first["at"]
    assert earlier["round"] == first["round"]


async def test_two_workers_see_each_others_moves_in_the_replayed_state_at_once(settings):
    async with two_workers(settings) as (first, second):
        table = await make_table(first, start=True)
        url = table.url("/state")
        before = (await second.get(url)).json()
        assert before["round"]["proposals"] == []
        await table.ok("POST", "/rounds/current/pass", "kurds")
        after = (await second.get(url)).json()
        assert after["at"]["seq"] == before["at"]["seq"] + 1
        assert after["round"]["passes"] == ["kurds"]


def test_the_replay_cache_holds_at_most_its_size_in_summits_and_snapshots():
    cache = SummitCache(replays=2, snapshots=3)
    events = LOG
    for summit in ("a", "b", "c"):
        log = cache.replay_log(summit, len(events), lambda after: events[after:])
        for seq in range(1, len(events) + 1):
            assert log.snapshot(seq).seq == seq
        assert len(log.snapshots) == 3
    assert len(cache.replays) == 2
    assert cache.replays.get("a") is None
    # A request that read an older row sees the log as it stood then.
    assert cache.replay_log("c", 2, lambda after: []).seq == 2
