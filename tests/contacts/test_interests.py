"""Interests: one per folded name and owner, the user's own ("mine"), shared ones highlighted,
added and removed on a contact's page (htmx or not), suggested as you type, set in settings."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from contacts.models import Interest
from contacts.services import (
    contact_interest_add,
    contact_interest_remove,
    interest_get_or_create,
    interests_set_mine,
)
from tests.factories import ContactFactory, InterestFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return html.unescape(response.content.decode())


def chips(page: str) -> dict[str, str]:
    """Interest name -> the class attribute of its chip on a contact's page."""
    return {
        name: classes
        for classes, name in re.findall(r'<li class="(chip[^"]*)">\s*<a [^>]*>([^<]+)</a>', page)
    }


# --- De-duplication -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ["Jazz", "jázz", " JAZZ ", "jazz"],
        ["Ísland", "island", "ISLAND", "ísland"],
        ["МУЗЫКА", "музыка", "Музыка"],
        ["Μουσική", "ΜΟΥΣΙΚΗ", "μουσικη"],
        ["Þórsmörk", "ÞÓRSMÖRK", "þorsmork"],
        ["rock  climbing", "Rock Climbing", " rock climbing "],
    ],
)
def test_spellings_differing_in_case_accents_or_spaces_are_one_interest(alice, spellings):
    first = interest_get_or_create(owner=alice, name=spellings[0])
    for spelling in spellings[1:]:
        assert interest_get_or_create(owner=alice, name=spelling) == first
    assert Interest.objects.filter(owner=alice).count() == 1
    # The first spelling is the one shown (with its spaces tidied).
    assert Interest.objects.get(owner=alice).name == " ".join(spellings[0].split())


def test_different_words_are_different_interests(alice):
    jazz = interest_get_or_create(owner=alice, name="Jazz")
    assert interest_get_or_create(owner=alice, name="Jazz funk") != jazz
    assert interest_get_or_create(owner=alice, name="Ísafjörður") != interest_get_or_create(
        owner=alice, name="Ísland"
    )
    assert Interest.objects.filter(owner=alice).count() == 4


def test_a_blank_name_is_refused(alice):
    with pytest.raises(ValueError):
        interest_get_or_create(owner=alice, name="   ")
    assert not Interest.objects.exists()


def test_interests_belong_to_their_owner(alice, bob):
    alices = interest_get_or_create(owner=alice, name="Jazz")
    bobs = interest_get_or_create(owner=bob, name="jazz")
    assert alices != bobs
    assert alices.owner == alice and bobs.owner == bob
    assert bobs.name == "jazz"
    # Adding "JAZZ" to a contact of bob's reuses bob's, never alice's.
    bobs_friend = ContactFactory(owner=bob, name="Bob's friend")
    assert contact_interest_add(contact=bobs_friend, name="JAZZ") == bobs
    assert list(alices.contacts.all()) == []


def test_adding_the_same_interest_twice_links_it_once(alice):
    ana = ContactFactory(owner=alice, name="Ana")
    contact_interest_add(contact=ana, name="Jazz")
    contact_interest_add(contact=ana, name="JÁZZ")
    assert [i.name for i in ana.interests.all()] == ["Jazz"]
    contact_interest_remove(contact=ana, interest=Interest.objects.get(owner=alice))
    assert not ana.interests.exists()
    assert Interest.objects.filter(owner=alice).count() == 1  # the interest itself stays


def test_an_80_character_name_that_folds_longer_can_be_added(alice_client, alice):
    ana = ContactFactory(owner=alice, name="Ana")
    name = ("Straßenfußball " * 6)[:80]
    assert len(name) == 80
    response = alice_client.post(reverse("contacts:interest_add", args=[ana.pk]), {"name": name})
    assert response.status_code == 302
    interest = Interest.objects.get(owner=alice)
    assert interest.name == name.strip()
    assert len(interest.folded_name) <= Interest._meta.get_field("folded_name").max_length
    assert interest.folded_name.startswith("strassenfussball strassenfussball")
    # And the same long name in capitals is the same interest.
    alice_client.post(reverse("contacts:interest_add", args=[ana.pk]), {"name": name.upper()})
    assert Interest.objects.filter(owner=alice).count() == 1


# --- The user's own interests ---------------------------------------------------------------------


def test_interests_set_mine_sets_exactly_the_given_ones(alice, bob):
    climbing = InterestFactory(owner=alice, name="Climbing", mine=True)
    cooking = InterestFactory(owner=alice, name="Cooking", mine=True)
    bobs_jazz = InterestFactory(owner=bob, name="Jazz", mine=True)

    mine = interests_set_mine(owner=alice, names=["jazz", "CLIMBING", "  ", "Lisbon"])

    assert sorted(i.name for i in mine) == ["Climbing", "Lisbon", "jazz"]
    assert set(Interest.objects.filter(owner=alice, mine=True).values_list("name", flat=True)) == {
        "Climbing",
        "jazz",
        "Lisbon",
    }
    cooking.refresh_from_db()
    climbing.refresh_from_db()
    bobs_jazz.refresh_from_db()
    assert cooking.mine is False  # no longer given: unmarked, not deleted
    assert climbing.mine is True
    assert bobs_jazz.mine is True  # bob's are untouched

    interests_set_mine(owner=alice, names=[])
    assert not Interest.objects.filter(owner=alice, mine=True).exists()
    assert Interest.objects.filter(owner=alice).count() == 4


def test_interests_page_saves_your_interests(alice_client, alice, bob):
    InterestFactory(owner=alice, name="Cooking", mine=True)
    InterestFactory(owner=bob, name="Bobsleigh", mine=True)
    page = text(alice_client.get(reverse("contacts:interests")))
    assert "Your interests" in page
    assert 'value="Cooking"' in page
    assert "Bobsleigh" not in page
    # Settings keeps a link to them.
    assert reverse("contacts:interests") in alice_client.get(reverse("settings")).text

    response = alice_client.post(
        reverse("contacts:interests"),
        {"form": "interests", "mine-interests": "Jazz, climbing , Lisbon,, "},
    )
    assert response.status_code == 302
    assert response.url == reverse("contacts:interests")
    assert set(Interest.objects.filter(owner=alice, mine=True).values_list("name", flat=True)) == {
        "Jazz",
        "climbing",
        "Lisbon",
    }
    assert Interest.objects.get(owner=alice, name="Cooking").mine is False

    page = text(alice_client.get(reverse("contacts:interests")))
    assert "Your interests are saved." in page
    # Shown back sorted by folded name, comma-separated.
    assert 'value="climbing, Jazz, Lisbon"' in page
    assert Interest.objects.get(owner=bob).mine is True


def test_your_interests_reuse_existing_ones_whatever_the_spelling(alice_client, alice):
    jazz = InterestFactory(owner=alice, name="Jazz")
    alice_client.post(
        reverse("contacts:interests"), {"form": "interests", "mine-interests": "JÁZZ"}
    )
    jazz.refresh_from_db()
    assert jazz.mine is True
    assert jazz.name == "Jazz"
    assert Interest.objects.filter(owner=alice).count() == 1


# --- Shared interests on a contact's page ---------------------------------------------------------


def test_shared_interests_are_highlighted_on_the_contact_page(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    for name in ["Jazz", "Climbing", "Lisbon"]:
        contact_interest_add(contact=amara, name=name)
    interests_set_mine(owner=alice, names=["jazz"])

    page = text(alice_client.get(amara.get_absolute_url()))

    assert "You both love <strong>Jazz</strong>." in page
    assert chips(page) == {"Jazz": "chip shared", "Climbing": "chip", "Lisbon": "chip"}
    # The shared one comes first.
    assert page.index(">Jazz</a>") < page.index(">Climbing</a>") < page.index(">Lisbon</a>")
    assert "Climbing</strong>" not in page


def test_several_shared_interests_read_as_a_sentence(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    for name in ["Jazz", "Climbing", "Lisbon", "Chess"]:
        contact_interest_add(contact=amara, name=name)
    interests_set_mine(owner=alice, names=["jazz", "lisbon", "climbing"])
    page = text(alice_client.get(amara.get_absolute_url()))
    assert (
        "You both love <strong>Climbing</strong>, <strong>Jazz</strong> and "
        "<strong>Lisbon</strong>." in page
    )
    assert chips(page)["Chess"] == "chip"


def test_no_shared_line_without_shared_interests(alice_client, alice, bob):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    contact_interest_add(contact=amara, name="Jazz")
    # Bob loving jazz doesn't make it alice's.
    interests_set_mine(owner=bob, names=["Jazz"])
    page = text(alice_client.get(amara.get_absolute_url()))
    assert "You both love" not in page
    assert chips(page) == {"Jazz": "chip"}


# --- Adding and removing on the contact's page ----------------------------------------------------


def test_add_interest_without_htmx_redirects_to_the_contact(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    InterestFactory(owner=alice, name="Jazz")
    response = alice_client.post(
        reverse("contacts:interest_add", args=[amara.pk]), {"name": "  jázz "}
    )
    assert response.status_code == 302
    assert response.url == amara.get_absolute_url()
    assert [i.name for i in amara.interests.all()] == ["Jazz"]
    assert Interest.objects.filter(owner=alice).count() == 1


def test_add_interest_with_htmx_returns_only_the_interests_fragment(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    contact_interest_add(contact=amara, name="Chess")
    interests_set_mine(owner=alice, names=["Lisbon"])
    response = alice_client.post(
        reverse("contacts:interest_add", args=[amara.pk]), {"name": "Lisbon"}, headers=HTMX
    )
    assert response.status_code == 200
    fragment = text(response)
    assert fragment.lstrip().startswith('<section class="card" id="interests"')
    assert "<html" not in fragment and "Staying in touch" not in fragment
    assert chips(fragment) == {"Lisbon": "chip shared", "Chess": "chip"}
    assert set(amara.interests.values_list("name", flat=True)) == {"Chess", "Lisbon"}


def test_add_an_empty_interest_is_refused(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    url = reverse("contacts:interest_add", args=[amara.pk])

    response = alice_client.post(url, {"name": ""}, follow=True)
    assert "Type an interest to add." in text(response)

    response = alice_client.post(url, {"name": ""}, headers=HTMX)
    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert "<html" not in text(response)
    assert not Interest.objects.exists()


def test_remove_interest_without_htmx(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    jazz = contact_interest_add(contact=amara, name="Jazz")
    contact_interest_add(contact=amara, name="Chess")
    response = alice_client.post(reverse("contacts:interest_remove", args=[amara.pk, jazz.pk]))
    assert response.status_code == 302
    assert response.url == amara.get_absolute_url()
    assert list(amara.interests.values_list("name", flat=True)) == ["Chess"]
    page = text(alice_client.get(amara.get_absolute_url()))
    assert chips(page) == {"Chess": "chip"}


def test_remove_interest_with_htmx_returns_only_the_interests_fragment(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara Diallo")
    jazz = contact_interest_add(contact=amara, name="Jazz")
    response = alice_client.post(
        reverse("contacts:interest_remove", args=[amara.pk, jazz.pk]), headers=HTMX
    )
    assert response.status_code == 200
    fragment = text(response)
    assert fragment.lstrip().startswith('<section class="card" id="interests"')
    assert "<html" not in fragment
    assert chips(fragment) == {}
    assert "What do you share with Amara Diallo?" in fragment
    assert not amara.interests.exists()


def test_removing_from_one_contact_keeps_it_on_others(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara")
    bea = ContactFactory(owner=alice, name="Bea")
    jazz = contact_interest_add(contact=amara, name="Jazz")
    contact_interest_add(contact=bea, name="Jazz")
    alice_client.post(reverse("contacts:interest_remove", args=[amara.pk, jazz.pk]))
    assert list(jazz.contacts.all()) == [bea]


def test_interests_of_another_user_cannot_be_touched(alice_client, alice, bob):
    mine = ContactFactory(owner=alice, name="Amara")
    alices_jazz = contact_interest_add(contact=mine, name="Jazz")
    theirs = ContactFactory(owner=bob, name="Bob's friend")
    bobs_jazz = contact_interest_add(contact=theirs, name="Jazz")

    add = reverse("contacts:interest_add", args=[theirs.pk])
    assert alice_client.post(add, {"name": "Chess"}).status_code == 404
    remove_theirs = reverse("contacts:interest_remove", args=[theirs.pk, bobs_jazz.pk])
    assert alice_client.post(remove_theirs).status_code == 404
    # Bob's interest on alice's own contact: still a 404.
    remove_mixed = reverse("contacts:interest_remove", args=[mine.pk, bobs_jazz.pk])
    assert alice_client.post(remove_mixed).status_code == 404

    assert list(theirs.interests.all()) == [bobs_jazz]
    assert list(mine.interests.all()) == [alices_jazz]
    assert not Interest.objects.filter(owner=bob, name="Chess").exists()


def test_interest_endpoints_need_a_login(client, alice):
    amara = ContactFactory(owner=alice, name="Amara")
    response = client.post(reverse("contacts:interest_add", args=[amara.pk]), {"name": "Jazz"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Interest.objects.exists()


def test_interest_add_and_remove_only_accept_post(alice_client, alice):
    amara = ContactFactory(owner=alice, name="Amara")
    jazz = contact_interest_add(contact=amara, name="Jazz")
    assert alice_client.get(reverse("contacts:interest_add", args=[amara.pk])).status_code == 405
    remove = reverse("contacts:interest_remove", args=[amara.pk, jazz.pk])
    assert alice_client.get(remove).status_code == 405
    assert list(amara.interests.all()) == [jazz]


# --- Suggestions while typing ---------------------------------------------------------------------


def options(response) -> list[str]:
    return re.findall(r'<option value="([^"]*)">', text(response))


def test_suggestions_are_the_owners_interests_starting_with_the_text(alice_client, alice, bob):
    for name in ["Jazz", "Jámón ibérico", "Judo", "Ísland", "Islay whisky", "Free jazz"]:
        InterestFactory(owner=alice, name=name)
    InterestFactory(owner=bob, name="Jazz manouche")
    InterestFactory(owner=bob, name="Island hopping")
    url = reverse("contacts:interest_suggest")

    assert options(alice_client.get(url, {"name": "JA"})) == ["Jámón ibérico", "Jazz"]
    assert options(alice_client.get(url, {"name": "jám"})) == ["Jámón ibérico"]
    assert options(alice_client.get(url, {"name": "isl"})) == ["Ísland", "Islay whisky"]
    # A prefix match: "azz" is inside "Jazz" but starts nothing.
    assert options(alice_client.get(url, {"name": "azz"})) == []
    assert options(alice_client.get(url, {"name": "manouche"})) == []
    everything = options(alice_client.get(url))
    assert "Jazz manouche" not in everything and "Island hopping" not in everything
    assert len(everything) == 6


def test_suggestions_put_the_users_own_interests_first_and_stop_at_ten(alice_client, alice):
    for index in range(12):
        InterestFactory(owner=alice, name=f"Ski {index:02}")
    InterestFactory(owner=alice, name="Ski touring", mine=True)
    found = options(alice_client.get(reverse("contacts:interest_suggest"), {"name": "SKI"}))
    assert len(found) == 10
    assert found[0] == "Ski touring"
    assert found[1:] == [f"Ski {index:02}" for index in range(9)]


def test_suggestions_in_other_scripts(alice_client, alice):
    InterestFactory(owner=alice, name="Музыка")
    InterestFactory(owner=alice, name="Μουσική")
    url = reverse("contacts:interest_suggest")
    assert options(alice_client.get(url, {"name": "МУЗ"})) == ["Музыка"]
    assert options(alice_client.get(url, {"name": "ΜΟΥΣ"})) == ["Μουσική"]


def test_suggestions_need_a_login(client, alice):
    InterestFactory(owner=alice, name="Jazz")
    response = client.get(reverse("contacts:interest_suggest"), {"name": "ja"})
    assert response.status_code == 302
    assert "Jazz" not in response.content.decode()
