"""Phone sync's cost: a first sync and a one-change incremental sync of the address book.

    python -m bench.dav --sizes 100,10000 --runs 7 --out bench/out/dav-sqlite.json

Run by run.py against an empty database (a fresh SQLite file, or a scratch PostgreSQL database
from DATABASE_URL). One user, seeded with ``demo_seed`` (ways to reach, birthdays, circles; no
interactions, which a card doesn't show); the database grows from one size to the next. The
requests are the ones a CardDAV client sends (DAVx5's shapes, as in tests/dav/protocol), through
Django's test Client in-process with an app password, so every figure is server time:

- first sync: PROPFIND depth 0 on the address book (CTag and sync token), a sync-collection
  REPORT without a token (every href and ETag), then addressbook-multiget of every card in
  batches of ``--batch`` hrefs;
- incremental sync: one contact's company changed in the app (Contact.save), then PROPFIND
  depth 0, sync-collection with the last token (one href back) and a multiget of that card. Each
  run changes another contact; the median of ``--runs`` runs.

The seeded people are dated an hour back (``updated_at``): see main() for why.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gc
import re
import time

from bench.common import BENCH_USER, django_setup, median, write_json

AGENT = "DAVx5/4.3.13-ose (2024/03/12; dav4jvm; okhttp/4.12.0) Android/14"
PROPFIND_BOOK = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
  <d:prop><cs:getctag/><d:sync-token/><d:displayname/></d:prop>
</d:propfind>"""
SYNC_COLLECTION = """<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:">
  <d:sync-token>{token}</d:sync-token>
  <d:sync-level>1</d:sync-level>
  <d:prop><d:getetag/></d:prop>
</d:sync-collection>"""
MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <d:prop><d:getetag/><card:address-data/></d:prop>
  {hrefs}
</card:addressbook-multiget>"""


class Device:
    """A CardDAV client's requests, timed, with their query counts."""

    def __init__(self, client, email: str, password: str) -> None:
        self.client = client
        self.book = f"/dav/{email}/contacts/"
        token = base64.b64encode(f"{email}:{password}".encode()).decode()
        self.headers = {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_USER_AGENT": AGENT}
        self.requests = 0
        self.queries = 0
        self.bytes = 0

    def call(self, method: str, body: str, **headers: str) -> str:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        extra = {**self.headers, **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
        with CaptureQueriesContext(connection) as queries:
            response = self.client.generic(
                method, self.book, body, content_type="application/xml; charset=utf-8", **extra
            )
        assert response.status_code == 207, (response.status_code, response.content[:300])
        self.requests += 1
        self.queries += len(queries.captured_queries)
        self.bytes += len(response.content)
        return response.content.decode()

    def sync_token(self) -> str:
        answer = self.call("PROPFIND", PROPFIND_BOOK, depth="0")
        return re.search(r"<[\w:]*sync-token>([^<]+)<", answer).group(1)

    def changed_since(self, token: str) -> tuple[str, list[str]]:
        answer = self.call("REPORT", SYNC_COLLECTION.format(token=token), depth="1")
        new_token = re.search(r"<[\w:]*sync-token>([^<]+)<", answer).group(1)
        hrefs = re.findall(r"<[\w:]*href>([^<]+\.vcf)</", answer)
        return new_token, hrefs

    def fetch(self, hrefs: list[str], batch: int) -> int:
        cards = 0
        for start in range(0, len(hrefs), batch):
            chunk = "".join(f"<d:href>{h}</d:href>" for h in hrefs[start : start + batch])
            answer = self.call("REPORT", MULTIGET.format(hrefs=chunk), depth="1")
            cards += answer.count("BEGIN:VCARD")
        return cards


def first_sync(device: Device, *, batch: int) -> dict:
    started = time.perf_counter()
    device.sync_token()
    token, hrefs = device.changed_since("")
    cards = device.fetch(hrefs, batch)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "cards": cards,
        "requests": device.requests,
        "queries": device.queries,
        "mb": round(device.bytes / 2**20, 2),
        "token": token,
    }


def incremental(device: Device, owner, token: str, *, runs: int) -> dict:
    from contacts.models import Contact

    ids = list(Contact.objects.filter(owner=owner, archived=False).values_list("pk", flat=True))
    times, queries, hrefs_back = [], [], []
    for run in range(runs):
        contact = Contact.objects.get(pk=ids[(run * 7919) % len(ids)])
        contact.company = f"Changed {run}"
        contact.save()
        gc.collect()
        device.queries = 0
        started = time.perf_counter()
        device.sync_token()
        token, hrefs = device.changed_since(token)
        device.fetch(hrefs, 100)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(device.queries)
        hrefs_back.append(len(hrefs))
    return {
        "median_ms": round(median(times), 1),
        "min_ms": round(min(times), 1),
        "samples_ms": [round(t, 1) for t in times],
        "queries": queries,
        "hrefs_back": hrefs_back,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=100, help="hrefs per multiget")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.services import app_password_create, user_signup
    from contacts.models import Contact
    from dav.sync import addressbook_invalidate
    from demo.services import demo_seed

    call_command("migrate", interactive=False, verbosity=0)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    owner = user_signup(
        email=BENCH_USER, password="bench-password-123", name="Bench", time_zone="UTC", now=now
    )
    results = []
    have = 0
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        demo_seed(owner=owner, contacts=size - have, interactions=0, seed=size, now=now)
        seed_s = time.perf_counter() - started
        # An account at rest: the refresh re-reads people changed in the 5 minutes before its
        # last pass (dav.sync, slack for late commits), so right after a bulk write every
        # request re-reads them all; a phone is added to an account written long before.
        # Dated back, they would escape an incremental refresh: ask for a full pass, as a
        # change of "which people sync" does (the first sync of this size builds every card).
        Contact.objects.filter(owner=owner).update(updated_at=now - dt.timedelta(hours=1))
        addressbook_invalidate(owner=owner)
        have = Contact.objects.filter(owner=owner).count()
        synced = Contact.objects.filter(owner=owner, archived=False).count()
        # A new device each size: its first sync is a phone added to an account that size.
        _, password = app_password_create(owner=owner, name=f"bench {size}")
        device = Device(Client(HTTP_HOST="localhost"), owner.email, password)
        first = first_sync(device, batch=args.batch)
        assert first["cards"] == synced, (first["cards"], synced)
        token = first.pop("token")
        # The second first sync: the change log is built, only serving is left.
        again = first_sync(Device(device.client, owner.email, password), batch=args.batch)
        again.pop("token")
        results.append(
            {
                "contacts": have,
                "synced": synced,
                "seed_s": round(seed_s, 1),
                "first_sync": first,
                "first_sync_again": again,
                "incremental": incremental(device, owner, token, runs=args.runs),
            }
        )
        print(results[-1], flush=True)
    write_json(
        args.out,
        {"database": connection.vendor, "runs": args.runs, "batch": args.batch, "sizes": results},
    )


if __name__ == "__main__":
    main()
