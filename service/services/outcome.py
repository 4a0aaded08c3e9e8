"""How good the outcome was: the measures of the settlement (or of a proposal), for a caller.

The joint measures (Pareto-optimal or not, the gain left on the table, the distances to the
Nash, Kalai and welfare packages) rest on every party's private preferences, so only the
convener reads them, and everyone once the summit is declassified; a delegation reads its
own utility and gain over its reservation value, an anonymous caller none. For those callers
no search runs. Answers are kept by the solver pool under the summit's last event.
"""

from __future__ import annotations

from service.analysis.measures import Measures, measure
from service.analysis.solve import Limits
from service.db.repositories.rounds import RoundRepository
from service.db.transaction import Transaction
from service.domain.agenda import Package
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.domain.preferences import Preferences, build_preferences
from service.domain.privacy import Role, Viewer
from service.domain.record import canonical_json
from service.services.analysis import Question
from service.services.cache import ReplayLog
from service.services.loading import SummitContext, load_summit
from service.services.results.review import MeasuresRead, OwnMeasures, measures_read
from service.services.review import debrief_viewer, replay_log
from service.services.solving import Search
from service.services.views import is_sealed


def sees_everything(viewer: Viewer) -> bool:
    """Say whether ``viewer`` may read measures resting on every party's preferences."""
    return viewer.role is Role.CONVENER or viewer.declassified


def _measured_package(
    ctx: SummitContext, viewer: Viewer, proposal_id: int | None
) -> tuple[int | None, Package]:
    if proposal_id is None:
        if ctx.row.settlement is None:
            raise Conflict(
                f"summit {ctx.id} has no settlement ({ctx.row.status}, outcome "
                f"{ctx.row.outcome}): name a proposal to measure",
                details={"status": ctx.row.status, "outcome": ctx.row.outcome},
            )
        return ctx.row.settlement_proposal_id, dict(ctx.row.settlement)
    row = RoundRepository(ctx.tx).proposal(ctx.id, proposal_id)
    if row is None or (is_sealed(ctx, row.round) and not viewer.sees_proposal(row.party_key)):
        raise NotFound(
            f"summit {ctx.id} has no proposal {proposal_id}", details={"proposal": proposal_id}
        )
    if not row.complete:
        raise InvalidInput(
            f"proposal {proposal_id} is partial: only a full package can be measured",
            details={
                "errors": [
                    {
                        "loc": ["proposal"],
                        "message": "a partial package",
                        "allowed": "a proposal that assigns every issue",
                    }
                ]
            },
        )
    return row.id, dict(row.package)


def _preferences_of(
    ctx: SummitContext, log: ReplayLog, proposal_id: int | None
) -> dict[str, Preferences]:
    """Return the preferences a measure rests on: those in force when the proposal was tabled.

    The settlement is measured by the preferences in force at the end (they are final once
    the summit concludes).
    """
    if proposal_id is None:
        return ctx.all_preferences()
    documents = log.snapshot().tabled_with.get(proposal_id)
    if documents is None:
        return ctx.all_preferences()
    return {party: build_preferences(doc, ctx.agenda) for party, doc in documents.items()}


def measures_question(
    tx: Transaction, summit_id: str, viewer: Viewer, proposal_id: int | None, limits: Limits
) -> Question[Measures, MeasuresRead] | OwnMeasures:
    """Prepare: the measures of the settlement (or of proposal ``proposal_id``).

    A caller who may read only its own numbers gets them at once (no search to run).
    """
    ctx = load_summit(tx, summit_id)
    log = replay_log(ctx)
    viewer = debrief_viewer(viewer, log.events)
    proposal, package = _measured_package(ctx, viewer, proposal_id)
    agenda, red_lines = ctx.agenda, ctx.red_lines()
    preferences = _preferences_of(ctx, log, proposal_id)
    if not sees_everything(viewer):
        own = {p: prefs for p, prefs in sorted(preferences.items()) if viewer.sees_private(p)}
        utilities = {p: prefs.utility(package) for p, prefs in own.items()}
        reservations = {p: prefs.reservation for p, prefs in own.items()}
        return OwnMeasures(
            summit=ctx.id,
            proposal=proposal,
            declassified=viewer.declassified,
            package=package,
            restricted=True,
            parties=list(own),
            utilities=utilities,
            reservations=reservations,
            gains_over_reservation={p: utilities[p] - reservations[p] for p in utilities},
            cached=False,
        )
    key = ("measures", ctx.id, ctx.row.last_seq, proposal, canonical_json(package), limits)

    def run() -> Measures:
        return measure(agenda, red_lines, preferences, package, limits=limits)

    summit, declassified = ctx.id, viewer.declassified

    def write(result: Measures, cached: bool) -> MeasuresRead:
        return measures_read(
            result, summit=summit, proposal=proposal, declassified=declassified, cached=cached
        )

    return Question(Search(key, run), write)
