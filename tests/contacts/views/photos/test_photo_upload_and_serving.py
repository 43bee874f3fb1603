from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture(width=1600, height=1200, fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 83, 42)).save(buffer, format=fmt)
    return SimpleUploadedFile(f"me.{fmt.lower()}", buffer.getvalue(), content_type="image/png")


def upload(client, contact, file):
    return client.post(reverse("contacts:photo_upload", args=[contact.pk]), {"photo": file})


def test_photo_is_shrunk_reencoded_and_served_only_to_its_owner(client, alice, bob):
    contact = ContactFactory(owner=alice)
    client.force_login(alice)
    response = upload(client, contact, picture())
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.photo.name.startswith(f"photos/{alice.pk}/")
    assert contact.photo.name.endswith(".jpg")
    served = client.get(reverse("contacts:photo", args=[contact.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.format == "JPEG"
    assert max(image.size) == 512
    page = client.get(contact.get_absolute_url()).content.decode()
    assert reverse("contacts:photo", args=[contact.pk]) in page
    client.force_login(bob)
    assert client.get(reverse("contacts:photo", args=[contact.pk])).status_code == 404


def test_replacing_a_photo_removes_the_old_file(client, alice):
    contact = ContactFactory(owner=alice)
    client.force_login(alice)
    upload(client, contact, picture())
    contact.refresh_from_db()
    first = contact.photo.path
    upload(client, contact, picture(300, 300, "JPEG"))
    contact.refresh_from_db()
    assert contact.photo.path != first
    import os

    assert not os.path.exists(first)
    client.post(reverse("contacts:photo_upload", args=[contact.pk]), {"remove": "1"})
    contact.refresh_from_db()
    assert not contact.photo


def test_a_file_that_is_not_a_picture_gets_a_clear_message(client, alice):
    contact = ContactFactory(owner=alice)
    client.force_login(alice)
    fake = SimpleUploadedFile("cv.png", b"<script>alert(1)</script>", content_type="image/png")
    response = upload(client, contact, fake)
    page = client.get(response.url).content.decode()
    assert "isn&#x27;t a picture we can read" in page
    contact.refresh_from_db()
    assert not contact.photo


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused(client, alice):
    contact = ContactFactory(owner=alice)
    client.force_login(alice)
    # A tiny PNG that claims 10,000 x 10,000 pixels.
    response = upload(client, contact, picture(10_000, 10_000))
    page = client.get(response.url).content.decode()
    assert "too many pixels" in page or "isn&#x27;t a picture" in page
    contact.refresh_from_db()
    assert not contact.photo


def test_no_photo_is_a_404_and_initials_are_shown(client, alice):
    contact = ContactFactory(owner=alice, name="Amara Diallo")
    client.force_login(alice)
    assert client.get(reverse("contacts:photo", args=[contact.pk])).status_code == 404
    assert ">AD</span>" in client.get(contact.get_absolute_url()).content.decode()


def test_a_vcard_photo_becomes_the_contact_photo(client, alice):
    import base64

    from portability.imports import import_preview, import_run, import_upload
    from tests.conftest import FROZEN_NOW

    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 90, 150)).save(buffer, format="PNG")
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pic Person\r\n"
        f"PHOTO;ENCODING=b;TYPE=PNG:{base64.b64encode(buffer.getvalue()).decode()}\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken Pic\r\n"
        "PHOTO;ENCODING=b;TYPE=PNG:aGVsbG8=\r\nEND:VCARD\r\n"
    )
    batch = import_upload(owner=alice, upload=SimpleUploadedFile("pics.vcf", card.encode()))
    import_preview(batch=batch)
    import_run(batch=batch, now=FROZEN_NOW)
    pic = batch.contacts.get(name="Pic Person")
    assert pic.photo.name.startswith(f"photos/{alice.pk}/")
    assert max(Image.open(pic.photo.path).size) == 512
    assert not batch.contacts.get(name="Broken Pic").photo  # a bad picture is skipped, not fatal


def test_only_web_picture_formats_are_opened(client, alice):
    contact = ContactFactory(owner=alice)
    client.force_login(alice)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buffer, format="TIFF")
    response = upload(client, contact, SimpleUploadedFile("scan.tif", buffer.getvalue()))
    assert "isn&#x27;t a picture we can read" in client.get(response.url).content.decode()
    contact.refresh_from_db()
    assert not contact.photo
