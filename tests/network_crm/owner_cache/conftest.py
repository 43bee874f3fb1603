from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches

from network_crm.owner_cache import CACHE_ALIAS

# The start of a cache time bucket (owner_cache.TIME_BUCKET_SECONDS): a test that expects a hit
# can't see a miss because the clock crossed into the next bucket between its two requests.
BUCKET_START = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no page cached (the cache is per process, tests share it), at the
    start of a time bucket with the clock running."""
    caches[CACHE_ALIAS].clear()
    with time_machine.travel(BUCKET_START, tick=True):
        yield
    caches[CACHE_ALIAS].clear()
