"""The digest, from sweep to a real SMTP server (aiosmtpd), without Celery.

Services take ``now``; the clock is also moved (time-machine) so that anything reading it directly,
such as auto_now fields and the email's Date header, agrees with the ``now`` we pass.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from interactions.models import Interaction
from interactions.services import interaction_log
from reminders.models import Digest
from reminders.services.digests import digest_claim, digest_send
from reminders.services.sweep import sweep_run
from tests.fixtures.processes import free_port, smtp_mailers

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Saturday 28 November 2026; Paris is on UTC+1, so an 08:00 digest hour is 07:00 UTC.
SIGNUP_AT = dt.datetime(2026, 11, 28, 5, 0, tzinfo=dt.UTC)  # 06:00 in Paris
BEFORE_THE_HOUR = dt.datetime(2026, 11, 28, 6, 30, tzinfo=dt.UTC)  # 07:30 in Paris
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)  # 10:30 in Paris
COFFEE_AT = dt.datetime(2026, 11, 18, 18, 0, tzinfo=dt.UTC)  # 10 days before, 19:00 in Paris


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def _user_with_due_contact():
    """Alice (Paris, daily digest at 08:00) and Amara: weekly rhythm, last coffee 10 days ago."""
    user = user_signup(
        email="alice@example.com",
        password="correct horse battery staple",
        name="Alice Martin",
        time_zone="Europe/Paris",
        now=SIGNUP_AT,
    )
    contact = contact_save(
        contact=Contact(owner=user, name="Amara Diallo", cadence_days=7),
        today=dt.date(2026, 10, 1),
    )
    interaction_log(
        owner=user,
        contacts=[contact],
        kind=Interaction.Kind.COFFEE,
        occurred_at=COFFEE_AT,
        today=COFFEE_AT.date(),
    )
    contact.refresh_from_db()
    assert contact.next_reach_out_on == dt.date(2026, 11, 25)
    return user, contact


def _sweep_creates_digest(user) -> Digest:
    report = sweep_run(now=NOW)
    digest = Digest.objects.get(owner=user)
    assert report.digests_created == [digest.pk]
    assert digest.state == Digest.State.PENDING
    return digest


def test_the_digest_arrives_once_with_its_message_id(smtp_settings, smtp_server):
    user, _contact = _user_with_due_contact()
    assert user.settings.next_digest_at == dt.datetime(2026, 11, 28, 7, 0, tzinfo=dt.UTC)

    early = sweep_run(now=BEFORE_THE_HOUR)
    assert early.reminders_opened == 1
    assert early.digests_created == []
    assert not Digest.objects.exists()

    digest = _sweep_creates_digest(user)
    assert digest.local_date == dt.date(2026, 11, 28)

    assert digest_send(digest_id=digest.pk, now=NOW) == "sent"

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ["alice@example.com"]
    message = received.message
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "Time to reach out to Amara Diallo"
    assert message["Message-ID"] == digest.message_id
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Amara Diallo" in text
    assert "last in touch on 18 November 2026" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Amara Diallo</a>" in html

    digest.refresh_from_db()
    assert digest.state == Digest.State.SENT
    assert digest.sent_at == NOW
    assert digest.item_count == 1
    assert digest.attempts == 1
    assert digest.last_error == ""

    # A second delivery of the same task (a duplicated broker message) sends nothing.
    assert digest_send(digest_id=digest.pk, now=NOW + dt.timedelta(seconds=5)) == "not claimable"
    assert len(smtp_server.messages) == 1
    # Later sweeps that day neither create another digest nor deliver this one again.
    later = sweep_run(now=NOW + dt.timedelta(hours=3))
    assert later.digests_to_deliver == []
    assert Digest.objects.count() == 1


def test_a_claim_older_than_the_timeout_is_taken_again(smtp_settings, smtp_server):
    user, _contact = _user_with_due_contact()
    digest = _sweep_creates_digest(user)
    # A worker claimed it and died before sending.
    assert digest_claim(digest_id=digest.pk, now=NOW)

    soon = NOW + dt.timedelta(seconds=60)
    assert digest.pk not in sweep_run(now=soon).digests_to_deliver
    assert digest_send(digest_id=digest.pk, now=soon) == "not claimable"
    assert smtp_server.messages == []

    expired = NOW + dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS + 1)
    assert digest.pk in sweep_run(now=expired).digests_to_deliver
    assert digest_send(digest_id=digest.pk, now=expired) == "sent"

    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].message["Message-ID"] == digest.message_id
    digest.refresh_from_db()
    assert digest.state == Digest.State.SENT
    assert digest.sent_at == expired
    assert digest.attempts == 2


def test_a_digest_the_server_accepted_is_not_sent_again_when_quit_goes_unanswered(
    settings, holding_smtp_server
):
    # The message is accepted; only ending the session times out. That can't take the message
    # back, so the digest is sent, once, and no later sweep sends it again.
    settings.MAILERS = smtp_mailers(holding_smtp_server.host, holding_smtp_server.port)
    settings.MAILERS["default"]["OPTIONS"]["timeout"] = 1
    holding_smtp_server.handler.hang_on_quit.set()
    user, _contact = _user_with_due_contact()
    digest = _sweep_creates_digest(user)

    assert digest_send(digest_id=digest.pk, now=NOW) == "sent"

    assert len(holding_smtp_server.messages) == 1
    digest.refresh_from_db()
    assert (digest.state, digest.last_error) == (Digest.State.SENT, "")
    later = NOW + dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS + 1)
    assert digest.pk not in sweep_run(now=later).digests_to_deliver
    assert digest_send(digest_id=digest.pk, now=later) == "not claimable"
    assert len(holding_smtp_server.messages) == 1


def test_an_smtp_failure_leaves_the_digest_pending_for_the_next_sweep(smtp_settings, smtp_server):
    user, _contact = _user_with_due_contact()
    digest = _sweep_creates_digest(user)
    smtp_settings.MAILERS = smtp_mailers(smtp_server.host, free_port())  # nothing listens

    with pytest.raises(ConnectionRefusedError):
        digest_send(digest_id=digest.pk, now=NOW)

    digest.refresh_from_db()
    assert digest.state == Digest.State.PENDING
    assert digest.last_error.startswith("ConnectionRefusedError")
    assert digest.attempts == 1
    assert digest.sent_at is None
    assert smtp_server.messages == []

    # The sweep picks it up again after a pause, and with the server back it goes out.
    smtp_settings.MAILERS = smtp_mailers(smtp_server.host, smtp_server.port)
    retry_at = NOW + dt.timedelta(minutes=5)
    assert sweep_run(now=retry_at).digests_to_deliver == [digest.pk]
    assert digest_send(digest_id=digest.pk, now=retry_at) == "sent"
    assert len(smtp_server.messages) == 1
    digest.refresh_from_db()
    assert digest.state == Digest.State.SENT
    assert digest.last_error == ""
    assert digest.attempts == 2
