"""The privacy kit: every row of user data has an owner, and every read starts from it.

- ``OwnedModel``: abstract base with ``owner`` and ``Model.objects.for_owner(user)``.
- ``get_owned_or_404``: the only way views fetch an object by id.
- ``OwnedFormMixin``: foreign-key and many-to-many choices come only from the owner's rows,
  so another user's id is rejected as an invalid choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

if TYPE_CHECKING:
    from accounts.models import User


class OwnedQuerySet(models.QuerySet):
    def for_owner(self, user: User) -> OwnedQuerySet:
        return self.filter(owner=user)


class OwnedModel(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


def get_owned_or_404[M: models.Model](
    model: type[M] | models.QuerySet[M], user: User, **lookups: Any
) -> M:
    """Fetch by ``lookups`` among ``user``'s rows only (from a model or a queryset of one);
    anyone else's object is a 404, exactly like one that does not exist."""
    queryset = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    return get_object_or_404(queryset.filter(owner=user), **lookups)


def is_owned_model(model: type[models.Model]) -> bool:
    return issubclass(model, OwnedModel)


def scope_choices(fields: dict[str, forms.Field], owner: User) -> None:
    """Restrict every model-choice field to ``owner``'s rows."""
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and is_owned_model(queryset.model):
            field.queryset = queryset.filter(owner=owner)


class OwnedFormMixin:
    """Takes ``owner=`` and scopes every model choice to it."""

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        scope_choices(self.fields, owner)


class OwnedForm(OwnedFormMixin, forms.Form):
    pass


class OwnedModelForm(OwnedFormMixin, forms.ModelForm):
    """A ModelForm for an OwnedModel: scoped choices, and the owner set on the new instance."""

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        if self.instance.pk is None:
            self.instance.owner = owner
        elif self.instance.owner_id != owner.pk:
            raise PermissionError("A form was bound to another user's object.")
