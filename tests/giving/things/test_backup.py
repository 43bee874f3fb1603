"""Things to share and shares travel in the JSON backup and come back (portability/backup.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from giving.models import Share, ShareItem
from giving.things import share_give
from portability.backup import backup_json, backup_restore
from tests.giving.things.factories import ShareItemFactory

pytestmark = pytest.mark.django_db


def test_things_topics_and_shares_survive_a_backup_and_restore(alice, bob, people):
    item = ShareItemFactory(
        owner=alice, title="Jazz & <you>", url="https://example.com/j", note="Why", archived=True
    )
    item.topics.set([people["jazz"], people["climbing"]])
    now = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
    share_give(item=item, contact=people["ana"], now=now, today=dt.date(2026, 11, 28))
    data = json.loads("".join(backup_json(owner=alice)))
    assert [row["title"] for row in data["share_items"]] == ["Jazz & <you>"]
    assert len(data["share_item_topics"]) == 2 and len(data["shares"]) == 1

    backup_restore(owner=bob, data=data)
    restored = ShareItem.objects.get(owner=bob)
    assert (restored.title, restored.url, restored.note, restored.archived) == (
        "Jazz & <you>",
        "https://example.com/j",
        "Why",
        True,
    )
    assert restored.fetch_state == ShareItem.Fetch.NONE  # not read again
    assert sorted(topic.name for topic in restored.topics.all()) == ["Climbing", "Jazz"]
    assert {topic.owner_id for topic in restored.topics.all()} == {bob.pk}
    share = Share.objects.get(owner=bob)
    assert (share.item, share.contact.name, share.shared_on) == (
        restored,
        "Ana Lima",
        dt.date(2026, 11, 28),
    )
    assert share.interaction.owner == bob and share.interaction.kind == "shared"
