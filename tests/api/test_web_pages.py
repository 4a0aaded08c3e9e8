"""The web side's pages and assets over HTTP: headers that keep tokens and scripts in check."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.anyio
PAGES = Path(__file__).resolve().parents[2] / "service" / "web" / "pages"
JS = Path(__file__).resolve().parents[2] / "service" / "web" / "static" / "js"


@pytest.mark.parametrize(
    "path", ["/", "/console", "/seat/abc", "/console/abc", "/board/abc", "/review/abc", "/docs"]
)
async def test_every_page_forbids_inline_scripts_and_referrers(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_no_page_has_an_inline_script_or_an_outside_asset() -> None:
    for page in PAGES.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, (page.name, tag)
        assert not re.search(r"(src|href)=\"(https?:)?//", html), page.name
        assert not re.search(r"<[^>]*\son[a-z]+=", html), page.name  # no inline handlers


def test_no_script_writes_html_from_strings() -> None:
    for script in JS.glob("*.js"):
        code = "\n".join(
            line
            for line in script.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith(("//", "/*", "*"))
        )
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, (script.name, sink)


async def test_scripts_styles_and_swagger_assets_are_served_locally(
    client: httpx.AsyncClient,
) -> None:
    for path, kind in [
        ("/static/js/page.js", "javascript"),
        ("/static/css/parley.css", "text/css"),
        ("/static/swagger/swagger-ui-bundle.js", "javascript"),
        ("/static/swagger/swagger-ui.css", "text/css"),
    ]:
        response = await client.get(path)
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"], path
        assert response.headers["referrer-policy"] == "no-referrer"
    docs = (await client.get("/docs")).text
    assert "/static/swagger/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()


async def test_an_unknown_asset_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/js/nothing.js")
    assert response.status_code == 404


async def test_an_unchanged_script_is_revalidated_not_sent_again(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/static/js/page.js")
    tag = first.headers["etag"]
    again = await client.get("/static/js/page.js", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    changed = await client.get("/static/js/page.js", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200
    assert changed.content == first.content
