"""The digest writes dates the way its owner chose (the worker has no browser to ask), whatever
format was in force where it was rendered."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from accounts.models import UserSettings
from contacts.models import ImportantDate
from network_crm import dates
from reminders.models import Digest
from reminders.services.digests import digest_render
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def birthdays(alice):
    UserSettings.objects.filter(user=alice).update(time_zone="UTC", date_reminder_days=7)
    ana = ContactFactory(owner=alice, name="Ana Lopez")
    bea = ContactFactory(owner=alice, name="Bea Costa")
    ImportantDate.objects.create(
        owner=alice, contact=ana, kind="birthday", month=2, day=29, year=1988
    )
    ImportantDate.objects.create(owner=alice, contact=bea, kind="birthday", month=2, day=29)


def rendered(owner, locale: str) -> tuple[str, str]:
    UserSettings.objects.filter(user=owner).update(locale=locale)
    owner.refresh_from_db()
    digest = Digest.objects.create(owner=owner, local_date=dt.date(2026, 2, 25))
    # Rendered where another format is in force: the owner's wins, and this one comes back.
    with dates.override("iso"):
        message, _count = digest_render(digest=digest)
        assert dates.current().code == "iso"
    html_body = " ".join(html.unescape(message.alternatives[0][0]).split())
    return message.body, html_body


@pytest.mark.parametrize(
    ("locale", "lines"),
    [
        (
            "en-US",
            [
                "Ana Lopez: Birthday on Saturday, February 28, for February 29, 1988 (turns 38)",
                "Bea Costa: Birthday on Saturday, February 28, for February 29",
            ],
        ),
        (
            "en-GB",
            [
                "Ana Lopez: Birthday on Saturday 28 February, for 29 February 1988 (turns 38)",
                "Bea Costa: Birthday on Saturday 28 February, for 29 February",
            ],
        ),
    ],
)
def test_the_digest_writes_dates_in_the_owner_s_format(alice, birthdays, locale, lines):
    body, html_body = rendered(alice, locale)
    for line in lines:
        assert line in body
        assert line in html_body
