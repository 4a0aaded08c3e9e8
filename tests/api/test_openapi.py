import pytest

from service.api.app import create_app
from service.domain.events import EventType

ROUTES_WITHOUT_ERRORS = {("get", "/summits")}


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
        assert "application/json" in content, (method, path)
        assert content["application/json"]["schema"], (method, path)


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


def test_operation_ids_are_the_route_names(schema):
    ids = {(method, path): op["operationId"] for path, method, op in operations(schema)}
    assert ids[("post", "/summits")] == "create_summit"
    assert ids[("post", "/summits/{summit_id}/rounds/{n}/proposals")] == "propose"
    assert ids[("post", "/summits/{summit_id}/check")] == "check_package"
    assert ids[("get", "/summits/{summit_id}/history")] == "get_history"
    assert len(set(ids.values())) == len(ids)
    assert all(op_id.isidentifier() for op_id in ids.values())


def test_every_route_lists_401_and_every_write_lists_503(schema):
    for path, method, operation in operations(schema):
        assert "401" in operation["responses"], (method, path)
        if method in {"put", "post"} and not path.endswith(("/check", "/repair")):
            assert "503" in operation["responses"], (method, path)


def test_enums_are_declared(schema):
    components = schema["components"]["schemas"]
    summit = components["SummitRead"]["properties"]
    assert components["SummitStatus"]["enum"] == ["setup", "open", "concluded"]
    assert summit["status"] == {"$ref": "#/components/schemas/SummitStatus"}
    assert components["Outcome"]["enum"] == ["agreement", "no_agreement", "aborted"]
    assert components["Phase"]["enum"] == ["proposals", "responses"]
    assert components["Visibility"]["enum"] == ["public", "private"]
    assert components["Verdict"]["enum"] == ["clear", "violations", "undetermined"]
    assert components["Answer"]["enum"] == ["accept", "reject"]
    assert "busy" in components["ErrorDetail"]["properties"]["code"]["enum"]


def test_issues_are_typed_by_kind_and_packages_by_value(schema):
    components = schema["components"]["schemas"]
    issues = components["SummitRead"]["properties"]["issues"]["items"]
    assert set(issues["discriminator"]["mapping"]) == {"options", "integer", "boolean"}
    assert components["IntegerIssue"]["required"] == [
        "key",
        "title",
        "description",
        "kind",
        "min",
        "max",
    ]
    settlement = components["SummitRead"]["properties"]["settlement"]["anyOf"][0]
    kinds = {option["type"] for option in settlement["additionalProperties"]["anyOf"]}
    assert kinds == {"string", "integer", "boolean"}
    package_in = components["ProposalCreate"]["properties"]["package"]
    assert {o["type"] for o in package_in["additionalProperties"]["anyOf"]} == kinds


def test_the_constraint_tree_is_a_recursive_schema(schema):
    components = schema["components"]["schemas"]
    constraint = components["RedLineRead"]["properties"]["constraint"]["anyOf"][0]
    assert set(constraint["discriminator"]["mapping"]) == {
        "eq",
        "ne",
        "lt",
        "le",
        "gt",
        "ge",
        "in",
        "not_in",
        "and",
        "or",
        "not",
        "implies",
    }
    junction = components["JunctionNode"]["properties"]["args"]["items"]
    assert "JunctionNode" in str(junction)  # the tree refers to itself
    assert set(components["ImpliesNode"]["properties"]) == {"op", "if", "then"}


def test_timestamps_are_date_times_and_history_formats_are_text(schema):
    components = schema["components"]["schemas"]
    assert components["SummitRead"]["properties"]["created_at"]["format"] == "date-time"
    assert components["ProposalTabledEvent"]["properties"]["at"]["format"] == "date-time"
    history = schema["paths"]["/summits/{summit_id}/history"]["get"]["responses"]["200"]
    assert history["content"]["text/csv"]["schema"] == {"type": "string"}
    assert history["content"]["text/markdown"]["schema"] == {"type": "string"}


def test_event_data_is_typed_per_event_type(schema):
    components = schema["components"]["schemas"]
    events = schema["paths"]["/summits/{summit_id}/events"]["get"]["responses"]["200"]
    items = events["content"]["application/json"]["schema"]["items"]
    mapping = items["discriminator"]["mapping"]
    assert set(mapping) == {kind.value for kind in EventType}
    tabled = components["ProposalTabledEvent"]["properties"]
    assert tabled["data"] == {"$ref": "#/components/schemas/ProposalTabledData"}
    assert components["ResponseGivenData"]["properties"]["verdict"] == {
        "$ref": "#/components/schemas/Answer"
    }
