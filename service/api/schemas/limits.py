"""Bounded types for every number a client sends: ranges the database and the solver can take.

An integer outside its range is a 422 that names the field and the range, before anything
reaches a driver (PostgreSQL's ``integer`` columns stop at 2**31 - 1). Floats are finite.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# The widest integer column of the schema is a 32-bit ``integer``.
INT32_MAX = 2**31 - 1
MAX_ROUNDS = 1000
# The longest phase deadline: a year.
MAX_PHASE_SECONDS = 366 * 24 * 3600.0
# How many items of a collection a request may send (packages are bounded by the agenda).
MAX_ISSUES = 200
MAX_PARTIES = 32

MAX_OPTIONS = 256
KEY_LENGTH = 63

Key = Annotated[str, Field(max_length=KEY_LENGTH)]
RowId = Annotated[int, Field(ge=1, le=INT32_MAX, description=f"An id, 1 to {INT32_MAX}.")]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
IssueBound = Annotated[int | None, Field(ge=-INT32_MAX, le=INT32_MAX)]
Rounds = Annotated[int, Field(ge=1, le=MAX_ROUNDS, description=f"1 to {MAX_ROUNDS}.")]
PhaseSeconds = Annotated[
    float | None,
    Field(gt=0, le=MAX_PHASE_SECONDS, allow_inf_nan=False),
]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
