"""Bearer tokens: issued once, stored as SHA-256 of their secret, compared in constant time.

A token reads ``prl_<selector>_<secret>``. The selector finds the credential row; the secret
is checked with ``hmac.compare_digest`` against the stored hash, so neither the lookup nor
the comparison leaks the secret through timing. Secrets carry 256 bits of entropy, so a fast
hash is the right one (a slow password hash protects low-entropy secrets only).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from service.db.models import CredentialRow
from service.db.repositories.summits import SummitRepository
from service.db.transaction import Transaction
from service.domain.errors import Forbidden, Unauthorized
from service.domain.privacy import ANONYMOUS, Role, Viewer
from service.services.cache import Credential, cache_of

_TOKEN = re.compile(r"^prl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def issue_credential(
    summit_id: str, role: Role, party: str | None, now: datetime
) -> tuple[CredentialRow, str]:
    """Create a credential row and return it with the token (shown once, never stored)."""
    selector = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    row = CredentialRow(
        id=selector,
        summit_id=summit_id,
        role=role.value,
        party_key=party,
        secret_hash=_digest(secret),
        created_at=now,
    )
    return row, f"prl_{selector}_{secret}"


def authenticate(tx: Transaction, summit_id: str, token: str | None) -> Viewer:
    """Return who ``token`` speaks for at this summit (anonymous without a token).

    A malformed or unknown token is Unauthorized; a valid token of another summit is
    Forbidden. Only credentials that exist are cached: unknown selectors always reach the
    database.
    """
    if token is None:
        return ANONYMOUS
    selector, secret = _split(token)
    credentials = cache_of(tx).credentials
    known = credentials.get(selector)
    if known is None:
        row = SummitRepository(tx).credential(selector)
        if row is not None:
            known = Credential(row.summit_id, Role(row.role), row.party_key, row.secret_hash)
            credentials.put(selector, known)
    return _verify(known, summit_id, secret)


def _split(token: str) -> tuple[str, str]:
    match = _TOKEN.match(token)
    if match is None:
        raise Unauthorized(
            "malformed bearer token", details={"expected": "prl_<16 hex>_<43 chars>"}
        )
    selector, secret = match.groups()
    return selector, secret


def _verify(known: Credential | None, summit_id: str, secret: str) -> Viewer:
    if known is None or not hmac.compare_digest(known.secret_hash, _digest(secret)):
        raise Unauthorized("unknown bearer token")
    if known.summit_id != summit_id:
        raise Forbidden("this token belongs to another summit")
    return Viewer(known.role, known.party)


def admin_allowed(token: str | None, admin_token: str | None) -> None:
    """Raise unless summit creation is open or ``token`` is the admin token."""
    if admin_token is None:
        return
    if token is None:
        raise Unauthorized("creating a summit needs the admin token on this server")
    if not hmac.compare_digest(token.encode(), admin_token.encode()):
        raise Forbidden("this token may not create summits")


def require_token(viewer: Viewer, action: str) -> None:
    """Raise Unauthorized for an anonymous caller."""
    if viewer.role is Role.ANONYMOUS:
        raise Unauthorized(f"{action} needs a bearer token")


def require_convener(viewer: Viewer, action: str) -> None:
    """Raise unless the caller is the summit's convener."""
    require_token(viewer, action)
    if viewer.role is not Role.CONVENER:
        raise Forbidden(f"only the convener may {action}")


def require_party(viewer: Viewer, party: str, action: str) -> None:
    """Raise unless the caller is the delegation of ``party``."""
    require_token(viewer, action)
    if viewer.role is not Role.DELEGATION:
        raise Forbidden(f"only a delegation may {action}")
    if viewer.party != party:
        raise Forbidden(f"your token acts for {viewer.party}, not {party}")


def require_delegation(viewer: Viewer, action: str) -> str:
    """Raise unless the caller is a delegation; return its party."""
    require_token(viewer, action)
    if viewer.role is not Role.DELEGATION or viewer.party is None:
        raise Forbidden(f"only a delegation may {action}")
    return viewer.party
