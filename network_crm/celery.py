"""The Celery app, configured from the CELERY_* names in settings.py.

Beat has one static schedule; the broker only makes delivery prompt, the database rows
(Reminder, Digest) are what guarantee it."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network_crm.settings")

app = Celery("network_crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
