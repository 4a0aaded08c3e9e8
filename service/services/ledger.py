"""Explicit concessions, the concession ledger, and the public checker."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy.orm import Session

from service.db.direct import DirectRead
from service.db.engine import Database
from service.db.records import ConcessionRecord
from service.db.repositories.ledger import LedgerRepository
from service.db.repositories.summits import SummitRepository, head_reader, read_head
from service.domain.concessions import ConcessionKind
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.events import EventType
from service.domain.privacy import Viewer
from service.domain.protocol import SummitStatus
from service.services.auth import authenticate, cached_viewer, require_delegation
from service.services.clock import utcnow
from service.services.context import agenda_of, compiled_of, load_summit, peek_compiled
from service.services.eventlog import append_event
from service.services.views import concession_record, concession_view

_ABSENT = object()


def record_concession(
    session: Session,
    summit_id: str,
    viewer: Viewer,
    *,
    issue: str,
    before: object,
    after: object,
    note: str,
) -> dict[str, Any]:
    """Record a party's explicit concession on one issue, from one value to another."""
    ctx = load_summit(session, summit_id, for_update=True)
    party = require_delegation(viewer, "record a concession")
    if ctx.status is SummitStatus.CONCLUDED:
        raise Conflict(
            f"summit {ctx.id} has concluded with outcome {ctx.row.outcome}",
            details={"status": ctx.row.status},
        )
    checked = ctx.agenda.validate_package({issue: before}, loc=("body", "from"))
    ctx.agenda.validate_package({issue: after}, loc=("body", "to"))
    if before == after:
        raise InvalidInput(
            "a concession moves from one value to another",
            details={"errors": [{"loc": ["body", "to"], "message": "'to' equals 'from'"}]},
        )
    prefs = ctx.preferences(party)
    change = None
    if prefs is not None:
        key = next(iter(checked))
        change = prefs.issue_utility(key, after) - prefs.issue_utility(key, before)  # type: ignore[arg-type]
    now = utcnow()
    row = ConcessionRecord(
        summit_id=ctx.id,
        round=ctx.row.round_number if ctx.status is SummitStatus.OPEN else None,
        party_key=party,
        kind=ConcessionKind.EXPLICIT.value,
        issue=issue,
        from_value=before,
        to_value=after,
        utility_change=change,
        note=note,
        created_at=now,
    )
    LedgerRepository(session).add_concession(row)
    append_event(
        ctx,
        EventType.CONCESSION_RECORDED,
        viewer.actor,
        {"concession": concession_record(row)},
        now,
    )
    return concession_view(ctx, row, viewer)


def list_concessions(session: Session, summit_id: str, viewer: Viewer) -> list[dict[str, Any]]:
    """Return the whole concession ledger in the order recorded, redacted for the caller."""
    ctx = load_summit(session, summit_id)
    rows = LedgerRepository(session).concessions(ctx.id)
    return [concession_view(ctx, row, viewer) for row in rows]


_head_readers: WeakKeyDictionary[Database, DirectRead] = WeakKeyDictionary()


def check_now(db: Database, summit_id: str, token: str | None, package: object) -> dict[str, Any]:
    """Check a package for a caller: the hottest read of all, so it avoids a session.

    One sessionless statement reads the summit's red-line revision; the credential, the
    agenda and the compiled red lines come from caches. Any cache miss takes the ordinary
    path through a read transaction.
    """
    reader = _head_readers.get(db)
    if reader is None:
        reader = _head_readers[db] = head_reader(db)
    viewer = cached_viewer(summit_id, token)
    head = read_head(reader, summit_id)
    if head is None:
        raise NotFound(f"no summit '{summit_id}'", details={"summit": summit_id})
    cached = peek_compiled(summit_id, head.red_lines_rev)
    if viewer is None or cached is None:
        with db.transaction(write=False) as session:
            return check(session, summit_id, authenticate(session, summit_id, token), package)
    agenda, compiled = cached
    checked = agenda.validate_package(package)
    return compiled.reports.live(compiled.checker.check(checked), viewer, checked)


def check(session: Session, summit_id: str, viewer: Viewer, package: object) -> dict[str, Any]:
    """Check a package against every active red line; the report is redacted for the caller.

    A hot path: one small query for the summit's red-line revision, then cached work.
    """
    head = SummitRepository(session).head(summit_id)
    if head is None:
        raise NotFound(f"no summit '{summit_id}'", details={"summit": summit_id})
    agenda = agenda_of(session, summit_id)
    compiled = compiled_of(session, summit_id, head.red_lines_rev, agenda)
    checked = agenda.validate_package(package)
    return compiled.reports.live(compiled.checker.check(checked), viewer, checked)
