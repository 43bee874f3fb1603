"""The README's production example passes Django's deployment checks on HSTS."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HSTS_WARNINGS = ("security.W004", "security.W005", "security.W021")


def production_example() -> dict[str, str]:
    """The variables of the first ```sh block under "## Running it for real"."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running it for real", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return dict(line.split("=", 1) for line in block.splitlines() if re.match(r"^[A-Z_]+=", line))


def test_the_production_example_sets_hsts():
    example = production_example()
    assert int(example["SECURE_HSTS_SECONDS"]) > 0


def test_check_deploy_with_the_production_example_says_nothing_about_hsts(tmp_path):
    # Only the example's variables (and what a shell always has): not the test run's own.
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env |= production_example() | {"VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified" in output or "no issues" in output
    for warning in HSTS_WARNINGS:
        assert warning not in output, output
