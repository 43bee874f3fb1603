"""The rate limit (api/throttling.py): per token, 429 with Retry-After, shared by all workers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

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


def test_with_a_redis_broker_the_counts_live_in_redis(tmp_path):
    """The settings choose the shared cache from the broker (network_crm/settings.py)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['api']))"
    )
    env = {**os.environ, "CELERY_BROKER_URL": "redis://127.0.0.1:6399/3", "ENV_FILE": ""}
    env.setdefault("DJANGO_SETTINGS_MODULE", "network_crm.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    cache = json.loads(out.stdout.strip().splitlines()[-1])
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6399/3"


def test_throttling_over_redis_is_shared_between_connections(
    alice, redis_server, settings, three_a_minute, frozen_now
):
    redis_server.flushall()
    settings.CACHES = {
        **settings.CACHES,
        CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "network-crm-api",
        },
    }
    token, text = api_token_create(owner=alice, name="Busy script")
    client = client_with(text)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]
    other_worker = CacheHandler().create_connection(CACHE_ALIAS)
    assert len(other_worker.get(f"throttle_token_token-{token.pk}")) == 3
    redis_server.flushall()
