"""Built-in example scripts (YAML), loaded by name with ``clients.script.load_script``."""
