"""The live board of a summit, made to be projected: readable at 80x24, better when wider.

From the top: the summit's title; where the round stands (round, phase, deadline, who is
awaited) on a line of its own; the packages on the table, one column per author, with the
red lines each breaks by the labels this viewer may see, and the answers so far; the
mediator's text and whether it met every demand; concessions as they happen. When the
summit concludes, which package settled and by what rule.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # annotations only: the board is drawn from what the caller fetched
    from clients.async_client import AsyncParleyClient
    from clients.delegation import MoveNote
    from clients.models import Concession, Proposal, RedLine, Round, Summit, Value

MEDIATOR = "Mediator"


@dataclass(frozen=True)
class _Detail:
    """How much the board shows; it draws the most detailed level that fits the screen."""

    concessions: int = 4  # the latest concessions listed
    delegations: bool = True  # a line naming each delegation's strategy
    expand_agreed: bool = True  # issues every package agrees on get a row each
    labels: bool = True  # broken red lines by label (else how many)
    footer: bool = True  # the summit's id
    rule: bool = True  # by what rule the settlement was chosen


LEVELS = (
    _Detail(),
    _Detail(concessions=2),
    _Detail(concessions=1, delegations=False),
    _Detail(concessions=1, delegations=False, expand_agreed=False),
    _Detail(concessions=0, delegations=False, expand_agreed=False, footer=False),
    _Detail(concessions=0, delegations=False, expand_agreed=False, footer=False, labels=False),
    _Detail(0, False, False, False, False, False),
)


@dataclass
class Board:
    """What one viewer knows of a summit, drawn as a board."""

    summit: Summit
    strategies: dict[str, str] = field(default_factory=dict)
    table: Round | None = None
    red_lines: dict[int, RedLine] = field(default_factory=dict)
    concessions: list[str] = field(default_factory=list)  # newest last
    mediator: dict[int, str] = field(default_factory=dict)  # round: whether it met demands
    settled: str | None = None  # the rule by which the settlement was chosen

    @property
    def names(self) -> dict[str, str]:
        """Party keys to names."""
        return {party.key: party.name for party in self.summit.parties}

    def on_summit(self, summit: Summit) -> None:
        """Record where the summit stands."""
        self.summit = summit

    def on_table(
        self, shown: Round | None, red_lines: list[RedLine], ledger: list[Concession]
    ) -> None:
        """Record the round on the table, the red lines and the concessions, as seen."""
        self.table = shown
        self.red_lines = {red_line.id: red_line for red_line in red_lines}
        self.concessions = [self._concession(c) for c in ledger]

    def on_move(self, note: MoveNote) -> None:
        """Record what the runtimes say that the server does not (the mediator's demands)."""
        if note.party == "mediator" and note.kind == "propose" and note.summary:
            self.mediator[note.round] = note.summary

    def _concession(self, c: Concession) -> str:
        who = self.names.get(c.party, c.party)
        when = f"r{c.round}" if c.round is not None else "before r1"
        if c.kind == "red_line":
            red_line = self.red_lines.get(c.red_line or -1)
            label = red_line.label if red_line is not None else None
            what = f"relaxed “{label}”" if label else "relaxed a private red line"
        else:
            verb = "conceded" if c.kind == "explicit" else "moved"
            what = f"{verb} {c.issue} {_value(c.from_)} → {_value(c.to)}"
        return f"{when} {who} {what}"

    # Drawing

    def render(self, width: int = 80, height: int = 24) -> RenderableType:
        """Draw the board to fit ``width`` x ``height`` (the most detail that fits)."""
        measure = Console(width=width, height=height, color_system=None, file=io.StringIO())
        drawn: RenderableType = Text("")
        for detail in LEVELS:
            drawn = self._draw(detail)
            if len(measure.render_lines(drawn, pad=False)) <= height:
                return drawn
        return drawn

    def _draw(self, detail: _Detail) -> RenderableType:
        summit = self.summit
        parts: list[RenderableType] = [
            Text(summit.title, style="bold", no_wrap=True, overflow="ellipsis"),
            Text(self.where(), style="bold cyan"),
        ]
        if summit.status == "concluded" and self.settled and detail.rule:
            parts.append(Text(f"Rule: {self.settled}", style="cyan"))
        if detail.delegations and self.strategies:
            shown = [
                f"{self.names.get(key, key)} ({name})" for key, name in self.strategies.items()
            ]
            parts.append(Text(" · ".join(shown), style="dim"))
        if self.table is not None and self.table.proposals:
            parts += self._matrix(self.table, detail)
            passed = [self.names.get(p.party or "", MEDIATOR) for p in self.table.passes]
            if passed:
                parts.append(Text("Passed: " + ", ".join(passed), style="dim"))
            said = self.mediator.get(self.table.number)
            if said:
                parts.append(Text(f"Mediator's text: {said}", style="magenta"))
        elif summit.status == "open":
            parts.append(Text("Proposals are being drafted.", style="dim"))
        if detail.concessions and self.concessions:
            parts.append(Text("Concessions", style="bold"))
            for line in self.concessions[-detail.concessions :]:
                parts.append(Text(f"  {line}", no_wrap=True, overflow="ellipsis"))
        if detail.footer:
            parts.append(Text(f"summit {summit.id}", style="dim", no_wrap=True))
        return Group(*parts)

    def where(self) -> str:
        """Say where the summit stands, in one line: round, phase, deadline, who is awaited."""
        summit = self.summit
        if summit.status == "concluded":
            return self._conclusion()
        position = summit.round
        if position is None:
            return f"{summit.status}: waiting for the convener to start"
        names = {**self.names, "convener": MEDIATOR}
        awaited = position.waiting_for or []
        waiting = [names.get(key, key) for key in awaited]
        if len(awaited) > 1 and set(self.names) <= set(awaited):
            waiting = ["everyone"]
        bits = [
            f"Round {position.number} of {summit.protocol.get('max_rounds')}",
            position.phase,
        ]
        if position.deadline:
            bits.append(_deadline(position.deadline))
        bits.append("awaiting " + (", ".join(waiting) if waiting else "nobody"))
        return " · ".join(bits)

    def _conclusion(self) -> str:
        summit = self.summit
        head = f"Concluded: {summit.outcome} after {summit.rounds_played} round(s)"
        if summit.settlement_proposal is None:
            return head
        author = self._author_of(summit.settlement_proposal)
        return f"{head}; {author} settled it"

    def _author_of(self, proposal_id: int) -> str:
        for proposal in self.table.proposals if self.table else []:
            if proposal.id == proposal_id:
                who = _author(proposal, self.names)
                return (
                    "the mediator's text"
                    if proposal.party is None
                    else f"{possessive(who)} proposal"
                )
        return "the accepted package"

    def _matrix(self, played: Round, detail: _Detail) -> list[RenderableType]:
        seats = [party.key for party in self.summit.parties]
        proposals = sorted(
            played.proposals, key=lambda p: seats.index(p.party) if p.party in seats else -1
        )
        matrix = Table(
            box=None, pad_edge=False, padding=(0, 1), header_style="bold underline", expand=True
        )
        closed = " (closed)" if played.number != (self.summit.round or played).number else ""
        longest = max(len(str(issue["key"])) for issue in self.summit.issues)
        first = max(len(f"Round {played.number}{closed}"), min(longest, 24))
        matrix.add_column(
            f"Round {played.number}{closed}", no_wrap=True, overflow="ellipsis", width=first
        )
        for proposal in proposals:
            header = Text(_author(proposal, self.names), no_wrap=True, overflow="ellipsis")
            matrix.add_column(header, ratio=1)
        agreed: list[str] = []
        for issue in self.summit.issues:
            key = str(issue["key"])
            values = [_value(p.package.get(key)) if p.package else None for p in proposals]
            shared = len(proposals) > 1 and None not in values and len(set(values)) == 1
            if shared and not detail.expand_agreed:
                agreed.append(f"{key}={values[0]}")
                continue
            cells = [
                Text(
                    "(sealed)" if v is None else v,
                    style="green" if shared else "",
                    no_wrap=True,
                    overflow="ellipsis",
                )
                for v in values
            ]
            matrix.add_row(key, *cells)
        matrix.add_row(
            Text("breaks", style="bold red"),
            *[Text(self._breaks(p, detail), style="red", overflow="fold") for p in proposals],
        )
        matrix.add_row(
            Text("answers", style="bold"), *[Text(self._answers(p, played)) for p in proposals]
        )
        parts: list[RenderableType] = [matrix]
        if agreed:
            parts.append(Text("All agree on: " + ", ".join(agreed), style="green"))
        return parts

    def _breaks(self, proposal: Proposal, detail: _Detail) -> str:
        if proposal.check is None:
            return ""
        broken = [e for e in proposal.check.red_lines if e.status == "violated"]
        if not broken:
            return "none"
        if not detail.labels:
            return f"{len(broken)} red line" + ("s" if len(broken) > 1 else "")
        shown = []
        for entry in broken:
            owner = self.names.get(entry.party, entry.party)
            shown.append(f"“{entry.label}”" if entry.label else f"a private one of {owner}")
        return "\n".join(shown)

    def _answers(self, proposal: Proposal, played: Round) -> str:
        if not proposal.complete:
            return "partial"
        mine = [r for r in played.responses if r.proposal == proposal.id]
        yes = sum(r.verdict == "accept" for r in mine)
        no = len(mine) - yes
        owed = len(self.summit.parties) - (proposal.party is not None) - len(mine)
        text = f"✓{yes} ✗{no}"
        if played.settled_by == proposal.id or self.summit.settlement_proposal == proposal.id:
            return text + "\nsettled"
        return text + (f" …{owed}" if owed > 0 and played.phase == "responses" else "")


async def look(client: AsyncParleyClient, board: Board) -> None:
    """Read what the board shows with ``client``'s token and hand it to the board.

    The round on the table is the current one once something is tabled, else the one
    before it (with every answer), so a closed round stays up until the next is tabled.
    """
    summit = await client.get_summit(board.summit.id)
    board.on_summit(summit)
    number = summit.round.number if summit.round else summit.rounds_played
    shown = await client.round(summit.id, number) if number else None
    if shown is not None and not shown.proposals and number > 1:
        shown = await client.round(summit.id, number - 1)
    red_lines = await client.red_lines(summit.id)
    board.on_table(shown, red_lines, await client.concessions(summit.id))
    if summit.status == "concluded" and board.settled is None and summit.events:
        for event in await client.events(summit.id, after=summit.events - 1):
            if event.type == "summit.concluded" and event.data.get("rule"):
                board.settled = str(event.data["rule"])


def possessive(name: str) -> str:
    """Return ``name``'s possessive form: Highvale's, the Kurds'."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _author(proposal: Proposal, names: Mapping[str, str]) -> str:
    return MEDIATOR if proposal.party is None else names.get(proposal.party, proposal.party)


def _value(value: Value | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _deadline(moment: str) -> str:
    when = datetime.fromisoformat(moment)
    left = max(0, int((when - datetime.now(UTC)).total_seconds()))
    return f"deadline {when.astimezone(UTC):%H:%M:%S} UTC (in {left} s)"
