"""The pages of Things to share, as the user reaches them (giving/things_views.py)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from giving.models import Share, ShareItem
from interactions.models import Interaction
from tests.factories import ContactFactory
from tests.giving.things.factories import ShareFactory, ShareItemFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_the_nav_leads_to_the_list_with_the_bookmarklet(alice_client, alice):
    ShareItemFactory(owner=alice, title="<script>alert(1)</script>")
    page = alice_client.get("/").content.decode()
    assert 'href="/things/"' in page and 'Things<span class="nav-more"> to share' in page
    response = alice_client.get(reverse("things:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'href="javascript:void(location.href=' in html
    assert "location.href='http://testserver/things/add/?url='+encodeURIComponent" in html


def test_the_bookmarklet_and_the_share_target_prefill_the_form(alice_client):
    query = {"url": "https://example.com/a?b=1", "title": "A <b>good</b> read"}
    html = alice_client.get(reverse("things:add") + "?" + urlencode(query)).content.decode()
    assert 'value="https://example.com/a?b=1"' in html
    assert 'value="A &lt;b&gt;good&lt;/b&gt; read"' in html
    assert "note on a person instead" not in html
    # Android sends the link inside the text; the share target redirects to the same form.
    shared = {"title": "Talk", "text": "Look at this https://example.org/talk"}
    response = alice_client.get("/share/?" + urlencode(shared))
    assert response.status_code == 302 and response.url.startswith("/things/add/?")
    html = alice_client.get(response.url).content.decode()
    assert 'value="https://example.org/talk"' in html and 'value="Talk"' in html
    assert "Look at this</textarea>" in html
    assert "/share/note/?" in html  # the older way, kept as a link


def test_saving_a_thing_with_topics_opens_its_page(alice_client, alice, people):
    data = {"kind": "article", "url": "", "title": "Jazz at dawn", "topics": "jazz, Rare, jazz"}
    response = alice_client.post(reverse("things:add"), data)
    item = ShareItem.objects.get(owner=alice)
    assert response.status_code == 302 and response.url == reverse("things:detail", args=[item.pk])
    assert sorted(t.name for t in item.topics.all()) == ["Jazz", "Rare"]
    html = alice_client.get(response.url).content.decode()
    assert "Share with Ana Lima" in html and "Share with Ben Okoro" in html
    assert "Chloé" not in html
    assert "Fetching" not in html and "every 2s" not in html


def test_bad_input_is_said_and_kept(alice_client, alice):
    data = {"kind": "link", "url": "not a link at all", "title": "Keep me", "topics": "x" * 81}
    response = alice_client.post(reverse("things:add"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "look like a link" in html and "Keep each topic under 80" in html
    assert 'value="Keep me"' in html
    response = alice_client.post(reverse("things:add"), {"kind": "link"})
    assert response.status_code == 400 and "Give it a link, a title or a note." in (
        response.content.decode()
    )
    response = alice_client.post(reverse("things:add"), {"kind": "nonsense", "title": "x"})
    assert response.status_code == 400
    assert not ShareItem.objects.exists()


def test_a_link_being_read_polls_until_it_has_its_title(alice_client, alice, people):
    item = ShareItemFactory(
        owner=alice,
        title="",
        url="https://example.com/x",
        fetch_state=ShareItem.Fetch.PENDING,
        topics=[people["jazz"]],
    )
    url = reverse("things:detail", args=[item.pk])
    html = alice_client.get(url).content.decode()
    assert "Fetching the page's title…" in html and 'hx-trigger="every 2s"' in html
    polling = alice_client.get(url + "?part=head", headers=HTMX).content.decode()
    assert "Fetching the page's title…" in polling and "Who would enjoy" not in polling
    ShareItem.objects.filter(pk=item.pk).update(
        title="Fetched title", fetch_state=ShareItem.Fetch.DONE
    )
    part = alice_client.get(url + "?part=head", headers=HTMX).content.decode()
    assert "Fetched title" in part and "every 2s" not in part
    # The suggestions come in the same answer, swapped out of band, their messages naming the title.
    people = part[part.index('<div id="thing-people"') :]
    assert people.startswith('<div id="thing-people"') and 'hx-swap-oob="true"' in people[:400]
    assert "Who would enjoy" in people and "subject=Fetched%20title" in people


def test_share_with_ana_logs_it_and_answers_with_undo(alice_client, alice, people):
    item = ShareItemFactory(owner=alice, title="Jazz piece", topics=[people["jazz"]])
    url = reverse("things:share", args=[item.pk, people["ana"].pk])
    response = alice_client.post(url, headers=HTMX)
    share = Share.objects.get()
    assert "shareChanged" in response["HX-Trigger"] and response["HX-Retarget"] == "#announce"
    html = response.content.decode()
    assert "you shared “Jazz piece” with Ana Lima" in html
    assert reverse("things:share_undo", args=[share.pk]) in html
    assert share.interaction.kind == Interaction.Kind.SHARED
    people_part = alice_client.get(
        reverse("things:detail", args=[item.pk]) + "?part=people", headers=HTMX
    ).content.decode()
    assert "Share with Ana Lima" not in people_part and "Who got it" in people_part
    response = alice_client.post(reverse("things:share_undo", args=[share.pk]), headers=HTMX)
    assert response.status_code == 200 and not Share.objects.exists()
    assert not Interaction.objects.exists()


def test_what_they_sent_you_and_what_you_sent_them_on_their_page(alice_client, alice, people):
    ana = people["ana"]
    ShareFactory(contact=ana, title="My old link", shared_on=dt.date(2026, 11, 1))
    ShareItemFactory(owner=alice, title="Jazz you might like", topics=[people["jazz"]])
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    assert "My old link" in page and "Jazz you might like" in page
    response = alice_client.post(
        reverse("things:received", args=[ana.pk]),
        {"title": "<i>A mixtape</i>", "url": "example.org/mix", "next": ana.get_absolute_url()},
    )
    assert response.status_code == 302 and response.url == ana.get_absolute_url()
    share = Share.objects.get(direction=Share.Direction.RECEIVED)
    assert (share.title, share.url) == ("<i>A mixtape</i>", "https://example.org/mix")
    assert share.interaction.initiated_by == Interaction.Initiator.THEM
    page = alice_client.get(ana.get_absolute_url()).content.decode()
    assert "Ana Lima sent you" in page and "&lt;i&gt;A mixtape&lt;/i&gt;" in page
    assert page.index("A mixtape") < page.index("My old link")  # newest first
    response = alice_client.post(reverse("things:received", args=[ana.pk]), {"title": ""})
    assert response.status_code == 302 and Share.objects.count() == 2
    assert "Say what they sent you." in alice_client.get(response.url).content.decode()


def test_the_cooldown_is_a_setting(alice_client, alice):
    page = alice_client.get(reverse("settings")).content.decode()
    assert "Days between two things shared with one person" in page
    data = {
        f"settings-{name}": value
        for name, value in {
            "time_zone": "Europe/Lisbon",
            "digest_frequency": alice.settings.digest_frequency,
            "digest_weekday": alice.settings.digest_weekday,
            "digest_hour": alice.settings.digest_hour,
            "daily_limit": 5,
            "upcoming_days": alice.settings.upcoming_days,
            "date_reminder_days": alice.settings.date_reminder_days,
            "share_cooldown_days": 30,
        }.items()
    }
    alice_client.post(reverse("settings"), {"form": "settings", **data})
    alice.settings.refresh_from_db()
    assert alice.settings.share_cooldown_days == 30
    data["settings-share_cooldown_days"] = 400
    response = alice_client.post(reverse("settings"), {"form": "settings", **data})
    assert "less than or equal to 365" in response.content.decode()
    del data["settings-share_cooldown_days"]  # an older form: the value stays
    alice_client.post(reverse("settings"), {"form": "settings", **data})
    alice.settings.refresh_from_db()
    assert alice.settings.share_cooldown_days == 30


def test_archiving_hides_a_thing(alice_client, alice):
    item = ShareItemFactory(owner=alice, title="Old news")
    response = alice_client.post(reverse("things:archive", args=[item.pk]), follow=True)
    assert "Archived “Old news”" in response.content.decode()
    assert "Old news" not in alice_client.get(reverse("things:list")).content.decode()
    alice_client.post(reverse("things:archive", args=[item.pk]), {"archived": "false"})
    assert "Old news" in alice_client.get(reverse("things:list")).content.decode()


def test_the_item_page_takes_a_fixed_number_of_queries(
    alice_client, alice, people, django_assert_max_num_queries
):
    item = ShareItemFactory(owner=alice, topics=[people["jazz"], people["climbing"]])
    for n in range(6):
        contact = ContactFactory(owner=alice, name=f"Fan {n}")
        contact.interests.set([people["jazz"]])
        ShareFactory(contact=contact, item=item)
    with django_assert_max_num_queries(16):
        response = alice_client.get(reverse("things:detail", args=[item.pk]))
    assert response.content.decode().count("Share with ") == 3


def test_without_htmx_sharing_goes_back_to_the_item_with_the_answer(alice_client, alice, people):
    item = ShareItemFactory(owner=alice, title="<b>Loud</b>", topics=[people["jazz"]])
    response = alice_client.post(
        reverse("things:share", args=[item.pk, people["ben"].pk]), follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("things:detail", args=[item.pk])
    assert "you shared “&lt;b&gt;Loud&lt;/b&gt;” with Ben Okoro" in html
    assert Share.objects.get().contact == people["ben"]


def test_my_item_cannot_be_shared_with_someone_elses_contact(bob_client, bob, people):
    mine = ShareItemFactory(owner=bob)
    response = bob_client.post(reverse("things:share", args=[mine.pk, people["ana"].pk]))
    assert response.status_code == 404
    response = bob_client.post(reverse("things:received", args=[people["ana"].pk]), {"title": "x"})
    assert response.status_code == 404
    assert not Share.objects.exists() and not Interaction.objects.exists()
