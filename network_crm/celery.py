"""The Celery app, configured from the CELERY_* names in settings.py.

Beat has one static schedule; the broker only makes delivery prompt, the database rows
(Reminder, Digest) are what guarantee it."""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_crm.settings")

app = Celery("network_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@beat_init.connect
def sweep_when_beat_starts(sender, **kwargs) -> None:
    """Queue a sweep as soon as beat is up.

    An interval entry first fires one interval after beat starts, so a new instance would wait
    that long for its first sweep (and its owner would be told reminders were never checked).
    Running it at once is safe: the sweep asks "what is due up to now" and is idempotent.
    """
    entry = sender.app.conf.beat_schedule["sweep"]
    try:
        sender.app.send_task(entry["task"], **entry.get("options", {}))
    except Exception:  # the broker is down: the schedule's own first sweep comes an interval later
        logger.exception("Could not queue the first sweep at start-up.")
    else:
        logger.info("Queued the first sweep at start-up.")
