"""Shapes shared by every route: errors, packages, values, timestamps, issues, the tree."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from service.api.schemas.limits import MAX_ISSUES
from service.services.results.common import VALUE_SCHEMA

PACKAGE_DOC = (
    "A package: issue keys to values (an option key, an integer or true/false). Full when it "
    "assigns every issue, partial otherwise."
)
PackageField = Field(
    description=PACKAGE_DOC,
    max_length=MAX_ISSUES,
    examples=[{"assad_role": "transition_then_exit", "us_withdrawal_months": 18}],
)


# A package as sent: the agenda, not the schema, judges its values (so errors name the domain).
PackageIn = Annotated[
    dict[str, Any],
    WithJsonSchema({"type": "object", "additionalProperties": VALUE_SCHEMA}),
]
ErrorCode = Literal[
    "invalid_input",
    "not_found",
    "conflict",
    "no_deal",
    "forbidden",
    "unauthorized",
    "time_limit",
    "busy",
    "too_large",
    "rate_limited",
    "method_not_allowed",
    "http_error",
    "internal_error",
]


class Model(BaseModel):
    """Base of the request models: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """The error itself."""

    code: ErrorCode = Field(description="What kind of error: one code per kind.")
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
        503: "The solver's time limit ran out before it found an answer, or (a write) the "
        "database's write lock could not be had in time: Retry-After says when to try again.",
    }
    # 401 and 422 are always listed: every route reads the Authorization header, and FastAPI
    # would otherwise document its own validation shape.
    listed = sorted({*codes, 401, 422})
    return {code: {"model": ErrorBody, "description": texts[code]} for code in listed}


def write_errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Document the error responses of a route that writes (which may also answer 503)."""
    return errors(*codes, 503)
