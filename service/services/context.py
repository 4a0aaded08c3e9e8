"""Loading a summit into domain objects: agenda, protocol, parties, red lines, checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.orm import Session

from service.db.models import RedLineRow, SummitRow
from service.db.repositories.red_lines import RedLineRepository
from service.db.repositories.summits import SummitRepository
from service.domain import redline
from service.domain.agenda import Agenda, build_agenda
from service.domain.checker import Checker, RedLine, RedLineStatus, Visibility
from service.domain.errors import NotFound
from service.domain.preferences import Preferences, build_preferences
from service.domain.protocol import Protocol, SummitStatus, build_protocol
from service.services.cache import LRU

_agendas: LRU[Agenda] = LRU(512)
_red_lines: LRU[tuple[RedLine, ...]] = LRU(512)
_checkers: LRU[Checker] = LRU(512)


@dataclass
class SummitContext:
    """A summit row with its domain objects, built lazily and cached across requests."""

    session: Session
    row: SummitRow
    _parties: list[str] | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        """Return the summit id."""
        return self.row.id

    @property
    def status(self) -> SummitStatus:
        """Return the summit's status."""
        return SummitStatus(self.row.status)

    @cached_property
    def agenda(self) -> Agenda:
        """Return the agenda (immutable, so cached by summit id)."""
        return _agendas.get_or_build(self.row.id, lambda: build_agenda(self.row.agenda))

    @cached_property
    def protocol(self) -> Protocol:
        """Return the protocol."""
        return build_protocol(self.row.protocol)

    @property
    def parties(self) -> list[str]:
        """Return the party keys in table order."""
        if self._parties is None:
            rows = SummitRepository(self.session).parties(self.row.id)
            self._parties = [row.key for row in rows]
        return self._parties

    def party_names(self) -> dict[str, str]:
        """Return each party's display name."""
        return {row.key: row.name for row in SummitRepository(self.session).parties(self.row.id)}

    def require_party(self, party: str) -> None:
        """Raise NotFound unless ``party`` sits at this table."""
        if party not in self.parties:
            raise NotFound(
                f"summit {self.id} has no party '{party}'",
                details={"party": party, "parties": self.parties},
            )

    def red_lines(self) -> tuple[RedLine, ...]:
        """Return every red line (active and relaxed), cached per red-line revision."""
        key = (self.row.id, self.row.red_lines_rev)
        return _red_lines.get_or_build(key, self._load_red_lines)

    def _load_red_lines(self) -> tuple[RedLine, ...]:
        rows = RedLineRepository(self.session).of_summit(self.row.id)
        return tuple(to_red_line(row, self.agenda) for row in rows)

    def red_line_map(self) -> dict[int, RedLine]:
        """Return the red lines by id."""
        return {red_line.id: red_line for red_line in self.red_lines()}

    def checker(self) -> Checker:
        """Return the checker over the active red lines, cached per red-line revision."""
        key = (self.row.id, self.row.red_lines_rev)
        return _checkers.get_or_build(key, lambda: Checker(self.agenda, self.red_lines()))

    def preferences(self, party: str) -> Preferences | None:
        """Return a party's preferences, or None when it has set none."""
        row = RedLineRepository(self.session).preferences(self.row.id, party)
        return None if row is None else build_preferences(row.document, self.agenda)

    def all_preferences(self) -> dict[str, Preferences]:
        """Return the preferences of every party that has set them."""
        rows = RedLineRepository(self.session).all_preferences(self.row.id)
        return {row.party_key: build_preferences(row.document, self.agenda) for row in rows}

    def touch_red_lines(self) -> None:
        """Note that red lines changed, so cached checkers are rebuilt."""
        self.row.red_lines_rev += 1


def to_red_line(row: RedLineRow, agenda: Agenda) -> RedLine:
    """Build the domain red line of a stored row."""
    return RedLine(
        id=row.id,
        party=row.party_key,
        label=row.label,
        expr=row.expr,
        constraint=redline.node_from_json(row.tree, agenda),
        visibility=Visibility(row.visibility),
        status=RedLineStatus(row.status),
        rationale=row.rationale,
    )


def load_summit(session: Session, summit_id: str, *, for_update: bool = False) -> SummitContext:
    """Load a summit, locking its row for a write; NotFound when there is none."""
    row = SummitRepository(session).get(summit_id, for_update=for_update)
    if row is None:
        raise NotFound(f"no summit '{summit_id}'", details={"summit": summit_id})
    return SummitContext(session, row)
