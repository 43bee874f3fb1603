"""The progress of a running import: the bar and the words come from one count."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portability import imports
from portability.models import ImportBatch
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def progress_shown(client, batch: ImportBatch) -> tuple[str, str]:
    """(the bar's value, the sentence under it) in the fragment the page polls."""
    response = client.get(
        reverse("portability:import_detail", args=[batch.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    bar = re.search(r'<progress max="100" value="(\d+)"', page).group(1)
    words = re.search(r"<p>([^<]* done[^<]*)</p>", page).group(1)
    return bar, " ".join(words.split())


@pytest.mark.parametrize(
    ("processed", "total", "bar", "words"),
    [
        (0, 1200, "0", "0 of 1200 done (0%)."),
        (504, 1200, "42", "504 of 1200 done (42%)."),
        # Not full before it is done: 1195 of 1200 was a full bar ("100%").
        (1195, 1200, "99", "1195 of 1200 done (99%)."),
        # A count past the preview's total (the file was read again): never "1300 of 1200".
        (1300, 1200, "100", "1300 of 1300 done (100%)."),
    ],
)
def test_bar_and_words_agree(alice_client, alice, processed, total, bar, words):
    batch = ImportBatch.objects.create(
        owner=alice,
        kind="vcard",
        filename="everyone.vcf",
        text="",
        state=ImportBatch.State.IMPORTING,
        total=total,
        processed=processed,
    )
    shown_bar, shown_words = progress_shown(alice_client, batch)
    assert (shown_bar, shown_words[: len(words)]) == (bar, words)


def test_another_users_import_progress_is_a_404(alice_client, bob):
    batch = ImportBatch.objects.create(
        owner=bob, kind="vcard", text="", state=ImportBatch.State.IMPORTING, total=10
    )
    url = reverse("portability:import_detail", args=[batch.pk])
    assert alice_client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_a_file_of_people_you_have_already_moves_the_bar_as_it_goes(alice):
    # 1,200 cards for people already there: nothing is created and nothing new is added, and the
    # progress the page polls must still be written every batch, not sit at 0 until the end.
    ContactFactory(owner=alice, name="Ana Silva")
    card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana Silva\r\nEND:VCARD\r\n"
    batch = ImportBatch.objects.create(
        owner=alice, kind="vcard", filename="again.vcf", text=card * 1200, total=1200
    )
    with CaptureQueriesContext(connection) as queries:
        done = imports.import_run(batch=batch, now=dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC))
    progress_writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "contacts_importbatch" SET "processed"')
    ]
    assert done.summary["result"]["skipped"] == 1200
    assert len(progress_writes) == 2  # after 500 and after 1,000 cards; the end marks it done
