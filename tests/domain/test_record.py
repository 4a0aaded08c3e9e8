from dataclasses import replace

from service.domain.record import GENESIS, ChainedEvent, canonical_json, event_hash, verify_chain


def chain(n):
    events, previous = [], GENESIS
    for seq in range(1, n + 1):
        fields = {
            "seq": seq,
            "at": f"2026-11-24T10:00:0{seq % 10}.000000Z",
            "type": "t",
            "actor": "convener",
            "data": {"k": seq, "é": [1.5, None]},
        }
        previous = event_hash(previous, **fields)
        events.append(ChainedEvent(**fields, hash=previous))
    return events


def test_canonical_json_is_order_independent_and_compact():
    assert (
        canonical_json({"b": 1, "a": [1, {"d": 2, "c": "é"}]}) == '{"a":[1,{"c":"é","d":2}],"b":1}'
    )


def test_an_untouched_chain_verifies():
    events = chain(5)
    result = verify_chain(events, expected_last=events[-1].hash)
    assert (result.valid, result.events, result.first_bad_seq) == (True, 5, None)


def test_an_edited_event_is_the_first_bad_one():
    events = chain(5)
    events[2] = replace(events[2], data={"k": 99})
    result = verify_chain(events)
    assert (result.valid, result.first_bad_seq) == (False, 3)


def test_a_gap_in_seq_is_caught():
    events = chain(5)
    del events[1]
    assert verify_chain(events).first_bad_seq == 2


def test_a_dropped_tail_is_caught_by_the_recorded_head():
    events = chain(5)
    result = verify_chain(events[:3], expected_last=events[-1].hash)
    assert (result.valid, result.first_bad_seq) == (False, 4)


def test_a_rewritten_chain_still_breaks_at_the_edit_when_hashes_are_recomputed_downstream_only():
    events = chain(4)
    forged = replace(events[1], actor="party:russia")
    assert verify_chain([events[0], forged, *events[2:]]).first_bad_seq == 2
