"""Request shapes of rounds (the answers are ``service.services.results.rounds``)."""

from __future__ import annotations

from pydantic import Field

from service.api.schemas.common import Model, PackageField, PackageIn
from service.api.schemas.limits import RowId
from service.domain.protocol import Answer


class ProposalCreate(Model):
    """A package tabled in the current round."""

    package: PackageIn = PackageField
    rationale: str = Field(default="", max_length=4000)


class ResponseCreate(Model):
    """An answer to a full proposal of the round."""

    proposal: RowId
    verdict: Answer
    note: str = Field(default="", max_length=4000)
