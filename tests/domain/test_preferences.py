import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.agenda import build_agenda
from service.domain.errors import InvalidInput
from service.domain.preferences import build_preferences
from tests.domain.naive import completions

AGENDA = build_agenda(
    [
        {
            "key": "assad_role",
            "kind": "options",
            "options": ["full_powers", "reduced_powers", "exit_at_signing"],
        },
        {"key": "us_withdrawal_months", "kind": "integer", "min": 0, "max": 60},
        {"key": "joint_cell", "kind": "boolean"},
    ]
)
SPEC = {
    "weights": {"assad_role": 3, "us_withdrawal_months": 1, "joint_cell": 0},
    "scores": {
        "assad_role": {"full_powers": 1.0, "reduced_powers": 0.5, "exit_at_signing": 0.0},
        "us_withdrawal_months": [[0, 1.0], [24, 0.5], [60, 0.0]],
    },
    "reservation": 0.35,
}


def test_weights_are_normalised_and_utility_is_additive():
    prefs = build_preferences(SPEC, AGENDA)
    assert prefs.weights == {"assad_role": 0.75, "us_withdrawal_months": 0.25}
    package = {"assad_role": "reduced_powers", "us_withdrawal_months": 12, "joint_cell": True}
    assert prefs.utility(package) == pytest.approx(0.75 * 0.5 + 0.25 * 0.75)
    assert prefs.reservation == 0.35


def test_piecewise_scores_interpolate_and_are_flat_beyond_the_points():
    prefs = build_preferences(
        {
            "weights": {"us_withdrawal_months": 1},
            "scores": {"us_withdrawal_months": [[12, 0.2], [36, 0.8]]},
        },
        AGENDA,
    )
    assert prefs.score("us_withdrawal_months", 0) == 0.2
    assert prefs.score("us_withdrawal_months", 24) == pytest.approx(0.5)
    assert prefs.score("us_withdrawal_months", 60) == 0.8


@pytest.mark.parametrize(
    ("spec", "loc"),
    [
        ({"weights": {}}, ["weights"]),
        ({"weights": {"nope": 1}, "scores": {}}, ["weights", "nope"]),
        ({"weights": {"assad_role": -1}, "scores": {}}, ["weights", "assad_role"]),
        ({"weights": {"assad_role": 1}}, ["scores", "assad_role"]),
        (
            {"weights": {"assad_role": 1}, "scores": {"assad_role": {"full_powers": 1.5}}},
            ["scores", "assad_role", "full_powers"],
        ),
        (
            {"weights": {"joint_cell": 1}, "scores": {"joint_cell": {"true": 1}}},
            ["scores", "joint_cell"],
        ),
        (
            {
                "weights": {"us_withdrawal_months": 1},
                "scores": {"us_withdrawal_months": [[10, 1], [5, 0]]},
            },
            ["scores", "us_withdrawal_months", 1],
        ),
        (
            {
                "weights": {"us_withdrawal_months": 1},
                "scores": {"us_withdrawal_months": [[0, 1], [61, 0]]},
            },
            ["scores", "us_withdrawal_months", 1],
        ),
        ({"weights": {"assad_role": 0}, "scores": {}}, ["weights"]),
        ({**SPEC, "reservation": 2}, ["reservation"]),
    ],
)
def test_bad_preferences_are_refused_with_their_location(spec, loc):
    with pytest.raises(InvalidInput) as caught:
        build_preferences(spec, AGENDA)
    assert loc in [e["loc"] for e in caught.value.details["errors"]]


small = build_agenda(
    [
        {"key": "a", "kind": "options", "options": ["x", "y", "z"]},
        {"key": "n", "kind": "integer", "min": 0, "max": 6},
        {"key": "b", "kind": "boolean"},
    ]
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=3, max_size=3).filter(lambda ws: sum(ws) > 0.01),
    st.lists(st.floats(0, 1), min_size=9, max_size=9),
    st.fixed_dictionaries(
        {},
        optional={
            "a": st.sampled_from(["x", "y", "z"]),
            "n": st.integers(0, 6),
            "b": st.booleans(),
        },
    ),
)
def test_bounds_contain_the_utility_of_every_completion(ws, ss, partial):
    prefs = build_preferences(
        {
            "weights": {"a": ws[0], "n": ws[1], "b": ws[2]},
            "scores": {
                "a": {"x": ss[0], "y": ss[1], "z": ss[2]},
                "n": [[0, ss[3]], [3, ss[4]], [6, ss[5]]],
                "b": {"true": ss[6], "false": ss[7]},
            },
        },
        small,
    )
    low, high = prefs.bounds(partial, small)
    utilities = [prefs.utility(full) for full in completions(partial, small)]
    assert low == pytest.approx(min(utilities))
    assert high == pytest.approx(max(utilities))
