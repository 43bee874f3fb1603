from __future__ import annotations

import pytest
from django.core.cache import caches

from network_crm.owner_cache import CACHE_ALIAS


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no page cached (the cache is per process, tests share it)."""
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()
