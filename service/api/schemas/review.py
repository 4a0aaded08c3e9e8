"""The request shape of review: declassifying a summit.

The answers are ``service.domain.reviews`` (state, diff, utilities) and
``service.services.results.review`` (measures, charts, declassification).
"""

from __future__ import annotations

from pydantic import Field

from service.api.schemas.common import Model


class DeclassifyRequest(Model):
    """Why the summit is opened for its debrief."""

    note: str = Field(default="", max_length=4000)
