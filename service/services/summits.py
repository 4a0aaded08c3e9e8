"""Creating, listing, reading, starting and aborting summits."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from service.db.models import PartyRow, SummitRow
from service.db.repositories.summits import SummitRepository
from service.db.transaction import Transaction
from service.domain.agenda import KEY_PATTERN, build_agenda
from service.domain.errors import Conflict, InvalidInput
from service.domain.privacy import Role, Viewer
from service.domain.protocol import Outcome, SummitStatus, build_protocol
from service.domain.record import GENESIS
from service.services import lifecycle
from service.services.auth import issue_credential, require_convener
from service.services.cache import cache_of
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import SummitContext, load_summit, write_changes
from service.services.results.event_data import SummitCreatedData, SummitStartedData
from service.services.results.summits import (
    PartyRead,
    SummitCreated,
    SummitPage,
    SummitRead,
    Tokens,
    issues_read,
    protocol_read,
    summit_read,
    summit_summary,
)

MAX_PARTIES = 32


def create_summit(
    tx: Transaction,
    *,
    title: str,
    issues: Sequence[Mapping[str, Any]],
    parties: Sequence[Mapping[str, Any]],
    protocol: Mapping[str, Any],
) -> SummitCreated:
    """Create a summit in ``setup`` and return it with its tokens (shown this once only)."""
    agenda = build_agenda(issues)
    checked_protocol = build_protocol(protocol)
    _check_parties(parties)
    now = utcnow()
    summit_id = secrets.token_hex(6)
    row = SummitRow(
        id=summit_id,
        title=title,
        status=SummitStatus.SETUP.value,
        outcome=None,
        settlement=None,
        settlement_proposal_id=None,
        agenda=agenda.specs(),
        protocol=checked_protocol.spec(),
        round_number=None,
        phase=None,
        phase_deadline_at=None,
        red_lines_rev=0,
        last_seq=0,
        last_hash=GENESIS,
        created_at=now,
        started_at=None,
        concluded_at=None,
    )
    repo = SummitRepository(tx)
    repo.insert(row)
    party_rows = [
        PartyRow(summit_id=summit_id, key=p["key"], name=p.get("name") or p["key"], position=i)
        for i, p in enumerate(parties)
    ]
    repo.add_parties(party_rows)
    tokens: dict[str, str] = {}
    for party in party_rows:
        credential, token = issue_credential(summit_id, Role.DELEGATION, party.key, now)
        repo.add_credential(credential)
        tokens[party.key] = token
    convener, convener_token = issue_credential(summit_id, Role.CONVENER, None, now)
    repo.add_credential(convener)
    ctx = SummitContext(tx, row, cache_of(tx))
    write_changes(ctx)
    append_event(
        ctx,
        Role.CONVENER.value,
        SummitCreatedData(
            title=title,
            issues=issues_read(row.agenda),
            parties=[PartyRead(p.key, p.name) for p in party_rows],
            protocol=protocol_read(row.protocol),
        ),
        now,
    )
    return SummitCreated(
        summit=summit_read(ctx), tokens=Tokens(convener=convener_token, parties=tokens)
    )


def _check_parties(parties: Sequence[Mapping[str, Any]]) -> None:
    errors: list[dict[str, Any]] = []
    if not 2 <= len(parties) <= MAX_PARTIES:
        errors.append({"loc": ["parties"], "message": f"a summit seats 2 to {MAX_PARTIES} parties"})
    seen: set[str] = set()
    for i, party in enumerate(parties):
        key = party.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            errors.append(
                {
                    "loc": ["parties", i, "key"],
                    "message": f"party key {key!r} must match {KEY_PATTERN.pattern}",
                    "allowed": KEY_PATTERN.pattern,
                }
            )
        elif key in seen:
            errors.append({"loc": ["parties", i, "key"], "message": f"party '{key}' appears twice"})
        else:
            seen.add(key)
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})


def get_summit(tx: Transaction, summit_id: str) -> SummitRead:
    """Return a summit with where its current round stands."""
    ctx = load_summit(tx, summit_id)
    state = lifecycle.load_state(ctx) if ctx.status is SummitStatus.OPEN else None
    return summit_read(ctx, state)


def list_summits(
    tx: Transaction, *, status: SummitStatus | None, limit: int, offset: int
) -> SummitPage:
    """Return a page of summits, newest first."""
    repo = SummitRepository(tx)
    rows, total = repo.page(status=status, limit=limit, offset=offset)
    parties = repo.parties_of([row.id for row in rows])
    items = [summit_summary(row, {p.key: p.name for p in parties[row.id]}) for row in rows]
    return SummitPage(items=items, total=total, limit=limit, offset=offset)


def start_summit(tx: Transaction, summit_id: str, viewer: Viewer) -> SummitRead:
    """Open round 1 of a summit in setup (convener only)."""
    ctx = load_summit(tx, summit_id, for_update=True)
    require_convener(viewer, "start the summit")
    if ctx.status is not SummitStatus.SETUP:
        raise Conflict(
            f"summit {summit_id} is {ctx.row.status}; only a summit in setup can start",
            details={"status": ctx.row.status},
        )
    now = utcnow()
    ctx.set(status=SummitStatus.OPEN.value, started_at=now)
    append_event(ctx, viewer.actor, SummitStartedData(), now)
    lifecycle.open_round(ctx, 1, now)
    return summit_read(ctx, lifecycle.load_state(ctx))


def abort_summit(tx: Transaction, summit_id: str, viewer: Viewer, reason: str) -> SummitRead:
    """End a summit that has not concluded with outcome ``aborted`` (convener only)."""
    ctx = load_summit(tx, summit_id, for_update=True)
    require_convener(viewer, "abort the summit")
    if ctx.status is SummitStatus.CONCLUDED:
        raise Conflict(
            f"summit {summit_id} has already concluded ({ctx.row.outcome})",
            details={"status": ctx.row.status, "outcome": ctx.row.outcome},
        )
    lifecycle.conclude(ctx, Outcome.ABORTED, None, utcnow(), actor=viewer.actor, reason=reason)
    return summit_read(ctx)
