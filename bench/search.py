"""People search at 10,000 and 100,000 contacts: is it as fast with ten times the people?

    python -m bench.search --sizes 10000,100000 --out bench/out/search-sqlite.json
    python -m bench.search --database-url postgres://postgres@127.0.0.1:5432/bench_search \\
        --out bench/out/search-postgresql.json

Run against an empty database (a fresh SQLite file in VAR_DIR, or a scratch PostgreSQL database).
One user; contacts are bulk-created with the demo seeder's names (many cultures and scripts),
companies, cities and notes, an email each, and one to three of 40 interests. A rare word sits in
the notes of exactly five people, whatever the size. The database grows from one size to the
next; at each size the contact list (``/contacts/?q=...``, i.e. ``contacts_search`` and the page)
is requested through the test Client for each term, next to the bench's bare page (``/_floor/``)
in interleaved rounds (the floor and every term once per round): median CPU ms, ×floor, queries,
and the count the page shows.
(docs/decisions/0012-search-index.md)
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gc
import html
import os
import random
import re
import subprocess
import time
from urllib.parse import urlencode

from bench.common import BENCH_USER, median, write_json

BATCH = 5000
RARE_WORD = "quokka"
RARE_PEOPLE = 5
INTERESTS = 40
# Only short words (scanned, count capped); a common fragment of names; a rare word; two words.
TERMS = ("an", "mar", RARE_WORD, "mar son")
# Requests of each kind counted under callgrind (--instructions): the count hardly moves.
INSTRUCTION_RUNS = 3


def _people(owner, start: int, count: int, *, rng: random.Random, today: dt.date):
    from contacts.models import Contact, ContactMethod
    from demo import data as demo_data
    from demo.services import _cultures, _email, _person_name

    cultures, cumulative = _cultures()
    contacts, emails = [], []
    for i in range(start, start + count):
        culture = cultures[bisect.bisect_right(cumulative, rng.randrange(cumulative[-1]))]
        person = _person_name(rng, culture)
        company = rng.choice(demo_data.COMPANIES)
        _country, _code, city = rng.choice(culture.places)
        notes = rng.choice(demo_data.CONTACT_NOTES) if rng.random() < 0.3 else ""
        if i < RARE_PEOPLE:
            notes = f"{notes} Keeps a pet {RARE_WORD}.".strip()
        contact = Contact(
            owner=owner,
            name=person.name,
            company=company,
            city=city,
            notes=notes,
            added_on=today - dt.timedelta(days=400),
        )
        contact.fill_folded_fields()
        contacts.append(contact)
        emails.append(_email(rng, person, company))
    contacts = Contact.objects.bulk_create(contacts, batch_size=BATCH)
    methods = []
    for contact, email in zip(contacts, emails, strict=True):
        method = ContactMethod(owner=owner, contact=contact, kind="email", value=email)
        method.fill_folded_fields()
        methods.append(method)
    ContactMethod.objects.bulk_create(methods, batch_size=BATCH)
    return contacts


def grow_to(owner, total: int, *, have: int, rng: random.Random, today: dt.date) -> None:
    from django.db import connection, transaction

    from contacts.models import Contact, Interest
    from demo import data as demo_data

    with transaction.atomic():
        interests = list(Interest.objects.filter(owner=owner))
        if not interests:
            names = list(dict.fromkeys(demo_data.INTERESTS))[:INTERESTS]
            for name in names:
                Interest(owner=owner, name=name).save()
            interests = list(Interest.objects.filter(owner=owner))
        links = Contact.interests.through
        for start in range(have, total, BATCH):
            made = _people(owner, start, min(BATCH, total - start), rng=rng, today=today)
            links.objects.bulk_create(
                [
                    links(contact_id=contact.pk, interest_id=interest.pk)
                    for contact in made
                    for interest in rng.sample(interests, rng.randint(1, 3))
                ],
                batch_size=BATCH,
            )
    with connection.cursor() as cursor:
        # What the demo seeder and autovacuum do: planner statistics for the new rows.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def measure(client, *, runs: int, instructions: bool = False) -> dict:
    from django.db import connection

    try:  # each request cold: no page from the per-owner cache (docs/decisions/0013)
        from network_crm.owner_cache import bump_owner
    except ImportError:
        bump_owner = None
    owner_id = client.session["_auth_user_id"]

    def cpu_ms(path: str, params: dict) -> float:
        gc.collect()
        if bump_owner:
            bump_owner(int(owner_id))
        started = time.process_time()
        response = client.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)
        return (time.process_time() - started) * 1000

    requests = {"": ("/_floor/", {})} | {term: ("/contacts/", {"q": term}) for term in TERMS}
    for path, params in requests.values():
        for _ in range(2):
            client.get(path, params)
    # Interleaved rounds (the floor and every term once per round), as bench/pages.py does, so
    # that a noisy stretch of the shared machine weighs on the floor and the terms alike.
    samples: dict[str, list[float]] = {key: [] for key in requests}
    for _ in range(runs):
        for key, (path, params) in requests.items():
            samples[key].append(cpu_ms(path, params))
    floor = median(samples[""])
    terms = {}
    for term in TERMS:
        queries = []

        def log(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        if bump_owner:
            bump_owner(int(owner_id))
        with connection.execute_wrapper(log):
            response = client.get("/contacts/", {"q": term})
        page = html.unescape(response.content.decode())
        shown = re.search(r'class="muted small result-count"[^>]*>([^<]*)<', page)
        times = samples[term]
        terms[term] = {
            "median_cpu_ms": round(median(times), 1),
            "x_floor": round(median(times) / floor, 1),
            "queries": len(queries),
            "shown": shown.group(1) if shown else "no match",
            "samples_cpu_ms": [round(t, 1) for t in times],
            "query_log": [sql[:600] for sql in queries],
        }
    row = {"floor_cpu_ms": round(floor, 2), "terms": terms}
    if instructions:
        # The same requests counted in instructions (bench/instructions.py): what CPU time
        # says, without the shared machine's noise.
        from bench.instructions import count_instructions

        paths = {
            key: path + ("?" + urlencode(params) if params else "")
            for key, (path, params) in requests.items()
        }
        try:
            counted = count_instructions(list(paths.values()), runs=INSTRUCTION_RUNS)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            # The CPU figures stand alone; results.md then judges on ×floor.
            print(f"instructions not counted: {error}", flush=True)
            return row
        row["floor_instructions_m"] = round(counted[paths[""]] / 1e6, 2)
        for term in TERMS:
            terms[term]["instructions_m"] = round(counted[paths[term]] / 1e6, 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (default: SQLite)")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the database as it is (already grown by an earlier run): e.g. another "
        "commit's code against the same rows",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each request's instructions under valgrind (bench/instructions.py)",
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url

    from bench.common import django_setup, ensure_static

    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from accounts.services import user_signup
    from contacts.models import Contact

    ensure_static()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if args.measure_only:
        owner = User.objects.get(email=BENCH_USER)
        sizes = [Contact.objects.filter(owner=owner).count()]
    else:
        call_command("migrate", interactive=False, verbosity=0)
        owner = user_signup(
            email=BENCH_USER, password="bench-password-123", name="Bench", time_zone="UTC", now=now
        )
        sizes = [int(s) for s in args.sizes.split(",")]
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    rng = random.Random(args.seed)
    results = []
    have = 0
    for size in sizes:
        started = time.perf_counter()
        if not args.measure_only:
            grow_to(owner, size, have=have, rng=rng, today=now.date())
        build_s = time.perf_counter() - started
        have = Contact.objects.filter(owner=owner).count()
        row = measure(client, runs=args.runs, instructions=args.instructions)
        results.append({"contacts": have, "build_s": round(build_s, 1), **row})
        summary = {
            t: (r["median_cpu_ms"], r["x_floor"], r["queries"], r.get("instructions_m"))
            for t, r in row["terms"].items()
        }
        print(f"{have} contacts, floor {row['floor_cpu_ms']} ms:", summary, flush=True)
    first, last = results[0]["terms"], results[-1]["terms"]
    growth = {term: round(last[term]["x_floor"] / first[term]["x_floor"], 2) for term in TERMS}
    counted = {}
    if args.instructions:
        counted = {
            "growth_instructions": {
                term: round(last[term]["instructions_m"] / first[term]["instructions_m"], 3)
                for term in TERMS
            }
        }
    write_json(
        args.out,
        {
            "database": connection.vendor,
            "runs": args.runs,
            "sizes": results,
            "growth_x_floor": growth,
            **counted,
        },
    )


if __name__ == "__main__":
    main()
