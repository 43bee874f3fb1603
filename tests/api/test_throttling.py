"""The rate limit (api/throttling.py): per token, 429 with Retry-After, shared by all workers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import CacheHandler, caches
from rest_framework.test import APIClient

from api.services.tokens import api_token_create
from api.throttling import CACHE_ALIAS
from tests.api.conftest import client_with
from tests.conftest import FROZEN_NOW


@pytest.fixture
def three_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min"},
    }


def test_past_the_rate_a_token_gets_429_with_retry_after(alice, three_a_minute):
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        _, text = api_token_create(owner=alice, name="Busy script")
        client = client_with(text)
        assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
        traveller.move_to(FROZEN_NOW + dt.timedelta(seconds=20))
        refused = client.get("/api/v1/me/")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "40"
        assert "Request was throttled" in refused.json()["detail"]
        traveller.move_to(FROZEN_NOW + dt.timedelta(seconds=61))
        assert client.get("/api/v1/me/").status_code == 200


def test_each_token_has_its_own_allowance(alice, bob, three_a_minute, frozen_now):
    _, first = api_token_create(owner=alice, name="One")
    _, second = api_token_create(owner=alice, name="Two")
    _, bobs = api_token_create(owner=bob, name="Bob's")
    for _ in range(3):
        client_with(first).get("/api/v1/me/")
    assert client_with(first).get("/api/v1/me/").status_code == 429
    assert client_with(second).get("/api/v1/me/").status_code == 200
    assert client_with(bobs).get("/api/v1/me/").status_code == 200


def test_the_browser_session_is_limited_per_user(alice, three_a_minute, frozen_now):
    client = APIClient()
    client.force_login(alice)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_counts_are_not_kept_in_one_process_memory(alice, three_a_minute, frozen_now):
    """A second, fresh cache connection (as another gunicorn worker would open) sees the counts:
    locmem would give each worker its own allowance."""
    token, text = api_token_create(owner=alice, name="Busy script")
    client_with(text).get("/api/v1/me/")
    assert caches[CACHE_ALIAS].__class__.__name__ in ("FileBasedCache", "RedisCache")
    other_worker = CacheHandler().create_connection(CACHE_ALIAS)
    assert len(other_worker.get(f"throttle_token_token-{token.pk}")) == 1
