"""Repositories own every query: records in, records out, explicit updates, SQLAlchemy's
errors (the executor turns driver errors into them)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from service.db.models import ConcessionRow, EventRow, PartyRow, PreferencesRow, SummitRow
from service.db.repositories.concessions import ConcessionRepository
from service.db.repositories.events import EventRepository
from service.db.repositories.preferences import PreferencesRepository
from service.db.repositories.summits import SummitRepository

NOW = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def summit(summit_id: str = "s1") -> SummitRow:
    return SummitRow(
        id=summit_id,
        title="T",
        status="setup",
        outcome=None,
        settlement=None,
        settlement_proposal_id=None,
        agenda=[{"key": "x", "title": "X", "kind": "boolean", "description": ""}],
        protocol={"name": "simultaneous", "max_rounds": 2, "phase_seconds": None},
        round_number=None,
        phase=None,
        phase_deadline_at=None,
        last_hash="0" * 64,
        created_at=NOW,
        started_at=None,
        concluded_at=None,
    )


@pytest.fixture
def stored(database):
    with database.transaction(write=True) as tx:
        repo = SummitRepository(tx)
        repo.insert(summit())
        repo.add_parties([PartyRow(summit_id="s1", key="a", name="A", position=0)])
    return database


def test_a_summit_comes_back_as_it_went_in(stored):
    with stored.transaction(write=False) as tx:
        found = SummitRepository(tx).get("s1")
    assert found == summit()
    assert found.created_at.tzinfo is UTC


def test_an_update_writes_exactly_the_columns_it_names(stored):
    with stored.transaction(write=True) as tx:
        SummitRepository(tx).update("s1", {"status": "open", "round_number": 1})
        SummitRepository(tx).update("s1", {})
    with stored.transaction(write=False) as tx:
        found = SummitRepository(tx).get("s1")
    assert (found.status, found.round_number) == ("open", 1)
    assert found.title == "T"
    assert found.agenda == summit().agenda


def test_a_failed_transaction_leaves_nothing(stored):
    def change_then_fail() -> None:
        with stored.transaction(write=True) as tx:
            repo = SummitRepository(tx)
            repo.update("s1", {"title": "changed"})
            repo.add_parties([PartyRow(summit_id="s1", key="a", name="again", position=1)])

    with pytest.raises(IntegrityError):
        change_then_fail()
    with stored.transaction(write=False) as tx:
        repo = SummitRepository(tx)
        assert repo.get("s1").title == "T"
        assert [p.name for p in repo.parties("s1")] == ["A"]


def test_events_are_read_in_order_after_a_seq_and_up_to_a_limit(stored):
    with stored.transaction(write=True) as tx:
        events = EventRepository(tx)
        for seq in (1, 2, 3):
            events.add(
                EventRow(
                    summit_id="s1",
                    seq=seq,
                    at=NOW,
                    type="t",
                    actor="system",
                    data={"n": seq},
                    hash=str(seq) * 64,
                )
            )
    with stored.transaction(write=False) as tx:
        events = EventRepository(tx)
        assert [e.seq for e in events.after("s1")] == [1, 2, 3]
        assert [e.data for e in events.after("s1", after=1, limit=1)] == [{"n": 2}]
        assert SummitRepository(tx).event_heads(["s1", "nope"]) == {"s1": 0}


def test_concessions_get_their_ids_and_are_read_by_round(stored):
    with stored.transaction(write=True) as tx:
        ledger = ConcessionRepository(tx)
        rows = [
            ConcessionRow(summit_id="s1", round=r, party_key="a", kind="explicit", created_at=NOW)
            for r in (1, 2, None)
        ]
        for row in rows:
            ledger.add(row)
    assert [row.id for row in rows] == sorted({row.id for row in rows})
    with stored.transaction(write=False) as tx:
        ledger = ConcessionRepository(tx)
        assert [c.round for c in ledger.of_summit("s1")] == [1, 2, None]
        assert [c.id for c in ledger.of_summit("s1", 2)] == [rows[1].id]


def test_preferences_are_replaced_not_duplicated(stored):
    for weight in (1.0, 2.0):
        with stored.transaction(write=True) as tx:
            PreferencesRepository(tx).put(
                PreferencesRow(
                    summit_id="s1", party_key="a", document={"w": weight}, updated_at=NOW
                )
            )
    with stored.transaction(write=False) as tx:
        repo = PreferencesRepository(tx)
        assert [p.document for p in repo.of_summit("s1")] == [{"w": 2.0}]
        assert repo.get("s1", "b") is None
