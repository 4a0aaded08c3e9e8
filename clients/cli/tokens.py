"""The convener tokens ``parley summit run`` keeps, so the organiser can review and verify later.

They live in one JSON file next to the database (``parley.db`` keeps ``parley.db.tokens``),
readable and writable by the user only (mode 600), by summit id.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def tokens_file(database: Path) -> Path:
    """Return the file that keeps the convener tokens of summits played with ``database``."""
    return database.with_name(database.name + ".tokens")


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def keep_convener_token(database: Path, summit: str, token: str, server: str | None) -> Path:
    """Store a summit's convener token (mode 600); return the file."""
    path = tokens_file(database)
    kept = _read(path)
    kept[summit] = {"convener": token, **({"server": server} if server else {})}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(kept, out, indent=2)
    os.chmod(path, 0o600)  # also when the file existed with looser rights
    return path


def convener_token(database: Path, summit: str) -> str | None:
    """Return the kept convener token of a summit, if ``parley summit run`` kept one."""
    entry = _read(tokens_file(database)).get(summit)
    token = entry.get("convener") if isinstance(entry, dict) else None
    return token if isinstance(token, str) else None
