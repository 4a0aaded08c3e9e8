"""The pure negotiation core: agenda, red-line language, checker, utilities, rounds and record.

Nothing here imports a web framework, a database library or an HTTP client; the
import-linter contracts in ``pyproject.toml`` keep it that way.
"""
