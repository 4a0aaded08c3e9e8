"""The debrief over HTTP: a self-contained HTML report and the charts, redacted per role."""

import re

import pytest

from tests.api.helpers import FULL, make_table
from tests.api.test_review import SECRET_LABEL, SECRET_RATIONALE, TWO, played

pytestmark = pytest.mark.anyio


async def report(table, who):
    response = await table.get("/report", who)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_the_convener_s_report_holds_every_part_and_the_verified_head(client):
    table, _, _ = await played(client)
    html = await report(table, "convener")
    for anchor in ("outcome", "charts", "agenda", "red-lines", "rounds", "ledger", "record"):
        assert f'id="{anchor}"' in html
    assert 'id="round-1"' in html
    assert (
        '<p id="glance">2 round(s), 3 proposal(s), 3 concession(s) recorded; settled in round 2.'
        in html
    )
    # Round 2: the government moved assad_role and us_withdrawal_months, not joint_cell.
    round_two = html.split('id="round-2"')[1].split('id="ledger"')[0]
    assert round_two.count('class="moved"') == 2
    assert 'id="round-2"' in html
    head = (await table.ok("GET", "/history/verify", "convener"))["head"]
    assert f'<code id="head-hash">{head}</code>' in html
    assert 'Chain recomputed: <span class="ok">valid</span>' in html
    assert SECRET_LABEL in html
    assert 'id="pareto"' in html
    for name in ("utility", "timeline", "plane"):
        assert f'id="chart-{name}"' in html
    # Self-contained: plotly is inlined and nothing is fetched from elsewhere.
    assert "Plotly" in html
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=", html)


async def test_a_delegation_s_report_holds_only_what_it_may_see(client):
    table, _, _ = await played(client)
    html = await report(table, "government")
    assert SECRET_LABEL not in html
    assert SECRET_RATIONALE not in html
    assert "for peace" not in html
    assert 'id="chart-plane"' not in html
    assert "the convener's until the summit is declassified" in html
    assert "Verifying the chain is the convener" in html
    anonymous = await report(table, None)
    assert SECRET_LABEL not in anonymous
    assert 'id="pareto"' not in anonymous
    await table.ok("POST", "/declassify", "convener", {"note": "debrief"})
    opened = await report(table, None)
    assert SECRET_LABEL in opened
    assert SECRET_RATIONALE in opened
    assert 'id="chart-plane"' in opened
    assert 'id="pareto"' in opened


async def test_user_text_is_escaped_in_the_report(client):
    evil = "<script>alert(1)</script>"
    parties = [{"key": "government", "name": evil}, {"key": "kurds", "name": "K"}]
    table = await make_table(client, parties=parties, start=True)
    await table.propose("government", FULL, rationale=evil)
    await table.ok("POST", "/rounds/1/pass", "kurds")
    html = await report(table, "convener")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_the_charts_hold_one_point_per_proposal_and_per_party_seen(client):
    table, _, proposals = await played(client)
    figures = await table.ok("GET", "/charts", "convener")
    utility = [t for t in figures["utility"]["data"] if t["meta"]["kind"] == "utility"]
    assert {t["meta"]["party"] for t in utility} == {"government", "kurds"}
    assert all(len(t["x"]) == len(proposals) for t in utility)
    own_lines = [t for t in figures["utility"]["data"] if t["meta"]["kind"] == "own"]
    # The government tabled two proposals (rounds 1 and 2), the Kurds one.
    assert {t["meta"]["party"]: len(t["x"]) for t in own_lines} == {"government": 2, "kurds": 1}
    plane = figures["plane"]["data"]
    points = sum(len(t["x"]) for t in plane if t["meta"]["kind"] == "proposals")
    assert points == len(proposals)
    kinds = {t["meta"]["kind"] for t in plane}
    assert {"frontier", "reference", "settlement"} <= kinds
    own = await table.ok("GET", "/charts", "kurds")
    assert {t["meta"]["party"] for t in own["utility"]["data"]} == {"kurds"}
    assert "plane" not in own
    nobody = await table.ok("GET", "/charts", None)
    assert nobody["utility"]["data"] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?party=government&party=atlantis", "no party 'atlantis'"),
        ("?party=government", "two different parties"),
        ("?party=kurds&party=kurds", "two different parties"),
    ],
)
async def test_a_plane_must_name_two_parties_of_the_summit(client, query, message):
    table, _, _ = await played(client)
    for path in ("/report", "/charts"):
        response = await client.get(table.url(path + query), headers=table.h("convener"))
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert message in error["message"]
        assert error["details"]["errors"][0]["loc"][:2] == ["query", "party"]


async def test_the_plane_shows_the_two_parties_asked_for(client):
    table, _, _ = await played(client)
    url = table.url("/charts?party=kurds&party=government")
    figures = (await client.get(url, headers=table.h("convener"))).json()
    assert figures["plane"]["layout"]["xaxis"]["title"]["text"] == "utility to K"


async def test_a_report_of_a_summit_still_in_play_keeps_sealed_proposals_sealed(client):
    table = await make_table(client, parties=TWO)
    empty = await report(table, "convener")
    assert "No settlement (setup)" in empty
    await table.ok("POST", "/start", "convener")
    await table.propose("government", FULL, rationale="our opening, sealed")
    html = await report(table, "kurds")
    assert "sealed until the proposals phase closes" in html
    assert "our opening, sealed" not in html
    assert "our opening, sealed" in await report(table, "government")
