"""Radicale's storage over our models: what a DAV client sees of one owner's account.

The tree is fixed and belongs to the request's owner (dav.context): the root, their principal
``/<email>/``, the address book ``/<email>/contacts/`` (cards from ``dav.models.Card``, whose
contact the card writer keeps) and the read-only calendar ``/<email>/calendar/`` (events from
``dav.calendar``). Radicale asks for items in bulk (a PROPFIND of depth 1 lists every card), so
items are lazy: an item knows its etag (``Card.fingerprint``) and uid without rendering, and its
text is made only when a response carries it (docs/architecture.md, "Sync with phones")."""

from __future__ import annotations

import contextlib
import email.utils
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from radicale import item as radicale_item
from radicale import pathutils, storage

from contacts.models import Contact
from dav import calendar as dav_calendar
from dav import context
from dav import services as dav_services
from dav import sync as dav_sync
from dav.cards import VCARD_3, card_render, contacts_for_cards
from dav.models import CalendarEntry, Card, DeviceSync, SyncCollection

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from accounts.models import User

ADDRESSBOOK = "contacts"
CALENDAR = "calendar"
DISPLAY_NAME = "network-crm"


def http_date(moment: dt.datetime | None) -> str:
    return email.utils.format_datetime(moment or context.require().now, usegmt=True)


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


class LazyItem(radicale_item.Item):
    """An address book card or calendar event whose text is rendered on first use."""

    def __init__(
        self,
        *,
        collection: storage.BaseCollection,
        href: str,
        etag: str,
        uid: str,
        name: str,
        component_name: str,
        last_modified: str,
        render: Callable[[], str],
    ):
        # Not Item.__init__: it wants the text or a parsed object up front.
        self.collection = collection
        self._collection_path = collection.path
        self.href = href
        self.last_modified = last_modified
        self._etag = etag
        self._uid = uid
        self._name = name
        self._component_name = component_name
        self._render = render
        self._text: str | None = None
        self._vobject_item = None
        self._time_range = None

    def _rendered(self) -> str:
        if self._text is None:
            self._text = self._render()
        return self._text

    def serialize(self) -> str:
        if self._text is None and context.require().etag_only:
            return ""  # radicale.app.report asks even when only the etag goes out
        return self._rendered()

    @property
    def vobject_item(self):
        if self._vobject_item is None:
            self._vobject_item = radicale_item.read_components(self._rendered())[0]
        return self._vobject_item


class Collection(storage.BaseCollection):
    def __init__(self, path: str, meta: Mapping[str, str] | None = None):
        self._path = path
        self._meta = dict(meta or {})

    @property
    def path(self) -> str:
        return self._path

    def get_meta(self, key: str | None = None):
        return dict(self._meta) if key is None else self._meta.get(key)

    def set_meta(self, props: Mapping[str, str]) -> None:
        # A PROPPATCH (a client renaming the address book, say) is accepted and not kept: the
        # collections are the app's, not the device's.
        return None

    @property
    def last_modified(self) -> str:
        return http_date(None)

    def get_multi(self, hrefs: Iterable[str]):
        return ((href, None) for href in hrefs)

    def get_all(self):
        return iter(())

    def has_uid(self, uid: str) -> bool:
        return False

    def upload(self, href, item):
        raise ValueError("This collection holds no items")

    def delete(self, href=None) -> None:
        raise ValueError("This collection cannot be changed")


class _OwnedCollection(Collection):
    """The address book or the calendar: a leaf with a change log behind its tokens."""

    kind: str

    def __init__(self, path: str, meta: Mapping[str, str], request: context.DavRequest):
        super().__init__(path, meta)
        self.request = request
        self.account: User = request.owner
        self._refresh()
        self._seq = (
            SyncCollection.objects.filter(owner=self.account, kind=self.kind)
            .values_list("seq", flat=True)
            .first()
            or 0
        )

    def _refresh(self) -> None:
        raise NotImplementedError

    @property
    def etag(self) -> str:
        # The CTag: it moves exactly when the change log does.
        return f'"{self.kind}-{self._seq}"'

    def sync(self, old_token: str = "") -> tuple[str, Iterable[str]]:
        had = None
        if old_token:
            try:
                had = dav_sync.sync_token_seq(kind=self.kind, token=old_token)
                seq, hrefs = dav_sync.changes_since(owner=self.account, kind=self.kind, seq=had)
            except dav_sync.InvalidToken as error:
                # Radicale answers a ValueError with DAV:valid-sync-token (RFC 6578 3.2).
                raise ValueError(f"Not a sync token of this collection: {old_token!r}") from error
        else:
            # Lazy: a PROPFIND of the sync-token property never reads the names.
            seq, hrefs = self._seq, self._all_hrefs()
        if self.request.method == "REPORT":
            # A sync-collection report, not a PROPFIND of the sync-token property (which only
            # asks whether anything changed).
            self.record_listed(had=had, seq=seq)
        return dav_sync.sync_token(kind=self.kind, seq=seq), hrefs

    def _all_hrefs(self) -> Iterator[str]:
        for item in self.get_all():
            yield item.href

    def record_listed(self, *, had: int | None = None, seq: int | None = None) -> None:
        """Note how far this device has read: it lists up to ``seq`` now and, until its next
        listing, writes against what it had before (``had``: the token it sent, else its
        previous listing). That is the base of the card writer's three-way merge
        (dav.services): a device that lists, finds a card changed on both sides and sends its
        own must be merged against the version it last fetched, not the one just listed."""
        row = DeviceSync.objects.filter(
            app_password=self.request.app_password, kind=self.kind
        ).first()
        if had is None:
            had = (row.listed_seq if row.listed_seq is not None else row.seq) if row else 0
        DeviceSync.objects.update_or_create(
            owner=self.account,
            app_password=self.request.app_password,
            kind=self.kind,
            defaults={"seq": had, "listed_seq": self._seq if seq is None else seq},
        )


class AddressBook(_OwnedCollection):
    kind = SyncCollection.Kind.CARDS
    _all: dict[str, LazyItem] | None = None

    def _refresh(self) -> None:
        if self.kind not in self.request.refreshed:
            dav_sync.addressbook_refresh(owner=self.account, now=self.request.now)
            self.request.refreshed.add(self.kind)

    @property
    def last_modified(self) -> str:
        latest = Card.objects.filter(owner=self.account).aggregate(Max("updated_at"))
        return http_date(latest["updated_at__max"])

    def _cards(self):
        # What a listing needs; the kept lines (``extra``) are read only to render.
        return Card.objects.filter(owner=self.account, deleted=False).only(
            "href", "uid", "fingerprint", "updated_at", "contact_id"
        )

    def _items(self, cards: list[Card]) -> Iterator[LazyItem]:
        contacts: dict[int, Contact] = {}
        extras: dict[int, str] = {}

        def load() -> None:
            # Every card of the batch at once: a multiget or a query renders them all.
            if not contacts:
                ids = [card.contact_id for card in cards if card.contact_id]
                qs = Contact.objects.filter(owner=self.account, pk__in=ids)
                contacts.update((contact.pk, contact) for contact in contacts_for_cards(qs))
                rows = Card.objects.filter(owner=self.account, contact_id__in=ids)
                extras.update(rows.values_list("contact_id", "extra"))

        version = self.request.vcard_version
        suffix = "-3" if version == VCARD_3 else ""
        for card in cards:

            def render(card: Card = card) -> str:
                load()
                contact = contacts.get(card.contact_id)
                if contact is None:  # removed since the refresh, inside this request
                    raise ValueError(f"The card {card.href!r} has no contact")
                return card_render(contact, extra=extras.get(card.contact_id, ""), version=version)

            yield LazyItem(
                collection=self,
                href=card.href,
                etag=f'"{card.fingerprint}{suffix}"',
                uid=card.uid,
                name="VCARD",
                component_name="",
                last_modified=http_date(card.updated_at),
                render=render,
            )

    def get_all(self) -> Iterator[LazyItem]:
        if self._all is None:
            cards = list(self._cards().order_by("pk"))
            self._all = {item.href: item for item in self._items(cards)}
        return iter(list(self._all.values()))

    def get_multi(self, hrefs: Iterable[str]):
        wanted = list(dict.fromkeys(hrefs))
        if self._all is not None:  # a first sync: the names just listed, asked for again
            found = self._all
        else:
            cards = list(self._cards().filter(href__in=wanted))
            found = {item.href: item for item in self._items(cards)}
        return ((href, found.get(href)) for href in wanted)

    def get_filtered(self, filters):
        # A card has no time range; Radicale tests each one against the filter itself, which
        # renders it. A filter without conditions matches every card (RFC 6352 10.5; DAVx5
        # lists that way where sync-collection is missing): nothing to render then.
        everything = all(len(f) == 0 for f in filters)
        return ((item, everything) for item in self.get_all())

    def has_uid(self, uid: str) -> bool:
        return self._cards().filter(uid=uid).exists()

    def upload(self, href: str, item: radicale_item.Item):
        replaced = dict(self.get_multi([href]))[href]
        card = (
            Card.objects.filter(owner=self.account, href=href, deleted=False)
            .select_related("contact")
            .first()
        )
        text = self.request.put_text if self.request.put_text is not None else item.serialize()
        try:
            dav_services.card_put(
                owner=self.account,
                href=href,
                text=text,
                card=card,
                app_password=self.request.app_password,
                now=self.request.now,
            )
        except dav_services.CardRejected as error:
            raise ValueError(error.message) from error
        self._all = None
        uploaded = dict(self.get_multi([href]))[href]
        self.request.stored_as_sent = _same_text(uploaded._rendered(), text)
        return uploaded, replaced

    def delete(self, href: str | None = None) -> None:
        if href is None:
            raise ValueError("The address book itself cannot be deleted")
        card = Card.objects.filter(owner=self.account, href=href, deleted=False).first()
        if card is None:
            raise storage.ComponentNotFoundError(href)
        dav_services.card_remove(owner=self.account, card=card, now=self.request.now)


class Calendar(_OwnedCollection):
    kind = SyncCollection.Kind.CALENDAR

    def _refresh(self) -> None:
        if self.kind not in self.request.refreshed:
            dav_sync.calendar_refresh(owner=self.account, now=self.request.now)
            self.request.refreshed.add(self.kind)
        self._texts: dict[str, str] | None = None

    def _text(self, href: str) -> str:
        if self._texts is None:
            self._texts = dav_calendar.calendar_items(owner=self.account, now=self.request.now)
        if href not in self._texts:
            raise ValueError(f"The event {href!r} is no longer in the calendar")
        return self._texts[href]

    def _items(self, entries: Iterable[CalendarEntry]) -> Iterator[LazyItem]:
        for entry in entries:
            yield LazyItem(
                collection=self,
                href=entry.href,
                etag=f'"{entry.fingerprint}"',
                uid=entry.href.removesuffix(".ics"),
                name="VCALENDAR",
                component_name="VEVENT",
                last_modified=http_date(None),
                render=lambda href=entry.href: self._text(href),
            )

    def _entries(self):
        return CalendarEntry.objects.filter(owner=self.account, deleted=False)

    def get_all(self) -> Iterator[LazyItem]:
        return self._items(self._entries().order_by("pk"))

    def get_multi(self, hrefs: Iterable[str]):
        wanted = list(dict.fromkeys(hrefs))
        found = {item.href: item for item in self._items(self._entries().filter(href__in=wanted))}
        return ((href, found.get(href)) for href in wanted)

    def has_uid(self, uid: str) -> bool:
        return self._entries().filter(href=f"{uid}.ics").exists()


class Storage(storage.BaseStorage):
    """Loaded by Radicale as ``[storage] type = dav.radicale_storage``."""

    # Paths are ours (emails, card hrefs with ":" in a "urn:uuid:" UID): no filesystem rules.
    _supports_unicode = True
    _supports_problematic_chars = True

    def discover(self, path: str, depth: str = "0", child_context_manager=None, user_groups=None):
        # A generator: Radicale takes only the first result of most lookups, so a principal's
        # children (and their refresh) are made only when a listing asks for them.
        request = context.require()
        parts = [part for part in pathutils.strip_path(path).split("/") if part]
        principal = request.owner.email
        if not parts:
            yield Collection("")
            if depth != "0":
                yield Collection(principal)
            return
        if parts[0].lower() != principal:
            return
        if len(parts) == 1:
            yield Collection(principal)
            if depth != "0":
                yield self._collection(principal, ADDRESSBOOK, request)
                yield self._collection(principal, CALENDAR, request)
            return
        collection = self._collection(principal, parts[1], request)
        if collection is None or len(parts) > 3:
            return
        if len(parts) == 2:
            yield collection
            if depth != "0":
                # A listing with every etag (how vdirsyncer and older clients sync).
                collection.record_listed()
                yield from collection.get_all()
            return
        item = dict(collection.get_multi([parts[2]]))[parts[2]]
        if item is not None:
            yield item

    @staticmethod
    def _collection(principal: str, name: str, request: context.DavRequest):
        path = f"{principal}/{name}"
        if name == ADDRESSBOOK:
            return AddressBook(
                path,
                {
                    "tag": "VADDRESSBOOK",
                    "D:displayname": DISPLAY_NAME,
                    "CR:addressbook-description": "People in network-crm",
                },
                request,
            )
        if name == CALENDAR:
            return Calendar(
                path,
                {
                    "tag": "VCALENDAR",
                    "D:displayname": DISPLAY_NAME,
                    "C:calendar-description": "Birthdays, yearly dates and reminders",
                    "C:supported-calendar-component-set": "VEVENT",
                },
                request,
            )
        return None

    def move(self, item, to_collection, to_href) -> None:
        raise ValueError("Cards keep their address")

    def create_collection(self, href, items=None, props=None):
        raise ValueError("The collections are fixed")

    @contextlib.contextmanager
    def acquire_lock(self, mode: str, user: str = "", *args, **kwargs):
        # A write (PUT, DELETE) is one transaction; reads need no lock of ours.
        if mode == "w":
            with transaction.atomic():
                yield
        else:
            yield

    def verify(self) -> bool:
        return True
