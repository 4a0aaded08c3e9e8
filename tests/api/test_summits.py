import pytest
from sqlalchemy import select

from service.api.app import create_app
from service.db.base import table_of
from service.db.models import CredentialRow
from service.settings import Settings
from tests.api.helpers import ISSUES, PARTIES, bearer, make_table

pytestmark = pytest.mark.anyio


async def test_creating_a_summit_returns_one_token_per_role_and_stores_only_hashes(
    client, database
):
    table = await make_table(client)
    summit = table.created["summit"]
    assert summit["status"] == "setup"
    assert summit["outcome"] is None
    assert summit["round"] is None
    assert [p["key"] for p in summit["parties"]] == ["government", "kurds", "russia"]
    assert set(table.tokens) == {"government", "kurds", "russia"}
    with database.transaction(write=False) as tx:
        rows = tx.execute(select(table_of(CredentialRow))).all()
    stored = " ".join(row.secret_hash + row.id for row in rows)
    assert len(rows) == 4
    for token in [table.convener, *table.tokens.values()]:
        assert token.split("_", 2)[2] not in stored


async def test_summits_are_listed_newest_first_and_paged(client):
    first = await make_table(client)
    second = await make_table(client, start=True)
    page = (await client.get("/summits", params={"limit": 1})).json()
    assert page["total"] == 2
    assert [s["id"] for s in page["items"]] == [second.id]
    rest = (await client.get("/summits", params={"limit": 1, "offset": 1})).json()
    assert [s["id"] for s in rest["items"]] == [first.id]
    only_open = (await client.get("/summits", params={"status": "open"})).json()
    assert [s["id"] for s in only_open["items"]] == [second.id]


async def test_only_the_convener_starts_a_summit_and_only_once(client):
    table = await make_table(client)
    assert (await table.post("/start", None)).status_code == 401
    assert (await table.post("/start", "kurds")).status_code == 403
    started = await table.post("/start", "convener")
    assert started.status_code == 200
    assert started.json()["round"] == {
        "number": 1,
        "phase": "proposals",
        "deadline": None,
        "waiting_for": ["government", "kurds", "russia"],
    }
    again = await table.post("/start", "convener")
    assert again.status_code == 409
    assert "only a summit in setup can start" in again.json()["error"]["message"]


async def test_a_token_of_another_summit_is_forbidden_and_an_unknown_one_unauthorized(client):
    one = await make_table(client)
    other = await make_table(client)
    response = await client.post(f"/summits/{one.id}/start", headers=bearer(other.convener))
    assert response.status_code == 403
    assert "another summit" in response.json()["error"]["message"]
    forged = other.convener[:-4] + "AAAA"
    assert (
        await client.post(f"/summits/{one.id}/start", headers=bearer(forged))
    ).status_code == 401
    assert (
        await client.post(f"/summits/{one.id}/start", headers={"Authorization": "Basic abc"})
    ).status_code == 401
    response = await client.post(f"/summits/{one.id}/start", headers=bearer("not-a-token"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_abort_ends_the_summit_and_refuses_further_moves(client):
    table = await make_table(client, start=True)
    assert (await table.post("/abort", "kurds", {"reason": "no"})).status_code == 403
    aborted = await table.ok("POST", "/abort", "convener", {"reason": "walkout"})
    assert (aborted["status"], aborted["outcome"]) == ("concluded", "aborted")
    late = await table.post("/rounds/current/pass", "kurds")
    assert late.status_code == 409
    assert "concluded with outcome aborted" in late.json()["error"]["message"]
    assert (await table.post("/abort", "convener")).status_code == 409


async def test_an_admin_token_guards_summit_creation(database_url):
    import httpx

    app = create_app(Settings(database_url=database_url, admin_token="s3cret-admin"))
    body = {"title": "t", "issues": ISSUES, "parties": PARTIES, "protocol": {"max_rounds": 1}}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://p") as http,
    ):
        assert (await http.post("/summits", json=body)).status_code == 401
        assert (await http.post("/summits", json=body, headers=bearer("wrong"))).status_code == 403
        assert (
            await http.post("/summits", json=body, headers=bearer("s3cret-admin"))
        ).status_code == 201
        assert (await http.get("/summits")).json()["total"] == 1


async def test_unknown_summits_and_routes_are_404_in_the_error_shape(client):
    response = await client.get("/summits/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = await client.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "no such route",
        "details": None,
    }
    response = await client.delete("/summits")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
