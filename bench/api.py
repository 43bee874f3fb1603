"""The API's list endpoints: server time and SQL query count at each data size.

    python -m bench.api --sizes 100,1000,10000 --repeat 15 --out bench/out/api-sqlite.json

Run by run.py (``--only api``) against an empty database (a fresh SQLite file, or a scratch
PostgreSQL database from DATABASE_URL). One user, seeded with ``demo_seed`` (``--interactions``
per contact); the database grows from one size to the next. Requests go through Django's test
Client in-process with a read token (``Authorization: Bearer``), so every figure is server time
(authentication, throttling, pagination and JSON rendering included, no network):

- the first page of /api/v1/contacts/ and /api/v1/interactions/ (default page size, and 200),
- a page deep in the list (following ``next`` 5 times: a cursor costs the same anywhere),
- ``?updated_since=`` an hour ago (an incremental sync that finds nothing new),
- /api/v1/imports/, the portability list, as a small control.

Requests are interleaved in rounds (every endpoint once per round), so noise on the shared machine
spreads evenly. A route that is not there (404, e.g. before a branch is merged) is reported as
missing instead of measured. The query count must be the same at every size (docs in
bench/NOTES.md, "API").
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import time
from urllib.parse import urlsplit

from bench.common import (
    BENCH_USER,
    django_setup,
    ensure_static,
    median,
    percentile,
    write_json,
)

DEEP_PAGES = 5


def endpoints(since: str) -> list[tuple[str, str]]:
    """(name, path) of every endpoint measured; "deep" paths are resolved per size."""
    return [
        ("contacts", "/api/v1/contacts/"),
        ("contacts, 200 a page", "/api/v1/contacts/?page_size=200"),
        ("contacts, page 6", "deep:/api/v1/contacts/"),
        ("contacts, updated_since", f"/api/v1/contacts/?updated_since={since}"),
        ("interactions", "/api/v1/interactions/"),
        ("interactions, 200 a page", "/api/v1/interactions/?page_size=200"),
        ("interactions, page 6", "deep:/api/v1/interactions/"),
        ("interactions, updated_since", f"/api/v1/interactions/?updated_since={since}"),
        ("imports (control)", "/api/v1/imports/"),
    ]


def resolve(client, path: str) -> str | None:
    """A path to measure: a deep page's cursor URL found by following ``next``; None if the
    route is missing."""
    deep = path.startswith("deep:")
    path = path.removeprefix("deep:")
    response = client.get(path)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    for _ in range(DEEP_PAGES if deep else 0):
        following = response.json().get("next")
        if not following:
            break
        parts = urlsplit(following)
        path = f"{parts.path}?{parts.query}"
        response = client.get(path)
    return path


def measure(client, *, warmup: int, repeat: int, since: str) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    targets = [(name, resolve(client, path)) for name, path in endpoints(since)]
    present = [(name, path) for name, path in targets if path is not None]
    for _ in range(warmup):
        for _name, path in present:
            client.get(path)
    times: dict[str, list[float]] = {name: [] for name, _ in present}
    cpu: dict[str, list[float]] = {name: [] for name, _ in present}
    queries: dict[str, list[int]] = {name: [] for name, _ in present}
    gc.collect()
    for _ in range(repeat):
        for name, path in present:
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                cpu[name].append((time.process_time() - started_cpu) * 1000)
                times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries[name].append(len(captured.captured_queries))
    results = []
    for name, path in targets:
        if path is None:
            results.append({"name": name, "missing": True})
            continue
        response = client.get(path)
        body = response.json()
        results.append(
            {
                "name": name,
                "path": path if len(path) < 80 else path[:77] + "...",
                "rows": len(body.get("results", [])),
                "bytes": len(response.content),
                # The token's last_used is written at most once a minute: that request has one
                # query more. The median is the steady cost, the set shows the exception.
                "queries": int(median(queries[name])),
                "queries_seen": sorted(set(queries[name])),
                "median_ms": round(median(times[name]), 2),
                "cpu_ms": round(median(cpu[name]), 2),
                "p90_ms": round(percentile(times[name], 90), 2),
                "min_ms": round(min(times[name]), 2),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--interactions", type=int, default=5, help="per contact")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    django_setup()
    ensure_static()  # a missing route's 404 page needs the static manifest (DEBUG off)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.services import user_signup
    from api.models import ApiToken
    from api.services.tokens import api_token_create
    from contacts.models import Contact
    from demo.services import demo_seed
    from interactions.models import Interaction

    call_command("migrate", interactive=False, verbosity=0)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    owner = user_signup(
        email=BENCH_USER, password="bench-password-123", name="Bench", time_zone="UTC", now=now
    )
    _, token = api_token_create(owner=owner, name="bench", scope=ApiToken.Scope.READ)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    # Everything seeded is dated two hours back, so "changed in the last hour" finds nothing:
    # the cost of a sync with nothing new, the common case.
    since = (now - dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    results = []
    have = 0
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        added = size - have
        demo_seed(
            owner=owner, contacts=added, interactions=added * args.interactions, seed=size, now=now
        )
        seed_s = time.perf_counter() - started
        earlier = now - dt.timedelta(hours=2)
        Contact.objects.filter(owner=owner).update(updated_at=earlier)
        Interaction.objects.filter(owner=owner).update(updated_at=earlier)
        if connection.vendor == "postgresql":
            # An account at rest has fresh planner statistics (autovacuum's analyze); right
            # after a bulk load they are stale and PostgreSQL may ignore the updated_at index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        have = Contact.objects.filter(owner=owner).count()
        row = {
            "contacts": have,
            "interactions": Interaction.objects.filter(owner=owner).count(),
            "seed_s": round(seed_s, 1),
            "endpoints": measure(client, warmup=args.warmup, repeat=args.repeat, since=since),
        }
        results.append(row)
        print(row, flush=True)
    write_json(
        args.out,
        {
            "database": connection.vendor,
            "repeat": args.repeat,
            "interactions_per_contact": args.interactions,
            "sizes": results,
        },
    )


if __name__ == "__main__":
    main()
