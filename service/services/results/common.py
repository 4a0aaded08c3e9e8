"""What every result shares: absent fields, values, packages, timestamps, issues, the tree.

Results are frozen dataclasses (pydantic metadata allowed: it documents, it is not HTTP); the
API's response schemas are these types. They are not slotted: orjson, which writes the hot
routes' answers, encodes a slotted dataclass field by field (measured about 8 times slower)
and a plain one as fast as a dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, WithJsonSchema

from service.domain.agenda import IssueKind

T = TypeVar("T")


def is_none(value: object) -> bool:
    """Say whether a field is None (and so left out of the JSON when it is Omittable)."""
    return value is None


# A field that is absent from the JSON (not null) when None: what a caller may not see, or
# what does not apply. Only routes answered through their response model honour it.
Omittable = Annotated[T | None, Field(exclude_if=is_none)]

Value = StrictBool | StrictInt | StrictStr
VALUE_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]}
# A package as answered: issue keys to option keys, integers or booleans.
Package = Mapping[str, Value]
# Times are ISO 8601 UTC text, written by ``service.domain.record.format_time``.
Timestamp = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class _IssueBase(BaseModel):
    """What every kind of issue has."""

    key: str
    title: str
    description: str
    option_descriptions: Omittable[dict[str, str]] = Field(
        default=None, description="A one-line description per option, when given."
    )


class OptionsIssue(_IssueBase):
    """An issue settled by one of its ordered options."""

    kind: Literal[IssueKind.OPTIONS]
    options: list[str] = Field(description="Ordered option keys (comparisons use this order).")


class IntegerIssue(_IssueBase):
    """An issue settled by an integer in [min, max]."""

    kind: Literal[IssueKind.INTEGER]
    min: int
    max: int


class BooleanIssue(_IssueBase):
    """An issue settled by true or false."""

    kind: Literal[IssueKind.BOOLEAN]


Issue = Annotated[OptionsIssue | IntegerIssue | BooleanIssue, Field(discriminator="kind")]


class CompareNode(BaseModel):
    """A test of one issue against one value."""

    op: Literal["eq", "ne", "lt", "le", "gt", "ge"]
    issue: str
    value: Value


class MemberNode(BaseModel):
    """A test of one issue against a set of values."""

    op: Literal["in", "not_in"]
    issue: str
    values: list[Value]


class JunctionNode(BaseModel):
    """Every (and) or some (or) of its arguments."""

    op: Literal["and", "or"]
    args: list[Constraint]


class NotNode(BaseModel):
    """The negation of its argument."""

    op: Literal["not"]
    arg: Constraint


class ImpliesNode(BaseModel):
    """If the first holds, the second must."""

    model_config = ConfigDict(populate_by_name=True)

    op: Literal["implies"]
    if_: Constraint = Field(alias="if")
    then: Constraint


Constraint = Annotated[
    CompareNode | MemberNode | JunctionNode | NotNode | ImpliesNode, Field(discriminator="op")
]
for _node in (JunctionNode, NotNode, ImpliesNode):
    _node.model_rebuild()
