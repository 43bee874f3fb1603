"""Oversized input can't tie up the server: limits per card, per account and per upload, the
preview says what was cut, and pages stay small even for data stored before the limits."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts import limits
from contacts.models import Contact, ContactMethod, Interest
from contacts.services import InterestLimitReached, contact_interest_add, interest_get_or_create
from portability import tasks
from portability.models import ImportBatch
from tests.factories import ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def card(name: str, lines: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{lines}END:VCARD\r\n"


def tel_bomb(count: int = 100_000) -> bytes:
    return card("Tel Bomb", "".join(f"TEL:+1 555 {n:07d}\r\n" for n in range(count))).encode()


def category_bomb(count: int = 100_000) -> bytes:
    return card("Cat Bomb", "".join(f"CATEGORIES:tag {n}\r\n" for n in range(count))).encode()


def upload(client, name: str, raw: bytes):
    return client.post(
        reverse("portability:import"), {"file": SimpleUploadedFile(name, raw)}, follow=True
    )


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.DOTALL)
    html = re.sub(r"</?(strong|em|b|i|span|a|code)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def latest(owner) -> ImportBatch:
    return ImportBatch.objects.filter(owner=owner).latest("pk")


def make_interests(owner, count: int, prefix: str = "Topic") -> None:
    Interest.objects.bulk_create(
        Interest(owner=owner, name=f"{prefix} {n:05}", folded_name=f"{prefix.lower()} {n:05}")
        for n in range(count)
    )


# --- One card with 100,000 lines ------------------------------------------------------------------


def test_a_card_with_100000_phone_numbers_keeps_20_says_so_and_runs_in_the_worker(
    alice_client, alice, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    raw = tel_bomb()
    assert len(raw) > 1_800_000

    preview = upload(alice_client, "bomb.vcf", raw)

    assert preview.status_code == 200
    assert len(preview.content) < 30_000
    assert "Card 1 (Tel Bomb): kept the first 20 phone numbers of 100,000." in text_of(preview)
    batch = latest(alice)
    # One card, but 100,000 lines: it is not parsed again inside the web request.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice_client.post(reverse("portability:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert [callback.func for callback in callbacks] == [tasks.run_import.delay]
    assert not Contact.objects.filter(owner=alice).exists()

    assert tasks.run_import(batch.pk) == "done"

    bomb = Contact.objects.get(owner=alice)
    assert bomb.methods.filter(kind="phone").count() == limits.MAX_METHODS_PER_KIND == 20
    with django_assert_max_num_queries(20):
        edit = alice_client.get(reverse("contacts:edit", args=[bomb.pk]))
    assert edit.status_code == 200
    assert len(edit.content) < 200_000


def test_a_card_with_100000_categories_makes_50_interests_and_says_so(alice_client, alice):
    preview = upload(alice_client, "tags.vcf", category_bomb())

    assert len(preview.content) < 30_000
    assert "Card 1 (Cat Bomb): 99,950 categories beyond the first 50 were not imported." in text_of(
        preview
    )
    alice_client.post(reverse("portability:import_confirm", args=[latest(alice).pk]))
    tasks.run_import(latest(alice).pk)  # 100,000 lines: the worker's job

    assert Interest.objects.filter(owner=alice).count() == limits.MAX_INTERESTS_PER_CARD == 50
    assert Contact.objects.get(owner=alice).interests.count() == 50


def test_a_small_file_still_imports_while_the_user_waits(alice_client, alice):
    upload(alice_client, "two.vcf", (card("Ana", "TEL:+351 21 000 0001\r\n") * 2).encode())

    response = alice_client.post(
        reverse("portability:import_confirm", args=[latest(alice).pk]), follow=True
    )

    assert "Imported 1 person." in text_of(response)  # the second is a match of the first
    assert latest(alice).state == ImportBatch.State.DONE


def test_long_lines_are_cut_and_an_oversized_photo_is_left_out(alice_client, alice):
    note = "NOTE:" + "n" * 50_000 + "\r\n"
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * (limits.MAX_PHOTO_LINE_CHARS + 10) + "\r\n"
    raw = card("Long Lines", note + photo + "EMAIL:ll@example.com\r\n").encode()

    preview = upload(alice_client, "long.vcf", raw)

    page = text_of(preview)
    assert "Card 1 (Long Lines): 1 line longer than 30,000 characters was cut short" in page
    assert "its photo is larger than 8 MB and was not imported" in page
    alice_client.post(reverse("portability:import_confirm", args=[latest(alice).pk]))
    contact = Contact.objects.get(owner=alice)
    assert contact.notes == "n" * 10_000  # cut as it always was
    assert not contact.photo
    assert contact.methods.get().value == "ll@example.com"


def test_a_card_with_more_lines_than_the_limit_reads_the_first_2000(alice_client, alice):
    lines = "".join(f"X-CUSTOM-{n}:value\r\n" for n in range(3_000))

    preview = upload(alice_client, "many.vcf", card("Many Lines", lines).encode())

    assert "Card 1 (Many Lines): only the first 2,000 of its 3,002 lines were read." in text_of(
        preview
    )


# --- Per account: interests -----------------------------------------------------------------------


def test_an_account_holds_at_most_1000_interests(alice, bob):
    make_interests(alice, limits.MAX_INTERESTS_PER_OWNER)
    amara = ContactFactory(owner=alice, name="Amara")

    with pytest.raises(InterestLimitReached, match="1,000 interests"):
        interest_get_or_create(owner=alice, name="One too many")
    # An existing one is still found and added; another user is not affected.
    assert contact_interest_add(contact=amara, name="topic 00007").name == "Topic 00007"
    assert interest_get_or_create(owner=bob, name="Jazz").owner == bob
    assert Interest.objects.filter(owner=alice).count() == 1_000


def test_the_limit_is_a_clear_message_on_the_contact_page_and_in_bulk(alice_client, alice):
    make_interests(alice, limits.MAX_INTERESTS_PER_OWNER)
    amara = ContactFactory(owner=alice, name="Amara")
    url = reverse("contacts:interest_add", args=[amara.pk])

    fragment = alice_client.post(url, {"name": "Brand new"}, headers=HTMX)
    page = alice_client.post(url, {"name": "Brand new"}, follow=True)
    bulk = alice_client.post(
        reverse("contacts:bulk"),
        {"action": "add_interest", "ids": [amara.pk], "interest_name": "Brand new"},
        follow=True,
    )

    for response in (fragment, page, bulk):
        assert response.status_code == 200
        assert "You already have 1,000 interests" in text_of(response)
    assert not Interest.objects.filter(owner=alice, name="Brand new").exists()


def test_the_limit_is_a_clear_message_for_your_interests_and_nothing_changes(alice_client, alice):
    make_interests(alice, limits.MAX_INTERESTS_PER_OWNER)
    Interest.objects.filter(owner=alice, name="Topic 00001").update(mine=True)

    response = alice_client.post(
        reverse("contacts:interests"),
        {"form": "interests", "mine-interests": "Topic 00002, Brand new"},
    )

    assert response.status_code == 200
    assert "You already have 1,000 interests" in text_of(response)
    assert list(Interest.objects.filter(owner=alice, mine=True).values_list("name", flat=True)) == [
        "Topic 00001"
    ]


def test_a_csv_row_with_30_phone_numbers_keeps_20_and_says_so(alice_client, alice):
    phones = " ::: ".join(f"+1 555 {n:07d}" for n in range(30))
    raw = f'Name,Phone 1 - Value\nCsv Person,"{phones}"\n'.encode()

    preview = upload(alice_client, "google.csv", raw)

    assert "Row 2 (Csv Person): kept the first 20 phone numbers of 30." in text_of(preview)
    alice_client.post(reverse("portability:import_confirm", args=[latest(alice).pk]))
    assert Contact.objects.get(owner=alice).methods.count() == 20


def test_an_import_adds_interests_up_to_the_limit_and_says_how_many_it_left_out(
    alice_client, alice
):
    make_interests(alice, limits.MAX_INTERESTS_PER_OWNER - 1)
    raw = card("Ana", "CATEGORIES:Topic 00003,Jazz,Opera,Chess\r\n").encode()

    preview = upload(alice_client, "ana.vcf", raw)
    assert "2 new interests won't be added: an account holds at most 1000 interests." in text_of(
        preview
    )
    done = alice_client.post(
        reverse("portability:import_confirm", args=[latest(alice).pk]), follow=True
    )

    assert "2 interests were not added" in text_of(done)
    ana = Contact.objects.get(owner=alice, name="Ana")
    assert sorted(ana.interests.values_list("name", flat=True)) == ["Jazz", "Topic 00003"]
    assert Interest.objects.filter(owner=alice).count() == 1_000


def test_a_backup_with_too_many_interests_is_refused_with_a_message(client, alice, bob):
    backup = {
        "format": "network-crm-backup",
        "version": 1,
        "interests": [{"id": n, "name": f"Topic {n}", "mine": False} for n in range(1_001)],
    }
    client.force_login(bob)
    upload = SimpleUploadedFile("backup.json", json.dumps(backup).encode())

    response = client.post(reverse("portability:restore"), {"backup": upload}, follow=True)

    assert "This backup has 1,001 interests; an account holds at most 1,000." in text_of(response)
    assert not Interest.objects.filter(owner=bob).exists()


# --- Pages stay small ---------------------------------------------------------------------------


def test_the_contact_list_with_5000_interests_has_no_menu_of_them(
    alice_client, alice, django_assert_num_queries
):
    ContactFactory(owner=alice, name="Ana")
    make_interests(alice, 1)
    with django_assert_num_queries(7) as few:
        small = alice_client.get(reverse("contacts:list"))
    make_interests(alice, 4_999, prefix="Subject")

    with django_assert_num_queries(len(few.captured_queries)):
        response = alice_client.get(reverse("contacts:list"))

    page = response.content.decode()
    assert "Subject 00042" not in page
    assert page.count("<option") == small.content.decode().count("<option") < 40
    assert len(page) < len(small.content) + 1_000


def test_interest_suggestions_are_bounded(alice_client, alice):
    make_interests(alice, 5_000)

    response = alice_client.get(reverse("contacts:interest_suggest"), {"interest": "topic 0"})

    assert response.content.decode().count("<option") == 10


def test_filter_by_a_typed_interest_name_without_javascript(alice_client, alice, bob):
    jazz = contact_interest_add(
        contact=ContactFactory(owner=alice, name="Ana Jazzfan"), name="Jazz"
    )
    contact_interest_add(contact=ContactFactory(owner=alice, name="Bea Funk"), name="Jazz funk")
    ContactFactory(owner=alice, name="Cy Nothing")
    InterestFactory(owner=bob, name="Bobs tuba")

    by_name = text_of(alice_client.get(reverse("contacts:list"), {"interest": "  JAZZ "}))
    by_link = alice_client.get(reverse("contacts:list"), {"interest": jazz.pk}).content.decode()
    unknown = text_of(alice_client.get(reverse("contacts:list"), {"interest": "Bobs tuba"}))

    assert "Ana Jazzfan" in by_name and "Bea Funk" not in by_name and "Cy Nothing" not in by_name
    # A link with the id filters too, and the box shows the name.
    assert 'name="interest" value="Jazz"' in by_link and "Bea Funk" not in by_link
    assert "None of your interests is called “Bobs tuba”." in unknown


def test_bulk_remove_takes_a_typed_interest_name(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana")
    contact_interest_add(contact=ana, name="Jazz")

    alice_client.post(
        reverse("contacts:bulk"),
        {"action": "remove_interest", "ids": [ana.pk], "target_interest": "jazz"},
    )

    assert not ana.interests.exists()


STORED = 100_000


@pytest.fixture
def flooded(alice):
    """A contact stored before the limits existed, with 100,000 phone numbers."""
    contact = ContactFactory(owner=alice, name="Flooded")
    ContactMethod.objects.bulk_create(
        (
            ContactMethod(
                owner=alice,
                contact=contact,
                kind="phone",
                value=f"+1 555 {n:07d}",
                folded_value=f"+1 555 {n:07d}",
                position=min(n, 32_767),  # a small integer on PostgreSQL
            )
            for n in range(STORED)
        ),
        batch_size=5_000,
    )
    return contact


def test_a_contact_with_100000_stored_phone_numbers_has_small_pages(
    alice_client, flooded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        edit = alice_client.get(reverse("contacts:edit", args=[flooded.pk]))
    with django_assert_max_num_queries(30):
        detail = alice_client.get(reverse("contacts:detail", args=[flooded.pk]))

    assert edit.status_code == detail.status_code == 200
    assert len(edit.content) < 200_000 and len(detail.content) < 200_000
    assert f"Only the first 60 ways to reach them can be edited here; {STORED - 60} more" in (
        text_of(edit)
    )
    assert f"{STORED - 60} more ways to reach them, not shown" in text_of(detail)


def test_saving_the_edit_page_of_a_flooded_contact_keeps_the_rows_not_shown(alice_client, flooded):
    edit = alice_client.get(reverse("contacts:edit", args=[flooded.pk]))
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', edit.text))
    # What the browser sends for the selects: their selected option.
    selects = re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', edit.text, re.S)
    for name, options in selects:
        for value in re.findall(r'value="([^"]*)" selected', options):
            form[name] = value
    first = ContactMethod.objects.filter(contact=flooded).order_by("position")[:60]
    data = {**form, "name": "Flooded Renamed"}
    for index, method in enumerate(first):
        data[f"methods-{index}-kind"] = "phone"
        data[f"methods-{index}-value"] = method.value
    data["methods-0-DELETE"] = "on"

    response = alice_client.post(reverse("contacts:edit", args=[flooded.pk]), data)

    assert response.status_code == 302
    flooded.refresh_from_db()
    assert flooded.name == "Flooded Renamed"
    assert flooded.methods.count() == STORED - 1


def test_a_contact_with_many_stored_interests_shows_the_first_100(alice_client, alice):
    make_interests(alice, 300)
    contact = ContactFactory(owner=alice, name="Tagged")
    contact.interests.add(*Interest.objects.filter(owner=alice))

    page = text_of(alice_client.get(reverse("contacts:detail", args=[contact.pk])))

    assert "Topic 00099" in page and "Topic 00100" not in page
    assert "…and 200 more, not shown here." in page
