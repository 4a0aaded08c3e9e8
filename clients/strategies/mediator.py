"""``mediator``: the convener's strategy: each round, table the solver's best text.

The convener sees every proposal, sealed or not, every response, and every party's
preferences. In a mediated summit the proposals phase waits for the convener, so the
mediator drafts last, having read what each delegation tabled this round. A party's
*demand* is the least it has shown it would take: the worth, to the party itself, of its
latest own proposal, or of any package it accepted earlier, whichever is lower (never below
its reservation value).

The mediator asks the server for the package best for its objective (the Nash product by
default) that breaks no active red line and gives every party at least its demand. A
delegation that accepts whatever is worth what it asks for accepts such a text, so the summit
settles in the first round in which the delegations' concessions make a deal possible.

When no package meets every demand, the mediator tables the Kalai-Smorodinsky text with the
demands as claims: the package that cuts every demand, above its reservation value, by the
same and smallest proportion. Delegations whose real limits lie below their demands may take
it; otherwise it stands as a focal point. When not even that exists (red lines still
conflict), the mediator passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from clients.models import Package, Suggestions
from clients.utility import Utility

OBJECTIVES = ("nash", "maximin", "welfare", "kalai")
# The solver scores utilities to 1e-4 per issue: a little above a demand absorbs the rounding.
MARGIN = 0.002


@dataclass(frozen=True)
class Text:
    """A mediator text, why it was chosen, and (for the convener's eyes only) its worth.

    The rationale is tabled with the text, so every delegation reads it: it never names what
    the text is worth to anyone, which only the convener may know.
    """

    package: Package
    objective: str
    meets_demands: bool
    utilities: Mapping[str, float]

    @property
    def rationale(self) -> str:
        """The public rationale: which objective the text serves, nothing about its worth."""
        return f"mediator's {self.objective} text"

    @property
    def note(self) -> str:
        """The convener's own note: whether it meets every demand, and its worth to each."""
        what = (
            "meets every delegation's demand" if self.meets_demands else "cuts every demand alike"
        )
        worth = ", ".join(f"{party} {value:.2f}" for party, value in sorted(self.utilities.items()))
        return f"{self.rationale}: {what} ({worth})"


class Mediator:
    """Options: ``objective`` (nash, maximin, welfare or kalai), ``margin`` above demands."""

    name = "mediator"

    def __init__(self, objective: str = "nash", margin: float = MARGIN) -> None:
        if objective not in OBJECTIVES:
            raise ValueError(f"unknown objective {objective!r}: use one of {', '.join(OBJECTIVES)}")
        self.objective = objective
        self.margin = margin

    def demands(
        self,
        utilities: Mapping[str, Utility],
        proposals: Mapping[str, Sequence[Package]],
        accepted: Mapping[str, Iterable[Package]],
    ) -> dict[str, float]:
        """Return each party's demand: the least it has shown it would take."""
        demands: dict[str, float] = {}
        for party, utility in utilities.items():
            shown = [utility(p) for p in accepted.get(party, ())]
            own = proposals.get(party)
            if own:
                shown.append(utility(own[-1]))
            if shown:
                demands[party] = round(min(1.0, max(utility.reservation, min(shown))), 6)
        return demands

    def floors(self, demands: Mapping[str, float]) -> dict[str, float]:
        """Return the floors to ask the solver for: the demands and a margin for rounding."""
        return {party: round(min(1.0, d + self.margin), 6) for party, d in demands.items()}

    def choose(
        self, demands: Mapping[str, float], within: Suggestions, focal: Suggestions | None
    ) -> Text | None:
        """Pick the text: the best meeting every demand, else the focal one, else none."""
        if within.suggestions and self.meets(demands, within.suggestions[0].utilities):
            best = within.suggestions[0]
            return Text(best.package, self.objective, True, dict(best.utilities))
        for offered in (focal, within):
            if offered is not None and offered.suggestions:
                best = offered.suggestions[0]
                met = self.meets(demands, best.utilities)
                return Text(best.package, offered.objective, met, dict(best.utilities))
        return None

    @staticmethod
    def meets(demands: Mapping[str, float], utilities: Mapping[str, float]) -> bool:
        """Say whether a text gives every party at least its demand."""
        return all(utilities.get(p, 0.0) + 1e-9 >= demand for p, demand in demands.items())
