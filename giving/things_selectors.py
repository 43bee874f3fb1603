"""Reads about things to share, for this app's pages and for the apps above (the digest's line,
the brief)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from contacts.models import Contact, ContactMethod, Interest
from giving.models import Share, ShareItem
from network_crm.dates import format_date
from network_crm.reversing import url_to

if TYPE_CHECKING:
    from accounts.models import User

SUGGESTION_LIMIT = 5
COOLING_LIMIT = 3
DIGEST_ITEMS_LOOKED_AT = 5
SHARED_ON_PAGE = 10


@dataclass(frozen=True)
class ShareSuggestion:
    item: ShareItem
    contact: Contact


@dataclass(frozen=True)
class Suggestions:
    """Who would enjoy an item: ``people`` to share with now (best first); ``cooling``: people who
    match but got something within the cooldown (each with ``last_given_on``, ``again_on``)."""

    people: list[Contact]
    cooling: list[Contact]
    cooldown_days: int


@dataclass(frozen=True)
class ShareMessage:
    """A ready message about ``item`` for one person: to copy, or to open in the mail app."""

    subject: str
    body: str
    mailto: str


def share_message(*, item: ShareItem, contact: Contact, email: str = "") -> ShareMessage:
    first_name = (contact.nickname or contact.name).split()[0] if contact.name.strip() else ""
    subject = item.title or "Something I thought you'd like"
    lines = [f"Hi {first_name}," if first_name else "Hi,", ""]
    lines.append(
        f"I came across this and thought of you: {item.title}"
        if item.title
        else "I came across this and thought of you:"
    )
    if item.url:
        lines.append(item.url)
    if item.note:
        lines += ["", item.note]
    body = "\n".join(lines)
    query = f"subject={quote(subject)}&body={quote(body)}"
    return ShareMessage(subject, body, f"mailto:{quote(email, safe='@+')}?{query}")


def items_for_list(*, owner: User) -> QuerySet[ShareItem]:
    """The owner's things, newest first, with their topics and how many people got each."""
    return (
        ShareItem.objects.filter(owner=owner, archived=False)
        .annotate(given_count=Count("shares", filter=Q(shares__direction=Share.Direction.GIVEN)))
        .prefetch_related(Prefetch("topics", queryset=Interest.objects.order_by("folded_name")))
        .order_by("-created_at", "-pk")
    )


def _matching_people(*, owner: User, topic_ids: list[int]) -> QuerySet[Contact]:
    """Active people with any of the topics, each with ``matched`` (how many), ``last_given_on``
    (the last thing you sent them), ``email`` (their first address) and ``matched_topics``."""
    last_given = Share.objects.filter(
        contact=OuterRef("pk"), direction=Share.Direction.GIVEN
    ).order_by("-shared_on")
    first_email = ContactMethod.objects.filter(
        contact=OuterRef("pk"), kind=ContactMethod.Kind.EMAIL
    ).order_by("position", "pk")
    return (
        Contact.objects.filter(owner=owner)
        .active()
        .filter(interests__in=topic_ids)
        .annotate(
            matched=Count("interests", distinct=True),
            last_given_on=Subquery(last_given.values("shared_on")[:1]),
            email=Subquery(first_email.values("value")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "interests",
                queryset=Interest.objects.filter(pk__in=topic_ids).order_by("folded_name"),
                to_attr="matched_topics",
            )
        )
    )


def _best_first(people: QuerySet[Contact]) -> QuerySet[Contact]:
    # Most topics in common, then longest since you were last in touch (never first).
    return people.order_by(
        F("matched").desc(), F("last_interaction_on").asc(nulls_first=True), "sort_name", "pk"
    )


def suggestions_for_item(*, item: ShareItem, today: dt.date) -> Suggestions:
    """Who would enjoy ``item``: people whose interests match its topics, never those who got
    it already, and not those who got anything within the owner's cooldown (listed apart)."""
    cooldown = item.owner.settings.share_cooldown_days
    topic_ids = [topic.pk for topic in item.topics.all()]
    if not topic_ids:
        return Suggestions([], [], cooldown)
    already = Share.objects.filter(item=item, direction=Share.Direction.GIVEN).values("contact")
    people = _matching_people(owner=item.owner, topic_ids=topic_ids).exclude(pk__in=already)
    cutoff = today - dt.timedelta(days=cooldown)
    eligible = people.filter(Q(last_given_on__isnull=True) | Q(last_given_on__lte=cutoff))
    cooling = people.filter(last_given_on__gt=cutoff) if cooldown else people.none()
    cooling_list = list(_best_first(cooling)[:COOLING_LIMIT])
    for contact in cooling_list:
        contact.again_on = contact.last_given_on + dt.timedelta(days=cooldown)
    people = list(_best_first(eligible)[:SUGGESTION_LIMIT])
    for contact in people:
        contact.message = share_message(item=item, contact=contact, email=contact.email or "")
    return Suggestions(people, cooling_list, cooldown)


def shares_of_item(*, item: ShareItem) -> QuerySet[Share]:
    """Who got ``item``, newest first."""
    return (
        item.shares.filter(direction=Share.Direction.GIVEN)
        .select_related("contact")
        .order_by("-shared_on", "-pk")[:50]
    )


def shared_with_contact(*, contact: Contact, limit: int = SHARED_ON_PAGE) -> list[Share]:
    """What you sent ``contact`` and what they sent you, newest first (capped)."""
    return list(
        Share.objects.filter(owner=contact.owner, contact=contact)
        .select_related("item")
        .order_by("-shared_on", "-pk")[:limit]
    )


def shared_on_page(*, contact: Contact, limit: int = SHARED_ON_PAGE) -> list[dict]:
    """``shared_with_contact`` as rows for a person's page (one raw statement: the ORM's Python
    cost of the query was ten times its SQL, issue 21): each share's
    direction, title, the link (the thing's page for one you sent, else its URL) and day."""
    with connection.cursor() as cursor:
        cursor.execute(_SHARED_SQL, [contact.owner_id, contact.pk, limit])
        rows = cursor.fetchall()
    return [
        {
            "direction": direction,
            "title": title,
            "text": title or url,
            "url": url_to("things:detail", item_id)
            if item_id and direction == Share.Direction.GIVEN
            else url,
            "external": not (item_id and direction == Share.Direction.GIVEN),
            "shared_on": format_date(shared_on, "long"),
        }
        for item_id, direction, title, url, shared_on in rows
    ]


def things_on_page(*, contact: Contact, limit: int = 3) -> list[dict]:
    """``items_for_contact`` for a person's page, in one raw statement: the same things in the
    same order (tests/giving/things/test_contact_page_things.py compares them), as links."""
    owner = contact.owner_id
    params = [owner, False, contact.pk, owner, contact.pk, Share.Direction.GIVEN, limit]
    with connection.cursor() as cursor:
        cursor.execute(_THINGS_SQL, params)
        rows = cursor.fetchall()
    return [
        {"pk": pk, "url": url_to("things:detail", pk), "text": title or url or f"Note {pk}"}
        for pk, title, url in rows
    ]


_q = connection.ops.quote_name
_SHARED_SQL = (
    "SELECT item_id, direction, title, url, shared_on "
    f"FROM {_q(Share._meta.db_table)} WHERE owner_id = %s AND contact_id = %s "
    "ORDER BY shared_on DESC, id DESC LIMIT %s"
)
_THINGS_SQL = (
    "SELECT s.id, s.title, s.url FROM ("
    "SELECT s.id, s.title, s.url, s.created_at, COUNT(DISTINCT t.interest_id) AS matched "
    f"FROM {_q(ShareItem._meta.db_table)} s "
    f"JOIN {_q(ShareItem.topics.through._meta.db_table)} t ON t.shareitem_id = s.id "
    "WHERE s.owner_id = %s AND s.archived = %s AND t.interest_id IN ("
    f"SELECT interest_id FROM {_q(Contact.interests.through._meta.db_table)} "
    "WHERE contact_id = %s) AND s.id NOT IN ("
    f"SELECT item_id FROM {_q(Share._meta.db_table)} WHERE owner_id = %s AND contact_id = %s "
    "AND direction = %s AND item_id IS NOT NULL) "
    "GROUP BY s.id, s.title, s.url, s.created_at) s "
    "ORDER BY s.matched DESC, s.created_at DESC, s.id DESC LIMIT %s"
)


def share_suggestion_for_digest(*, owner: User, today: dt.date) -> ShareSuggestion | None:
    """At most one "something to share with …" for the day's digest (None: nothing fits): the
    best person for the newest thing nobody got yet (of the last few saved with topics),
    respecting the cooldown. The same data gives the same answer."""
    unshared = (
        ShareItem.objects.filter(owner=owner, archived=False, topics__isnull=False)
        .exclude(shares__direction=Share.Direction.GIVEN)
        .distinct()
        .order_by("-created_at", "-pk")[:DIGEST_ITEMS_LOOKED_AT]
    )
    for item in unshared:
        people = suggestions_for_item(item=item, today=today).people
        if people:
            return ShareSuggestion(item=item, contact=people[0])
    return None


def items_for_contact(
    *, owner: User, contact: Contact, today: dt.date, limit: int = 3
) -> list[ShareItem]:
    """Saved things this person would enjoy (their interests match the topics), best first:
    most topics in common, then newest; things they already got are left out."""
    interest_ids = contact.interests.values("pk")
    given = Share.objects.filter(
        owner=owner, contact=contact, direction=Share.Direction.GIVEN, item__isnull=False
    ).values("item")
    return list(
        ShareItem.objects.filter(owner=owner, archived=False, topics__in=interest_ids)
        .exclude(pk__in=given)
        .annotate(matched=Count("topics", distinct=True))
        .order_by("-matched", "-created_at", "-pk")[:limit]
    )
