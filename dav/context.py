"""Who a DAV request is for, set by the view for the length of one request.

Radicale calls our storage and auth plugins without passing the Django request along, so the
view puts what they need here (docs/architecture.md, "Sync with phones"). A contextvar, not a
thread-local: it is reset when the view returns, whatever the server's threading model."""

from __future__ import annotations

import contextlib
import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dav.cards import VCARD_3, VCARD_4

if TYPE_CHECKING:
    from collections.abc import Iterator

    from accounts.models import AppPassword, User

# What Apple's clients put in User-Agent (iOS/macOS Contacts and Calendar, and the daemons
# that sync for them): they read vCard 3.0 best.
APPLE_AGENTS = ("iOS/", "macOS/", "Mac OS X", "Mac_OS_X", "dataaccessd", "AddressBook", "CFNetwork")


@dataclass
class DavRequest:
    owner: User
    app_password: AppPassword
    vcard_version: str = VCARD_4
    method: str = ""
    now: dt.datetime | None = None
    # The body names no card or event text (a REPORT for etags only): items need not render
    # (radicale.app.report serializes an item even when only its getetag is asked for).
    etag_only: bool = False
    # The raw text of a PUT, handed to the card writer as the client sent it.
    put_text: str | None = None
    # The card stored by a PUT reads exactly as the client sent it (then its ETag may go back).
    stored_as_sent: bool = False
    # Which collections were brought up to date with the contacts in this request.
    refreshed: set[str] = field(default_factory=set)


current: ContextVar[DavRequest | None] = ContextVar("dav_request", default=None)


def vcard_version_for(
    *, user_agent: str, report_version: str | None = None, accept: str = ""
) -> str:
    """The version a REPORT's address-data or a GET's Accept asks for (DAVx5 names it);
    else 3.0 for Apple's clients, 4.0 for everyone else."""
    if report_version in (VCARD_3, VCARD_4):
        return report_version
    for version in (VCARD_4, VCARD_3):
        if f"version={version}" in accept.replace(" ", "").replace('"', ""):
            return version
    if any(agent in user_agent for agent in APPLE_AGENTS):
        return VCARD_3
    return VCARD_4


@contextlib.contextmanager
def serving(request: DavRequest) -> Iterator[DavRequest]:
    token = current.set(request)
    try:
        yield request
    finally:
        current.reset(token)


def require() -> DavRequest:
    request = current.get()
    if request is None:  # a plugin called outside the view: a bug, not a client error
        raise RuntimeError("No DAV request is being served")
    return request
