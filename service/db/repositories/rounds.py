"""Queries on the moves of rounds: proposals, passes and responses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import PassRow, ProposalRow, ResponseRow


class RoundRepository:
    """Proposals, passes and responses, by summit and round."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: ProposalRow | PassRow | ResponseRow) -> None:
        """Stage moves and give them their ids."""
        self.session.add_all(rows)
        self.session.flush()

    def proposals(self, summit_id: str, round_number: int | None = None) -> list[ProposalRow]:
        """Return the proposals of one round (or of every round) in the order tabled."""
        query = select(ProposalRow).where(ProposalRow.summit_id == summit_id)
        if round_number is not None:
            query = query.where(ProposalRow.round == round_number)
        return list(self.session.scalars(query.order_by(ProposalRow.id)).all())

    def proposal(self, summit_id: str, proposal_id: int) -> ProposalRow | None:
        """Return one proposal of a summit."""
        row = self.session.get(ProposalRow, proposal_id)
        return row if row is not None and row.summit_id == summit_id else None

    def previous_proposal(
        self, summit_id: str, party: str, before_round: int
    ) -> ProposalRow | None:
        """Return a party's latest proposal from an earlier round."""
        query = (
            select(ProposalRow)
            .where(
                ProposalRow.summit_id == summit_id,
                ProposalRow.party_key == party,
                ProposalRow.round < before_round,
            )
            .order_by(ProposalRow.round.desc())
            .limit(1)
        )
        return self.session.scalars(query).first()

    def passes(self, summit_id: str, round_number: int | None = None) -> list[PassRow]:
        """Return the passes of one round (or of every round)."""
        query = select(PassRow).where(PassRow.summit_id == summit_id)
        if round_number is not None:
            query = query.where(PassRow.round == round_number)
        return list(self.session.scalars(query.order_by(PassRow.id)).all())

    def responses(self, summit_id: str, round_number: int | None = None) -> list[ResponseRow]:
        """Return the responses of one round (or of every round)."""
        query = select(ResponseRow).where(ResponseRow.summit_id == summit_id)
        if round_number is not None:
            query = query.where(ResponseRow.round == round_number)
        return list(self.session.scalars(query.order_by(ResponseRow.id)).all())
