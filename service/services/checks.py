"""Checking a package against a summit's active red lines: ``POST /check``, the hottest read."""

from __future__ import annotations

from service.db.engine import Database
from service.db.repositories.summits import SummitRepository
from service.db.transaction import Transaction
from service.domain.errors import NotFound
from service.domain.privacy import Viewer
from service.domain.reports import CheckReportView
from service.services.auth import authenticate
from service.services.cache import SummitCache, cache_of, use_cache
from service.services.loading import agenda_of, compiled_of


def check_package(
    db: Database, cache: SummitCache, summit_id: str, token: str | None, package: object
) -> CheckReportView:
    """Identify the caller and check a package for it, in one short read transaction."""
    with db.transaction(write=False) as tx:
        use_cache(tx, cache)
        return check(tx, summit_id, authenticate(tx, summit_id, token), package)


def is_compiled(cache: SummitCache, summit_id: str) -> bool:
    """Say whether this worker has compiled the summit's red lines (at some revision).

    Then a check is short work: at worst a new revision compiles its new red lines only.
    """
    return cache.compiled.get(summit_id) is not None


def check(tx: Transaction, summit_id: str, viewer: Viewer, package: object) -> CheckReportView:
    """Check a package against every active red line; the report is redacted for the caller.

    One small query reads the summit's red-line revision; the agenda and the compiled red
    lines come from the cache when they were kept at that revision.
    """
    cache = cache_of(tx)
    head = SummitRepository(tx).head(summit_id)
    agenda = None if head is None else agenda_of(cache, tx, summit_id)
    if head is None or agenda is None:
        raise NotFound(f"no summit '{summit_id}'", details={"summit": summit_id})
    compiled = compiled_of(cache, tx, summit_id, head.red_lines_rev, agenda)
    checked = agenda.validate_package(package)
    return compiled.reports.live(compiled.checker.check(checked), viewer, checked)
