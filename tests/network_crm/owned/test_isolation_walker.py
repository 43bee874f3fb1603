"""Walk every URL pattern that takes an object id, as bob against alice's objects.

Every such pattern must be listed in OBJECT_ROUTES (or be an admin object URL, covered
automatically for every registered model): a new view that takes an id and is not listed here
makes this test fail, so it cannot ship without its isolation check.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AppPassword, Invitation
from accounts.services import app_password_create
from api.models import ApiToken, Webhook
from api.services.tokens import api_token_create
from contacts.models import BulkChange, Circle, Contact, Interest
from contacts.services import contacts_bulk_edit
from dav.models import CardConflict
from giving.models import Introduction, Share, ShareItem
from interactions.models import Interaction, PlannedInteraction
from notify.models import Channel, Delivery, PushSubscription
from portability.models import ImportBatch, Merge
from reminders.models import Digest, Reminder, RhythmStretch
from tests.factories import (
    CircleFactory,
    ContactFactory,
    InteractionFactory,
    InterestFactory,
)

# URL name -> for each id in the URL, the kind of alice's object it refers to.
OBJECT_ROUTES = {
    "contacts:detail": {"pk": Contact},
    "contacts:edit": {"pk": Contact},
    "contacts:edit_row": {"pk": Contact},
    "contacts:snooze": {"pk": Contact},
    "contacts:fine": {"pk": Contact},
    "contacts:undo": {"pk": Contact},
    "contacts:archive": {"pk": Contact},
    "contacts:delete": {"pk": Contact},
    "contacts:introducer": {"pk": Contact},
    "contacts:photo": {"pk": Contact},
    "contacts:photo_upload": {"pk": Contact},
    "contacts:interest_add": {"pk": Contact},
    "contacts:interest_remove": {"pk": Contact, "interest_pk": Interest},
    "contacts:bulk_undo": {"pk": BulkChange},
    "portability:import_detail": {"pk": ImportBatch},
    "portability:merge": {"pk": Contact, "other_pk": Contact},
    "portability:merge_undo": {"pk": Merge},
    "portability:import_confirm": {"pk": ImportBatch},
    "portability:import_mapping": {"pk": ImportBatch},
    "portability:import_undo": {"pk": ImportBatch},
    "contacts:circle_edit": {"pk": Circle},
    "contacts:circle_delete": {"pk": Circle},
    "interactions:log": {"contact_pk": Contact},
    "interactions:create": {"contact_pk": Contact},
    "interactions:edit": {"pk": Interaction},
    "interactions:delete": {"pk": Interaction},
    "reminders:done": {"pk": Reminder},
    "reminders:undo_done": {"pk": Reminder},
    "dav_settings:device_new": {"pk": AppPassword},
    "dav_settings:device_profile": {"pk": AppPassword},
    "dav_settings:device_revoke": {"pk": AppPassword},
    "dav_conflicts:settle": {"pk": CardConflict},
    "api_tokens:token_new": {"pk": ApiToken},
    "api_tokens:token_revoke": {"pk": ApiToken},
    "api_webhooks:detail": {"pk": Webhook},
    "api_webhooks:rotate": {"pk": Webhook},
    "api_webhooks:delete": {"pk": Webhook},
    "introductions:detail": {"pk": Introduction},
    "introductions:step": {"pk": Introduction},
    "introductions:delete": {"pk": Introduction},
    "brief:contact": {"contact_id": Contact},
    "notify_channels:edit": {"pk": Channel},
    "notify_channels:test": {"pk": Channel},
    "notify_channels:switch": {"pk": Channel},
    "notify_channels:delete": {"pk": Channel},
    "notify_push:test": {"pk": PushSubscription},
    "notify_push:remove": {"pk": PushSubscription},
    "rhythm:undo": {"pk": RhythmStretch},
    "plans:edit": {"pk": PlannedInteraction},
    "plans:log": {"pk": PlannedInteraction},
    "plans:unlog": {"pk": PlannedInteraction},
    "plans:dismiss": {"pk": PlannedInteraction},
    "plans:restore": {"pk": PlannedInteraction},
    "plans:promise": {"pk": Interaction},
    "plans:for_contact": {"pk": Contact},
    "things:detail": {"pk": ShareItem},
    "things:share": {"pk": ShareItem, "contact_pk": Contact},
    "things:archive": {"pk": ShareItem},
    "things:share_undo": {"pk": Share},
    "things:received": {"contact_pk": Contact},
}
ID_KWARGS = {"pk", "contact_pk", "interest_pk", "other_pk", "object_id", "contact_id"}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if namespace and entry.namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or "<unnamed>"
            if namespace:
                name = f"{namespace}:{name}"
            yield name, prefix + str(entry.pattern), set(entry.pattern.converters)


def id_taking_routes() -> list[tuple[str | None, str]]:
    return [
        (name, route) for name, route, converters in _walk(get_resolver()) if converters & ID_KWARGS
    ]


def test_every_id_taking_route_is_covered():
    uncovered = [
        (name, route)
        for name, route in id_taking_routes()
        if name not in OBJECT_ROUTES and not (name or "").startswith("admin:")
    ]
    assert uncovered == [], f"Add these routes to OBJECT_ROUTES in {__file__}: {uncovered}"


@pytest.fixture
def alice_objects(alice):
    circle = CircleFactory(owner=alice, name="Close friends", cadence_days=14)
    interest = InterestFactory(owner=alice, name="Jazz")
    contact = ContactFactory(
        owner=alice, name="Amara Diallo", circle=circle, next_reach_out_on=dt.date(2026, 1, 1)
    )
    contact.interests.add(interest)
    interaction = InteractionFactory(owner=alice, contacts=[contact], notes="private notes")
    reminder = Reminder.objects.create(
        owner=alice, contact=contact, kind=Reminder.Kind.REACH_OUT, due_on=dt.date(2026, 1, 1)
    )
    digest = Digest.objects.create(owner=alice, local_date=dt.date(2026, 1, 1))
    invitation = Invitation.objects.create(owner=alice, email="friend@example.com")
    change = contacts_bulk_edit(owner=alice, contact_ids=[contact.pk], action="pause")
    batch = ImportBatch.objects.create(owner=alice, kind="vcard", text="BEGIN:VCARD")
    twin = ContactFactory(owner=alice, name="Amara Diallo")
    merge = Merge.objects.create(owner=alice, survivor=twin, merged_name="Old Amara", snapshot={})
    app_password, _ = app_password_create(owner=alice, name="Alice's phone")
    api_token, _ = api_token_create(owner=alice, name="Alice's script")
    conflict = CardConflict.objects.create(
        owner=alice, contact=contact, field="notes", device_value='"x"', replaced_value='"y"'
    )
    webhook = Webhook.objects.create(
        owner=alice, url="https://example.com/hook", events=["contact.created"], secret="s" * 64
    )
    # Notifications (issue 19): shown read-only in the admin (notify/admin.py).
    channel = Channel.objects.create(
        owner=alice, name="Phone", scheme="ntfys", url_encrypted="x", url_hint="ntfys://ntfy.sh/a"
    )
    device = PushSubscription.objects.create(
        owner=alice, endpoint="https://push.example.com/alice", p256dh="p", auth="a"
    )
    delivery = Delivery.objects.create(
        owner=alice,
        digest=digest,
        channel=channel,
        title="t",
        body="b",
        next_attempt_at=digest.created_at,
    )
    # Don't hound (issue 20): a stretched rhythm and its Undo.
    stretch = RhythmStretch.objects.create(
        owner=alice,
        contact=contact,
        previous_cadence_days=None,
        new_cadence_days=18,
        stretched_on=dt.date(2026, 1, 1),
    )
    introduction = Introduction.objects.create(owner=alice, person_a=contact, person_b=twin)
    planned = PlannedInteraction.objects.create(
        owner=alice, starts_at=dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC), place="Alice's café"
    )
    planned.contacts.add(contact)
    # Things to share (issue 20).
    share_item = ShareItem.objects.create(
        owner=alice, title="Alice's link", url="https://a.example"
    )
    share_item.topics.add(interest)
    share = Share.objects.create(
        owner=alice,
        item=share_item,
        contact=contact,
        title="Alice's link",
        shared_on=dt.date(2026, 1, 2),
    )
    return {
        RhythmStretch: stretch,
        Introduction: introduction,
        PlannedInteraction: planned,
        ShareItem: share_item,
        Share: share,
        Channel: channel,
        PushSubscription: device,
        Delivery: delivery,
        Webhook: webhook,
        Contact: contact,
        Circle: circle,
        Interest: interest,
        Interaction: interaction,
        Reminder: reminder,
        Digest: digest,
        Invitation: invitation,
        BulkChange: change,
        ImportBatch: batch,
        Merge: merge,
        AppPassword: app_password,
        CardConflict: conflict,
        ApiToken: api_token,
    }


def _snapshot(objects) -> dict:
    snap = {}
    for model, obj in objects.items():
        fresh = model.objects.get(pk=obj.pk)
        snap[model.__name__] = model_to_dict(fresh)
    snap["interaction_count"] = Interaction.objects.count()
    snap["alice_interests"] = sorted(
        Contact.interests.through.objects.values_list("contact_id", "interest_id")
    )
    snap["contact_count"] = Contact.objects.count()
    return snap


HOSTILE_POST = {
    "name": "Hacked",
    "kind": "coffee",
    "occurred_on": "2026-01-02",
    "days": "30",
    "notes": "written by bob",
    "cadence_days": "1",
    "post": "yes",  # admin delete confirmation
}


@pytest.mark.django_db
def test_bob_gets_404_on_alices_objects(client, bob, alice_objects):
    client.force_login(bob)
    before = _snapshot(alice_objects)
    checked = []
    for name, _route in id_taking_routes():
        if (name or "").startswith("admin:"):
            continue
        kwargs = {kwarg: alice_objects[model].pk for kwarg, model in OBJECT_ROUTES[name].items()}
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url, HOSTILE_POST if method == "post" else None)
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url}: {response.status_code}"
            )
            # htmx requests must not leak either.
            response = getattr(client, method)(
                url, HOSTILE_POST if method == "post" else None, headers={"HX-Request": "true"}
            )
            assert response.status_code in (404, 405), f"htmx {method.upper()} {url}"
        checked.append(name)
    assert set(checked) == set(OBJECT_ROUTES)
    assert _snapshot(alice_objects) == before


@pytest.mark.django_db
@pytest.mark.parametrize("bob_is_superuser", [False, True])
def test_admin_refuses_alices_objects_even_to_a_superuser(
    client, bob, alice_objects, bob_is_superuser
):
    bob.is_superuser = bob_is_superuser
    bob.save()
    client.force_login(bob)
    before = _snapshot(alice_objects)
    covered = set()
    for model in admin.site._registry:
        if model not in alice_objects:
            continue
        obj = alice_objects[model]
        opts = model._meta
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
            for method in ("get", "post"):
                response = getattr(client, method)(url, HOSTILE_POST if method == "post" else None)
                # The admin answers an object outside the user's queryset with a redirect to the
                # index ("doesn't exist") or 403/404; never a page showing or changing it.
                assert response.status_code in (302, 403, 404), f"{method} {url}"
                if response.status_code == 302:
                    assert response.url == reverse("admin:index")
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if model is Invitation and not bob_is_superuser:
            # Only the instance owner manages invitations, even their own.
            assert changelist.status_code == 403
            covered.add(model)
            continue
        assert changelist.status_code == 200
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert change_url not in changelist.content.decode()
        assert changelist.context["cl"].result_count == 0
        covered.add(model)
    # Every owned model in the admin is checked (BulkChange, the undo log, is not in the admin;
    # nor are app passwords, which only their owner sees, on Settings → Sync with your phone,
    # nor card conflicts, shown and settled on the person's page, nor API tokens and webhooks, on
    # Settings → API tokens and Settings → Webhooks). Introductions, things to share and
    # shares are not in the admin either (their own pages and the person's page).
    assert covered == set(alice_objects) - {
        Introduction,
        ShareItem,
        Share,
        Webhook,
        BulkChange,
        ImportBatch,
        Merge,
        AppPassword,
        CardConflict,
        ApiToken,
        RhythmStretch,  # shown and undone on the dashboard and the person's page only
        PlannedInteraction,  # planned meetings: on the dashboard and the person's page only
    }
    owned_in_admin = {
        m for m in admin.site._registry if any(f.name == "owner" for f in m._meta.fields)
    }
    assert owned_in_admin <= covered
    assert _snapshot(alice_objects) == before


@pytest.mark.django_db
@pytest.mark.parametrize("bob_is_superuser", [False, True])
def test_admin_view_on_site_is_a_404_for_alices_objects_like_a_missing_one(
    client, alice, bob, alice_objects, bob_is_superuser
):
    """/admin/r/<content type>/<id>/ redirects to the requester's own rows only: for anyone
    else's it answers exactly as for an id that does not exist, so it tells no one which exist."""
    from django.contrib.contenttypes.models import ContentType

    bob.is_superuser = bob_is_superuser
    bob.save()
    walked = set()
    for model, obj in alice_objects.items():
        content_type = ContentType.objects.get_for_model(model)
        url = reverse("admin:view_on_site", args=[content_type.pk, obj.pk])
        missing = reverse("admin:view_on_site", args=[content_type.pk, 10**9])
        client.force_login(bob)
        for method in ("get", "post"):
            assert getattr(client, method)(url).status_code == 404, f"{method} {url}"
            assert getattr(client, method)(missing).status_code == 404, f"{method} {missing}"
        not_an_id = reverse("admin:view_on_site", args=[content_type.pk, "not-an-id"])
        assert client.get(not_an_id).status_code == 404
        if hasattr(model, "get_absolute_url"):
            # Alice herself is taken to the page.
            client.force_login(alice)
            response = client.get(url)
            assert response.status_code == 302
            assert response.url == obj.get_absolute_url()
        walked.add(model)
    assert walked == set(alice_objects)
    # Her account itself has no page on the site to go to.
    user_type = ContentType.objects.get_for_model(alice)
    client.force_login(bob)
    assert (
        client.get(reverse("admin:view_on_site", args=[user_type.pk, alice.pk])).status_code == 404
    )
