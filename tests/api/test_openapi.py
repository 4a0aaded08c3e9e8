import pytest

from service.api.app import create_app

ROUTES_WITHOUT_ERRORS = {("get", "/summits")}
# Routes whose answer is a document, not JSON: the debrief.
HTML_ROUTES = {("get", "/summits/{summit_id}/report")}


@pytest.fixture(scope="module")
def schema():
    return create_app().openapi()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_route_has_a_summary_a_description_and_a_response_model(schema):
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        ok = next(code for code in operation["responses"] if code.startswith("2"))
        content = operation["responses"][ok].get("content", {})
        kind = "text/html" if (method, path) in HTML_ROUTES else "application/json"
        assert kind in content, (method, path)
        assert content[kind]["schema"], (method, path)


def test_every_route_documents_its_error_responses_in_the_error_shape(schema):
    for path, method, operation in operations(schema):
        errors = [code for code in operation["responses"] if code[0] == "4"]
        assert errors, (method, path)
        for code in errors:
            ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody"), (method, path, code)


def test_the_bearer_scheme_is_documented(schema):
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_contract_paths_of_api_md_are_all_served(schema):
    expected = {
        ("post", "/summits"),
        ("get", "/summits"),
        ("get", "/summits/{summit_id}"),
        ("post", "/summits/{summit_id}/parties/{party}/red-lines"),
        ("get", "/summits/{summit_id}/red-lines"),
        ("post", "/summits/{summit_id}/red-lines/{red_line_id}/relax"),
        ("put", "/summits/{summit_id}/parties/{party}/preferences"),
        ("get", "/summits/{summit_id}/parties/{party}/preferences"),
        ("post", "/summits/{summit_id}/start"),
        ("get", "/summits/{summit_id}/rounds/{n}"),
        ("post", "/summits/{summit_id}/rounds/{n}/proposals"),
        ("post", "/summits/{summit_id}/rounds/{n}/pass"),
        ("post", "/summits/{summit_id}/rounds/{n}/responses"),
        ("post", "/summits/{summit_id}/rounds/{n}/advance"),
        ("post", "/summits/{summit_id}/concessions"),
        ("post", "/summits/{summit_id}/check"),
        ("get", "/summits/{summit_id}/events"),
        ("get", "/summits/{summit_id}/history"),
        ("get", "/summits/{summit_id}/history/verify"),
        ("get", "/summits/{summit_id}/conflicts"),
        ("post", "/summits/{summit_id}/repair"),
        ("get", "/summits/{summit_id}/mediator/suggestions"),
    }
    served = {(method, path) for path, method, _ in operations(schema)}
    assert expected <= served
