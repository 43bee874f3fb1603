"""Things to share: the writes (docs/architecture.md, "Give first" → "Things to share").

Saving a thing (its topics are the owner's interests, folded), the worker's page fetch, sharing it
with a person (a Share plus a "Shared something" interaction, undone together), and what a person
sent you.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from contacts.models import Contact
from contacts.services import interest_get_or_create
from giving.models import Share, ShareItem
from giving.things_fetch import FetchFailed, page_fetch
from interactions.models import Interaction
from interactions.services import interaction_delete, interaction_log

if TYPE_CHECKING:
    from accounts.models import User

MAX_TOPICS = 10


def _enqueue_fetch(item_id: int) -> None:
    from giving.tasks import fetch_share_item

    # After the commit (the worker must find the row); a broker that is down fails nothing.
    transaction.on_commit(partial(fetch_share_item.delay, item_id), robust=True)


@transaction.atomic
def share_item_create(
    *,
    owner: User,
    kind: str,
    url: str = "",
    title: str = "",
    description: str = "",
    note: str = "",
    topic_names: Sequence[str] = (),
) -> ShareItem:
    """Save a thing to share; a link is read by the worker for its title and description (the
    title typed here is kept). Raises contacts.services.InterestLimitReached for a new topic
    past the owner's interest limit."""
    item = ShareItem.objects.create(
        owner=owner,
        kind=kind,
        url=url,
        title=title,
        description=description,
        note=note,
        fetch_state=ShareItem.Fetch.PENDING if url else ShareItem.Fetch.NONE,
    )
    topics = [interest_get_or_create(owner=owner, name=name) for name in topic_names[:MAX_TOPICS]]
    item.topics.set(topics)
    if url:
        _enqueue_fetch(item.pk)
    return item


def share_item_archive(*, item: ShareItem, archived: bool) -> ShareItem:
    item.archived = archived
    item.save(update_fields=["archived", "updated_at"])
    return item


def share_item_fetch(*, item_id: int, now: dt.datetime) -> str:
    """The worker's part: read the link's page, fill the title and description the user left
    empty, and record how it went. Returns the new fetch state ("" when there was nothing to do)."""
    item = ShareItem.objects.filter(pk=item_id, fetch_state=ShareItem.Fetch.PENDING).first()
    if item is None or not item.url:
        return ""
    try:
        info = page_fetch(item.url, allow_private=settings.THINGS_ALLOW_PRIVATE)
    except FetchFailed as error:
        ShareItem.objects.filter(pk=item.pk).update(
            fetch_state=ShareItem.Fetch.FAILED, fetch_error=str(error)[:300], fetched_at=now
        )
        return ShareItem.Fetch.FAILED
    # Conditional updates: a title or description the user wrote meanwhile is never replaced.
    if info.title:
        ShareItem.objects.filter(pk=item.pk, title="").update(title=info.title)
    if info.description:
        ShareItem.objects.filter(pk=item.pk, description="").update(description=info.description)
    ShareItem.objects.filter(pk=item.pk).update(
        fetch_state=ShareItem.Fetch.DONE, fetch_error="", fetched_at=now
    )
    return ShareItem.Fetch.DONE


def _note(title: str, url: str, prefix: str) -> str:
    return "\n".join(part for part in (f"{prefix}: {title}" if title else prefix, url) if part)


@transaction.atomic
def share_give(*, item: ShareItem, contact: Contact, now: dt.datetime, today: dt.date) -> Share:
    """You sent ``item`` to ``contact``: a Share (given) and a "Shared something" interaction,
    which counts as being in touch."""
    if item.owner_id != contact.owner_id:
        raise ValueError("The item and the person belong to different users.")
    title = str(item)[:300]
    interaction = interaction_log(
        owner=item.owner,
        contacts=[contact],
        kind=Interaction.Kind.SHARED,
        occurred_at=now,
        today=today,
        notes=_note(title, item.url, "Sent"),
        initiated_by=Interaction.Initiator.ME,
    )
    return Share.objects.create(
        owner=item.owner,
        item=item,
        contact=contact,
        interaction=interaction,
        direction=Share.Direction.GIVEN,
        title=title,
        url=item.url,
        shared_on=today,
    )


@transaction.atomic
def share_receive(
    *, owner: User, contact: Contact, title: str, url: str, now: dt.datetime, today: dt.date
) -> Share:
    """``contact`` sent you something: a Share (received) and a "Shared something" interaction
    they started."""
    interaction = interaction_log(
        owner=owner,
        contacts=[contact],
        kind=Interaction.Kind.SHARED,
        occurred_at=now,
        today=today,
        notes=_note(title, url, "They sent"),
        initiated_by=Interaction.Initiator.THEM,
    )
    return Share.objects.create(
        owner=owner,
        contact=contact,
        interaction=interaction,
        direction=Share.Direction.RECEIVED,
        title=title,
        url=url,
        shared_on=today,
    )


@transaction.atomic
def share_undo(*, share: Share, today: dt.date) -> None:
    """Take a share back: the share and the interaction it logged (due dates follow)."""
    interaction = share.interaction
    share.delete()
    if interaction is not None:
        interaction_delete(interaction=interaction, today=today)
