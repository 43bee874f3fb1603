"""Two confirms (or two undos) of one import at the same moment, as a client retrying on a
timeout would send without an Idempotency-Key: the people are created once, taken back once.
On the file SQLite database by default, and on PostgreSQL with DATABASE_URL=postgres://...

Each request runs in a thread of its own, so on its own database connection."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from api.models import ApiToken
from api.services.tokens import api_token_create
from contacts.models import Contact
from portability.models import ImportBatch
from tests.api.conftest import client_with

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CARDS = b"".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n".encode()
    for n in range(40)
)


def together(url: str, tokens: list[str]) -> list[tuple[int, dict]]:
    start = threading.Barrier(len(tokens), timeout=10)
    answers: list[tuple[int, dict]] = []

    def run(token: str) -> None:
        try:
            start.wait()
            response = client_with(token).post(url)
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return sorted(answers, key=lambda answer: answer[0])


def test_two_confirms_import_once_and_two_undos_take_back_once(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tokens = [
        api_token_create(owner=alice, name=f"t{n}", scope=ApiToken.Scope.WRITE)[1] for n in range(2)
    ]
    upload = client_with(tokens[0]).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("people.vcf", CARDS)}, format="multipart"
    )
    assert upload.status_code == 201
    pk = upload.json()["id"]

    answers = together(f"/api/v1/imports/{pk}/confirm/", tokens)
    assert [status for status, _ in answers] == [200, 400]
    assert answers[0][1]["result"]["created"] == 40
    assert answers[1][1] == {"detail": ["This import has already run."]}
    assert Contact.objects.filter(owner=alice).count() == 40

    answers = together(f"/api/v1/imports/{pk}/undo/", tokens)
    assert [status for status, _ in answers] == [200, 400]
    assert answers[0][1]["state"] == "undone"
    assert not Contact.objects.filter(owner=alice).exists()
    assert ImportBatch.objects.get(pk=pk).state == "undone"
