"""The digest's "something to share with …" line (issue 20): at most one a day, from
giving.things_selectors.share_suggestion_for_digest, respecting the share cooldown; it rides along
with a digest that is owed anyway and never makes one on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from contacts.services import contact_interest_add, contact_recompute_due
from giving.things import share_give, share_item_create
from notify.services.deliveries import digest_message
from reminders.models import Digest
from reminders.selectors import digest_contents
from reminders.services.digests import digest_render
from tests.interactions.plans.helpers import person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


def due_since_january(contact):
    Contact.objects.filter(pk=contact.pk).update(added_on=dt.date(2026, 1, 1))
    return contact_recompute_due(contact=contact, today=DAY)


def into(contact, *names):
    for name in names:
        contact_interest_add(contact=contact, name=name)
    return contact


def test_one_share_line_rides_with_the_digest_in_email_and_chat(alice):
    ana = into(due_since_january(person(alice, "Ana Lima", cadence_days=30)), "Jazz")
    into(person(alice, "Ben Costa", cadence_days=None), "jazz")
    share_item_create(
        owner=alice, kind="article", title="Jazz in small rooms", topic_names=["JAZZ"]
    )
    share_item_create(owner=alice, kind="event", title="Jazz night, Friday", topic_names=["Jazz"])

    message, _count = digest_render(digest=Digest.objects.create(owner=alice, local_date=DAY))

    # The newest thing nobody got, for the person who matches best (never in touch: Ana).
    assert message.body.count("Something to share with") == 1
    assert "Something to share with Ana Lima: Jazz night, Friday" in message.body
    html = message.alternatives[0][0]
    assert html.count("Something to share with") == 1 and "Jazz night, Friday" in html
    _title, body, _url = digest_message(digest=Digest.objects.get(owner=alice))
    assert "Something to share with Ana Lima: Jazz night, Friday" in body
    assert ana.pk == digest_contents(owner=alice, day=DAY).share.contact.pk


def test_the_cooldown_passes_the_line_to_someone_else(alice):
    ana = into(person(alice, "Ana Lima", cadence_days=30), "Jazz")
    into(person(alice, "Ben Costa", cadence_days=None), "Jazz")
    given = share_item_create(owner=alice, kind="article", title="Older jazz", topic_names=["Jazz"])
    share_give(item=given, contact=ana, now=NOW, today=DAY)
    share_item_create(owner=alice, kind="event", title="Jazz night, Friday", topic_names=["Jazz"])

    share = digest_contents(owner=alice, day=DAY).share

    # Ana got something today (cooldown 14 days by default): Ben is the one to think of.
    assert (share.item.title, share.contact.name) == ("Jazz night, Friday", "Ben Costa")
    alice.settings.share_cooldown_days = 0
    alice.settings.save(update_fields=["share_cooldown_days"])
    assert digest_contents(owner=alice, day=DAY).share.contact.name in {"Ana Lima", "Ben Costa"}


def test_a_share_suggestion_alone_makes_no_digest(alice):
    into(person(alice, "Ana Lima", cadence_days=None), "Jazz")  # nobody due, nothing planned
    share_item_create(
        owner=alice, kind="article", title="Jazz in small rooms", topic_names=["Jazz"]
    )

    contents = digest_contents(owner=alice, day=DAY)

    assert contents.share is not None  # there is something to suggest...
    assert contents.is_empty and contents.item_count == 0  # ...but no email for it alone
    assert digest_render(digest=Digest.objects.create(owner=alice, local_date=DAY)) is None
