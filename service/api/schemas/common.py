"""Shapes shared by every route: errors, packages, values."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service.api.schemas.limits import MAX_ISSUES

PACKAGE_DOC = (
    "A package: issue keys to values (an option key, an integer or true/false). Full when it "
    "assigns every issue, partial otherwise."
)
PackageField = Field(
    description=PACKAGE_DOC,
    max_length=MAX_ISSUES,
    examples=[{"assad_role": "transition_then_exit", "us_withdrawal_months": 18}],
)


class Model(BaseModel):
    """Base of the request models: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """The error itself."""

    code: str = Field(
        description="invalid_input, not_found, conflict, no_deal, forbidden, unauthorized, "
        "time_limit, method_not_allowed or internal_error"
    )
    message: str = Field(description="What went wrong, written for the caller.")
    details: Any = Field(
        default=None,
        description="Specifics: for invalid input, errors[] with loc, message and what is allowed.",
    )


class ErrorBody(BaseModel):
    """Every error response of the API has this shape."""

    error: ErrorDetail


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Document the error responses a route can give."""
    texts = {
        401: "Missing, malformed or unknown bearer token.",
        403: "The token may not do this (another party, another summit, not the convener).",
        404: "No such summit, party, red line, proposal or round.",
        409: "Out of turn or against the rules; the message says what the summit waits for.",
        422: "Malformed input; details.errors[] says where and what is allowed.",
        429: "Too many checks or solver questions for this token; see Retry-After.",
        503: "The solver's time limit ran out before it found an answer.",
    }
    # 422 is always listed: FastAPI would otherwise document its own validation shape.
    return {code: {"model": ErrorBody, "description": texts[code]} for code in {*codes, 422}}
