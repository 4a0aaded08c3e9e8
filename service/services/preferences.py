"""Setting and reading a party's preferences (private to it and the convener)."""

from __future__ import annotations

from typing import Any

from service.db.models import PreferencesRow
from service.db.repositories.preferences import PreferencesRepository
from service.db.transaction import Transaction
from service.domain.errors import Forbidden, NotFound
from service.domain.preferences import build_preferences
from service.domain.privacy import Viewer
from service.domain.protocol import SummitStatus
from service.services.auth import require_token
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import SummitContext, load_summit
from service.services.red_lines import require_writable
from service.services.results.event_data import PreferencesSetData, PreferencesSpec
from service.services.results.red_lines import PreferencesRead
from service.services.review import opened


def _preferences_read(row: PreferencesRow, ctx: SummitContext) -> PreferencesRead:
    prefs = build_preferences(row.document, ctx.agenda)
    return PreferencesRead(
        party=row.party_key,
        weights=row.document["weights"],
        scores=row.document["scores"],
        reservation=row.document["reservation"],
        normalised_weights=dict(prefs.weights),
        updated_at=row.updated_at.isoformat(),
    )


def _may_see_preferences(viewer: Viewer, party: str, action: str) -> None:
    require_token(viewer, action)
    if not viewer.sees_private(party):
        raise Forbidden(f"the preferences of {party} are private to it and the convener")


def put_preferences(
    tx: Transaction, summit_id: str, party: str, viewer: Viewer, document: dict[str, Any]
) -> PreferencesRead:
    """Set a party's preferences (the party itself or the convener)."""
    ctx = load_summit(tx, summit_id, for_update=True)
    ctx.require_party(party)
    _may_see_preferences(viewer, party, "setting preferences")
    require_writable(ctx)
    prefs = build_preferences(document, ctx.agenda)
    now = utcnow()
    row = PreferencesRow(
        summit_id=ctx.id, party_key=party, document=dict(prefs.spec), updated_at=now
    )
    PreferencesRepository(tx).put(row)
    append_event(ctx, viewer.actor, PreferencesSetData(party, PreferencesSpec(**row.document)), now)
    return _preferences_read(row, ctx)


def get_preferences(tx: Transaction, summit_id: str, party: str, viewer: Viewer) -> PreferencesRead:
    """Return a party's preferences (the party itself or the convener; anyone once declassified)."""
    ctx = load_summit(tx, summit_id)
    ctx.require_party(party)
    if ctx.status is SummitStatus.CONCLUDED:
        viewer = opened(tx, ctx.id, viewer)
    if not viewer.declassified:
        _may_see_preferences(viewer, party, "reading preferences")
    row = PreferencesRepository(tx).get(ctx.id, party)
    if row is None:
        raise NotFound(f"{party} has set no preferences", details={"party": party})
    return _preferences_read(row, ctx)
