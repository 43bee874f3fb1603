"""Server time and SQL query count of every main page and fragment, at one data size.

    python -m bench.pages --contacts 1000 --out bench/out/pages-1000.json

Run by run.py in a fresh VAR_DIR (its own SQLite database). Migrates, seeds with ``seed_demo``,
then requests each page in-process through Django's test Client (force_login, Host: localhost,
DEBUG off, the real middleware and the manifest static storage). Requests are interleaved in
rounds (every page once per round) so that noise from the shared machine spreads evenly over
the pages and the floor. The query log of each page is written next to the JSON.

Each page is measured twice per round when the per-owner response cache exists
(docs/decisions/0013): *cold*, right after the owner's data version is bumped (what the first
view after any change costs: every query and the whole render), then *warm*, the same request
again (served from the cache, what a repeat view or an htmx refresh costs). Without the cache
the two are the same request.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import time
from pathlib import Path

from bench.common import BENCH_USER, django_setup, ensure_static, median, percentile, write_json

SQL_ROUNDS = 5
SEARCH_TERM = "an"  # a common fragment of names in every culture of the demo data


def seed(contacts: int) -> dict:
    """Migrate and seed; a database seeded before (a kept VAR_DIR) is measured as it is."""
    from django.core.management import call_command

    from accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.filter(email=BENCH_USER).exists():
        return {"seconds": None, "output": "already seeded"}
    out = io.StringIO()
    started = time.perf_counter()
    call_command(
        "seed_demo",
        user=BENCH_USER,
        contacts=contacts,
        interactions=20 * contacts,
        seed=1,
        stdout=out,
    )
    return {"seconds": round(time.perf_counter() - started, 1), "output": out.getvalue().strip()}


def pick_targets(user) -> dict:
    """Deterministic ids for the parametrised pages: a typical contact (median history), the
    busiest one, and the interest most people share."""
    from django.db.models import Count, Q

    from contacts.models import Contact, Interest

    by_history = list(
        Contact.objects.filter(owner=user, archived=False)
        .annotate(n=Count("interactions"))
        .order_by("n", "pk")
        .values_list("pk", "n")
    )
    typical = by_history[len(by_history) // 2]
    busiest = max(by_history, key=lambda row: (row[1], -row[0]))
    interest = (
        Interest.objects.filter(owner=user)
        .annotate(n=Count("contacts", filter=Q(contacts__archived=False)))
        .order_by("-n", "pk")
        .values_list("pk", "name", "n")
        .first()
    )
    return {
        "typical_contact": {"pk": typical[0], "interactions": typical[1]},
        "busiest_contact": {"pk": busiest[0], "interactions": busiest[1]},
        "interest": {"pk": interest[0], "name": interest[1], "people": interest[2]},
    }


def page_list(targets: dict) -> list[tuple[str, str, bool]]:
    """(name, path, is_htmx) for every page measured; the floor first."""
    typical = targets["typical_contact"]["pk"]
    busiest = targets["busiest_contact"]["pk"]
    interest = targets["interest"]["pk"]
    return [
        ("floor (base.html only)", "/_floor/", False),
        ("dashboard", "/", False),
        ("dashboard: due (htmx)", "/", True),
        ("dashboard: soon (htmx)", "/?section=soon-section", True),
        ("dashboard: recent (htmx)", "/?section=recent-section", True),
        ("dashboard: health (htmx)", "/?section=health-section", True),
        ("contact list", "/contacts/", False),
        (f"search q={SEARCH_TERM!r}", f"/contacts/?q={SEARCH_TERM}", False),
        ("list: interest, by last contact", f"/contacts/?interest={interest}&sort=last", False),
        ("contact page (typical)", f"/contacts/{typical}/", False),
        ("contact page (busiest)", f"/contacts/{busiest}/", False),
        ("interests", "/contacts/interests/", False),
        ("activity", "/interactions/", False),
        ("admin: contact changelist", "/admin/contacts/contact/", False),
    ]


def cache_bumper(user):
    """A function that makes the owner's next request a cache miss, or None without the cache."""
    try:
        from network_crm.owner_cache import bump_owner
    except ImportError:
        return None
    return lambda: bump_owner(user.pk)


def measure(*, warmup: int, repeat: int, query_log: Path) -> tuple[list[dict], dict, dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    user = User.objects.get(email=BENCH_USER)
    targets = pick_targets(user)
    pages = page_list(targets)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get(path: str, htmx: bool):
        return client.get(path, headers={"HX-Request": "true"} if htmx else {})

    for _ in range(warmup):
        for _name, path, htmx in pages:
            response = get(path, htmx)
            assert response.status_code == 200, (path, response.status_code)

    bump = cache_bumper(user)

    # Wall time is what a user waits for; CPU time of this process (the database is SQLite,
    # in-process) is what the page costs, and it does not count the moments the shared machine
    # gave the core to someone else, so it is the steadier of the two for ratios.
    times: dict[str, list[float]] = {path + str(htmx): [] for _n, path, htmx in pages}
    cpu: dict[str, list[float]] = {key: [] for key in times}
    warm_times: dict[str, list[float]] = {key: [] for key in times}
    warm_cpu: dict[str, list[float]] = {key: [] for key in times}
    cache_states: dict[str, set[str]] = {key: set() for key in times}
    load_before = os.getloadavg()[0]
    gc.collect()
    for _ in range(repeat):
        for _name, path, htmx in pages:
            key = path + str(htmx)
            if bump:
                bump()  # not timed: the next request is the first after a change
            for wall, used in ((times, cpu), (warm_times, warm_cpu)) if bump else ((times, cpu),):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = get(path, htmx)
                used[key].append((time.process_time() - started_cpu) * 1000)
                wall[key].append((time.perf_counter() - started) * 1000)
                cache_states[key].add(response.headers.get("X-Owner-Cache", "none"))
    load_after = os.getloadavg()[0]

    # Time spent waiting on the database, measured apart from the timed requests (a wrapper
    # around every query costs a little), to tell query-bound pages from render-bound ones.
    sql: dict[str, list[float]] = {key: [] for key in times}
    for _ in range(SQL_ROUNDS):
        for _name, path, htmx in pages:
            if bump:
                bump()  # the database time of a cold request
            spent = [0.0]

            def timed(execute, sql_text, params, many, context, spent=spent):
                started = time.process_time()  # CPU, like the cpu_ms it is compared with
                try:
                    return execute(sql_text, params, many, context)
                finally:
                    spent[0] += time.process_time() - started

            with connection.execute_wrapper(timed):
                get(path, htmx)
            sql[path + str(htmx)].append(spent[0] * 1000)

    results = []
    log = []
    for name, path, htmx in pages:
        if bump:
            bump()
        with CaptureQueriesContext(connection) as queries:
            response = get(path, htmx)
        with CaptureQueriesContext(connection) as warm_queries:
            get(path, htmx)
        log.append(f"### {name}  GET {path}{'  (HX-Request)' if htmx else ''}")
        log.extend(f"{q['time']}s  {q['sql']}" for q in queries.captured_queries)
        log.append("")
        key = path + str(htmx)
        samples = times[key]
        results.append(
            {
                "name": name,
                "path": path,
                "htmx": htmx,
                "status": response.status_code,
                "bytes": len(response.content),
                "queries": len(queries.captured_queries),
                "median_ms": round(median(samples), 2),
                "cpu_ms": round(median(cpu[path + str(htmx)]), 2),
                "sql_ms": round(median(sql[path + str(htmx)]), 2),
                "min_ms": round(min(samples), 2),
                "p90_ms": round(percentile(samples, 90), 2),
                "samples_ms": [round(s, 2) for s in samples],
                # Served from the per-owner cache (same as cold when there is no cache).
                "warm_queries": len(warm_queries.captured_queries),
                "warm_median_ms": round(median(warm_times[key] or samples), 2),
                "warm_cpu_ms": round(median(warm_cpu[key] or cpu[key]), 2),
                "cache_states": sorted(cache_states[key]),
            }
        )
    query_log.parent.mkdir(parents=True, exist_ok=True)
    query_log.write_text("\n".join(log))
    return results, targets, {"loadavg_1m": [load_before, load_after]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    django_setup()
    ensure_static()
    seeded = seed(args.contacts)
    from contacts.models import Contact
    from interactions.models import Interaction

    out = Path(args.out)
    pages, targets, machine = measure(
        warmup=args.warmup, repeat=args.repeat, query_log=out.with_suffix(".queries.txt")
    )
    write_json(
        out,
        {
            "contacts": Contact.objects.count(),
            "interactions": Interaction.objects.count(),
            "seed": seeded,
            "targets": targets,
            "warmup": args.warmup,
            "repeat": args.repeat,
            "machine": machine,
            "pages": pages,
        },
    )


if __name__ == "__main__":
    main()
