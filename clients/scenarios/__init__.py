"""Built-in scenario files (YAML), loaded with ``clients.scenario.load_scenario``."""
