"""The baseline: a bare FastAPI endpoint that parses a JSON body and answers JSON."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Body(BaseModel):
    """A package, as the real endpoints receive it."""

    package: dict[str, Any]


@app.post("/bare")
async def bare(body: Body) -> dict[str, Any]:
    """Echo the size of the package."""
    return {"issues": len(body.package), "verdict": "clear"}


@app.get("/summits")
async def ready() -> list[str]:
    """Answer the readiness probe the same way the service does."""
    return []
