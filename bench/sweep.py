"""The reminder sweep's cost with a fixed number of due contacts among many more that are not.

    python -m bench.sweep --due 500 --sizes 10000,100000 --out bench/out/sweep-sqlite.json

Run by run.py against an empty database (a fresh SQLite file, or a scratch PostgreSQL database
from DATABASE_URL). One user; ``--due`` contacts are overdue, every other contact is bulk-created
with a far-future ``next_reach_out_on``. Before each run the Reminder and Digest rows are deleted,
the user's digest is made due again and the heartbeat removed, so every run opens the same
reminders and creates the same digest. The database grows from one size to the next.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import time

from bench.common import BENCH_USER, django_setup, median, write_json

BATCH = 5000
FAR_FUTURE = dt.date(2100, 1, 1)
NOTE = (
    "Met at a conference; likes long walks, board games and talking about the last book they read."
)


def _contacts(owner, circles, start: int, count: int, *, due: bool, today: dt.date) -> list:
    from contacts.models import Contact

    rows = []
    for i in range(start, start + count):
        circle = circles[i % len(circles)]
        contact = Contact(
            owner=owner,
            name=f"{'Due' if due else 'Person'} {i:06d} Example",
            company=f"Company {i % 997}",
            city="Lisbon" if i % 2 else "Nairobi",
            notes=NOTE if i % 3 == 0 else "",
            circle=circle,
            added_on=today - dt.timedelta(days=400),
            last_interaction_on=today - dt.timedelta(days=60 + i % 30) if due else today,
            next_reach_out_on=today - dt.timedelta(days=1 + i % 30) if due else FAR_FUTURE,
        )
        contact.fill_folded_fields()
        rows.append(contact)
    return rows


def grow_to(owner, total: int, *, have: int, due: int, today: dt.date) -> None:
    from django.db import connection, transaction

    from contacts.models import Circle, Contact

    circles = list(Circle.objects.filter(owner=owner).exclude(cadence_days=None))
    with transaction.atomic():
        if have == 0:
            Contact.objects.bulk_create(
                _contacts(owner, circles, 0, due, due=True, today=today), batch_size=BATCH
            )
            have = due
        for start in range(have, total, BATCH):
            count = min(BATCH, total - start)
            Contact.objects.bulk_create(
                _contacts(owner, circles, start, count, due=False, today=today), batch_size=BATCH
            )
    if connection.vendor == "postgresql":
        # What autovacuum would have done by the time the next sweep runs.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def reset(owner, now: dt.datetime) -> None:
    from django.db import connection

    from accounts.models import UserSettings
    from reminders.models import Digest, Reminder, SchedulerHeartbeat

    Reminder.objects.all().delete()
    Digest.objects.all().delete()
    SchedulerHeartbeat.objects.all().delete()
    UserSettings.objects.filter(user=owner).update(next_digest_at=now - dt.timedelta(hours=1))
    if connection.vendor == "postgresql":
        # Each run starts from the same tables, not from the dead rows of the runs before.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM reminders_reminder, reminders_digest, reminders_schedulerheartbeat"
            )


def measure(owner, now: dt.datetime, *, runs: int, expect_due: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.models import Reminder
    from reminders.services.sweep import sweep_run

    reset(owner, now)
    with CaptureQueriesContext(connection) as queries:
        report = sweep_run(now=now)
    opened = Reminder.objects.count()
    assert report.reminders_opened == expect_due == opened, (report, opened)
    times = []
    for _ in range(runs):
        reset(owner, now)
        gc.collect()
        started = time.perf_counter()
        sweep_run(now=now)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "queries": len(queries.captured_queries),
        "reminders_opened": report.reminders_opened,
        "digests_created": len(report.digests_created),
        "median_ms": round(median(times), 1),
        "min_ms": round(min(times), 1),
        "samples_ms": [round(t, 1) for t in times],
        "query_log": [f"{q['time']}s  {q['sql'][:400]}" for q in queries.captured_queries],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--due", type=int, default=500)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from accounts.services import user_signup
    from contacts.models import Contact

    call_command("migrate", interactive=False, verbosity=0)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    owner = user_signup(
        email=BENCH_USER, password="bench-password-123", name="Bench", time_zone="UTC", now=now
    )
    today = now.date()
    results = []
    have = 0
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        grow_to(owner, size, have=have, due=args.due, today=today)
        build_s = time.perf_counter() - started
        have = Contact.objects.count()
        row = measure(owner, now, runs=args.runs, expect_due=args.due)
        results.append({"contacts": have, "due": args.due, "build_s": round(build_s, 1), **row})
    write_json(args.out, {"database": connection.vendor, "runs": args.runs, "sizes": results})


if __name__ == "__main__":
    main()
