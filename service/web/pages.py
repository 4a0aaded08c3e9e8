"""Routes of the web side: the pages, their scripts and styles, and offline API docs.

The pages are static files. Each runs in the browser and reads and acts through the REST API
with the token it was given, so it sees exactly what the API shows that token: the same
services, the same redaction. A seat's token travels in the URL fragment, which browsers never
send to a server; ``Referrer-Policy: no-referrer`` keeps the page's address out of other sites'
reach, and the Content-Security-Policy admits only this server's own scripts. ``/console``
(no summit) creates a summit from a scenario, with the scenario desk of ``scenarios``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from importlib.resources import files
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from service.web.scenarios import scenario_routes

PAGES = Path(str(files("service.web") / "pages"))
STATIC = Path(str(files("service.web") / "static"))
# Swagger UI's assets, shipped by the fastapi-offline package (no CDN).
SWAGGER = Path(str(files("fastapi_offline") / "static"))
# The review page's charting library, shipped by the plotly package (no CDN).
PLOTLY_JS = Path(str(files("plotly") / "package_data" / "plotly.min.js"))

_COMMON = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# Swagger UI sets style attributes from its scripts; its own scripts are still the only ones.
_DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The review page draws with plotly.js, which adds its rules to empty <style> elements it
# creates (through the CSSOM, which CSP does not govern). The hash of the empty text admits
# exactly those elements: a style element with any text in it is still refused.
EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
_REVIEW_CSP = _PAGE_CSP.replace("style-src 'self';", f"style-src 'self' {EMPTY_STYLE};")
PAGE_HEADERS = {**_COMMON, "Content-Security-Policy": _PAGE_CSP, "Cache-Control": "no-store"}
REVIEW_HEADERS = {**PAGE_HEADERS, "Content-Security-Policy": _REVIEW_CSP}
DOCS_HEADERS = {**_COMMON, "Content-Security-Policy": _DOCS_CSP, "Cache-Control": "no-store"}


class _Assets(StaticFiles):
    """Static files with the pages' security headers."""

    def __init__(self, directory: Path, headers: dict[str, str]) -> None:
        super().__init__(directory=directory)
        self._headers = headers

    def file_response(self, full_path: str | Path, *args: object, **kwargs: object) -> Response:  # type: ignore[override]
        """Serve one file, with the headers."""
        response = super().file_response(full_path, *args, **kwargs)  # type: ignore[arg-type]
        response.headers.update(self._headers)
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Serve ``path``; scripts and styles may be cached, and revalidated."""
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", "no-cache")
        return response


_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def _own_assets(headers: dict[str, str]) -> Callable[[Request], Awaitable[Response]]:
    """Serve the project's own scripts and styles from memory, revalidated by ETag."""
    # Read once when the app is built (a few dozen kilobytes): no thread, no stat per request.
    files = {
        str(path.relative_to(STATIC)): (path.read_bytes(), _TYPES[path.suffix])
        for path in sorted(STATIC.rglob("*"))
        if path.suffix in _TYPES
    }
    tags = {name: f'"{hashlib.sha256(body).hexdigest()[:20]}"' for name, (body, _) in files.items()}

    async def serve(request: Request) -> Response:
        name = request.path_params["path"]
        found = files.get(name)
        if found is None:
            return Response(b"not found", status_code=404, media_type="text/plain")
        tag = tags[name]
        cache = {**headers, "ETag": tag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers=cache)
        body, kind = found
        return Response(body, media_type=kind, headers=cache)

    return serve


def _page(name: str, headers: dict[str, str]) -> Callable[[Request], Awaitable[Response]]:
    # Read once when the app is built: a page is a few kilobytes, served without a thread.
    body = (PAGES / f"{name}.html").read_bytes()

    async def serve(_request: Request) -> Response:
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)

    return serve


def _plotly(headers: dict[str, str]) -> Callable[[Request], Awaitable[Response]]:
    """Serve plotly.min.js from the installed plotly package, revalidated by its version."""
    import plotly

    tag = f'"plotly-{plotly.__version__}-{PLOTLY_JS.stat().st_size}"'
    cache = {**headers, "ETag": tag, "Cache-Control": "no-cache"}

    async def serve(request: Request) -> Response:
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers=cache)
        return FileResponse(PLOTLY_JS, media_type=_TYPES[".js"], headers=cache)

    return serve


def web_routes() -> list[BaseRoute]:
    """Return the routes of the pages, their assets and the offline docs."""
    asset_headers = {**_COMMON, "Content-Security-Policy": _PAGE_CSP}
    return [
        Route("/", _page("index", PAGE_HEADERS), methods=["GET"], name="web-index"),
        Route("/console", _page("create", PAGE_HEADERS), methods=["GET"], name="web-create"),
        *scenario_routes(),
        Route("/seat/{summit_id}", _page("seat", PAGE_HEADERS), methods=["GET"], name="web-seat"),
        Route(
            "/console/{summit_id}",
            _page("console", PAGE_HEADERS),
            methods=["GET"],
            name="web-console",
        ),
        Route(
            "/board/{summit_id}", _page("board", PAGE_HEADERS), methods=["GET"], name="web-board"
        ),
        Route(
            "/review/{summit_id}",
            _page("review", REVIEW_HEADERS),
            methods=["GET"],
            name="web-review",
        ),
        Route("/docs", _page("docs", DOCS_HEADERS), methods=["GET"], name="web-docs"),
        Mount("/static/swagger", app=_Assets(SWAGGER, asset_headers), name="web-swagger"),
        Route(
            "/static/vendor/plotly.min.js",
            _plotly(asset_headers),
            methods=["GET"],
            name="web-plotly",
        ),
        Route(
            "/static/{path:path}", _own_assets(asset_headers), methods=["GET"], name="web-static"
        ),
    ]
