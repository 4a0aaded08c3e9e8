from service.domain.agenda import build_agenda
from service.domain.redline import parse_expr
from service.domain.redline.explain import compile_explainer

AGENDA = build_agenda(
    [
        {"key": "assad_role", "kind": "options", "options": ["full_powers", "exit_at_signing"]},
        {"key": "months", "kind": "integer", "min": 0, "max": 60},
        {"key": "cell", "kind": "boolean"},
    ]
)


def say(text, package):
    return compile_explainer(parse_expr(text, AGENDA), AGENDA)(package)


def test_a_violated_comparison_names_the_value_that_breaks_it():
    assert say("assad_role != exit_at_signing", {"assad_role": "exit_at_signing"}) == (
        "violated: assad_role is exit_at_signing, so 'assad_role != exit_at_signing' is false"
    )


def test_a_broken_implication_names_its_premise_and_its_failed_conclusion():
    text = say("cell -> months >= 24", {"cell": True, "months": 12})
    assert text.startswith("violated: ")
    assert "cell is true" in text
    assert "months is 12, so 'months >= 24' is false" in text


def test_an_undetermined_red_line_names_the_missing_issues():
    assert (
        say("cell -> months >= 24", {"cell": True})
        == "undetermined: it depends on unassigned issue(s) months"
    )


def test_a_satisfied_disjunction_names_one_true_argument():
    assert (
        say("cell or months > 3", {"cell": False, "months": 9})
        == "satisfied: months is 9, so 'months > 3' is true"
    )
