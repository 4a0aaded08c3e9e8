"""The debrief: one self-contained HTML file of a summit, written for the caller's role.

It holds the record by round, the concession ledger, the charts, the outcome's measures and
the chain's verification with its head hash, every part redacted as the review endpoints
redact it. The service writes it (so the convener's console and the CLI hand out the same
file, and the privacy rules live in one place); plotly.min.js is inlined from the installed
plotly package, so the file opens offline and fetches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
import plotly.io as pio
import plotly.offline

from service.analysis.frontier import frontier
from service.analysis.measures import Measures
from service.analysis.solve import Limits
from service.db.transaction import Transaction
from service.domain.errors import InvalidInput
from service.domain.privacy import Role, Viewer
from service.domain.reviews import ReviewProposal, ReviewRound, ReviewUtilities
from service.services import charts, outcome
from service.services.analysis import Question
from service.services.clock import utcnow
from service.services.loading import load_summit
from service.services.results.review import (
    ChartsRead,
    ChartsWithPlaneRead,
    MeasuresRead,
    OwnMeasures,
)
from service.services.review import debrief_viewer, replay_log, reviewer
from service.services.solving import Search, SolverPool


def _value(value: Any) -> str:
    """Write an issue's value as the API does (true/false, not Python's True/False)."""
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("service.services", "."),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["value"] = _value
    return environment


FRONTIER_POINTS = 40  # enough for the chart; each point is one small search


@cache
def plotly_js() -> str:
    """Return plotly.min.js from the installed package (for inlining or serving)."""
    return str(plotly.offline.get_plotlyjs())


@dataclass
class ReportPlan:
    """What a report needs, gathered in one read transaction; the searches still to run."""

    document: dict[str, Any]
    names: dict[str, str]
    measures: Question[Measures, MeasuresRead] | OwnMeasures | None
    pair: tuple[str, str] | None
    frontier: Search[list[dict[str, float]]] | None


def check_pair(wanted: Sequence[str] | None, parties: Sequence[str]) -> None:
    """Refuse a utility plane that does not name two different parties of the summit."""
    if not wanted:
        return
    errors: list[dict[str, Any]] = [
        {"loc": ["party", i], "message": f"no party '{p}'", "allowed": list(parties)}
        for i, p in enumerate(wanted)
        if p not in parties
    ]
    if not errors and (len(wanted) != 2 or wanted[0] == wanted[1]):
        errors.append(
            {
                "loc": ["party"],
                "message": "the utility plane needs two different parties",
                "allowed": "party=a&party=b",
            }
        )
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})


def _pair(utilities: ReviewUtilities, wanted: Sequence[str] | None) -> tuple[str, str] | None:
    """Return the plane's two parties, when the caller may see both (None otherwise)."""
    visible = list(utilities.parties)
    chosen = list(wanted) if wanted else visible[:2]
    if len(chosen) == 2 and all(p in visible for p in chosen):
        return chosen[0], chosen[1]
    return None


def moves_by_proposal(rounds: Sequence[ReviewRound]) -> dict[int, list[str]]:
    """Return, for each proposal, the issues its author moved since its previous proposal."""
    last: dict[str | None, Mapping[str, Any]] = {}
    moved: dict[int, list[str]] = {}
    for played in rounds:
        for proposal in played.proposals:
            if not isinstance(proposal, ReviewProposal):
                continue
            before = last.get(proposal.party)
            package = proposal.package
            moved[proposal.id] = (
                []
                if before is None or proposal.party is None
                else [k for k in package if before.get(k) != package.get(k)]
            )
            last[proposal.party] = package
    return moved


def plan_report(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    limits: Limits,
    pair: Sequence[str] | None = None,
) -> ReportPlan:
    """Gather the record, views and prepared searches of a report for ``viewer``."""
    ctx = load_summit(tx, summit_id)
    check_pair(pair, ctx.parties)
    log = replay_log(ctx)
    events = log.events
    viewer = debrief_viewer(viewer, events)
    writer = reviewer(ctx, viewer)
    snap = log.snapshot()
    state = writer.state(snap, round_number=None)
    utilities = writer.utilities(snap)
    rounds = [writer.round(snap, snap.rounds[n]) for n in sorted(snap.rounds)]
    names = ctx.party_names()
    ledger = {party: [c for c in state.concessions if c["party"] == party] for party in names}
    sees_chain = viewer.role is Role.CONVENER or viewer.declassified
    verification = None
    if sees_chain:
        result = log.verification(ctx.row.last_hash)
        verification = {
            "valid": result.valid,
            "events": result.events,
            "first_bad_seq": result.first_bad_seq,
        }
    measures = None
    if ctx.row.settlement is not None:
        measures = outcome.measures_question(tx, summit_id, viewer, None, limits)
    chosen = _pair(utilities, pair)
    search = None
    if chosen is not None and outcome.sees_everything(viewer):
        preferences = ctx.all_preferences()
        agenda, red_lines = ctx.agenda, ctx.red_lines()
        a, b = chosen

        def walk() -> list[dict[str, float]]:
            found = frontier(
                agenda, red_lines, preferences, a, b, limit=FRONTIER_POINTS, limits=limits
            )
            return [point.utilities for point in found.points]

        search = Search(("review-frontier", ctx.id, ctx.row.last_seq, chosen, limits), walk)
    viewed_as = viewer.role.value + (f" ({viewer.party})" if viewer.party else "")
    document = {
        "summit": ctx.id,
        "title": snap.title,
        "status": snap.status,
        "outcome": snap.outcome,
        "viewed_as": viewed_as,
        "declassified": viewer.declassified,
        "generated_at": utcnow().strftime("%Y-%m-%d %H:%M UTC"),
        "state": state,
        "rounds": rounds,
        "moved": moves_by_proposal(rounds),
        "ledger": ledger,
        "utilities": utilities,
        "head": ctx.row.last_hash,
        "events": ctx.row.last_seq,
        "verification": verification,
    }
    return ReportPlan(document, names, measures, chosen, search)


async def run_searches(plan: ReportPlan, pool: SolverPool) -> None:
    """Ask the solver pool for the report's measures and frontier (remembered answers reused)."""
    if isinstance(plan.measures, Question):
        plan.document["measures"] = await plan.measures.ask(pool)
    else:
        plan.document["measures"] = plan.measures
    plan.document["frontier"] = (
        [] if plan.frontier is None else (await pool.answer(plan.frontier))[0]
    )


def build_charts(plan: ReportPlan) -> dict[str, Any]:
    """Return the report's plotly figures, by name."""
    document, names = plan.document, plan.names
    figures = {
        "utility": charts.utility_chart(document["utilities"], names),
        "timeline": charts.timeline_chart(document["state"].concessions, names),
    }
    if plan.pair is not None:
        references: dict[str, Mapping[str, float]] = {}
        measures = document.get("measures")
        targets = measures.targets if isinstance(measures, MeasuresRead) else {}
        for name, target in targets.items():
            if name in ("nash", "kalai") and target.package is not None:
                references[f"{name.capitalize()} point"] = target.utilities
        figures["plane"] = charts.plane_chart(
            plan.pair,
            document["utilities"],
            names,
            frontier=document.get("frontier") or [],
            references=references,
        )
    return figures


def figures_json(plan: ReportPlan) -> ChartsRead:
    """Return the charts as plotly JSON figures (for a page that draws them itself)."""
    figures = {name: figure.to_plotly_json() for name, figure in build_charts(plan).items()}
    if "plane" in figures:
        return ChartsWithPlaneRead(figures["utility"], figures["timeline"], figures["plane"])
    return ChartsRead(figures["utility"], figures["timeline"])


def render_report(plan: ReportPlan) -> str:
    """Write the self-contained HTML report."""
    figures = build_charts(plan)
    divs = {
        name: pio.to_html(
            figure,
            full_html=False,
            include_plotlyjs=False,
            div_id=f"chart-{name}",
            config={"displaylogo": False},
        )
        for name, figure in figures.items()
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        d=plan.document,
        names=plan.names,
        charts=divs,
        plotly_js=plotly_js(),
        issues=[issue["key"] for issue in plan.document["state"].agenda.issues],
    )
