"""A client generated from the OpenAPI document by openapi-python-client plays a short summit:
the document is typed well enough that its answers parse into typed models."""

import importlib
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from service.api.app import create_app
from tests.api.helpers import ISSUES

pytestmark = pytest.mark.anyio
TWO = [{"key": "government", "name": "G"}, {"key": "kurds", "name": "K"}]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generate the client package into a temporary folder and import it."""
    folder = tmp_path_factory.mktemp("generated")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(create_app().openapi()))
    tool = Path(sys.executable).parent / "openapi-python-client"
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    output = str(folder / "parley_api")
    result = subprocess.run(
        [str(tool), "generate", "--path", str(spec), "--meta", "none", "--output-path", output],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(folder))
    try:
        yield lambda name: importlib.import_module(f"parley_api.{name}")
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == "parley_api" or m.startswith("parley_api.")]:
            del sys.modules[name]


async def test_a_generated_client_plays_a_short_summit(generated, app):
    client_module = generated("client")
    models = generated("models")
    transport = httpx.ASGITransport(app=app)

    def as_caller(token=None):
        args = {"base_url": "http://parley", "httpx_args": {"transport": transport}}
        if token is None:
            return client_module.Client(**args)
        return client_module.AuthenticatedClient(token=token, **args)

    create = generated("api.summits.create_summit")
    created = await create.asyncio(
        client=as_caller(),
        body=models.SummitCreate.from_dict(
            {"title": "Generated", "issues": ISSUES, "parties": TWO, "protocol": {"max_rounds": 2}}
        ),
    )
    assert isinstance(created, models.SummitCreated)
    summit = created.summit
    assert summit.status == models.SummitStatus.SETUP
    assert [type(issue).__name__ for issue in summit.issues] == [
        "OptionsIssue",
        "IntegerIssue",
        "BooleanIssue",
    ]
    assert summit.issues[1].max_ == 60
    sid = summit.id
    convener = as_caller(created.tokens.convener)
    kurds = as_caller(created.tokens.parties["kurds"])
    government = as_caller(created.tokens.parties["government"])

    declared = await generated("api.red_lines_and_preferences.declare_red_line").asyncio(
        sid,
        "kurds",
        client=kurds,
        body=models.RedLineCreate.from_dict(
            {"label": "Time", "expr": "us_withdrawal_months >= 24", "visibility": "private"}
        ),
    )
    assert isinstance(declared, models.RedLineListed)
    assert isinstance(declared.constraint, models.CompareNode)
    assert declared.constraint.op == models.CompareNodeOp.GE
    assert declared.visibility == models.Visibility.PRIVATE

    started = await generated("api.summits.start_summit").asyncio(sid, client=convener)
    assert started.round_.phase == models.Phase.PROPOSALS

    package = {"assad_role": "reduced_powers", "us_withdrawal_months": 12, "joint_cell": True}
    # Another delegation learns that the kurds' private red line is broken, not what it says.
    report = await generated("api.red_lines_and_preferences.check_package").asyncio(
        sid, client=government, body=models.CheckRequest.from_dict({"package": package})
    )
    assert isinstance(report, models.CheckReportView)
    assert report.verdict == models.Verdict.VIOLATIONS
    assert [entry.status for entry in report.red_lines] == [models.Status.VIOLATED]
    assert isinstance(report.red_lines[0], models.CheckEntryHidden)  # private to the kurds

    propose = generated("api.rounds.propose")
    tabled = await propose.asyncio(
        sid,
        "current",
        client=government,
        body=models.ProposalCreate.from_dict(
            {"package": {**package, "us_withdrawal_months": 30}, "rationale": "r"}
        ),
    )
    assert isinstance(tabled, models.ProposalRead)
    assert tabled.check.verdict == models.Verdict.CLEAR
    refused = await propose.asyncio_detailed(
        sid, "current", client=kurds, body=models.ProposalCreate.from_dict({"package": package})
    )
    assert refused.status_code == 409
    assert refused.parsed.error.code == models.ErrorDetailCode.CONFLICT

    passed = await generated("api.rounds.pass_turn").asyncio(sid, "1", client=kurds)
    assert isinstance(passed, models.PassRead)
    answered = await generated("api.rounds.respond").asyncio(
        sid,
        "current",
        client=kurds,
        body=models.ResponseCreate.from_dict({"proposal": tabled.id, "verdict": "accept"}),
    )
    assert answered.verdict == models.Answer.ACCEPT

    concluded = await generated("api.summits.get_summit").asyncio(sid, client=as_caller())
    assert concluded.status == models.SummitStatus.CONCLUDED
    assert concluded.outcome == models.Outcome.AGREEMENT
    assert concluded.settlement.to_dict() == {**package, "us_withdrawal_months": 30}

    events = await generated("api.record.list_events").asyncio(sid, client=convener)
    assert isinstance(events[-1], models.SummitConcludedEvent)
    assert events[-1].type_ == "summit.concluded"
    assert events[-1].data.outcome == models.Outcome.AGREEMENT
    tabled_events = [e for e in events if isinstance(e, models.ProposalTabledEvent)]
    assert tabled_events[0].data.proposal.check.verdict == models.Verdict.CLEAR
    assert events[0].at.tzinfo is not None  # a date-time, parsed

    history = generated("api.record.get_history")
    document = await history.asyncio(sid, client=convener)
    assert isinstance(document, models.HistoryRead)
    assert [len(r.proposals) for r in document.rounds] == [1]
    http = convener.get_async_httpx_client()
    for fmt, kind, first in (
        (models.GetHistoryFormat.CSV, "text/csv", "round,"),
        (models.GetHistoryFormat.MARKDOWN, "text/markdown", "# "),
    ):
        response = await http.request(**history._get_kwargs(sid, format_=fmt))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(kind)
        assert response.text.startswith(first)

    verified = await generated("api.record.verify_history").asyncio(sid, client=convener)
    assert verified.valid is True
    assert verified.events == len(events)
