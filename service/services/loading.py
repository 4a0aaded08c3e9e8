"""Loading a summit for one transaction: its record and its domain objects, through the cache.

What never changes (agendas, parties) comes from the app's summit cache by summit id; what
changes with red lines (their list, the checker, the report writer) by the summit's red-line
revision, which every request reads from the summit's row, so every worker on every host sees
a change at once. Changes to the summit's row are explicit (``SummitContext.set``) and written
in one UPDATE of exactly the changed columns just before the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from service.db.models import RedLineRow, SummitRow
from service.db.repositories.preferences import PreferencesRepository
from service.db.repositories.red_lines import RedLineRepository
from service.db.repositories.summits import SummitRepository
from service.db.transaction import Transaction
from service.domain import redline
from service.domain.agenda import Agenda, build_agenda
from service.domain.checker import Checker
from service.domain.concessions import RelaxRule
from service.domain.errors import NotFound
from service.domain.preferences import Preferences, build_preferences
from service.domain.privacy import ReportWriter
from service.domain.protocol import Protocol, SummitStatus, build_protocol
from service.domain.redline.red_line import RedLine, RedLineStatus, Visibility
from service.services.cache import Compiled, RedLineExtra, RedLines, SummitCache, cache_of


def agenda_of(cache: SummitCache, tx: Transaction, summit_id: str) -> Agenda | None:
    """Return a summit's agenda (immutable, so cached by summit id); None for no summit."""
    found = cache.agendas.get(summit_id)
    if found is None:
        specs = SummitRepository(tx).agenda(summit_id)
        if specs is None:
            return None
        found = build_agenda(specs)
        cache.agendas.put(summit_id, found)
    return found


def red_lines_of(
    cache: SummitCache, tx: Transaction, summit_id: str, rev: int, agenda: Agenda
) -> RedLines:
    """Return every red line of a summit at revision ``rev``, cached per revision."""
    found = cache.tagged(cache.red_lines, summit_id, rev)
    if found is None:
        rows = RedLineRepository(tx).of_summit(summit_id)
        found = RedLines(
            tuple(to_red_line(row, agenda) for row in rows),
            {row.id: extra_of(row) for row in rows},
        )
        cache.red_lines.put(summit_id, (rev, found))
    return found


def compiled_of(
    cache: SummitCache, tx: Transaction, summit_id: str, rev: int, agenda: Agenda
) -> Compiled:
    """Return the checker and report writer of a summit at revision ``rev``."""
    found = cache.tagged(cache.compiled, summit_id, rev)
    if found is not None:
        return found
    return cache.compiled_for(
        summit_id, rev, agenda, red_lines_of(cache, tx, summit_id, rev, agenda)
    )


@dataclass
class SummitContext:
    """A summit's record with its domain objects, for one transaction."""

    tx: Transaction
    row: SummitRow
    cache: SummitCache
    # The columns changed in this transaction, written before it commits.
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Return the summit id."""
        return self.row.id

    @property
    def status(self) -> SummitStatus:
        """Return the summit's status."""
        return SummitStatus(self.row.status)

    def set(self, **changes: Any) -> None:
        """Change fields of the summit; they are written just before the commit."""
        for name, value in changes.items():
            setattr(self.row, name, value)
        self.changes.update(changes)

    @cached_property
    def agenda(self) -> Agenda:
        """Return the agenda."""
        found = self.cache.agendas.get(self.row.id)
        if found is None:
            found = build_agenda(self.row.agenda)
            self.cache.agendas.put(self.row.id, found)
        return found

    @cached_property
    def protocol(self) -> Protocol:
        """Return the protocol."""
        return build_protocol(self.row.protocol)

    def _parties(self) -> tuple[tuple[str, str], ...]:
        found = self.cache.parties.get(self.row.id)
        if found is None:
            rows = SummitRepository(self.tx).parties(self.row.id)
            found = tuple((p.key, p.name) for p in rows)
            self.cache.parties.put(self.row.id, found)
        return found

    @property
    def parties(self) -> list[str]:
        """Return the party keys in table order."""
        return [key for key, _ in self._parties()]

    def party_names(self) -> dict[str, str]:
        """Return each party's display name."""
        return dict(self._parties())

    def require_party(self, party: str) -> None:
        """Raise NotFound unless ``party`` sits at this table."""
        if party not in self.parties:
            raise NotFound(
                f"summit {self.id} has no party '{party}'",
                details={"party": party, "parties": self.parties},
            )

    def _red_lines(self) -> RedLines:
        return red_lines_of(self.cache, self.tx, self.row.id, self.row.red_lines_rev, self.agenda)

    def red_lines(self) -> tuple[RedLine, ...]:
        """Return every red line (active and relaxed), cached per red-line revision."""
        return self._red_lines().all

    def red_line_extras(self) -> dict[int, RedLineExtra]:
        """Return each red line's declaration round, relaxation note and rule, by id."""
        return self._red_lines().extras

    def red_line_map(self) -> dict[int, RedLine]:
        """Return the red lines by id."""
        return {red_line.id: red_line for red_line in self.red_lines()}

    def compiled(self) -> Compiled:
        """Return the checker and report writer, cached per red-line revision."""
        return compiled_of(self.cache, self.tx, self.row.id, self.row.red_lines_rev, self.agenda)

    def checker(self) -> Checker:
        """Return the checker over the active red lines."""
        return self.compiled().checker

    def reports(self) -> ReportWriter:
        """Return the writer of check reports over every red line."""
        return self.compiled().reports

    def preferences(self, party: str) -> Preferences | None:
        """Return a party's preferences, or None when it has set none."""
        row = PreferencesRepository(self.tx).get(self.row.id, party)
        return None if row is None else build_preferences(row.document, self.agenda)

    def all_preferences(self) -> dict[str, Preferences]:
        """Return the preferences of every party that has set them."""
        rows = PreferencesRepository(self.tx).of_summit(self.row.id)
        return {row.party_key: build_preferences(row.document, self.agenda) for row in rows}

    def red_lines_changed(
        self, red_lines: tuple[RedLine, ...], extras: dict[int, RedLineExtra]
    ) -> None:
        """Move to the next red-line revision, whose red lines are ``red_lines``.

        Once the transaction commits, the cache holds them under the new revision, so the
        next request need not read and rebuild every red line of the summit.
        """
        rev = self.row.red_lines_rev + 1
        self.set(red_lines_rev=rev)
        summit_id, cache, kept = self.row.id, self.cache, RedLines(red_lines, extras)
        self.tx.after_commit(lambda: cache.red_lines.put(summit_id, (rev, kept)))


def relax_rule(row: RedLineRow) -> RelaxRule:
    """Return the relaxation rule a red line was declared with."""
    return RelaxRule(relaxable=row.relaxable, after_round=row.relax_after_round)


def extra_of(row: RedLineRow) -> RedLineExtra:
    """Return what the API shows of a stored red line beyond the domain's red line."""
    return RedLineExtra(row.declared_round, row.relax_note, relax_rule(row))


def to_red_line(row: RedLineRow, agenda: Agenda) -> RedLine:
    """Build the domain red line of a stored row."""
    return red_line_of(row, redline.node_from_json(row.tree, agenda))


def red_line_of(row: RedLineRow, constraint: redline.Node) -> RedLine:
    """Build the domain red line of a row whose constraint is already parsed."""
    return RedLine(
        id=row.id,
        party=row.party_key,
        label=row.label,
        expr=row.expr,
        constraint=constraint,
        visibility=Visibility(row.visibility),
        status=RedLineStatus(row.status),
        rationale=row.rationale,
    )


def load_summit(tx: Transaction, summit_id: str, *, for_update: bool = False) -> SummitContext:
    """Load a summit; NotFound when there is none.

    With ``for_update`` the row is locked for the transaction and the fields the services
    change (``SummitContext.set``) are written just before the commit.
    """
    record = SummitRepository(tx).get(summit_id, for_update=for_update)
    if record is None:
        raise NotFound(f"no summit '{summit_id}'", details={"summit": summit_id})
    ctx = SummitContext(tx, record, cache_of(tx))
    if for_update:
        write_changes(ctx)
    return ctx


def write_changes(ctx: SummitContext) -> None:
    """Write the fields of the summit changed through ``ctx.set`` before the commit."""
    ctx.tx.before_commit(lambda: SummitRepository(ctx.tx).update(ctx.id, ctx.changes))
