"""Solver-backed analysis with OR-Tools CP-SAT.

Feasibility and minimal conflict sets, repair, and mediation (Nash, maximin, welfare,
Kalai-Smorodinsky, Pareto frontiers).

Pure of the web and the database: it takes the domain's agenda, red lines and preferences.

Each module imports ``cp_model`` (with pandas, ~0.2 s of CPU) in the functions that search,
so a server or command that never searches starts without it.
"""
