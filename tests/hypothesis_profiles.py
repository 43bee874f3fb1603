"""Hypothesis profiles: "ci" is derandomised and bounded (same examples on every run, no example
database), "dev" explores a little more and remembers failures in .hypothesis/.

Chosen by HYPOTHESIS_PROFILE, else "ci" when CI=true, else "dev"; loaded from tests/conftest.py.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Views answer in milliseconds to tens of milliseconds, but a 1 MB string or a first query can
# be slow on a busy CI machine: no deadline, and no health check about slow or large data.
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

settings.register_profile(
    "ci", max_examples=25, derandomize=True, database=None, print_blob=True, **_COMMON
)
settings.register_profile("dev", max_examples=50, **_COMMON)


def load_profile() -> str:
    name = os.environ.get("HYPOTHESIS_PROFILE") or (
        "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
    )
    settings.load_profile(name)
    return name
