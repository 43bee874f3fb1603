"""Importing through the API: upload, preview, column mapping, confirm (now or by the worker), undo;
the page's refusals as 400s, another user's import as 404, read tokens refused, retries replayed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Contact, ContactMethod
from portability import tasks
from portability.models import ImportBatch
from tests.conftest import FROZEN_NOW
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "portability" / "data"
URL = "/api/v1/imports/"
THREE = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alan Turing\r\nTEL:+44 20 7946 0000\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n"
)
ANY_CSV = b"Who,Mail,Town\r\nMarie Curie,marie@example.com,Paris\r\nNiels Bohr,,Copenhagen\r\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def send(client, name: str, content: bytes, **headers):
    return client.post(
        URL, {"file": SimpleUploadedFile(name, content)}, format="multipart", headers=headers
    )


def uploaded(client, name="three.vcf", content=THREE) -> dict:
    response = send(client, name, content)
    assert response.status_code == 201, response.content
    return response.json()


def test_upload_preview_confirm_and_undo(alice_api, alice, frozen_now):
    ada = ContactFactory(owner=alice, name="Ada L.")  # matched by her address: not new
    ContactMethod.objects.create(owner=alice, contact=ada, kind="email", value="ada@example.com")
    response = send(alice_api, "three.vcf", THREE)

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"{URL}{body['id']}/"
    assert response["ETag"].startswith('"')
    assert body["kind"] == "vcard"
    assert body["filename"] == "three.vcf"
    assert body["state"] == "uploaded"
    assert body["total"] == 3
    assert body["columns"] == []
    assert body["result"] is None
    preview = body["preview"]
    assert (preview["new"], preview["matching"], preview["errors"]) == (2, 1, 0)
    assert sorted(s["name"] for s in preview["new_samples"]) == ["Alan Turing", "Grace Hopper"]
    assert body["app_url"] == f"http://testserver/contacts/import/{body['id']}/"
    assert Contact.objects.filter(owner=alice).count() == 1  # nothing imported yet

    detail = alice_api.get(response["Location"])
    assert detail.status_code == 200
    assert detail.json() == body
    assert detail["ETag"] == response["ETag"]

    done = alice_api.post(f"{URL}{body['id']}/confirm/")
    assert done.status_code == 200
    result = done.json()
    assert result["state"] == "done"
    assert result["finished_at"] == FROZEN_NOW.isoformat().replace("+00:00", "Z")
    assert result["result"] == {"created": 2, "skipped": 1, "errors": 0, "details_added_to": 0}
    assert done["ETag"] != response["ETag"]
    names = set(Contact.objects.filter(owner=alice).values_list("name", flat=True))
    assert names == {"Ada L.", "Alan Turing", "Grace Hopper"}

    undone = alice_api.post(f"{URL}{body['id']}/undo/")
    assert undone.status_code == 200
    assert undone.json()["state"] == "undone"
    assert list(Contact.objects.filter(owner=alice).values_list("name", flat=True)) == ["Ada L."]


def test_a_google_csv_is_previewed_at_once(alice_api, alice):
    body = uploaded(alice_api, "google.csv", (DATA / "google_contacts.csv").read_bytes())
    assert body["kind"] == "google"
    assert body["preview"]["new"] > 0
    assert alice_api.post(f"{URL}{body['id']}/confirm/").status_code == 200
    assert Contact.objects.filter(owner=alice).count() == body["preview"]["new"]


def test_any_csv_waits_for_its_columns(alice_api, alice):
    body = uploaded(alice_api, "people.csv", ANY_CSV)
    assert body["kind"] == "csv"
    assert body["preview"] is None
    assert [c["header"] for c in body["columns"]] == ["Who", "Mail", "Town"]
    pk = body["id"]

    refused = alice_api.post(f"{URL}{pk}/confirm/")
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["Say which column holds what (at least the name) first."]}

    no_name = alice_api.post(f"{URL}{pk}/columns/", {"mapping": ["", "email", "city"]}, "json")
    assert no_name.status_code == 400
    assert no_name.json() == {
        "mapping": ["Say which column holds the name (or first and last name)."]
    }
    bad = alice_api.post(f"{URL}{pk}/columns/", {"mapping": ["name", "shoe size"]}, "json")
    assert bad.status_code == 400
    assert "mapping" in bad.json()
    assert ImportBatch.objects.get(pk=pk).summary.get("preview") is None

    mapped = alice_api.post(f"{URL}{pk}/columns/", {"mapping": ["name", "email", "city"]}, "json")
    assert mapped.status_code == 200
    assert mapped.json()["preview"]["new"] == 2
    assert alice_api.post(f"{URL}{pk}/confirm/").status_code == 200
    marie = Contact.objects.get(owner=alice, name="Marie Curie")
    assert marie.city == "Paris"
    assert list(marie.methods.values_list("value", flat=True)) == ["marie@example.com"]
    # Mapped and imported: its columns can't change any more.
    late = alice_api.post(f"{URL}{pk}/columns/", {"mapping": ["name", "", ""]}, "json")
    assert late.status_code == 400
    assert late.json() == {"mapping": ["This import can't be changed any more."]}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "empty.vcf",
            b"   \n",
            "That isn't a contacts file: we can read vCard files (.vcf) and CSV files with a "
            "header row.",
        ),
        (
            "photo.png",
            bytes(range(256)) * 20,
            "That isn't a contacts file: we can read vCard files (.vcf) and CSV files with a "
            "header row.",
        ),
        (
            "notes.txt",
            b"just some words\nand more words\n",
            "We can read vCard files (.vcf) and CSV files with a header row; this file looks "
            "like neither.",
        ),
    ],
)
def test_files_the_page_refuses_are_400s(alice_api, alice, name, content, message):
    response = send(alice_api, name, content)
    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert not ImportBatch.objects.exists()


def test_too_large_and_missing_files_are_400s(alice_api, settings):
    settings.IMPORT_MAX_BYTES = 2**20
    big = send(alice_api, "big.vcf", THREE * (2**20 // len(THREE) + 1))
    assert big.status_code == 400
    assert "the limit is 1 MB" in big.json()["file"][0]

    missing = alice_api.post(URL, {"other": "x"}, format="multipart")
    assert missing.status_code == 400
    assert missing.json() == {"file": ["Send the file as the form field file."]}
    as_json = alice_api.post(URL, {"file": "BEGIN:VCARD"}, format="json")
    assert as_json.status_code == 400
    assert not ImportBatch.objects.exists()


def test_steps_out_of_order_are_refused(alice_api, alice):
    pk = uploaded(alice_api)["id"]
    early = alice_api.post(f"{URL}{pk}/undo/")
    assert early.status_code == 400
    assert early.json() == {"detail": ["Only a finished (or failed) import can be undone."]}

    assert alice_api.post(f"{URL}{pk}/confirm/").status_code == 200
    again = alice_api.post(f"{URL}{pk}/confirm/")
    assert again.status_code == 400
    assert again.json() == {"detail": ["This import has already run."]}
    assert Contact.objects.filter(owner=alice).count() == 3

    assert alice_api.post(f"{URL}{pk}/undo/").status_code == 200
    twice = alice_api.post(f"{URL}{pk}/undo/")
    assert twice.status_code == 400
    assert ImportBatch.objects.get(pk=pk).state == "undone"


def test_a_big_file_goes_to_the_worker(
    alice_api, alice, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_SYNC_LIMIT = 2
    pk = uploaded(alice_api)["id"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = alice_api.post(f"{URL}{pk}/confirm/")
    assert queued.status_code == 202
    assert queued.json()["state"] == "queued"
    assert [(c.func, c.args) for c in callbacks] == [(tasks.run_import.delay, (pk,))]
    assert not Contact.objects.filter(owner=alice).exists()

    assert tasks.run_import(pk) == "done"  # the worker's job, run here
    polled = alice_api.get(f"{URL}{pk}/").json()
    assert (polled["state"], polled["processed"], polled["percent"]) == ("done", 3, 100)
    assert polled["result"]["created"] == 3


def test_another_users_import_is_404_and_untouched(alice_api, bob_api, alice):
    body = uploaded(alice_api)
    pk = body["id"]
    assert bob_api.get(f"{URL}{pk}/").status_code == 404
    for step in ("confirm", "undo", "columns"):
        response = bob_api.post(f"{URL}{pk}/{step}/", {"mapping": ["name"]}, "json")
        assert response.status_code == 404, step
    assert bob_api.get(URL).json()["results"] == []
    assert alice_api.get(f"{URL}{pk}/").json() == body
    assert not Contact.objects.exists()

    assert alice_api.post(f"{URL}{pk}/confirm/").status_code == 200
    assert bob_api.post(f"{URL}{pk}/undo/").status_code == 404
    assert Contact.objects.filter(owner=alice).count() == 3


def test_a_read_token_reads_but_does_not_import(alice_api, alice_api_read, alice):
    pk = uploaded(alice_api)["id"]
    assert send(alice_api_read, "three.vcf", THREE).status_code == 403
    assert alice_api_read.post(f"{URL}{pk}/confirm/").status_code == 403
    assert alice_api_read.get(f"{URL}{pk}/").status_code == 200
    assert ImportBatch.objects.count() == 1
    assert not Contact.objects.exists()


def test_retried_upload_and_confirm_are_replayed(alice_api, alice):
    first = send(alice_api, "three.vcf", THREE, **{"Idempotency-Key": "upload-1"})
    retry = send(alice_api, "three.vcf", THREE, **{"Idempotency-Key": "upload-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert ImportBatch.objects.count() == 1

    other = send(alice_api, "three.vcf", THREE[:-2], **{"Idempotency-Key": "upload-1"})
    assert other.status_code == 400  # the same key for another file
    assert ImportBatch.objects.count() == 1

    url = f"{URL}{first.json()['id']}/confirm/"
    done = alice_api.post(url, headers={"Idempotency-Key": "confirm-1"})
    replayed = alice_api.post(url, headers={"Idempotency-Key": "confirm-1"})
    assert done.status_code == replayed.status_code == 200
    assert replayed.json() == done.json()
    assert Contact.objects.filter(owner=alice).count() == 3


def test_the_list_costs_the_same_queries_for_3_or_30_imports(
    alice_api, alice, django_assert_max_num_queries, django_assert_num_queries
):
    def make(count: int) -> None:
        for n in range(count):
            ImportBatch.objects.create(
                owner=alice, kind="vcard", filename=f"{n}.vcf", text="x", summary={}
            )

    make(3)
    alice_api.get(URL)  # the token's first use of the minute writes its last_used; not counted
    with django_assert_max_num_queries(10) as captured:
        assert len(alice_api.get(URL).json()["results"]) == 3
    make(27)
    with django_assert_num_queries(len(captured)):
        page = alice_api.get(URL, {"page_size": 50}).json()
    assert len(page["results"]) == 30
    assert [r["filename"] for r in page["results"]][:2] == ["0.vcf", "1.vcf"]
    assert all("text" not in r for r in page["results"])


@pytest.mark.parametrize("pk", ["null", "-1", "1.5", "9" * 30])
def test_an_id_that_is_not_one_is_a_404(alice_api, pk):
    assert alice_api.get(f"{URL}{pk}/").status_code == 404
    assert alice_api.post(f"{URL}{pk}/confirm/").status_code == 404
