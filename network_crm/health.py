"""The health report behind /health/: is the database answering, the broker reachable, and has
each periodic job run recently?

The kit reads no app's tables: an app registers its periodic jobs with ``periodic_job_register``
in its ``AppConfig.ready`` (reminders registers the sweep), and the database counts as answering
when their last runs can be read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from network_crm.broker import broker_status


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    # When it last ran (None: never), read from the database.
    last_run: Callable[[], dt.datetime | None]
    # Silence for longer than this means the job is not running.
    within: dt.timedelta


_jobs: dict[str, PeriodicJob] = {}


def periodic_job_register(
    *, name: str, last_run: Callable[[], dt.datetime | None], within: dt.timedelta
) -> None:
    """Have /health/ report on ``name``: "ok", "stale" or "never ran", and seconds since it ran."""
    _jobs[name] = PeriodicJob(name=name, last_run=last_run, within=within)


def health_report(*, now: dt.datetime) -> dict:
    """``ok`` and one entry per part; ``ok`` is False as soon as one part is wrong."""
    report: dict = {"ok": True}
    try:
        last_runs = {job.name: job.last_run() for job in _jobs.values()}
        report["database"] = "ok"
    except Exception as exc:  # any database error means unhealthy
        report.update(ok=False, database=f"error: {type(exc).__name__}")
        last_runs = {}
    for job in _jobs.values():
        last = last_runs.get(job.name)
        if last is None:
            report.update({"ok": False, job.name: "never ran"})
            continue
        age = (now - last).total_seconds()
        report[f"{job.name}_seconds_ago"] = round(age)
        if age > job.within.total_seconds():
            report.update({"ok": False, job.name: "stale"})
        else:
            report[job.name] = "ok"
    report["broker"] = broker_status()
    if report["broker"] != "ok":
        report["ok"] = False
    return report
