"""Contacts' answers to signals from accounts (connected in ContactsConfig.ready())."""

from __future__ import annotations

from django.db import transaction

from contacts.models import Circle, Contact
from contacts.services import circles_create_defaults


def give_default_circles(sender, *, user, **kwargs) -> None:
    """accounts.signals.user_created: a new account starts with the usual circles (once: the
    first sign-up is also a create_superuser)."""
    if not Circle.objects.filter(owner=user).exists():
        circles_create_defaults(owner=user)


def delete_photo_files(sender, *, user, **kwargs) -> None:
    """accounts.signals.user_deleting: the rows cascade from the user; the photo files are
    removed once that deletion has committed."""
    photos = list(
        Contact.objects.filter(owner=user).exclude(photo="").values_list("photo", flat=True)
    )
    if photos:
        storage = Contact._meta.get_field("photo").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in photos])
