"""The history as people read it: red lines by label as the reader may see them, one CSV
column per issue, numbers rounded."""

import csv
import io

import pytest

from tests.api.helpers import FULL, make_table

pytestmark = pytest.mark.anyio
PARTIES = [{"key": "government", "name": "Syrian government"}, {"key": "kurds", "name": "Kurds"}]


async def played(client):
    table = await make_table(client, parties=PARTIES)
    await client.put(
        table.url("/parties/kurds/preferences"),
        json={
            "weights": {"us_withdrawal_months": 1},
            "scores": {"us_withdrawal_months": [[0, 0.0], [60, 1.0]]},
        },
        headers=table.h("kurds"),
    )
    secret = await table.red_line("kurds", "joint_cell", label="Secret cell", visibility="private")
    public = await table.red_line("kurds", "us_withdrawal_months >= 12", label="A year at least")
    await table.ok("POST", "/start", "convener")
    first = await table.propose("kurds", FULL)
    await table.ok("POST", "/rounds/current/pass", "government")
    await table.respond("government", first["id"], "reject")
    for red_line in (secret, public):
        await table.ok("POST", f"/red-lines/{red_line['id']}/relax", "kurds", {"note": "for peace"})
    await table.propose("kurds", dict(FULL, us_withdrawal_months=24))
    await table.ok("POST", "/rounds/current/pass", "government")  # the proposals are revealed
    return table, secret, public


async def text(table, who, fmt):
    response = await table.get("/history", who, format=fmt)
    assert response.status_code == 200
    return response.text


async def test_csv_has_a_column_per_issue_ids_in_their_columns_and_rounded_numbers(client):
    table, secret, public = await played(client)
    rows = list(csv.DictReader(io.StringIO(await text(table, "kurds", "csv"))))
    header = list(rows[0])
    assert {"assad_role", "us_withdrawal_months", "joint_cell", "red_line"} <= set(header)
    assert "package" not in header
    proposals = [r for r in rows if r["kind"] == "proposal"]
    assert [r["us_withdrawal_months"] for r in proposals] == ["30", "24"]
    assert proposals[0]["assad_role"] == FULL["assad_role"]
    relaxed = [r for r in rows if r["kind"] == "concession:red_line"]
    assert [(r["red_line"], r["proposal"]) for r in relaxed] == [
        (str(secret["id"]), ""),
        (str(public["id"]), ""),
    ]
    assert relaxed[0]["note"] == "relaxed “Secret cell”: for peace"
    derived = next(r for r in rows if r["kind"] == "concession:derived")
    assert derived["utility_change"] == "-0.1"
    assert derived["proposal"] != ""


async def test_a_reader_sees_the_labels_it_may_see_and_never_a_private_one(client):
    table, secret, _public = await played(client)
    for fmt in ("csv", "markdown"):
        mine = await text(table, "kurds", fmt)
        theirs = await text(table, "government", fmt)
        anyone = await text(table, None, fmt)
        assert "“Secret cell”" in mine
        assert "“A year at least”" in mine
        assert "“A year at least”" in theirs
        for other in (theirs, anyone):
            assert "Secret cell" not in other
            assert f"a private red line (#{secret['id']})" in other
    markdown = await text(table, "kurds", "markdown")
    assert "own utility -0.1" in markdown
    assert "kurds relaxed “Secret cell” (round 2): for peace" in markdown
