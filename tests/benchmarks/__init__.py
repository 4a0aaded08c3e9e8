"""Benchmarks: run with ``python -m tests.benchmarks [core|...]``; never part of the test run."""
