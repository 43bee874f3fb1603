"""What every SQLite connection of the app is set to (network_crm/settings.py): WAL beside one
writer, foreign keys enforced, and reads through a memory map (bench/NOTES.md, "Issue 21, fourth
pass")."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings"),
]


def pragma(name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_every_connection_reads_through_a_memory_map_with_wal_and_foreign_keys():
    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("mmap_size") == 256 * 1024 * 1024
