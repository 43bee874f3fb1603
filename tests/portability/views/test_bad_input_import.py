"""Importing hostile files through the web (issue 8): any file is refused with a message or
previewed; contacts files import without a 500 and render escaped. Shared setup:
tests/fixtures/hostile.py and tests/fixtures/hostile_files.py."""

from __future__ import annotations

import re

from django.conf import settings as django_settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import event, given, note
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from contacts.models import Contact, ContactMethod
from portability.formats.csv import MAPPABLE_FIELDS
from portability.models import ImportBatch
from tests.fixtures.hostile import (
    HostileInputTestCase,
    assert_rendered,
    check_response,
    fewer,
    get,
    html_of,
    post,
    received,
    rows_of,
    short_text,
    unsafe_links,
)
from tests.fixtures.hostile_files import any_files, contact_files, mapping


class ImportViewsTest(HostileInputTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.settings(MEDIA_ROOT=django_settings.VAR_DIR / "test-media-bad-input")
        self.media.enable()
        self.addCleanup(self.media.disable)

    def upload(self, client: Client, raw: bytes, filename: str) -> ImportBatch | None:
        """Upload ``raw``; the batch kept, or None when it was refused with a message."""
        if currently_in_test_context():
            note(f"file {filename!r}: {raw[:500]!r}")
        try:
            upload = SimpleUploadedFile(filename or "f", raw)
        except SuspiciousFileOperation:
            # The test client can't send a name with no file part ("/", ".."); browsers send
            # the last part of a path, so such a name never reaches the server either.
            filename = "f"
            upload = SimpleUploadedFile(filename, raw)
        response = client.post(reverse("portability:import"), {"file": upload})
        check_response(response)
        batch = ImportBatch.objects.filter(owner=self.alice).order_by("pk").last()
        if response.status_code == 400:
            # A name with nothing printable: Django's multipart parser skips the part unread and
            # then reads the file's content as more parts (a 400 before any view runs).
            kept = "".join(ch for ch in re.split(r"[/\\]", filename)[-1] if ch.isprintable())
            assert kept in ("", ".", "..") and batch is None
            return None
        assert response.status_code == 302
        if response["Location"] == reverse("portability:import"):
            # Refused, with the reason on the page; nothing kept.
            assert batch is None
            assert "message-error" in html_of(get(client, reverse("portability:import")))
            if currently_in_test_context():
                event("refused")
            return None
        assert response["Location"] == reverse("portability:import_detail", args=[batch.pk])
        if currently_in_test_context():
            event(f"kind: {batch.kind}")
        for htmx in (False, True):
            get(client, response["Location"], htmx=htmx)
        return batch

    @given(
        raw=any_files,
        # The test client can't encode a lone surrogate: send what its bytes are read as.
        filename=st.sampled_from(["contacts.vcf", "c.csv", "x" * 300, "\u202egpj.vcf"])
        | short_text.map(received),
    )
    @fewer(2)
    def test_any_file_is_refused_with_a_message_or_previewed(self, raw, filename):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        batch = self.upload(client, raw, filename)
        if batch is None:
            assert rows_of(self.alice) == before
        else:
            assert len(batch.filename) <= 255
            page = html_of(get(client, reverse("portability:import_detail", args=[batch.pk])))
            if batch.filename:
                assert_rendered(page, batch.filename)

    @given(raw=contact_files, columns=mapping)
    @fewer(2)
    def test_contact_files_preview_and_import_without_a_server_error(self, raw, columns):
        client = self.client_for(self.alice)
        bob_before = rows_of(self.bob)
        before = Contact.objects.filter(owner=self.alice).count()
        batch = self.upload(client, raw, "contacts")
        if batch is None:
            return
        if batch.kind == "csv":
            headers = batch.summary["headers"]
            post(
                client,
                reverse("portability:import_mapping", args=[batch.pk]),
                {f"column_{i}": value for i, value in enumerate(columns)},
            )
            batch.refresh_from_db()
            assert set(batch.summary["mapping"]) <= {key for key, _ in MAPPABLE_FIELDS}
            assert len(batch.summary["mapping"]) == len(headers)
        post(client, reverse("portability:import_confirm", args=[batch.pk]), {})
        html = html_of(get(client, reverse("portability:import_detail", args=[batch.pk])))
        batch.refresh_from_db()
        assert batch.state in ("uploaded", "done")
        created = Contact.objects.filter(owner=self.alice, import_batches=batch)
        event(f"state: {batch.state}, created: {min(created.count(), 2)}+")
        assert Contact.objects.filter(owner=self.alice).count() == before + created.count()
        for contact in created[:3]:
            page = html_of(get(client, contact.get_absolute_url()))
            assert_rendered(page, contact.name)
            for method in contact.methods.all():
                assert_rendered(page, method.value)
        self.assert_bob_untouched(bob_before)
        assert "BOBCONTACT" not in html

    def test_a_long_label_that_grows_in_lower_case_imports(self):
        client = self.client_for(self.alice)
        label = "_$!<" + "İ" * 30 + ">!$_"
        raw = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nitem1.EMAIL:eve@example.com\r\n"
            f"item1.X-ABLABEL:{label}\r\nEND:VCARD\r\n"
        ).encode()
        batch = self.upload(client, raw, "eve.vcf")
        response = post(client, reverse("portability:import_confirm", args=[batch.pk]), {})
        assert response.status_code == 302
        method = ContactMethod.objects.get(owner=self.alice, value="eve@example.com")
        assert len(method.label) <= 40

    def test_an_imported_javascript_link_is_not_a_link_on_the_contact_page(self):
        client = self.client_for(self.alice)
        raw = (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nURL:javascript:alert(document.cookie)"
            b"\r\nEND:VCARD\r\n"
        )
        client.post(reverse("portability:import"), {"file": SimpleUploadedFile("eve.vcf", raw)})
        batch = ImportBatch.objects.get(owner=self.alice)
        client.post(reverse("portability:import_confirm", args=[batch.pk]))
        contact = Contact.objects.get(owner=self.alice, import_batches=batch)
        assert unsafe_links(html_of(client.get(contact.get_absolute_url()))) == []
