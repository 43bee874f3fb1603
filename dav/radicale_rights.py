"""Radicale's rights plugin: ``[rights] type = dav.radicale_rights``.

Like Radicale's ``owner_only``, but the tree is fixed: the principal can be read and not written
(no new collections), the address book is read-write, the calendar read-only (its writes answer
403). Another account's paths never get this far: the view answers 404 for them."""

from __future__ import annotations

import functools

from radicale import rights

# The collection names of dav.radicale_storage (ADDRESSBOOK, CALENDAR) and what each allows.
COLLECTION_RIGHTS = {"contacts": "rw", "calendar": "r"}


@functools.lru_cache(maxsize=1024)
def _rights(user: str, path: str) -> str:
    # Cached: a listing asks once per item, always with the same collection path.
    parts = [part for part in path.split("/") if part]
    if not user:
        return ""
    if not parts:
        return "R"
    if parts[0] != user:
        return ""
    if len(parts) == 1:
        return "R"
    return COLLECTION_RIGHTS.get(parts[1], "")


class Rights(rights.BaseRights):
    def authorization(self, user: str, user_groups: set, path: str) -> str:
        # ``path`` comes sanitized from Radicale.
        return _rights(user, path)
