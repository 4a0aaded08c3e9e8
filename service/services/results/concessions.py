"""The concession ledger's entries as the services answer them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

from pydantic import ConfigDict, Field

from service.db.models import ConcessionRow
from service.domain.concessions import ConcessionKind
from service.domain.privacy import Viewer
from service.domain.record import format_time
from service.domain.redline.red_line import Visibility
from service.services.loading import SummitContext
from service.services.results.common import Omittable, Timestamp, Value, is_none


@dataclass(frozen=True, kw_only=True)
class ConcessionRead:
    """An entry of the concession ledger; utility_change only for its party and the convener.

    An explicit concession has ``issue``, ``from`` and ``to``; a relaxed red line has
    ``red_line`` (and its ``visibility``); the note of a concession on another party's
    private red line is absent.
    """

    __pydantic_config__ = ConfigDict(populate_by_name=True)

    id: int
    kind: ConcessionKind
    party: str
    round: int | None
    issue: Omittable[str] = None
    from_: Annotated[Value | None, Field(alias="from", exclude_if=is_none)] = None
    to: Omittable[Value] = None
    red_line: Omittable[int] = None
    proposal: Omittable[int] = None
    utility_change: Omittable[float] = None
    visibility: Omittable[Visibility] = None
    note: Omittable[str] = None
    created_at: Timestamp


def concession_record(row: ConcessionRow) -> ConcessionRead:
    """Return the full record of a concession: the event's payload (before redaction)."""
    explicit = row.issue is not None
    return ConcessionRead(
        id=row.id,
        kind=ConcessionKind(row.kind),
        party=row.party_key,
        round=row.round,
        issue=row.issue,
        from_=row.from_value if explicit else None,
        to=row.to_value if explicit else None,
        red_line=row.red_line_id,
        proposal=row.proposal_id,
        utility_change=row.utility_change,
        note=row.note,
        created_at=format_time(row.created_at),
    )


def concession_read(ctx: SummitContext, row: ConcessionRow, viewer: Viewer) -> ConcessionRead:
    """Return a concession redacted for ``viewer``.

    Its utility change only for its party and the convener, and a note on a private red line
    likewise.
    """
    record = concession_record(row)
    if row.red_line_id is None:
        visibility = None
    else:
        red_line = ctx.red_line_map().get(row.red_line_id)
        visibility = red_line.visibility if red_line else Visibility.PRIVATE
    utility, note = viewer.hides_concession_secrets(
        row.party_key, None if visibility is None else visibility.value
    )
    return replace(
        record,
        visibility=visibility,
        utility_change=None if utility else record.utility_change,
        note=None if note else record.note,
    )
