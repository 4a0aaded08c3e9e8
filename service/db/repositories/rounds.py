"""Queries on the moves of rounds (Core): proposals, passes and responses.

Statements are built once with bind parameters: SQLAlchemy then reuses their compiled form.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, and_, bindparam, func, select
from sqlalchemy.orm import Session

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
    ProposalRecord: PROPOSAL.insert().returning(PROPOSAL.c.id),
    PassRecord: PASS.insert().returning(PASS.c.id),
    ResponseRecord: RESPONSE.insert().returning(RESPONSE.c.id),
}
_SUMMIT: BindParameter[str] = bindparam("summit")
_ROUND: BindParameter[int] = bindparam("round")
_PROPOSALS = select(PROPOSAL).where(PROPOSAL.c.summit_id == _SUMMIT).order_by(PROPOSAL.c.id)
_PROPOSALS_OF_ROUND = _PROPOSALS.where(PROPOSAL.c.round == _ROUND)
_PROPOSAL = select(PROPOSAL).where(
    PROPOSAL.c.id == bindparam("id"), PROPOSAL.c.summit_id == _SUMMIT
)
_PASSES = select(PASS).where(PASS.c.summit_id == _SUMMIT).order_by(PASS.c.id)
_PASSES_OF_ROUND = _PASSES.where(PASS.c.round == _ROUND)
_RESPONSES = select(RESPONSE).where(RESPONSE.c.summit_id == _SUMMIT).order_by(RESPONSE.c.id)
_RESPONSES_OF_ROUND = _RESPONSES.where(RESPONSE.c.round == _ROUND)


class RoundRepository:
    """Proposals, passes and responses, by summit and round."""

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()

    def add(self, record: ProposalRecord | PassRecord | ResponseRecord) -> None:
        """Insert a move and set its id."""
        record.id = self.connection.execute(_INSERT[type(record)], values(record)).scalar_one()

    def add_responses(self, records: list[ResponseRecord]) -> None:
        """Insert several answers."""
        for record in records:
            self.add(record)

    def proposals(self, summit_id: str, round_number: int | None = None) -> list[ProposalRecord]:
        """Return the proposals of one round (or of every round) in the order tabled."""
        query = _PROPOSALS if round_number is None else _PROPOSALS_OF_ROUND
        rows = self.connection.execute(query, {"summit": summit_id, "round": round_number})
        return [from_row(ProposalRecord, row) for row in rows]

    def proposal(self, summit_id: str, proposal_id: int) -> ProposalRecord | None:
        """Return one proposal of a summit."""
        row = self.connection.execute(_PROPOSAL, {"id": proposal_id, "summit": summit_id}).first()
        return None if row is None else from_row(ProposalRecord, row)

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
        records = [from_row(ProposalRecord, row) for row in self.connection.execute(query)]
        return {record.party_key: record for record in records if record.party_key is not None}

    def passes(self, summit_id: str, round_number: int | None = None) -> list[PassRecord]:
        """Return the passes of one round (or of every round)."""
        query = _PASSES if round_number is None else _PASSES_OF_ROUND
        rows = self.connection.execute(query, {"summit": summit_id, "round": round_number})
        return [from_row(PassRecord, row) for row in rows]

    def responses(self, summit_id: str, round_number: int | None = None) -> list[ResponseRecord]:
        """Return the responses of one round (or of every round)."""
        query = _RESPONSES if round_number is None else _RESPONSES_OF_ROUND
        rows = self.connection.execute(query, {"summit": summit_id, "round": round_number})
        return [from_row(ResponseRecord, row) for row in rows]
