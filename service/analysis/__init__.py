"""Solver-backed analysis with OR-Tools CP-SAT.

Feasibility and minimal conflict sets, repair, and mediation (Nash, maximin, welfare,
Kalai-Smorodinsky, Pareto frontiers).

Pure of the web and the database: it takes the domain's agenda, red lines and preferences.
"""
