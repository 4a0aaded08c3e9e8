"""PostgreSQL LISTEN: hear every commit that NOTIFYs, from any worker on any host."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from service.db.engine import normalise_url

log = logging.getLogger("parley.listen")


async def listen(
    url: str, channel: str, on_notify: Callable[[str], None], on_connect: Callable[[], None]
) -> None:
    """Deliver each NOTIFY payload on ``channel`` to ``on_notify``; reconnect on failure."""
    # psycopg is imported here: a server on SQLite never listens and never loads it.
    import psycopg

    conninfo = normalise_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    delay = 0.5
    while True:
        try:
            connection = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
            async with connection:
                await connection.execute(f'LISTEN "{channel}"')
                on_connect()
                delay = 0.5
                async for notification in connection.notifies():
                    on_notify(notification.payload)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("LISTEN connection lost; reconnecting in %.1fs", delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
