"""/share/: what a phone shares to the installed app opens Things to share, prefilled; the older
way, /share/note/, makes it a note on one of the owner's people."""

from __future__ import annotations

import pytest

from interactions.models import Interaction
from pwa.share import shared_note
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TARGET = "/share/"
SHARE = "/share/note/"


def test_signed_out_goes_to_log_in_and_keeps_what_was_shared(client):
    response = client.get(TARGET, {"title": "A read", "url": "https://example.org/a?b=1"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/share/%3Ftitle%3DA")


def test_the_share_target_opens_the_things_to_share_form_prefilled(alice_client, alice):
    shared = {"title": "Why we sleep", "text": "Worth a read", "url": "https://example.org/s"}
    response = alice_client.get(TARGET, shared)
    assert response.status_code == 302 and response.url.startswith("/things/add/?")
    page = alice_client.get(response.url).content.decode()
    assert "Save a thing to share" in page
    assert 'value="Why we sleep"' in page and 'value="https://example.org/s"' in page
    assert "Worth a read</textarea>" in page
    assert 'href="/share/note/?title=Why+we+sleep&amp;text=Worth+a+read&amp;url=https' in page
    # A huge share is cut before it travels on.
    response = alice_client.get(TARGET, {"text": "y" * 50_000, "title": "t" * 50_000})
    assert response.status_code == 302 and len(response.url) < 10_000
    assert alice_client.get(response.url).status_code == 200


def test_the_form_proposes_the_note_and_only_the_owners_people(alice_client, alice, bob):
    ContactFactory(owner=alice, name="Ana Lima")
    ContactFactory(owner=alice, name="Old Friend", archived=True)
    ContactFactory(owner=bob, name="Bob's Secret Person")
    response = alice_client.get(
        SHARE,
        {
            "title": "Why we sleep",
            "text": "Worth a read https://example.org/sleep",
            "url": "https://example.org/sleep",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Save this link as a note on…" in page
    assert "Why we sleep\nWorth a read https://example.org/sleep</textarea>" in page
    assert "Ana Lima" in page
    assert "Old Friend" not in page
    assert "Bob&#x27;s Secret Person" not in page and "Bob's Secret Person" not in page


def test_saving_logs_a_note_on_the_person_and_goes_there(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    response = alice_client.post(
        SHARE, {"contact": ana.pk, "kind": "shared", "notes": "https://example.org/sleep"}
    )
    assert response.status_code == 302
    assert response.url == ana.get_absolute_url()
    interaction = Interaction.objects.get(owner=alice)
    assert list(interaction.contacts.all()) == [ana]
    assert interaction.kind == "shared"
    assert interaction.notes == "https://example.org/sleep"
    page = alice_client.get(response.url).content.decode()
    assert "Saved on Ana Lima&#x27;s page." in page


def test_another_users_contact_is_refused_and_nothing_saved(alice_client, alice, bob):
    ContactFactory(owner=alice, name="Ana Lima")
    secret = ContactFactory(owner=bob, name="Bob's Secret Person")
    response = alice_client.post(SHARE, {"contact": secret.pk, "kind": "shared", "notes": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of your people." in page
    assert "Secret Person" not in page
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"contact": "", "kind": "shared", "notes": "x"}, "Choose whom to save it on."),
        ({"contact": "not a number", "kind": "shared", "notes": "x"}, "Choose one of your"),
        ({"contact": "99999999999999999999", "kind": "shared", "notes": "x"}, "Choose one of"),
        ({"kind": "hacked", "notes": "x"}, "Select a valid choice."),
        ({"kind": "shared", "notes": ""}, "Write something to keep, or go back."),
        ({"kind": "shared", "notes": "a\x00b"}, "Null characters are not allowed."),
        ({"kind": "shared", "notes": "x" * 10_001}, "at most 10000 characters"),
    ],
)
def test_bad_input_is_a_clear_message_and_nothing_saved(alice_client, alice, data, message):
    ana = ContactFactory(owner=alice, name="Ana Lima")
    data = {"contact": ana.pk, **data} if "contact" not in data else data
    response = alice_client.post(SHARE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Interaction.objects.exists()


def test_hostile_shared_text_is_shown_as_text_never_markup(alice_client, alice):
    ContactFactory(owner=alice, name="Ana Lima")
    response = alice_client.get(
        SHARE,
        {
            "title": '</textarea><script>alert("x")</script>',
            "text": "\x00nul\x07bell\u202eRTL",
            "url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "\x00" not in page and "\x07" not in page
    assert 'href="javascript' not in page


def test_a_huge_share_is_cut_to_what_a_note_holds(alice_client, alice):
    ContactFactory(owner=alice, name="Ana Lima")
    response = alice_client.get(SHARE, {"text": "y" * 50_000, "title": "t" * 50_000})
    assert response.status_code == 200
    assert len(shared_note(title="t" * 50_000, text="y" * 50_000)) <= 10_000


def test_without_people_the_page_says_to_add_one_first(alice_client):
    response = alice_client.get(SHARE, {"url": "https://example.org"})
    assert response.status_code == 200
    assert "Add a person first" in response.content.decode()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(alice_client, method):
    assert getattr(alice_client, method)(SHARE).status_code == 405
    assert getattr(alice_client, method)(TARGET).status_code == 405


def test_shared_note_keeps_each_part_once():
    assert shared_note(title="T", text="see https://x.org", url="https://x.org") == (
        "T\nsee https://x.org"
    )
    assert shared_note(title="", text="", url="https://x.org") == "https://x.org"
    assert shared_note(title="a\r\nb", text="", url="") == "a\nb"
