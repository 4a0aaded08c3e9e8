"""The review's charts, as plotly figures built from review views (already redacted).

- ``utility_chart``: each party's utility of every proposal, round by round (one trace per
  party the caller may see, one point per proposal).
- ``timeline_chart``: the concessions, round by round, one row per party.
- ``plane_chart``: two parties' utilities: every proposal, their Pareto frontier, the
  Nash and Kalai points and the settlement (the negotiation "dance").

Every user text that reaches a chart (names, issue keys, notes) is HTML-escaped: plotly
renders a small set of tags in labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import plotly.graph_objects as go
from plotly.colors import qualitative

from service.domain.reviews import ReviewUtilities

_LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "height": 420,
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "legend": {"orientation": "h", "y": -0.2},
}


def _label(value: Any) -> str:
    return escape(str(value))


def utility_chart(utilities: ReviewUtilities, names: Mapping[str, str]) -> go.Figure:
    """Return each visible party's utility of the proposals over the rounds.

    Per party: a marker for every proposal (what each was worth to it) and a line through
    its own proposals (how far it conceded); the dotted line is its reservation value.
    """
    figure = go.Figure()
    palette = qualitative.Plotly
    # Each reservation value as a dotted line across the chart (one layout shape each:
    # add_hline would copy the layout once per line).
    shapes: list[dict[str, Any]] = []
    for i, (party, points) in enumerate(utilities.trajectories.items()):
        colour = palette[i % len(palette)]
        name = _label(names.get(party, party))
        figure.add_trace(
            go.Scatter(
                x=[p.round for p in points],
                y=[p.utility for p in points],
                mode="markers",
                marker={"color": colour, "size": 7, "opacity": 0.55},
                name=name,
                legendgroup=party,
                text=[
                    f"proposal {p.proposal} by {_label(names.get(p.author or '', 'the mediator'))}"
                    for p in points
                ],
                hovertemplate="round %{x}: %{y:.3f}<br>%{text}<extra></extra>",
                meta={"party": party, "kind": "utility"},
            )
        )
        own = [p for p in points if p.author == party]
        figure.add_trace(
            go.Scatter(
                x=[p.round for p in own],
                y=[p.utility for p in own],
                mode="lines",
                line={"color": colour, "width": 2},
                name=f"{name}: own proposals",
                legendgroup=party,
                showlegend=False,
                hoverinfo="skip",
                meta={"party": party, "kind": "own"},
            )
        )
        reservation = utilities.reservations.get(party)
        if reservation is not None:
            shapes.append(
                {
                    "type": "line",
                    "xref": "x domain",
                    "x0": 0,
                    "x1": 1,
                    "yref": "y",
                    "y0": reservation,
                    "y1": reservation,
                    "line": {"dash": "dot", "color": colour},
                    "opacity": 0.5,
                }
            )
    figure.update_layout(shapes=shapes)
    figure.update_layout(
        title="Utility of every proposal to each party (lines: its own proposals; dotted: "
        "its reservation value)",
        xaxis_title="round",
        yaxis_title="utility",
        yaxis_range=[0, 1.05],
        **_LAYOUT,
    )
    return figure


def _concession_text(concession: Mapping[str, Any]) -> str:
    if concession.get("kind") == "red_line":
        note = concession.get("note")
        text = f"relaxed red line {concession.get('red_line')}"
        return text + (f": {_label(note)}" if note else "")
    return (
        f"{_label(concession.get('issue'))}: {_label(concession.get('from'))} "
        f"→ {_label(concession.get('to'))}"
    )


def timeline_chart(concessions: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> go.Figure:
    """Return the concessions over the rounds, one row per party, one marker each."""
    figure = go.Figure()
    kinds = sorted({str(c.get("kind")) for c in concessions})
    for kind in kinds:
        chosen = [c for c in concessions if str(c.get("kind")) == kind]
        figure.add_trace(
            go.Scatter(
                x=[c.get("round") or 0 for c in chosen],
                y=[_label(names.get(c["party"], c["party"])) for c in chosen],
                mode="markers",
                marker={"size": 12, "symbol": "diamond" if kind == "red_line" else "circle"},
                name=kind.replace("_", " "),
                text=[_concession_text(c) for c in chosen],
                hovertemplate="round %{x}, %{y}<br>%{text}<extra></extra>",
                meta={"kind": "concession"},
            )
        )
    figure.update_layout(
        title="Concessions, round by round", xaxis_title="round", xaxis_dtick=1, **_LAYOUT
    )
    return figure


def plane_chart(
    pair: tuple[str, str],
    utilities: ReviewUtilities,
    names: Mapping[str, str],
    *,
    frontier: Sequence[Mapping[str, float]] = (),
    references: Mapping[str, Mapping[str, float]] | None = None,
) -> go.Figure:
    """Return the plane of two parties' utilities with every proposal and the landmarks.

    ``frontier`` holds the Pareto frontier's utilities; ``references`` the utilities of the
    Nash and Kalai packages (and any other, by name).
    """
    a, b = pair
    figure = go.Figure()
    proposals = [p for p in utilities.proposals if a in p.utilities and b in p.utilities]
    if frontier:
        ordered = sorted(frontier, key=lambda u: u[a])
        figure.add_trace(
            go.Scatter(
                x=[u[a] for u in ordered],
                y=[u[b] for u in ordered],
                mode="lines+markers",
                marker={"size": 5},
                line={"shape": "hv", "color": "#999"},
                name="Pareto frontier (by the red lines and preferences at the end)",
                meta={"kind": "frontier"},
            )
        )
    authors = sorted({str(p.party) for p in proposals})
    for author in authors:
        chosen = [p for p in proposals if str(p.party) == author]
        figure.add_trace(
            go.Scatter(
                x=[p.utilities[a] for p in chosen],
                y=[p.utilities[b] for p in chosen],
                mode="lines+markers",
                marker={"size": 9},
                name=f"proposals of {_label(names.get(author, 'the mediator'))}",
                text=[f"round {p.round}, proposal {p.id}" for p in chosen],
                hovertemplate="%{text}<br>(%{x:.3f}, %{y:.3f})<extra></extra>",
                meta={"kind": "proposals"},
            )
        )
    for name, point in (references or {}).items():
        figure.add_trace(
            go.Scatter(
                x=[point[a]],
                y=[point[b]],
                mode="markers",
                marker={"size": 14, "symbol": "x"},
                name=_label(name),
                meta={"kind": "reference"},
            )
        )
    settlement = utilities.settlement
    if settlement and a in settlement.utilities and b in settlement.utilities:
        figure.add_trace(
            go.Scatter(
                x=[settlement.utilities[a]],
                y=[settlement.utilities[b]],
                mode="markers",
                marker={"size": 18, "symbol": "star", "color": "gold"},
                name="settlement",
                meta={"kind": "settlement"},
            )
        )
    figure.update_layout(
        title=f"Utilities of {_label(names.get(a, a))} and {_label(names.get(b, b))}",
        xaxis_title=f"utility to {_label(names.get(a, a))}",
        yaxis_title=f"utility to {_label(names.get(b, b))}",
        xaxis_range=[0, 1.05],
        yaxis_range=[0, 1.05],
        **_LAYOUT,
    )
    return figure
