"""Who would enjoy a thing, sharing it, the cooldown, the digest's pick (giving/things*.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import ContactMethod
from giving import things_selectors as selectors
from giving.models import Share
from giving.things import share_give, share_item_create, share_receive, share_undo
from interactions.models import Interaction
from tests.factories import ContactFactory, InteractionFactory, UserFactory
from tests.giving.things.factories import ShareFactory, ShareItemFactory

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def _names(contacts) -> list[str]:
    return [contact.name for contact in contacts]


def test_topics_are_the_owners_interests_folded(alice, people):
    item = share_item_create(
        owner=alice, kind="article", title="Notes", topic_names=["JÁZZ", "Lisbon"]
    )
    assert sorted(topic.name for topic in item.topics.all()) == ["Jazz", "Lisbon"]
    assert sorted(topic.pk for topic in item.topics.all())[0] == people["jazz"].pk


def test_people_are_ranked_by_topics_in_common_then_longest_since_in_touch(alice, people):
    InteractionFactory(owner=alice, contacts=[people["ben"]])  # Ben was seen, Chloé never
    people["ben"].last_interaction_on = dt.date(2026, 1, 10)
    people["ben"].save()
    dan = ContactFactory(owner=alice, name="Dan Archived", archived=True)
    dan.interests.set([people["jazz"]])
    item = ShareItemFactory(owner=alice, topics=[people["jazz"], people["climbing"]])
    found = selectors.suggestions_for_item(item=item, today=TODAY)
    assert _names(found.people) == ["Ana Lima", "Chloé Martin", "Ben Okoro"]
    assert [p.matched for p in found.people] == [2, 1, 1]
    assert [t.name for t in found.people[0].matched_topics] == ["Climbing", "Jazz"]


def test_nobody_else_sees_alices_people(alice, bob, people):
    item = ShareItemFactory(owner=bob, topics=[people["jazz"]])  # even with her interest
    assert selectors.suggestions_for_item(item=item, today=TODAY).people == []


def test_sharing_logs_an_interaction_and_undo_takes_both_back(alice, people):
    ana = people["ana"]
    item = ShareItemFactory(
        owner=alice, title="Jazz piece", url="https://example.com/j", topics=[people["jazz"]]
    )
    share = share_give(item=item, contact=ana, now=NOW, today=TODAY)
    interaction = Interaction.objects.get(owner=alice)
    assert (share.direction, share.item, share.interaction) == ("given", item, interaction)
    assert interaction.kind == Interaction.Kind.SHARED
    assert list(interaction.contacts.all()) == [ana]
    assert "Jazz piece" in interaction.notes and "https://example.com/j" in interaction.notes
    ana.refresh_from_db()
    assert ana.last_interaction_on == TODAY
    share_undo(share=share, today=TODAY)
    assert not Share.objects.exists() and not Interaction.objects.exists()
    ana.refresh_from_db()
    assert ana.last_interaction_on is None


def test_someone_who_got_something_lately_waits_out_the_cooldown(alice, people):
    alice.settings.share_cooldown_days = 14
    alice.settings.save()
    first = ShareItemFactory(owner=alice, topics=[people["jazz"]])
    second = ShareItemFactory(owner=alice, topics=[people["jazz"]])
    share_give(item=first, contact=people["ana"], now=NOW, today=TODAY - dt.timedelta(days=3))
    found = selectors.suggestions_for_item(item=second, today=TODAY)
    assert _names(found.people) == ["Ben Okoro"]
    assert _names(found.cooling) == ["Ana Lima"]
    assert found.cooling[0].again_on == dt.date(2026, 12, 9)
    # The day the cooldown is over, Ana is back (after Ben: she was in touch more lately); on
    # the first item she is not (she has it).
    later = selectors.suggestions_for_item(item=second, today=dt.date(2026, 12, 9))
    assert _names(later.people) == ["Ben Okoro", "Ana Lima"]
    assert _names(selectors.suggestions_for_item(item=first, today=dt.date(2027, 1, 1)).people) == [
        "Ben Okoro"
    ]


def test_a_cooldown_of_zero_suggests_everyone(alice, people):
    alice.settings.share_cooldown_days = 0
    alice.settings.save()
    ShareFactory(contact=people["ana"], shared_on=TODAY)
    item = ShareItemFactory(owner=alice, topics=[people["jazz"]])
    found = selectors.suggestions_for_item(item=item, today=TODAY)
    assert _names(found.people) == ["Ana Lima", "Ben Okoro"] and found.cooling == []


def test_something_received_does_not_count_for_the_cooldown(alice, people):
    share_receive(
        owner=alice, contact=people["ben"], title="A record", url="", now=NOW, today=TODAY
    )
    interaction = Interaction.objects.get()
    assert interaction.initiated_by == Interaction.Initiator.THEM
    item = ShareItemFactory(owner=alice, topics=[people["jazz"]])
    assert "Ben Okoro" in _names(selectors.suggestions_for_item(item=item, today=TODAY).people)


def test_suggestions_take_a_fixed_number_of_queries(alice, people, django_assert_num_queries):
    for n in range(8):
        contact = ContactFactory(owner=alice, name=f"Fan {n}")
        contact.interests.set([people["jazz"]])
        ContactMethod.objects.create(owner=alice, contact=contact, value=f"fan{n}@example.com")
        ShareFactory(contact=contact, shared_on=TODAY - dt.timedelta(days=3 * n))
    item = ShareItemFactory(owner=alice, topics=[people["jazz"], people["climbing"]])
    item = type(item).objects.select_related("owner__settings").get(pk=item.pk)
    # topics, cooling + their topics, people + their topics
    with django_assert_num_queries(5):
        found = selectors.suggestions_for_item(item=item, today=TODAY)
    assert len(found.people) == selectors.SUGGESTION_LIMIT
    assert len(found.cooling) == selectors.COOLING_LIMIT


def test_the_ready_message_names_the_person_and_the_link(alice, people):
    ContactMethod.objects.create(owner=alice, contact=people["ana"], value="ana@example.com")
    item = ShareItemFactory(
        owner=alice, title="Jazz & you", url="https://example.com/?a=1&b=2", note="Page 3!"
    )
    item.topics.set([people["jazz"]])
    ana = selectors.suggestions_for_item(item=item, today=TODAY).people[0]
    assert ana.message.body.startswith("Hi Ana,\n\nI came across this and thought of you: Jazz")
    assert "https://example.com/?a=1&b=2" in ana.message.body and "Page 3!" in ana.message.body
    assert ana.message.mailto.startswith("mailto:ana@example.com?subject=Jazz%20%26%20you&body=")
    assert "&b=2" not in ana.message.mailto  # the link's own & is encoded


def test_the_digest_suggests_the_best_person_for_the_newest_unshared_thing(alice, people):
    assert selectors.share_suggestion_for_digest(owner=alice, today=TODAY) is None
    older = ShareItemFactory(owner=alice, topics=[people["climbing"]])
    newest = ShareItemFactory(owner=alice, topics=[people["jazz"]])
    ShareItemFactory(owner=alice)  # no topics: nobody to suggest
    pick = selectors.share_suggestion_for_digest(owner=alice, today=TODAY)
    assert (pick.item, pick.contact) == (newest, people["ana"])
    assert selectors.share_suggestion_for_digest(owner=alice, today=TODAY) == pick
    # Once the newest was shared, the older one's turn; Ana waits out the cooldown.
    share_give(item=newest, contact=people["ana"], now=NOW, today=TODAY)
    pick = selectors.share_suggestion_for_digest(owner=alice, today=TODAY)
    assert (pick.item, pick.contact) == (older, people["chloe"])
    assert selectors.share_suggestion_for_digest(owner=UserFactory(), today=TODAY) is None


def test_things_for_a_person_best_match_first_without_what_they_got(alice, people):
    jazz_only = ShareItemFactory(owner=alice, title="Jazz only", topics=[people["jazz"]])
    both = ShareItemFactory(owner=alice, title="Both", topics=[people["jazz"], people["climbing"]])
    ShareItemFactory(owner=alice, title="Archived", archived=True, topics=[people["jazz"]])
    ShareItemFactory(owner=alice, title="Unrelated")
    ana = people["ana"]
    assert selectors.items_for_contact(owner=alice, contact=ana, today=TODAY) == [both, jazz_only]
    share_give(item=both, contact=ana, now=NOW, today=TODAY)
    assert selectors.items_for_contact(owner=alice, contact=ana, today=TODAY) == [jazz_only]
    assert selectors.items_for_contact(owner=alice, contact=ana, today=TODAY, limit=0) == []
