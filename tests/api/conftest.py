"""API fixtures: a token of each scope for alice (and bob), and DRF clients that send them."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services.tokens import api_token_create
from api.throttling import CACHE_ALIAS


def client_with(token_text: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_text}")
    return client


@pytest.fixture
def alice_api(alice) -> APIClient:
    """A read-write token of alice's."""
    _, text = api_token_create(owner=alice, name="tests", scope=ApiToken.Scope.WRITE)
    return client_with(text)


@pytest.fixture
def alice_api_read(alice) -> APIClient:
    _, text = api_token_create(owner=alice, name="tests (read)", scope=ApiToken.Scope.READ)
    return client_with(text)


@pytest.fixture
def bob_api(bob) -> APIClient:
    _, text = api_token_create(owner=bob, name="tests", scope=ApiToken.Scope.WRITE)
    return client_with(text)


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Each test starts with a full allowance: the counts are kept per token id, and ids come
    back after a rolled-back test on SQLite."""
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()
