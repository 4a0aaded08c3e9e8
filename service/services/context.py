"""Loading a summit into domain objects: agenda, protocol, parties, red lines, checker.

What never changes (agendas, parties) is cached by summit id; what changes with red lines
(their list, the checker, the report writer) by the summit's red-line revision, which every
request reads from the summit row, so every worker on every host sees a change at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session

from service.db.engine import before_commit
from service.db.models import RedLineRow
from service.db.records import SummitRecord
from service.db.repositories.red_lines import RedLineRepository
from service.db.repositories.summits import SummitRepository
from service.domain import redline
from service.domain.agenda import Agenda, build_agenda
from service.domain.checker import Checker, RedLine, RedLineStatus, Visibility
from service.domain.concessions import RelaxRule
from service.domain.errors import NotFound
from service.domain.preferences import Preferences, build_preferences
from service.domain.privacy import ReportWriter
from service.domain.protocol import Protocol, SummitStatus, build_protocol
from service.services.cache import LRU

_agendas: LRU[Agenda] = LRU(4096)
_parties: LRU[tuple[tuple[str, str], ...]] = LRU(4096)
_red_lines: LRU[tuple[tuple[RedLine, ...], dict[int, tuple[int | None, str | None, RelaxRule]]]] = (
    LRU(512)
)
# A compiled summit takes some 300 KiB (closures and tables over 40 red lines).
_compiled: LRU[Compiled] = LRU(256)


@dataclass(frozen=True)
class Compiled:
    """A summit's checker over its active red lines and the writer of its reports."""

    checker: Checker
    reports: ReportWriter


def agenda_of(
    session: Session, summit_id: str, specs: list[dict[str, Any]] | None = None
) -> Agenda:
    """Return a summit's agenda (immutable, so cached by summit id)."""

    def build() -> Agenda:
        raw = specs if specs is not None else SummitRepository(session).agenda(summit_id)
        return build_agenda(raw)

    return _agendas.get_or_build(summit_id, build)


def parties_of(session: Session, summit_id: str) -> tuple[tuple[str, str], ...]:
    """Return each party's key and name in table order (immutable, so cached)."""

    def build() -> tuple[tuple[str, str], ...]:
        return tuple((p.key, p.name) for p in SummitRepository(session).parties(summit_id))

    return _parties.get_or_build(summit_id, build)


def red_lines_of(session: Session, summit_id: str, rev: int, agenda: Agenda) -> tuple[RedLine, ...]:
    """Return every red line of a summit, cached per red-line revision."""
    return _red_line_rows(session, summit_id, rev, agenda)[0]


Extras = dict[int, tuple[int | None, str | None, RelaxRule]]


def _red_line_rows(
    session: Session, summit_id: str, rev: int, agenda: Agenda
) -> tuple[tuple[RedLine, ...], Extras]:
    def build() -> tuple[tuple[RedLine, ...], Extras]:
        rows = RedLineRepository(session).of_summit(summit_id)
        extras = {row.id: (row.declared_round, row.relax_note, relax_rule(row)) for row in rows}
        return tuple(to_red_line(row, agenda) for row in rows), extras

    return _red_lines.get_or_build((summit_id, rev), build)


def compiled_of(session: Session, summit_id: str, rev: int, agenda: Agenda) -> Compiled:
    """Return the checker and report writer of a summit, cached per red-line revision."""

    def build() -> Compiled:
        every = red_lines_of(session, summit_id, rev, agenda)
        checker = Checker(agenda, every)
        return Compiled(checker, ReportWriter(agenda, every, checker.red_lines))

    return _compiled.get_or_build((summit_id, rev), build)


def peek_compiled(summit_id: str, rev: int) -> tuple[Agenda, Compiled] | None:
    """Return the cached agenda and compiled red lines of a summit, if both are cached."""
    agenda = _agendas.get(summit_id)
    compiled = _compiled.get((summit_id, rev))
    return None if agenda is None or compiled is None else (agenda, compiled)


@dataclass
class SummitContext:
    """A summit's row with its domain objects, for one transaction."""

    session: Session
    row: SummitRecord
    _protocol: Protocol | None = field(default=None, repr=False)

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
        """Return the agenda."""
        return agenda_of(self.session, self.row.id, self.row.agenda)

    @cached_property
    def protocol(self) -> Protocol:
        """Return the protocol."""
        return build_protocol(self.row.protocol)

    @property
    def parties(self) -> list[str]:
        """Return the party keys in table order."""
        return [key for key, _ in parties_of(self.session, self.row.id)]

    def party_names(self) -> dict[str, str]:
        """Return each party's display name."""
        return dict(parties_of(self.session, self.row.id))

    def require_party(self, party: str) -> None:
        """Raise NotFound unless ``party`` sits at this table."""
        if party not in self.parties:
            raise NotFound(
                f"summit {self.id} has no party '{party}'",
                details={"party": party, "parties": self.parties},
            )

    def red_lines(self) -> tuple[RedLine, ...]:
        """Return every red line (active and relaxed), cached per red-line revision."""
        return red_lines_of(self.session, self.row.id, self.row.red_lines_rev, self.agenda)

    def red_line_extras(self) -> Extras:
        """Return each red line's declaration round, relaxation note and rule, by id."""
        return _red_line_rows(self.session, self.row.id, self.row.red_lines_rev, self.agenda)[1]

    def red_line_map(self) -> dict[int, RedLine]:
        """Return the red lines by id."""
        return {red_line.id: red_line for red_line in self.red_lines()}

    def compiled(self) -> Compiled:
        """Return the checker and report writer, cached per red-line revision."""
        return compiled_of(self.session, self.row.id, self.row.red_lines_rev, self.agenda)

    def checker(self) -> Checker:
        """Return the checker over the active red lines."""
        return self.compiled().checker

    def reports(self) -> ReportWriter:
        """Return the writer of check reports over every red line."""
        return self.compiled().reports

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


def relax_rule(row: RedLineRow) -> RelaxRule:
    """Return the relaxation rule a red line was declared with."""
    return RelaxRule(relaxable=row.relaxable, after_round=row.relax_after_round)


def load_summit(session: Session, summit_id: str, *, for_update: bool = False) -> SummitContext:
    """Load a summit; NotFound when there is none.

    With ``for_update`` the row is locked for the transaction and whatever the services
    change in it is written just before the commit.
    """
    repo = SummitRepository(session)
    record = repo.get(summit_id, for_update=for_update)
    if record is None:
        raise NotFound(f"no summit '{summit_id}'", details={"summit": summit_id})
    if for_update:
        track(session, record)
    return SummitContext(session, record)


def track(session: Session, record: SummitRecord) -> None:
    """Write ``record``'s changed fields before the transaction commits."""
    before = {f.name: getattr(record, f.name) for f in fields(record)}
    before_commit(session, lambda: SummitRepository(session).save(record, before))
