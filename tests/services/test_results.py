"""The services' typed results: frozen, redaction carried by the types, and written the same
by orjson (the hot routes) and by their pydantic schema (the OpenAPI document and the rest)."""

import dataclasses

import orjson
import pytest
from pydantic import TypeAdapter

from service.domain.checker import Checker
from service.domain.privacy import ANONYMOUS, CONVENER_VIEW, ReportWriter
from service.domain.reports import CheckEntry, CheckEntryHidden, CheckReportView
from service.services.results.red_lines import RedLineRead, red_line_read

# The privacy tests' table: Russia's private red line and the Kurds' public one.
from tests.domain.test_privacy import AGENDA, KURDS, OPEN, SECRET


def reports(package):
    checker = Checker(AGENDA, [SECRET, OPEN])
    writer = ReportWriter(AGENDA, [SECRET, OPEN], checker.red_lines)
    report = checker.check(package)
    return [writer.live(report, viewer, package) for viewer in (KURDS, ANONYMOUS, CONVENER_VIEW)]


@pytest.mark.parametrize("package", [{"tartus": False, "months": 12}, {"months": 30}, {}])
def test_orjson_writes_a_check_report_exactly_as_its_schema_does(package):
    adapter = TypeAdapter(CheckReportView)
    for view in reports(package):
        assert orjson.dumps(view) == adapter.dump_json(view)


def test_a_hidden_check_entry_has_no_content_fields():
    for_kurds = reports({"tartus": False, "months": 30})[0]
    secret = next(entry for entry in for_kurds.red_lines if entry.id == 7)
    assert type(secret) is CheckEntryHidden
    assert set(orjson.loads(orjson.dumps(secret))) == {"id", "party", "visibility", "status"}
    assert any(type(entry) is CheckEntry for entry in for_kurds.red_lines)


def test_results_are_frozen():
    view = reports({"months": 30})[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.hidden = 3  # type: ignore[misc]


def test_a_red_line_hidden_from_the_viewer_is_written_without_its_content():
    adapter = TypeAdapter(RedLineRead)
    hidden = orjson.loads(adapter.dump_json(red_line_read(SECRET, KURDS)))
    assert hidden == {"id": 7, "party": "russia", "visibility": "private", "status": "active"}
    shown = orjson.loads(adapter.dump_json(red_line_read(SECRET, CONVENER_VIEW)))
    assert shown == {
        **hidden,
        "label": "Keep Tartus",
        "expr": "tartus",
        "constraint": {"op": "eq", "issue": "tartus", "value": True},
        "rationale": "naval base",
        "issues": ["tartus"],
    }
