"""Declaring, listing and relaxing red lines."""

from __future__ import annotations

from dataclasses import replace

from service.db.models import ConcessionRow, RedLineRow
from service.db.repositories.concessions import ConcessionRepository
from service.db.repositories.red_lines import RedLineRepository
from service.db.transaction import Transaction
from service.domain import redline
from service.domain.concessions import ConcessionKind, RelaxRule
from service.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.domain.privacy import CONVENER_VIEW, Role, Viewer
from service.domain.protocol import SummitStatus
from service.domain.redline.red_line import RedLineStatus, Visibility
from service.services.auth import require_party, require_token
from service.services.clock import utcnow
from service.services.eventlog import append_event
from service.services.loading import SummitContext, extra_of, load_summit, red_line_of, relax_rule
from service.services.results.event_data import RedLineDeclaredData, RedLineRelaxedData
from service.services.results.red_lines import (
    RedLineListed,
    RedLineRead,
    RedLineRelaxed,
    red_line_listed,
    red_line_read,
    relax_read,
)

MAX_RED_LINES_PER_PARTY = 200


def _parse(ctx: SummitContext, expr: str | None, constraint: object | None) -> redline.Node:
    if expr is None and constraint is None:
        raise InvalidInput(
            "a red line needs 'expr' (text) or 'constraint' (tree)",
            details={"errors": [{"loc": ["expr"], "message": "missing"}]},
        )
    parsed = None if expr is None else redline.parse_expr(expr, ctx.agenda)
    tree = None if constraint is None else redline.node_from_json(constraint, ctx.agenda)
    if parsed is not None and tree is not None and parsed != tree:
        raise InvalidInput(
            "'expr' and 'constraint' describe different red lines; send one of them",
            details={
                "errors": [
                    {
                        "loc": ["constraint"],
                        "message": f"the tree reads '{redline.render(tree)}'",
                    }
                ]
            },
        )
    node = parsed if parsed is not None else tree
    assert node is not None
    return node


def require_writable(ctx: SummitContext) -> None:
    """Raise Conflict when the summit has concluded (its red lines and preferences are final)."""
    if ctx.status is SummitStatus.CONCLUDED:
        raise Conflict(
            f"summit {ctx.id} has concluded with outcome {ctx.row.outcome}",
            details={"status": ctx.row.status, "outcome": ctx.row.outcome},
        )


def declare(
    tx: Transaction,
    summit_id: str,
    party: str,
    viewer: Viewer,
    *,
    label: str,
    expr: str | None,
    constraint: object | None,
    visibility: str,
    rationale: str,
    relax: RelaxRule | None = None,
) -> RedLineListed:
    """Declare a red line for ``party`` (its own delegation only), with its relaxation rule."""
    rule = relax or RelaxRule()
    ctx = load_summit(tx, summit_id, for_update=True)
    ctx.require_party(party)
    require_party(viewer, party, "declare a red line")
    require_writable(ctx)
    node = _parse(ctx, expr, constraint)
    own = [rl for rl in ctx.red_lines() if rl.party == party]
    if len(own) >= MAX_RED_LINES_PER_PARTY:
        raise Conflict(f"a party declares at most {MAX_RED_LINES_PER_PARTY} red lines")
    now = utcnow()
    row = RedLineRow(
        summit_id=ctx.id,
        party_key=party,
        label=label,
        expr=redline.render(node),
        tree=redline.node_to_json(node),
        visibility=Visibility(visibility).value,
        status=RedLineStatus.ACTIVE.value,
        rationale=rationale,
        declared_round=ctx.row.round_number if ctx.status is SummitStatus.OPEN else None,
        created_at=now,
        relaxable=rule.relaxable,
        relax_after_round=rule.after_round,
    )
    RedLineRepository(tx).add(row)
    declared = red_line_of(row, node)
    extras = ctx.red_line_extras() | {row.id: extra_of(row)}
    ctx.red_lines_changed((*ctx.red_lines(), declared), extras)
    full = red_line_listed(
        declared, CONVENER_VIEW, declared_round=row.declared_round, relax_note=None, rule=rule
    )
    append_event(ctx, viewer.actor, RedLineDeclaredData(full), now)
    return red_line_listed(
        declared, viewer, declared_round=row.declared_round, relax_note=None, rule=rule
    )


def list_red_lines(
    tx: Transaction, summit_id: str, viewer: Viewer, party: str | None
) -> list[RedLineListed]:
    """Return the red lines the caller may see (others' private ones reduced to their id)."""
    ctx = load_summit(tx, summit_id)
    if party is not None:
        ctx.require_party(party)
    extras = ctx.red_line_extras()
    out = []
    for red_line in ctx.red_lines():
        if party is not None and red_line.party != party:
            continue
        declared_round, relax_note, rule = extras[red_line.id]
        out.append(
            red_line_listed(
                red_line, viewer, declared_round=declared_round, relax_note=relax_note, rule=rule
            )
        )
    return out


def relax(
    tx: Transaction, summit_id: str, red_line_id: int, viewer: Viewer, note: str
) -> RedLineRelaxed:
    """Relax one of the caller's own active red lines: a concession in the ledger."""
    ctx = load_summit(tx, summit_id, for_update=True)
    require_token(viewer, "relaxing a red line")
    row = RedLineRepository(tx).get(ctx.id, red_line_id)
    if row is None:
        raise NotFound(
            f"summit {ctx.id} has no red line {red_line_id}", details={"red_line": red_line_id}
        )
    if viewer.role is not Role.DELEGATION or viewer.party != row.party_key:
        raise Forbidden("only the party that declared a red line may relax it")
    require_writable(ctx)
    if row.status != RedLineStatus.ACTIVE.value:
        raise Conflict(f"red line {red_line_id} is already relaxed", details={"status": row.status})
    round_number = ctx.row.round_number if ctx.status is SummitStatus.OPEN else None
    rule = relax_rule(row)
    refusal = rule.refusal(round_number)
    if refusal is not None:
        raise Conflict(
            f"red line {red_line_id} cannot be relaxed now: {refusal}",
            details={"red_line": row.id, "relax": rule.to_json(), "round": round_number},
        )
    now = utcnow()
    changes = {"status": RedLineStatus.RELAXED.value, "relaxed_at": now, "relax_note": note}
    RedLineRepository(tx).update(row.id, changes)
    for name, value in changes.items():
        setattr(row, name, value)
    relaxed = replace(ctx.red_line_map()[row.id], status=RedLineStatus.RELAXED)
    ctx.red_lines_changed(
        tuple(relaxed if rl.id == row.id else rl for rl in ctx.red_lines()),
        ctx.red_line_extras() | {row.id: extra_of(row)},
    )
    ConcessionRepository(tx).add(
        ConcessionRow(
            summit_id=ctx.id,
            round=round_number,
            party_key=row.party_key,
            kind=ConcessionKind.RED_LINE.value,
            red_line_id=row.id,
            note=note,
            created_at=now,
        )
    )
    append_event(
        ctx,
        viewer.actor,
        RedLineRelaxedData(
            red_line=row.id,
            party=row.party_key,
            visibility=Visibility(row.visibility),
            round=round_number,
            note=note,
        ),
        now,
    )
    shown = red_line_read(relaxed, viewer)
    return RedLineRelaxed(
        **{name: getattr(shown, name) for name in RedLineRead.__dataclass_fields__},
        relax_note=note,
        relax=relax_read(rule) if shown.label is not None else None,
    )
