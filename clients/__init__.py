"""Parley's clients: the HTTP client library, delegation strategies and the ``parley`` CLI.

Nothing here imports ``service``: clients speak to the service over HTTP only.
"""
