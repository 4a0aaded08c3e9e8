"""Reviewing a summit: its state at any round or event, diffs, utilities, declassification.

Everything is derived by replaying the event log (``service.domain.replay``); views are
written for the caller by ``service.domain.review``. Once the convener has declassified a
concluded summit (an event in its chain), every caller reads it as its debrief: private red
lines, preferences and utilities included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from service.db.repositories.declassification import declassified_at
from service.db.repositories.events import EventRepository
from service.db.transaction import Transaction
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.events import EventType
from service.domain.privacy import Role, Viewer
from service.domain.protocol import SummitStatus
from service.domain.record import ChainedEvent, format_time
from service.domain.replay import Snapshot, round_end, rounds_played
from service.domain.review import Reviewer
from service.domain.reviews import ReviewDiff, ReviewState, ReviewUtilities
from service.services.auth import require_convener
from service.services.cache import ReplayLog
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import SummitContext, load_summit
from service.services.results.event_data import SummitDeclassifiedData
from service.services.results.review import DeclassifyRead
from service.services.views import sealed_round


def replay_log(ctx: SummitContext) -> ReplayLog:
    """Return the summit's event log up to the event its row names, through the app's cache.

    Keyed by the summit's ``last_seq`` as this transaction read it, so a new event on any
    worker is seen at once; only the events after the kept log's last are read.
    """

    def read_after(seq: int) -> list[ChainedEvent]:
        rows = EventRepository(ctx.tx).after(ctx.id, after=seq)
        return [
            ChainedEvent(r.seq, format_time(r.at), r.type, r.actor, r.data, r.hash) for r in rows
        ]

    return ctx.cache.replay_log(ctx.id, ctx.row.last_seq, read_after)


def chained_events(ctx: SummitContext) -> Sequence[ChainedEvent]:
    """Return the summit's whole event log as the chain holds it."""
    return replay_log(ctx).events


def declassification(events: Sequence[ChainedEvent]) -> ChainedEvent | None:
    """Return the event that declassified the summit, if there is one."""
    for event in reversed(events):
        if event.type == EventType.SUMMIT_DECLASSIFIED:
            return event
    return None


def debrief_viewer(viewer: Viewer, events: Sequence[ChainedEvent]) -> Viewer:
    """Return ``viewer``, opened to every private thing when the summit was declassified."""
    if declassification(events) is None:
        return viewer
    return replace(viewer, declassified=True)


def opened(tx: Transaction, summit_id: str, viewer: Viewer) -> Viewer:
    """Return ``viewer``, opened to every private thing if the summit was declassified.

    For the read routes that do not replay the log (history, red lines): one small query.
    """
    if viewer.role is Role.CONVENER or declassified_at(tx, summit_id) is None:
        return viewer
    return replace(viewer, declassified=True)


def reviewer(ctx: SummitContext, viewer: Viewer) -> Reviewer:
    """Return the writer of review views for ``viewer`` (already opened if declassified)."""
    return Reviewer(ctx.id, ctx.agenda, viewer, sealed_round(ctx))


def _bad_input(name: str, message: str, allowed: str) -> InvalidInput:
    return InvalidInput(
        message,
        details={"errors": [{"loc": [name], "message": message, "allowed": allowed}]},
    )


def snapshot_at(
    log: ReplayLog, *, round_number: int | None, seq: int | None
) -> tuple[Snapshot, int | None]:
    """Replay to the end of ``round_number`` or to event ``seq`` (neither: the whole log)."""
    events = log.events
    if round_number is not None and seq is not None:
        raise _bad_input("seq", "give round or seq, not both", "round=N or seq=S")
    played = rounds_played(events)
    if round_number is not None:
        end = round_end(events, round_number)
        if end is None:
            raise NotFound(
                f"round {round_number} has not been played "
                f"({'no round yet' if not played else f'rounds 1 to {played} so far'})",
                details={"round": round_number, "rounds_played": played},
            )
        return log.snapshot(end), round_number
    if seq is not None and not 1 <= seq <= len(events):
        raise NotFound(
            f"no event {seq}: the log holds events 1 to {len(events)}",
            details={"seq": seq, "events": len(events)},
        )
    return log.snapshot(seq), None


def state(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    *,
    round_number: int | None = None,
    seq: int | None = None,
) -> ReviewState:
    """Return the summit's state at the end of a round or after an event, for the caller."""
    ctx = load_summit(tx, summit_id)
    log = replay_log(ctx)
    viewer = debrief_viewer(viewer, log.events)
    snap, number = snapshot_at(log, round_number=round_number, seq=seq)
    return reviewer(ctx, viewer).state(snap, round_number=number)


def diff(tx: Transaction, summit_id: str, viewer: Viewer, *, first: int, second: int) -> ReviewDiff:
    """Return what each party moved between the ends of rounds ``first`` and ``second``."""
    if first >= second:
        raise _bad_input("to", f"round {second} does not come after round {first}", "from < to")
    ctx = load_summit(tx, summit_id)
    log = replay_log(ctx)
    viewer = debrief_viewer(viewer, log.events)
    before, _ = snapshot_at(log, round_number=first, seq=None)
    after, _ = snapshot_at(log, round_number=second, seq=None)
    return reviewer(ctx, viewer).diff(before, after)


def utilities(tx: Transaction, summit_id: str, viewer: Viewer) -> ReviewUtilities:
    """Return the utility of every proposal and of the settlement, and each trajectory."""
    ctx = load_summit(tx, summit_id)
    log = replay_log(ctx)
    viewer = debrief_viewer(viewer, log.events)
    return reviewer(ctx, viewer).utilities(log.snapshot())


def declassify(tx: Transaction, summit_id: str, viewer: Viewer, note: str) -> DeclassifyRead:
    """Declassify a concluded summit (convener only): one event in the chain, once."""
    ctx = load_summit(tx, summit_id, for_update=True)
    require_convener(viewer, "declassify the summit")
    if ctx.status is not SummitStatus.CONCLUDED:
        raise Conflict(
            f"summit {ctx.id} is {ctx.status.value}: it can be declassified only once it "
            "has concluded",
            details={"status": ctx.status.value},
        )
    earlier = declassified_at(tx, ctx.id)
    if earlier is not None:
        raise Conflict(
            f"summit {ctx.id} was declassified at event {earlier.seq}",
            details={"seq": earlier.seq, "at": format_time(earlier.at)},
        )
    event = append_event(ctx, viewer.actor, SummitDeclassifiedData(note), utcnow())
    return DeclassifyRead(
        summit=ctx.id,
        declassified=True,
        seq=event.seq,
        at=format_time(event.at),
        hash=event.hash,
        note=note,
    )
