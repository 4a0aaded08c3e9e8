"""Queries on the moves of rounds (Core): proposals, passes and responses.

Statements are built once with bind parameters: SQLAlchemy then reuses their compiled form.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, and_, bindparam, func, select
from sqlalchemy.orm import Session

from service.db.fast import Fast, Statement
from service.db.records import (
    PASS,
    PROPOSAL,
    RESPONSE,
    PassRecord,
    ProposalRecord,
    ResponseRecord,
    from_row,
    values,
)

_INSERT = {
    kind: Statement(
        table.insert().returning(table.c.id),
        column_keys=[column.key for column in table.columns if column.key != "id"],
    )
    for kind, table in ((ProposalRecord, PROPOSAL), (PassRecord, PASS), (ResponseRecord, RESPONSE))
}
_SUMMIT: BindParameter[str] = bindparam("summit")
_ROUND: BindParameter[int] = bindparam("round")
_PROPOSALS_QUERY = select(PROPOSAL).where(PROPOSAL.c.summit_id == _SUMMIT).order_by(PROPOSAL.c.id)
_PROPOSALS = Statement(_PROPOSALS_QUERY)
_PROPOSALS_OF_ROUND = Statement(_PROPOSALS_QUERY.where(PROPOSAL.c.round == _ROUND))
_PROPOSAL = Statement(
    select(PROPOSAL).where(PROPOSAL.c.id == bindparam("id"), PROPOSAL.c.summit_id == _SUMMIT)
)
_PASSES_QUERY = select(PASS).where(PASS.c.summit_id == _SUMMIT).order_by(PASS.c.id)
_PASSES = Statement(_PASSES_QUERY)
_PASSES_OF_ROUND = Statement(_PASSES_QUERY.where(PASS.c.round == _ROUND))
_RESPONSES_QUERY = select(RESPONSE).where(RESPONSE.c.summit_id == _SUMMIT).order_by(RESPONSE.c.id)
_RESPONSES = Statement(_RESPONSES_QUERY)
_RESPONSES_OF_ROUND = Statement(_RESPONSES_QUERY.where(RESPONSE.c.round == _ROUND))


class RoundRepository:
    """Proposals, passes and responses, by summit and round."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.fast = Fast(session)

    def add(self, record: ProposalRecord | PassRecord | ResponseRecord) -> None:
        """Insert a move and set its id."""
        row = self.fast.first(_INSERT[type(record)], **values(record))
        assert row is not None
        record.id = row["id"]

    def add_responses(self, records: list[ResponseRecord]) -> None:
        """Insert several answers."""
        for record in records:
            self.add(record)

    def proposals(self, summit_id: str, round_number: int | None = None) -> list[ProposalRecord]:
        """Return the proposals of one round (or of every round) in the order tabled."""
        query = _PROPOSALS if round_number is None else _PROPOSALS_OF_ROUND
        rows = self.fast.all(query, summit=summit_id, round=round_number)
        return [ProposalRecord(**row) for row in rows]

    def proposal(self, summit_id: str, proposal_id: int) -> ProposalRecord | None:
        """Return one proposal of a summit."""
        row = self.fast.first(_PROPOSAL, id=proposal_id, summit=summit_id)
        return None if row is None else ProposalRecord(**row)

    def previous_proposals(
        self, summit_id: str, parties: list[str], before_round: int
    ) -> dict[str, ProposalRecord]:
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
        rows = self.session.connection().execute(query)
        records = [from_row(ProposalRecord, row) for row in rows]
        return {record.party_key: record for record in records if record.party_key is not None}

    def passes(self, summit_id: str, round_number: int | None = None) -> list[PassRecord]:
        """Return the passes of one round (or of every round)."""
        query = _PASSES if round_number is None else _PASSES_OF_ROUND
        rows = self.fast.all(query, summit=summit_id, round=round_number)
        return [PassRecord(**row) for row in rows]

    def responses(self, summit_id: str, round_number: int | None = None) -> list[ResponseRecord]:
        """Return the responses of one round (or of every round)."""
        query = _RESPONSES if round_number is None else _RESPONSES_OF_ROUND
        rows = self.fast.all(query, summit=summit_id, round=round_number)
        return [ResponseRecord(**row) for row in rows]
