"""Whatever writes, through whichever door, the next GET of a cached page shows the change."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from contacts.models import Contact
from portability import imports, tasks
from tests.factories import ContactFactory, InterestFactory
from tests.network_crm.owner_cache.helpers import fetch, warm

pytestmark = pytest.mark.django_db

LIST = reverse("contacts:list")


@pytest.fixture
def ada(alice):
    return ContactFactory(owner=alice, name="Ada Lovelace")


def page(contact: Contact) -> str:
    return reverse("contacts:detail", args=[contact.pk])


def test_a_read_only_page_is_a_hit_the_second_time(alice_client, ada):
    html = warm(alice_client, page(ada))
    assert "Ada Lovelace" in html
    # The htmx fragment of the same page is a page of its own.
    _, fragment = fetch(alice_client, page(ada), HX_Request="true")
    assert fragment == "miss"


def test_model_save(alice_client, ada):
    warm(alice_client, page(ada))
    ada.name = "Ada King"
    ada.save()
    html, cached = fetch(alice_client, page(ada))
    assert (cached, "Ada King" in html) == ("miss", True)


def test_queryset_update(alice_client, alice, ada):
    warm(alice_client, LIST)
    Contact.objects.filter(owner=alice).update(name="Grace Hopper")
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Grace Hopper" in html, "Ada Lovelace" in html) == ("miss", True, False)


def test_bulk_create(alice_client, alice, ada):
    warm(alice_client, LIST)
    Contact.objects.bulk_create(
        [Contact(owner=alice, name="Mary Somerville", added_on=ada.added_on)]
    )
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Mary Somerville" in html) == ("miss", True)


def test_delete(alice_client, alice, ada):
    ContactFactory(owner=alice, name="Mary Somerville")
    assert "Ada Lovelace" in warm(alice_client, LIST)
    ada.delete()
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Ada Lovelace" in html, "Mary Somerville" in html) == ("miss", False, True)


def test_many_to_many_add(alice_client, alice, ada):
    interest = InterestFactory(owner=alice, name="Analytical engines")
    assert "Analytical engines" not in warm(alice_client, page(ada))
    ada.interests.add(interest)
    html, cached = fetch(alice_client, page(ada))
    assert (cached, "Analytical engines" in html) == ("miss", True)


def test_raw_cursor(alice_client, ada):
    warm(alice_client, page(ada))
    table = connection.ops.quote_name(Contact._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["Ada Byron", ada.pk])
    html, cached = fetch(alice_client, page(ada))
    assert (cached, "Ada Byron" in html) == ("miss", True)


def test_several_writes_in_one_transaction(alice_client, alice, ada):
    warm(alice_client, LIST)
    with transaction.atomic():
        ada.name = "Ada King"
        ada.save()
        ContactFactory(owner=alice, name="Mary Somerville")
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Ada King" in html, "Mary Somerville" in html) == ("miss", True, True)
    # A second transaction bumps again (the first one's mark doesn't carry over).
    assert fetch(alice_client, LIST)[1] == "hit"
    with transaction.atomic():
        ContactFactory(owner=alice, name="Caroline Herschel")
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Caroline Herschel" in html) == ("miss", True)


def test_a_write_after_a_rolled_back_savepoint_bumps_again(alice_client, alice, ada):
    warm(alice_client, LIST)
    with transaction.atomic():
        try:
            with transaction.atomic():
                ContactFactory(owner=alice, name="Never There")
                raise RuntimeError
        except RuntimeError:
            pass
        ContactFactory(owner=alice, name="Mary Somerville")
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Mary Somerville" in html, "Never There" in html) == ("miss", True, False)


VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Emmy Noether\r\nEND:VCARD\r\n"


def test_a_celery_task_in_the_worker_code_path(alice_client, alice, ada, frozen_now):
    batch = imports.import_upload(owner=alice, upload=SimpleUploadedFile("one.vcf", VCARD))
    warm(alice_client, LIST)
    assert tasks.run_import(batch.pk) == "done"  # the task function, outside any request
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Emmy Noether" in html) == ("miss", True)


def test_a_management_command(alice_client, alice):
    html = warm(alice_client, LIST)
    call_command("seed_demo", user=alice.email, contacts=3, interactions=0, stdout=StringIO())
    names = Contact.objects.filter(owner=alice).values_list("name", flat=True)
    html, cached = fetch(alice_client, LIST)
    assert cached == "miss"
    assert all(name in html for name in names)


def test_the_admin(alice_client, alice, ada, bob):
    """The admin's writes bump every user's version (a superuser there manages accounts)."""
    ContactFactory(owner=alice, name="Mary Somerville")
    warm(alice_client, LIST)
    before = bob.data_version
    response = alice_client.post(
        reverse("admin:contacts_contact_delete", args=[ada.pk]), {"post": "yes"}, follow=True
    )
    assert "was deleted successfully" in response.content.decode()  # the message is shown
    assert not Contact.objects.filter(pk=ada.pk).exists()
    bob.refresh_from_db()
    assert bob.data_version != before  # everyone's, not only the owner's
    html, cached = fetch(alice_client, LIST)
    assert (cached, "Ada Lovelace" in html) == ("miss", False)
