import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.agenda import build_agenda
from service.domain.errors import InvalidInput
from service.domain.redline import (
    And,
    Compare,
    Implies,
    Member,
    Not,
    Or,
    node_from_json,
    node_to_json,
    parse_expr,
    render,
)
from service.domain.redline.nodes import MAX_DEPTH
from tests.generators import agendas, trees_json

AGENDA = build_agenda(
    [
        {
            "key": "assad_role",
            "kind": "options",
            "options": ["full_powers", "reduced_powers", "transition_then_exit", "exit_at_signing"],
        },
        {"key": "us_withdrawal_months", "kind": "integer", "min": 0, "max": 60},
        {"key": "joint_counter_isis_cell", "kind": "boolean"},
        {"key": "notable", "kind": "boolean"},
        {"key": "order_", "kind": "boolean"},
    ]
)


def parse(text):
    return parse_expr(text, AGENDA)


def test_comparison_parses_into_the_api_tree():
    assert node_to_json(parse("assad_role != exit_at_signing")) == {
        "op": "ne",
        "issue": "assad_role",
        "value": "exit_at_signing",
    }


def test_bare_boolean_issue_is_a_truth_test():
    assert parse("joint_counter_isis_cell") == Compare("eq", "joint_counter_isis_cell", True)
    assert render(parse("joint_counter_isis_cell == true")) == "joint_counter_isis_cell"


def test_precedence_is_not_then_and_then_or_then_implies():
    tree = parse("not notable or order_ and joint_counter_isis_cell -> us_withdrawal_months <= 24")
    assert isinstance(tree, Implies)
    assert isinstance(tree.if_, Or)
    assert isinstance(tree.if_.args[0], Not)
    assert isinstance(tree.if_.args[1], And)


def test_implication_is_right_associative():
    tree = parse("notable -> order_ -> joint_counter_isis_cell")
    assert isinstance(tree.then, Implies)
    assert render(tree) == "notable -> order_ -> joint_counter_isis_cell"
    assert (
        render(parse("(notable -> order_) -> joint_counter_isis_cell"))
        == "(notable -> order_) -> joint_counter_isis_cell"
    )


def test_chains_become_one_node_and_explicit_groups_are_kept():
    assert len(parse("notable and order_ and joint_counter_isis_cell").args) == 3
    nested = parse("notable and (order_ and joint_counter_isis_cell)")
    assert len(nested.args) == 2
    assert render(nested) == "notable and (order_ and joint_counter_isis_cell)"


def test_keywords_inside_identifiers_are_identifiers():
    assert parse("notable") == Compare("eq", "notable", True)
    assert parse("order_ or notable") == Or(
        (Compare("eq", "order_", True), Compare("eq", "notable", True))
    )


def test_sets_are_canonical_in_domain_order_without_repeats():
    tree = parse("assad_role in {exit_at_signing, full_powers, full_powers}")
    assert tree == Member("in", "assad_role", ("full_powers", "exit_at_signing"))
    assert (
        render(parse("us_withdrawal_months not in {24, 6}"))
        == "us_withdrawal_months not in {6, 24}"
    )


def test_whitespace_and_newlines_do_not_matter():
    assert parse("assad_role\n  !=\texit_at_signing") == parse("assad_role != exit_at_signing")


def error_of(text):
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    return caught.value.details["errors"][0]


def test_syntax_error_points_at_the_token_and_says_what_was_expected():
    error = error_of("assad_role != exit_at_signing and )")
    assert (error["line"], error["column"], error["offset"]) == (1, 35, 34)
    assert error["found"] == "')'"
    assert "an issue or option key" in error["expected"]
    assert "'not'" in error["expected"]


def test_unexpected_character_is_located():
    error = error_of("assad_role = full_powers")
    assert error["column"] == 12
    assert error["context"].splitlines()[1].index("^") == 11


def test_missing_value_at_end_says_a_value_was_expected():
    error = error_of("us_withdrawal_months <")
    assert error["found"] == "the end of the expression"
    assert error["expected"][0].startswith("a value")


def test_second_line_positions_are_reported():
    error = error_of("notable and\n  bogus_issue")
    assert (error["line"], error["column"]) == (2, 3)
    assert "unknown issue 'bogus_issue'" in error["message"]
    assert "assad_role" in error["expected"]


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("assad_role == abdication", 15, "not an option"),
        ("us_withdrawal_months > 61", 24, "outside the range"),
        ("us_withdrawal_months == full_powers", 25, "not an integer"),
        ("notable == 1", 12, "not true or false"),
        ("notable < true", 9, "does not apply to boolean"),
        ("assad_role", 1, "not boolean"),
        ("assad_role in {full_powers, nothing}", 29, "not an option"),
    ],
)
def test_domain_errors_point_at_the_offending_token(text, column, fragment):
    error = error_of(text)
    assert error["column"] == column
    assert fragment in error["message"]


def test_deep_nesting_is_refused_not_crashed():
    assert "nests deeper" in error_of("(not " * 500 + "notable" + ")" * 500)["message"]
    assert "nests deeper" in error_of("not " * (MAX_DEPTH + 1) + "notable")["message"]
    assert "nests deeper" in error_of(" -> ".join(["notable"] * (MAX_DEPTH + 2)))["message"]


def test_redundant_parentheses_add_no_depth():
    assert parse("(" * 1990 + "notable" + ")" * 1990) == parse("notable")


def test_nesting_at_the_limit_is_accepted():
    assert parse("not " * (MAX_DEPTH - 1) + "notable") is not None


def test_overlong_and_empty_text_is_refused():
    assert "longer than" in error_of("notable or " * 1000 + "notable")["message"]
    assert "empty" in error_of("   ")["message"]


def test_json_tree_errors_carry_their_path():
    bad = {
        "op": "and",
        "args": [
            {"op": "eq", "issue": "notable", "value": True},
            {"op": "in", "issue": "assad_role", "values": ["full_powers", "x"]},
        ],
    }
    with pytest.raises(InvalidInput) as caught:
        node_from_json(bad, AGENDA)
    assert caught.value.details["errors"][0]["loc"] == ["constraint", "args", 1, "values", 1]


@pytest.mark.parametrize(
    ("tree", "loc"),
    [
        ({"op": "xor", "args": []}, ["constraint", "op"]),
        (
            {"op": "and", "args": [{"op": "eq", "issue": "notable", "value": True}]},
            ["constraint", "args"],
        ),
        ({"op": "eq", "issue": "notable"}, ["constraint", "value"]),
        ({"op": "eq", "issue": "nope", "value": 1}, ["constraint", "issue"]),
        ({"op": "lt", "issue": "notable", "value": True}, ["constraint", "op"]),
        ({"op": "eq", "issue": "notable", "value": True, "extra": 1}, ["constraint", "extra"]),
        (
            {"op": "implies", "if": {"op": "eq", "issue": "notable", "value": True}},
            ["constraint", "then"],
        ),
        ("notable", ["constraint"]),
        ({"op": "in", "issue": "notable", "values": []}, ["constraint", "values"]),
    ],
)
def test_malformed_json_trees_are_refused_with_their_location(tree, loc):
    with pytest.raises(InvalidInput) as caught:
        node_from_json(tree, AGENDA)
    assert caught.value.details["errors"][0]["loc"] == loc


def test_deep_json_tree_is_refused_without_recursion():
    tree = {"op": "eq", "issue": "notable", "value": True}
    for _ in range(50_000):
        tree = {"op": "not", "arg": tree}
    with pytest.raises(InvalidInput, match="nests deeper"):
        node_from_json(tree, AGENDA)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_tree_renders_to_text_that_parses_back_to_it(data):
    agenda = data.draw(agendas())
    tree = node_from_json(data.draw(trees_json(agenda)), agenda)
    text = render(tree)
    assert parse_expr(text, agenda) == tree
    assert render(parse_expr(text, agenda)) == text
    assert node_from_json(node_to_json(tree), agenda) == tree
