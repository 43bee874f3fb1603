"""Faults: the database busy with another writer. Requests wait for it and succeed; nothing is
half-written. (The broker being down is covered in tests/reminders/test_engine_survives_process_faults.py.)"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import connection
from django.urls import reverse

from contacts.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)

EMPTY_ROWS = {
    "methods-TOTAL_FORMS": "0",
    "methods-INITIAL_FORMS": "0",
    "dates-TOTAL_FORMS": "0",
    "dates-INITIAL_FORMS": "0",
}


def hold_write_lock(seconds: float) -> tuple[threading.Thread, threading.Event]:
    """Another connection takes the database's write lock (as a long import or a second process
    would) and keeps it for ``seconds``."""
    taken = threading.Event()
    settings_dict = connection.settings_dict

    def run() -> None:
        if connection.vendor == "sqlite":
            other = sqlite3.connect(settings_dict["NAME"], isolation_level=None, timeout=30)
            other.execute("BEGIN IMMEDIATE")
            taken.set()
            threading.Event().wait(seconds)
            other.execute("COMMIT")
            other.close()
        else:
            import psycopg

            other = psycopg.connect(
                dbname=settings_dict["NAME"],
                user=settings_dict["USER"] or None,
                host=settings_dict["HOST"] or None,
                port=settings_dict["PORT"] or None,
                password=settings_dict["PASSWORD"] or None,
            )
            with other.transaction():
                other.execute("LOCK TABLE contacts_contact IN EXCLUSIVE MODE")
                taken.set()
                threading.Event().wait(seconds)
            other.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, taken


def test_a_write_waits_for_a_busy_database_and_succeeds(client, alice):
    client.force_login(alice)
    thread, taken = hold_write_lock(2.0)
    assert taken.wait(10)
    response = client.post(
        reverse("contacts:create"),
        {"name": "Written while busy", "cadence_days": "7", **EMPTY_ROWS},
    )
    thread.join()
    assert response.status_code == 302
    contact = Contact.objects.get(owner=alice, name="Written while busy")
    assert contact.next_reach_out_on is not None  # the whole save happened, not half of it


def test_reads_carry_on_while_another_connection_writes(client, alice):
    Contact.objects.create(owner=alice, name="Already here", added_on="2026-01-01")
    client.force_login(alice)
    thread, taken = hold_write_lock(2.0)
    assert taken.wait(10)
    response = client.get(reverse("contacts:list"))
    thread.join()
    assert response.status_code == 200
    assert "Already here" in response.content.decode()
