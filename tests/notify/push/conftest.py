"""The local push service (tests/notify/push/service.py), allowed as a loopback target."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notify.services.vapid import vapid_public_key
from tests.notify.push.service import PushService, push_service_running


@pytest.fixture
def push_service(settings) -> Iterator[PushService]:
    settings.NOTIFY_ALLOW_PRIVATE = True
    with push_service_running(vapid_public_key()) as service:
        yield service
