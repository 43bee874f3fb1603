"""Concurrent requests against one change log (two phones syncing, a phone writing while the app
saves): every change gets its own seq, a writer holding a seq keeps the next one waiting until
it commits (so a token never names a change that is not visible yet), and two refreshes at once
make one card per person. Each thread has its own database connection; on the file SQLite
database by default, and on PostgreSQL when the suite runs with DATABASE_URL=postgres://..."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from contacts.models import Contact
from dav.models import Card, SyncCollection
from dav.sync import addressbook_refresh, changes_since, collection_next_seq

pytestmark = pytest.mark.django_db(transaction=True)

CARDS = SyncCollection.Kind.CARDS
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


def in_threads(*work: Callable[[], object]) -> tuple[list[object], list[BaseException]]:
    """Run each callable in its own thread (own connection), released together."""
    start = threading.Barrier(len(work), timeout=10)
    results: list[object] = []
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait()
            results.append(job())
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running"
    return results, errors


def test_two_writers_get_distinct_seqs_from_a_collection_made_on_first_use(alice):
    rounds = 20

    def writer(name: str) -> list[int]:
        seqs = []
        for number in range(rounds):
            with transaction.atomic():
                seq = collection_next_seq(owner=alice, kind=CARDS)
                Card.objects.create(
                    owner=alice,
                    href=f"{name}-{number}.vcf",
                    uid=f"{name}-{number}",
                    fingerprint="x",
                    seq=seq,
                )
            seqs.append(seq)
        return seqs

    results, errors = in_threads(lambda: writer("a"), lambda: writer("b"))

    assert errors == []
    seqs = [seq for result in results for seq in result]
    assert sorted(seqs) == list(range(1, 2 * rounds + 1))
    assert SyncCollection.objects.get(owner=alice, kind=CARDS).seq == 2 * rounds
    assert SyncCollection.objects.filter(owner=alice).count() == 1
    assert sorted(Card.objects.values_list("seq", flat=True)) == sorted(seqs)


def test_a_seq_taken_keeps_the_next_writer_waiting_until_its_row_is_committed(alice):
    with transaction.atomic():
        collection_next_seq(owner=alice, kind=CARDS)  # the collection exists: 1
    holding, release = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def slow_writer() -> None:
        with transaction.atomic():
            seq = collection_next_seq(owner=alice, kind=CARDS)
            holding.set()
            release.wait(10)
            Card.objects.create(owner=alice, href="slow.vcf", uid="slow", fingerprint="x", seq=seq)

    def second_writer() -> None:
        holding.wait(10)
        with transaction.atomic():
            seq = collection_next_seq(owner=alice, kind=CARDS)
            seen["at"] = time.monotonic()
            # Whoever got a seq after the slow writer's sees its row: a token never names a
            # change that is not visible yet.
            seen["slow visible"] = Card.objects.filter(href="slow.vcf").exists()
            Card.objects.create(owner=alice, href="fast.vcf", uid="fast", fingerprint="x", seq=seq)

    def releaser() -> None:
        holding.wait(10)
        time.sleep(0.5)
        seen["released"] = time.monotonic()
        release.set()

    _, errors = in_threads(slow_writer, second_writer, releaser)

    assert errors == []
    assert seen["at"] >= seen["released"]
    assert seen["slow visible"] is True
    assert dict(Card.objects.values_list("href", "seq")) == {"slow.vcf": 2, "fast.vcf": 3}
    assert changes_since(owner=alice, kind=CARDS, seq=1) == (3, ["slow.vcf", "fast.vcf"])


def test_two_refreshes_at_once_make_one_card_per_person(alice):
    Contact.objects.bulk_create(
        Contact(owner=alice, name=f"Person {number}", added_on=NOW.date()) for number in range(30)
    )

    _, errors = in_threads(
        lambda: addressbook_refresh(owner=alice, now=NOW),
        lambda: addressbook_refresh(owner=alice, now=NOW),
    )

    assert errors == []
    assert Card.objects.filter(owner=alice).count() == 30
    assert set(Card.objects.values_list("seq", flat=True)) == {1}
    assert SyncCollection.objects.get(owner=alice, kind=CARDS).seq == 1
