"""The layering rules of the brief, checked by import-linter's contracts in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    command = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 broken." in result.stdout


def test_the_domain_core_does_not_mention_web_or_database_libraries():
    # A second, dumber guard: import-linter misses imports hidden in strings.
    for path in (ROOT / "service" / "domain").rglob("*.py"):
        text = path.read_text()
        for word in ("fastapi", "sqlalchemy", "httpx", "starlette"):
            assert f"import {word}" not in text, path
            assert f"from {word}" not in text, path
