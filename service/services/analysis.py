"""The solver's questions about a summit, asked for a caller and answered as it may see them.

Each question is prepared inside a read transaction (who asks, what the summit holds, is
the request valid), then searched off the event loop by the ``SolverPool``, then written
for the caller. Red lines in conflicts are redacted like a check report; the witness
package and every party's utilities are for the convener alone.

Answers are remembered under a key naming the summit's state: conflicts depend only on the
red lines, so their key is the red-line revision; repairs and mediation also depend on
preferences, so theirs is the summit's last event.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from service.analysis.feasibility import Feasibility, analyse
from service.analysis.frontier import Walk, frontier
from service.analysis.mediation import OBJECTIVES, Mediation, suggest
from service.analysis.repair import Repair, repair
from service.analysis.solve import Limits
from service.db.transaction import Transaction
from service.domain.agenda import Package
from service.domain.errors import InvalidInput, NoDeal, TimeLimit
from service.domain.privacy import Viewer
from service.domain.record import canonical_json
from service.services.auth import require_convener
from service.services.loading import SummitContext, load_summit
from service.services.results.analysis import (
    ConflictsRead,
    FrontierPoint,
    FrontierRead,
    RepairRead,
    SuggestionsRead,
    conflicts_read,
    suggestions_read,
)
from service.services.solving import Search, SolverPool

_CONFLICTS = TypeAdapter(ConflictsRead)

R = TypeVar("R")
A = TypeVar("A")


@dataclass(frozen=True)
class Question(Generic[R, A]):
    """A prepared search and how to write its answer for the caller.

    ``write`` gets the search's result and whether it came from memory (``cached``).
    """

    search: Search[R]
    write: Callable[[R, bool], A]

    async def ask(self, pool: SolverPool) -> A:
        """Search (or remember) and write the answer."""
        result, cached = await pool.answer(self.search)
        return self.write(result, cached)


def conflicts_question(
    tx: Transaction, summit_id: str, viewer: Viewer, limit: int, limits: Limits
) -> Question[Feasibility, ConflictsRead]:
    """Prepare: can every active red line hold together, and if not, which sets block it."""
    ctx = load_summit(tx, summit_id)
    agenda, red_lines = ctx.agenda, ctx.red_lines()
    key = ("conflicts", ctx.id, ctx.row.red_lines_rev, limit, limits)
    search = Search(key, lambda: analyse(agenda, red_lines, limit=limit, limits=limits))
    return Question(search, lambda result, cached: conflicts_read(result, viewer, cached))


@dataclass(frozen=True)
class RepairAnswer:
    """A repair, and the conflicts when no package keeps every red line."""

    repair: Repair
    feasibility: Feasibility | None


def repair_question(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    package: object,
    keep: list[str],
    limits: Limits,
) -> Question[RepairAnswer, RepairRead]:
    """Prepare: the package nearest ``package`` that breaks no active red line."""
    ctx = load_summit(tx, summit_id)
    agenda, red_lines = ctx.agenda, ctx.red_lines()
    given = agenda.validate_package(package, loc=("package",))
    _check_keep(keep, given)
    preferences = ctx.preferences(viewer.party) if viewer.party is not None else None
    fixed = {key: given[key] for key in keep}

    def run() -> RepairAnswer:
        found = repair(agenda, red_lines, given, preferences=preferences, limits=limits, keep=fixed)
        if found.package is None and found.proved:
            # What is left of the one time limit goes to finding the conflicts.
            left = replace(limits, seconds=max(0.01, limits.seconds - found.seconds))
            return RepairAnswer(found, analyse(agenda, red_lines, limits=left))
        return RepairAnswer(found, None)

    key = (
        "repair",
        ctx.id,
        ctx.row.last_seq,
        viewer.party,
        canonical_json(given),
        tuple(keep),
        limits,
    )
    compiled = ctx.compiled()

    def write(answer: RepairAnswer, cached: bool) -> RepairRead:
        found = answer.repair
        if found.package is None:
            _no_package(found, answer.feasibility, viewer, keep)
        assert found.package is not None
        report = compiled.checker.check(found.package)
        return RepairRead(
            package=found.package,
            changed=found.changed,
            check=compiled.reports.live(report, viewer, found.package),
            status="optimal" if found.proved else "feasible",
            seconds=round(found.seconds, 4),
            cached=cached,
        )

    return Question(Search(key, run), write)


def _check_keep(keep: list[str], given: Package) -> None:
    missing = [key for key in keep if key not in given]
    if missing:
        raise InvalidInput(
            f"keep names issues the package does not assign: {', '.join(missing)}",
            details={
                "errors": [
                    {
                        "loc": ["keep", keep.index(key)],
                        "message": f"'{key}' is not assigned by the package",
                        "allowed": sorted(given),
                    }
                    for key in missing
                ]
            },
        )


def _no_package(
    found: Repair, feasibility: Feasibility | None, viewer: Viewer, keep: list[str]
) -> None:
    if not found.proved:
        raise TimeLimit(
            f"the solver's time limit ({found.seconds:.1f} s) ran out before it found a package",
            details={"hint": "ask again with a longer time_limit (up to the server's limit)"},
        )
    if feasibility is not None and feasibility.feasible is False:
        raise NoDeal(
            "no package keeps every active red line: relax one red line of each conflict",
            details=_CONFLICTS.dump_python(
                conflicts_read(feasibility, viewer, cached=False),
                mode="json",
                exclude={"cached"},
            ),
        )
    if keep:
        raise NoDeal(
            "no package keeps every active red line with the issues in keep as given",
            details={"keep": keep},
        )
    # The repair itself proved it; only the search for the conflicts ran out of time.
    raise NoDeal(
        "no package keeps every active red line (the time limit ran out before the "
        "conflicts were found: ask GET /conflicts with a longer time_limit)",
        details={"keep": []},
    )


def _mediation_context(
    tx: Transaction, summit_id: str, viewer: Viewer, action: str
) -> SummitContext:
    ctx = load_summit(tx, summit_id)
    require_convener(viewer, action)
    return ctx


def suggestions_question(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    objective: str,
    limit: int,
    limits: Limits,
    floors: Sequence[tuple[str, float]] = (),
    claims: Sequence[tuple[str, float]] = (),
) -> Question[Mediation, SuggestionsRead]:
    """Prepare: the packages best for ``objective`` that break no active red line (convener).

    ``objective`` is one of ``OBJECTIVES`` (the API's parameter type admits no other).

    ``floors`` (party, utility) raise parties' floors above their reservations; ``claims``
    (``kalai`` only) say what each party asks for. Input errors are located by argument name.
    """
    ctx = _mediation_context(tx, summit_id, viewer, "ask for mediator suggestions")
    assert objective in OBJECTIVES
    agenda, red_lines = ctx.agenda, ctx.red_lines()
    preferences = ctx.all_preferences()
    raised = _utilities_by_party(floors, preferences, "floor")
    claimed = _utilities_by_party(claims, preferences, "claim")
    if claimed and objective != "kalai":
        raise InvalidInput(
            "claims apply to the kalai objective only",
            details={"errors": [{"loc": ["claim"], "allowed": ["objective=kalai"]}]},
        )
    _check_floors_and_claims(floors, raised, claims, claimed, preferences)
    key = (
        "suggest",
        ctx.id,
        ctx.row.last_seq,
        objective,
        limit,
        limits,
        tuple(sorted(raised.items())),
        tuple(sorted(claimed.items())),
    )

    def run() -> Mediation:
        return suggest(
            agenda,
            red_lines,
            preferences,
            objective,
            limit=limit,
            limits=limits,
            floors=raised,
            claims=claimed,
        )

    return Question(Search(key, run), suggestions_read)


def _utilities_by_party(
    given: Sequence[tuple[str, float]], preferences: Mapping[str, Any], name: str
) -> dict[str, float]:
    """Check (party, utility) pairs (floors or claims), every mistake reported with its place."""
    errors: list[dict[str, Any]] = []
    floors: dict[str, float] = {}
    for i, (party, value) in enumerate(given):
        loc: list[str | int] = [name, i]
        if party not in preferences:
            errors.append(
                {
                    "loc": loc,
                    "message": f"'{party}' is not a party with preferences",
                    "allowed": sorted(preferences),
                }
            )
        elif not 0.0 <= value <= 1.0:
            errors.append(
                {
                    "loc": loc,
                    "message": f"{party}'s utility must lie in [0, 1]",
                    "allowed": "0 to 1",
                }
            )
        elif party in floors:
            errors.append({"loc": loc, "message": f"a second {name} for {party}"})
        else:
            floors[party] = value
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})
    return floors


def _check_floors_and_claims(
    floors: Sequence[tuple[str, float]],
    raised: Mapping[str, float],
    claims: Sequence[tuple[str, float]],
    claimed: Mapping[str, float],
    preferences: Mapping[str, Any],
) -> None:
    """Refuse a floor below a reservation value, or a claim below the party's floor."""
    errors: list[dict[str, Any]] = []
    lowest = {party: prefs.reservation for party, prefs in preferences.items()}
    for i, (party, _value) in enumerate(floors):
        if raised[party] < lowest[party]:
            errors.append(
                {
                    "loc": ["floor", i],
                    "message": f"a floor raises {party}'s reservation value, never lowers it",
                    "allowed": f"{lowest[party]:g} to 1",
                }
            )
    for i, (party, _value) in enumerate(claims):
        floor = max(raised.get(party, lowest[party]), lowest[party])
        if claimed[party] < floor:
            errors.append(
                {
                    "loc": ["claim", i],
                    "message": f"a claim for {party} asks for less than its floor",
                    "allowed": f"{floor:g} to 1",
                }
            )
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})


def frontier_question(
    tx: Transaction,
    summit_id: str,
    viewer: Viewer,
    parties: tuple[str, str],
    limit: int,
    limits: Limits,
) -> Question[Walk, FrontierRead]:
    """Prepare: the Pareto frontier of two parties over packages keeping every red line."""
    ctx = _mediation_context(tx, summit_id, viewer, "ask for a Pareto frontier")
    preferences = ctx.all_preferences()
    _check_pair(ctx, parties, preferences)
    agenda, red_lines = ctx.agenda, ctx.red_lines()
    key = ("frontier", ctx.id, ctx.row.last_seq, parties, limit, limits)

    def run() -> Walk:
        return frontier(agenda, red_lines, preferences, *parties, limit=limit, limits=limits)

    def write(walk: Walk, cached: bool) -> FrontierRead:
        return FrontierRead(
            parties=list(parties),
            points=[FrontierPoint(package=p.package, utilities=p.utilities) for p in walk.points],
            complete=walk.complete,
            timed_out=walk.timed_out,
            seconds=round(walk.seconds, 4),
            cached=cached,
        )

    return Question(Search(key, run), write)


def _check_pair(
    ctx: SummitContext, parties: tuple[str, str], preferences: Mapping[str, Any]
) -> None:
    errors: list[dict[str, Any]] = []
    for name, party in zip(("a", "b"), parties, strict=True):
        if party not in ctx.parties:
            errors.append({"loc": [name], "message": f"no party '{party}'", "allowed": ctx.parties})
        elif party not in preferences:
            errors.append(
                {
                    "loc": [name],
                    "message": f"{party} has set no preferences",
                    "allowed": sorted(preferences),
                }
            )
    if not errors and parties[0] == parties[1]:
        errors.append({"loc": ["b"], "message": "a frontier needs two different parties"})
    if errors:
        raise InvalidInput(str(errors[0]["message"]), details={"errors": errors})
