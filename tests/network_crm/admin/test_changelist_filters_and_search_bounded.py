"""The admin's changelists take only the filters they offer, and bounded searches.

A lookup of the visitor's choosing (``?name__regex=^(a+)+$``) used to run against every row;
a broken one (``?name__regex=[``) and a search of a thousand words answered 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from contacts.models import Contact
from network_crm.admin import MAX_SEARCH_WORDS
from tests.factories import CircleFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

CATASTROPHIC = "^(a+)+$"


@pytest.fixture
def owner_client(client, alice):
    alice.is_superuser = True  # sees every admin page there is, the user accounts' too
    alice.save()
    client.force_login(alice)
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def first_text_field(model) -> str:
    return next(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
    )


def text_models() -> list:
    return [
        model
        for model in admin.site._registry
        if any(isinstance(f, (models.CharField, models.TextField)) for f in model._meta.fields)
    ]


@pytest.mark.parametrize("model", text_models(), ids=lambda model: model.__name__)
@pytest.mark.parametrize("lookup", ["regex", "iregex", "startswith", "contains"])
@pytest.mark.parametrize("pattern", [CATASTROPHIC, "["])
def test_every_admin_refuses_lookups_its_filters_do_not_offer(owner_client, model, lookup, pattern):
    field = first_text_field(model)
    response = owner_client.get(changelist(model), {f"{field}__{lookup}": pattern})
    assert response.status_code == 400


def test_the_catastrophic_pattern_never_runs(owner_client, alice):
    ContactFactory(owner=alice, name="a" * 28 + "!")
    response = owner_client.get(changelist(Contact), {"name__regex": CATASTROPHIC})
    assert response.status_code == 400
    assert b"a" * 28 not in response.content


def test_the_filters_the_admin_offers_still_work(owner_client, alice):
    climbers = CircleFactory(owner=alice, name="Climbers")
    ContactFactory(owner=alice, name="Amara Diallo", circle=climbers)
    ContactFactory(owner=alice, name="Kwame Mensah", paused=True)
    url = changelist(Contact)

    by_circle = owner_client.get(url, {"circle__id__exact": climbers.pk})
    assert by_circle.status_code == 200
    assert [c.name for c in by_circle.context["cl"].result_list] == ["Amara Diallo"]
    paused = owner_client.get(url, {"status": "paused"})
    assert [c.name for c in paused.context["cl"].result_list] == ["Kwame Mensah"]
    no_circle = owner_client.get(url, {"circle__isnull": "True", "last_contact": "never"})
    assert [c.name for c in no_circle.context["cl"].result_list] == ["Kwame Mensah"]

    # Interactions: the kind filter, the date filter's ranges and the date hierarchy.
    InteractionFactory(owner=alice, occurred_at=dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC))
    interactions = reverse("admin:interactions_interaction_changelist")
    for params in (
        {"kind__exact": "coffee"},
        {"occurred_on__gte": "2026-03-01", "occurred_on__lt": "2026-04-01"},
        {"occurred_at__year": "2026", "occurred_at__month": "3", "occurred_at__day": "5"},
    ):
        response = owner_client.get(interactions, params)
        assert response.status_code == 200, params
        assert response.context["cl"].result_count == 1, params

    # Django's own admins on the site get the same rule, and keep their filters.
    users = owner_client.get(reverse("admin:accounts_user_changelist"), {"is_active__exact": "1"})
    assert users.status_code == 200
    refused = owner_client.get(reverse("admin:accounts_user_changelist"), {"password__regex": "^"})
    assert refused.status_code == 400


def test_a_search_of_a_thousand_words_uses_the_first_ones(owner_client, alice):
    ContactFactory(owner=alice, name="Amara Diallo")
    ContactFactory(owner=alice, name="Kwame Mensah")
    words = ["amara"] + [f"word{n}" for n in range(999)]
    response = owner_client.get(changelist(Contact), {"q": " ".join(words)})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0  # "word1"... are not in anyone's name

    # The first MAX_SEARCH_WORDS words are the search; the rest are left out.
    words = ["amara"] * MAX_SEARCH_WORDS + ["nobody"]
    response = owner_client.get(changelist(Contact), {"q": " ".join(words)})
    assert [c.name for c in response.context["cl"].result_list] == ["Amara Diallo"]
    # The interactions' admin searches two fields: a long search there is bounded too.
    response = owner_client.get(
        reverse("admin:interactions_interaction_changelist"), {"q": " ".join(["x"] * 1000)}
    )
    assert response.status_code == 200
