"""Request shapes of the solver (the answers are ``service.services.results.analysis``)."""

from __future__ import annotations

from pydantic import Field

from service.api.schemas.common import Model, PackageField, PackageIn
from service.api.schemas.limits import Key


class RepairRequest(Model):
    """A package to repair, full or partial."""

    package: PackageIn = PackageField
    keep: list[Key] = Field(
        default_factory=list,
        max_length=1000,
        description="Issues of the package that must keep their values.",
    )
