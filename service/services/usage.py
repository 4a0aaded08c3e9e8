"""How much each delegation used the checker: the convener's view of the counts."""

from __future__ import annotations

from collections.abc import Mapping

from service.db.repositories.summits import SummitRepository
from service.db.transaction import Transaction
from service.domain.privacy import Role, Viewer
from service.services.auth import require_convener
from service.services.loading import load_summit
from service.services.results.red_lines import CheckCounts


def check_counts(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    by_selector: Mapping[str | None, int],
    *,
    since: str,
) -> CheckCounts:
    """Map check counts by token selector (None: anonymous) to the summit's parties.

    Every party is listed, with 0 when it made no check; the convener's own checks and
    anonymous ones are counted apart; ``since`` is when the counting began.
    """
    ctx = load_summit(tx, summit_id)
    require_convener(viewer, "see how many checks each delegation made")
    credentials = SummitRepository(tx).credentials(ctx.id)
    parties = dict.fromkeys(ctx.parties, 0)
    convener = 0
    for credential in credentials:
        used = by_selector.get(credential.id, 0)
        if credential.role == Role.CONVENER.value:
            convener += used
        elif credential.party_key in parties:
            parties[credential.party_key] += used
    return CheckCounts(
        parties=parties, convener=convener, anonymous=by_selector.get(None, 0), since=since
    )
