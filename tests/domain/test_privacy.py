from service.domain import redline
from service.domain.agenda import build_agenda
from service.domain.checker import Checker, Status
from service.domain.events import EventType, redact_event_data
from service.domain.privacy import (
    ANONYMOUS,
    CONVENER_VIEW,
    ReportWriter,
    Role,
    Viewer,
    compact_report,
    red_line_view,
)
from service.domain.redline.red_line import RedLine, Visibility
from service.domain.reports import CheckEntryExplained, CheckEntryHidden

AGENDA = build_agenda(
    [
        {"key": "tartus", "kind": "boolean"},
        {"key": "months", "kind": "integer", "min": 0, "max": 60},
    ]
)
SECRET = RedLine(
    7,
    "russia",
    "Keep Tartus",
    "tartus",
    redline.parse_expr("tartus", AGENDA),
    Visibility.PRIVATE,
    rationale="naval base",
)
OPEN = RedLine(8, "kurds", "US stays", "months >= 24", redline.parse_expr("months >= 24", AGENDA))
RUSSIA, KURDS = Viewer(Role.DELEGATION, "russia"), Viewer(Role.DELEGATION, "kurds")


def test_private_red_lines_show_only_id_party_visibility_and_status_to_others():
    for viewer in (KURDS, ANONYMOUS):
        assert red_line_view(SECRET, viewer) == {
            "id": 7,
            "party": "russia",
            "visibility": "private",
            "status": "active",
        }
    for viewer in (RUSSIA, CONVENER_VIEW):
        assert red_line_view(SECRET, viewer)["rationale"] == "naval base"
    assert red_line_view(OPEN, ANONYMOUS)["expr"] == "months >= 24"


def test_check_reports_hide_private_content_but_keep_the_status():
    package = {"tartus": False, "months": 12}
    report = Checker(AGENDA, [SECRET, OPEN]).check(package)
    writer = ReportWriter(AGENDA, report.red_lines, report.red_lines)
    for_kurds = writer.live(report, KURDS, package)
    secret_entry = next(e for e in for_kurds.red_lines if e.id == 7)
    # A hidden entry has no content fields at all, so it cannot carry them.
    assert secret_entry == CheckEntryHidden(7, "russia", Visibility.PRIVATE, Status.VIOLATED)
    assert type(secret_entry) is CheckEntryHidden
    assert "Keep Tartus" not in str(for_kurds)
    assert "tartus" not in str(secret_entry)
    for_russia = writer.live(report, RUSSIA, package)
    shown = next(e for e in for_russia.red_lines if e.id == 7)
    assert isinstance(shown, CheckEntryExplained)
    assert shown.label == "Keep Tartus"
    stored = compact_report(report)
    assert "Keep Tartus" not in str(stored)
    reader = ReportWriter(AGENDA, [SECRET, OPEN], [])
    assert reader.stored(stored, KURDS, package) == for_kurds


def test_one_writer_answers_each_viewer_its_own_view_check_after_check():
    writer = ReportWriter(AGENDA, [SECRET, OPEN], [SECRET, OPEN])
    checker = Checker(AGENDA, [SECRET, OPEN])
    later = Viewer(Role.DELEGATION, "kurds", declassified=True)
    for package in ({"tartus": False, "months": 12}, {"tartus": True, "months": 30}) * 2:
        report = checker.check(package)
        stored = compact_report(report)
        for viewer in (RUSSIA, KURDS, CONVENER_VIEW, later, KURDS):
            live = writer.live(report, viewer, package)
            # The live report says what a reader of the stored report is shown.
            assert writer.stored(stored, viewer, package) == live
            secret = next(e for e in live.red_lines if e.id == 7)
            hidden = viewer == KURDS
            assert (type(secret) is CheckEntryHidden) is hidden, viewer
            assert ("Keep Tartus" in str(live)) is not hidden, viewer


def test_events_are_redacted_per_viewer():
    declared = {"red_line": red_line_view(SECRET, CONVENER_VIEW)}
    assert (
        "label"
        not in redact_event_data(EventType.RED_LINE_DECLARED, declared, KURDS, sealed_round=None)[
            "red_line"
        ]
    )
    assert (
        redact_event_data(EventType.RED_LINE_DECLARED, declared, RUSSIA, sealed_round=None)
        == declared
    )
    prefs = {"party": "russia", "preferences": {"weights": {"tartus": 1}}}
    assert redact_event_data(EventType.PREFERENCES_SET, prefs, KURDS, sealed_round=None) == {
        "party": "russia"
    }
    concession = {"concession": {"party": "russia", "kind": "derived", "utility_change": -0.2}}
    assert (
        "utility_change"
        not in redact_event_data(
            EventType.CONCESSION_RECORDED, concession, ANONYMOUS, sealed_round=None
        )["concession"]
    )


def test_proposals_are_sealed_until_their_phase_closes():
    tabled = {
        "proposal": {
            "id": 3,
            "round": 2,
            "party": "russia",
            "package": {"tartus": True},
            "rationale": "r",
        }
    }
    sealed = redact_event_data(EventType.PROPOSAL_TABLED, tabled, KURDS, sealed_round=2)
    assert sealed == {"proposal": {"id": 3, "round": 2, "party": "russia", "sealed": True}}
    assert redact_event_data(EventType.PROPOSAL_TABLED, tabled, RUSSIA, sealed_round=2) == tabled
    assert redact_event_data(EventType.PROPOSAL_TABLED, tabled, KURDS, sealed_round=3) == tabled


def test_anonymous_readers_of_the_record_get_no_private_status():
    package = {"tartus": False, "months": 12}
    stored = compact_report(Checker(AGENDA, [SECRET, OPEN]).check(package))
    assert stored["private"] == [7]
    tabled = {"proposal": {"id": 3, "round": 1, "party": "kurds", "check": stored}}
    seen = redact_event_data(EventType.PROPOSAL_TABLED, tabled, ANONYMOUS, sealed_round=None)
    check = seen["proposal"]["check"]
    assert 7 not in check["checked"] + check["violated"] + check["undetermined"]
    assert check["hidden"] == 1
    assert check["verdict"] == ("violations" if 8 in stored["violated"] else "clear")
    assert redact_event_data(EventType.PROPOSAL_TABLED, tabled, KURDS, sealed_round=None) == tabled
