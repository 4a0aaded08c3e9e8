import pytest

from service.domain.agenda import build_agenda
from service.domain.errors import InvalidInput

SPECS = [
    {
        "key": "assad_role",
        "title": "Role",
        "kind": "options",
        "options": ["full_powers", "reduced_powers", "exit_at_signing"],
    },
    {"key": "us_withdrawal_months", "kind": "integer", "min": 0, "max": 60},
    {"key": "joint_cell", "kind": "boolean"},
]


def agenda():
    return build_agenda(SPECS)


def test_full_package_is_returned_in_agenda_order():
    package = agenda().validate_package(
        {"joint_cell": True, "us_withdrawal_months": 18, "assad_role": "full_powers"}
    )
    assert list(package) == ["assad_role", "us_withdrawal_months", "joint_cell"]


def test_partial_package_is_accepted_and_not_full():
    package = agenda().validate_package({"us_withdrawal_months": 0})
    assert package == {"us_withdrawal_months": 0}


def test_every_problem_names_the_issue_and_its_domain():
    with pytest.raises(InvalidInput) as caught:
        agenda().validate_package(
            {"assad_role": "abdication", "us_withdrawal_months": 61, "oil": 1}
        )
    errors = caught.value.details["errors"]
    assert [e["loc"] for e in errors] == [
        ["package", "assad_role"],
        ["package", "us_withdrawal_months"],
        ["package", "oil"],
    ]
    assert errors[0]["allowed"] == {
        "kind": "options",
        "options": ["full_powers", "reduced_powers", "exit_at_signing"],
    }
    assert errors[1]["allowed"] == {"kind": "integer", "min": 0, "max": 60}
    assert errors[2]["allowed"] == ["assad_role", "us_withdrawal_months", "joint_cell"]
    assert "exit_at_signing" in caught.value.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("us_withdrawal_months", True),
        ("us_withdrawal_months", 12.0),
        ("joint_cell", 1),
        ("joint_cell", "true"),
        ("assad_role", 0),
    ],
)
def test_values_are_typed_strictly(key, value):
    with pytest.raises(InvalidInput):
        agenda().validate_package({key: value})


def test_full_package_with_a_wrong_type_is_refused_on_the_fast_path_too():
    with pytest.raises(InvalidInput):
        agenda().validate_package(
            {"assad_role": "full_powers", "us_withdrawal_months": 3.0, "joint_cell": True}
        )


def test_package_must_be_an_object():
    with pytest.raises(InvalidInput, match="JSON object"):
        agenda().validate_package(["assad_role"])


@pytest.mark.parametrize(
    ("specs", "loc", "fragment"),
    [
        ([], ["issues"], "at least one issue"),
        ([{"key": "Bad", "kind": "boolean"}], ["issues", 0, "key"], "must match"),
        (
            [{"key": "not", "kind": "boolean"}],
            ["issues", 0, "key"],
            "word of the red-line language",
        ),
        ([{"key": "x", "kind": "float"}], ["issues", 0, "kind"], "not one of"),
        ([{"key": "x", "kind": "options", "options": ["a"]}], ["issues", 0, "options"], "2 to"),
        (
            [{"key": "x", "kind": "options", "options": ["a", "a"]}],
            ["issues", 0, "options"],
            "distinct",
        ),
        (
            [{"key": "x", "kind": "options", "options": ["a", "true"]}],
            ["issues", 0, "options", 1],
            "word",
        ),
        ([{"key": "x", "kind": "integer", "min": 5, "max": 5}], ["issues", 0], "min < max"),
        ([{"key": "x", "kind": "integer", "min": 0}], ["issues", 0, "max"], "integer 'max'"),
        (
            [{"key": "x", "kind": "boolean"}, {"key": "x", "kind": "boolean"}],
            ["issues", 1, "key"],
            "twice",
        ),
        (
            [
                {
                    "key": "x",
                    "kind": "options",
                    "options": ["a", "b"],
                    "option_descriptions": {"c": "?"},
                }
            ],
            ["issues", 0, "option_descriptions", "c"],
            "not an option",
        ),
    ],
)
def test_bad_agendas_are_refused_with_the_location(specs, loc, fragment):
    with pytest.raises(InvalidInput) as caught:
        build_agenda(specs)
    errors = caught.value.details["errors"]
    assert any(e["loc"] == loc and fragment in e["message"] for e in errors), errors


def test_issue_spec_round_trips():
    built = agenda()
    assert build_agenda(built.specs()) == built
