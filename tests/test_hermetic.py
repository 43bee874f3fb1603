"""The test suite leaves an instance's var/ as it was: it has a VAR_DIR of its own (tests/hermetic.py),
which the processes it starts inherit."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from network_crm import celery_app
from tests.fixtures.processes import BASE_DIR, ManagedProcess, _celery, _register, broker_url

BROKER_FILE = "celery-broker.sqlite3"


def test_the_suite_keeps_its_files_in_a_temporary_directory_of_its_own():
    var_dir = Path(settings.VAR_DIR).resolve()
    assert var_dir != (BASE_DIR / "var").resolve()
    assert var_dir.is_relative_to(Path(tempfile.gettempdir()).resolve())
    assert not var_dir.is_relative_to(BASE_DIR.resolve())
    # Everything settings.py keeps in VAR_DIR is in that one.
    kept = [
        Path(settings.CELERY_BROKER_URL.removeprefix("sqla+sqlite:///")),
        Path(settings.MEDIA_ROOT),
        Path(settings.CELERY_BEAT_SCHEDULE_FILENAME),
    ]
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        kept.append(Path(settings.DATABASES["default"]["TEST"]["NAME"]))
    for path in kept:
        assert path.resolve().is_relative_to(var_dir), path
    assert (var_dir / "secret_key").exists()


@pytest.mark.integration
def test_a_worker_the_tests_start_uses_the_suites_broker(request, tmp_path):
    broker = Path(settings.VAR_DIR) / BROKER_FILE
    # Started as the suite starts any process: the environment it inherits, nothing added.
    worker = ManagedProcess.start(
        name="celery worker",
        args=_celery(
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            f"--hostname=isolation-{os.getpid()}@%h",
            "--loglevel=INFO",
        ),
        log_path=tmp_path / "celery-worker.log",
        cwd=BASE_DIR,
    )
    _register(request, worker)
    try:
        worker.wait_for_log(" ready.")
        assert broker.exists()
        assert broker.resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
        # What the tests enqueue goes there too, and that worker takes it. (Fresh connections to
        # the configured broker: other tests point the in-process app elsewhere and back.)
        with broker_url(settings.CELERY_BROKER_URL):
            result = celery_app.send_task("reminders.tasks.prune_broker")
        worker.wait_for_log(f"reminders.tasks.prune_broker[{result.id}] received")
    finally:
        worker.stop()
