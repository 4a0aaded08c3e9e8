"""Every query on the moves of rounds: proposals, passes and responses."""

from __future__ import annotations

from sqlalchemy import Table, and_, bindparam, func, select

from service.db.base import table_of
from service.db.models import PassRow, ProposalRow, ResponseRow
from service.db.repositories._executor import Executor, Statement, columns, values
from service.db.transaction import Transaction

PROPOSAL = table_of(ProposalRow)
PASS = table_of(PassRow)
RESPONSE = table_of(ResponseRow)

Move = ProposalRow | PassRow | ResponseRow

_INSERT: dict[type[Move], Statement] = {
    kind: Statement(
        table.insert().returning(table.c.id), column_keys=columns(table, without=("id",))
    )
    for kind, table in ((ProposalRow, PROPOSAL), (PassRow, PASS), (ResponseRow, RESPONSE))
}


def _by_summit(table: Table) -> tuple[Statement, Statement]:
    query = select(table).where(table.c.summit_id == bindparam("summit")).order_by(table.c.id)
    return Statement(query), Statement(query.where(table.c.round == bindparam("round")))


_PROPOSALS, _PROPOSALS_OF_ROUND = _by_summit(PROPOSAL)
_PASSES, _PASSES_OF_ROUND = _by_summit(PASS)
_RESPONSES, _RESPONSES_OF_ROUND = _by_summit(RESPONSE)
_PROPOSAL = Statement(
    select(PROPOSAL).where(
        PROPOSAL.c.id == bindparam("id"), PROPOSAL.c.summit_id == bindparam("summit")
    )
)


class RoundRepository:
    """Proposals, passes and responses, by summit and round."""

    def __init__(self, tx: Transaction) -> None:
        self.run = Executor(tx)

    def add(self, record: Move) -> None:
        """Insert a move and set its id."""
        row = self.run.first(_INSERT[type(record)], **values(record))
        assert row is not None
        record.id = row["id"]

    def add_responses(self, records: list[ResponseRow]) -> None:
        """Insert several answers."""
        for record in records:
            self.add(record)

    def proposals(self, summit_id: str, round_number: int | None = None) -> list[ProposalRow]:
        """Return the proposals of one round (or of every round) in the order tabled."""
        query = _PROPOSALS if round_number is None else _PROPOSALS_OF_ROUND
        return self.run.records(ProposalRow, query, summit=summit_id, round=round_number)

    def proposal(self, summit_id: str, proposal_id: int) -> ProposalRow | None:
        """Return one proposal of a summit."""
        return self.run.record(ProposalRow, _PROPOSAL, id=proposal_id, summit=summit_id)

    def previous_proposals(
        self, summit_id: str, parties: list[str], before_round: int
    ) -> dict[str, ProposalRow]:
        """Return each party's latest proposal from an earlier round, by party."""
        last = (
            select(PROPOSAL.c.party_key, func.max(PROPOSAL.c.round).label("round"))
            .where(
                PROPOSAL.c.summit_id == summit_id,
                PROPOSAL.c.party_key.in_(parties),
                PROPOSAL.c.round < before_round,
            )
            .group_by(PROPOSAL.c.party_key)
            .subquery()
        )
        query = (
            select(PROPOSAL)
            .join(
                last,
                and_(PROPOSAL.c.party_key == last.c.party_key, PROPOSAL.c.round == last.c.round),
            )
            .where(PROPOSAL.c.summit_id == summit_id)
        )
        records = [ProposalRow(**row) for row in self.run.dynamic(query)]
        return {record.party_key: record for record in records if record.party_key is not None}

    def passes(self, summit_id: str, round_number: int | None = None) -> list[PassRow]:
        """Return the passes of one round (or of every round)."""
        query = _PASSES if round_number is None else _PASSES_OF_ROUND
        return self.run.records(PassRow, query, summit=summit_id, round=round_number)

    def responses(self, summit_id: str, round_number: int | None = None) -> list[ResponseRow]:
        """Return the responses of one round (or of every round)."""
        query = _RESPONSES if round_number is None else _RESPONSES_OF_ROUND
        return self.run.records(ResponseRow, query, summit=summit_id, round=round_number)
