"""End-to-end tests: a real uvicorn server (the ``server`` and ``fresh_server`` fixtures live in
tests/conftest.py) and what it takes to start and stop one by hand (tests/served.py)."""

from tests.conftest import server
from tests.served import free_port, launch, stop

# ``server`` is named here too for the browser tests that import it from this module.
__all__ = ["free_port", "launch", "server", "stop"]
