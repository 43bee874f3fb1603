"""The sweep and the digest schedule, with time driven explicitly (services take ``now``)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts.models import UserSettings
from accounts.services import user_signup
from contacts.models import Contact
from contacts.services import contact_save
from interactions.services import interaction_log
from reminders.models import Digest, Reminder, SchedulerHeartbeat
from reminders.services.digests import digest_send
from reminders.services.schedule import digest_next_at, digest_time_on
from reminders.services.sweep import sweep_run

pytestmark = pytest.mark.django_db


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def paris_user():
    """Signed up on Monday 2 March 2026 at 09:00 UTC (10:00 in Paris), digest daily at 08:00."""
    return user_signup(
        email="zoe@example.com",
        password="a-long-password-1",
        name="Zoë Laurent",
        time_zone="Europe/Paris",
        now=utc(2026, 3, 2, 9),
    )


def add_contact(owner, *, name="Amara Diallo", cadence=7, added=dt.date(2026, 3, 2)):
    return contact_save(contact=Contact(owner=owner, name=name, cadence_days=cadence), today=added)


# --- schedule ---------------------------------------------------------------------------------


def test_signup_after_the_digest_hour_is_owed_todays_digest(paris_user):
    # 10:00 local > 08:00: today's digest is already due, so the next sweep can send it.
    assert paris_user.settings.next_digest_at == utc(2026, 3, 2, 7)


def test_digest_hour_in_a_dst_gap_moves_to_the_first_moment_after_it():
    settings = UserSettings(time_zone="Europe/Paris", digest_hour=2)
    # 29 March 2026: clocks jump from 02:00 to 03:00 in Paris; 03:00 CEST is 01:00 UTC.
    assert digest_time_on(day=dt.date(2026, 3, 29), user_settings=settings) == utc(2026, 3, 29, 1)
    assert digest_time_on(day=dt.date(2026, 3, 28), user_settings=settings) == utc(2026, 3, 28, 1)
    assert digest_time_on(day=dt.date(2026, 3, 30), user_settings=settings) == utc(2026, 3, 30, 0)


def test_digest_hour_in_a_repeated_hour_is_the_first_of_the_two():
    settings = UserSettings(time_zone="America/New_York", digest_hour=1)
    # 1 November 2026: 01:00-02:00 happens twice in New York; the first is EDT (UTC-4).
    assert digest_time_on(day=dt.date(2026, 11, 1), user_settings=settings) == utc(2026, 11, 1, 5)


def test_weekly_digest_waits_for_its_weekday():
    settings = UserSettings(
        time_zone="UTC", digest_hour=8, digest_frequency="weekly", digest_weekday=4
    )
    # From Monday 2 March 2026 the next Friday is 6 March.
    assert digest_next_at(user_settings=settings, from_day=dt.date(2026, 3, 2)) == utc(
        2026, 3, 6, 8
    )


def test_digest_off_is_never_scheduled():
    settings = UserSettings(time_zone="UTC", digest_frequency="off")
    assert digest_next_at(user_settings=settings, from_day=dt.date(2026, 3, 2)) is None


# --- reminders --------------------------------------------------------------------------------


def test_contact_is_due_after_the_cadence_not_before(paris_user):
    contact = add_contact(paris_user)  # due 9 March
    sweep_run(now=utc(2026, 3, 8, 22, 59))  # 23:59 on 8 March in Paris
    assert not Reminder.objects.filter(contact=contact).exists()
    sweep_run(now=utc(2026, 3, 8, 23, 0))  # midnight, 9 March in Paris
    reminder = Reminder.objects.get(contact=contact)
    assert (reminder.kind, reminder.state, reminder.due_on) == (
        "reach_out",
        "open",
        dt.date(2026, 3, 9),
    )


def test_sweep_opens_one_reminder_per_contact_however_often_it_runs(paris_user):
    add_contact(paris_user)
    for minute in range(5):
        sweep_run(now=utc(2026, 3, 10, 12, minute))
    assert Reminder.objects.count() == 1


def test_paused_and_archived_contacts_get_no_reminder(paris_user):
    paused = add_contact(paris_user, name="Paused")
    archived = add_contact(paris_user, name="Archived")
    Contact.objects.filter(pk=paused.pk).update(paused=True)
    Contact.objects.filter(pk=archived.pk).update(archived=True)
    sweep_run(now=utc(2026, 4, 1, 12))
    assert Reminder.objects.count() == 0


def test_logging_an_interaction_closes_the_open_reminder(paris_user):
    from interactions.services import interaction_log

    contact = add_contact(paris_user)
    sweep_run(now=utc(2026, 3, 10, 12))
    interaction_log(
        owner=paris_user,
        contacts=[contact],
        kind="coffee",
        occurred_at=utc(2026, 3, 10, 12),
        today=dt.date(2026, 3, 10),
    )
    assert Reminder.objects.get(contact=contact).state == "done"


# --- digests ----------------------------------------------------------------------------------


def test_one_digest_per_local_day_and_it_is_sent_once(paris_user, mailoutbox):
    add_contact(paris_user)  # due 9 March
    first = sweep_run(now=utc(2026, 3, 9, 7, 1))  # 08:01 in Paris
    assert len(first.digests_created) == 1
    for minute in range(2, 6):
        again = sweep_run(now=utc(2026, 3, 9, 7, minute))
        assert again.digests_created == []
    digest = Digest.objects.get()
    assert digest.local_date == dt.date(2026, 3, 9)
    assert digest_send(digest_id=digest.pk, now=utc(2026, 3, 9, 7, 2)) == "sent"
    assert digest_send(digest_id=digest.pk, now=utc(2026, 3, 9, 7, 3)) == "not claimable"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["zoe@example.com"]
    assert message.subject == "Time to reach out to Amara Diallo"
    assert "Amara Diallo" in message.body
    assert message.extra_headers["Message-ID"] == digest.message_id
    digest.refresh_from_db()
    assert (digest.state, digest.item_count) == ("sent", 1)
    # The next day's digest is scheduled for 08:00 Paris time on 10 March.
    paris_user.settings.refresh_from_db()
    assert paris_user.settings.next_digest_at == utc(2026, 3, 10, 7)


def test_no_digest_before_the_chosen_hour(paris_user):
    add_contact(paris_user, added=dt.date(2026, 2, 1))
    paris_user.settings.next_digest_at = utc(2026, 3, 9, 7)
    paris_user.settings.save()
    assert sweep_run(now=utc(2026, 3, 9, 6, 59)).digests_created == []
    assert len(sweep_run(now=utc(2026, 3, 9, 7, 0)).digests_created) == 1


def test_nothing_due_means_no_digest_and_the_day_is_not_used_up(paris_user):
    contact = add_contact(paris_user)  # due 9 March
    # 8 March 08:30 Paris: nobody due yet, no digest.
    assert sweep_run(now=utc(2026, 3, 8, 7, 30)).digests_created == []
    assert Digest.objects.count() == 0
    # Later that day someone becomes due (a shorter rhythm): the day's digest goes out then.
    Contact.objects.filter(pk=contact.pk).update(next_reach_out_on=dt.date(2026, 3, 8))
    assert len(sweep_run(now=utc(2026, 3, 8, 15)).digests_created) == 1
    assert Digest.objects.get().local_date == dt.date(2026, 3, 8)


def test_a_digest_emptied_before_it_was_sent_does_not_use_up_the_day(paris_user, mailoutbox):
    amara = add_contact(paris_user)  # due 9 March
    assert len(sweep_run(now=utc(2026, 3, 9, 7, 1)).digests_created) == 1
    # Zoë calls Amara before the worker gets to the digest: nothing is left to say.
    interaction_log(
        owner=paris_user,
        contacts=[amara],
        kind="call",
        occurred_at=utc(2026, 3, 9, 7, 1, 30),
        today=dt.date(2026, 3, 9),
    )
    assert digest_send(digest_id=Digest.objects.get().pk, now=utc(2026, 3, 9, 7, 2)) == "empty"
    assert mailoutbox == []
    # That afternoon someone else comes due: the day's digest goes out then, with them in it.
    ben = add_contact(paris_user, name="Ben Okoro", added=dt.date(2026, 2, 1))
    assert ben.next_reach_out_on <= dt.date(2026, 3, 9)
    created = sweep_run(now=utc(2026, 3, 9, 14)).digests_created
    assert len(created) == 1
    assert digest_send(digest_id=created[0], now=utc(2026, 3, 9, 14, 1)) == "sent"
    assert [m.subject for m in mailoutbox] == ["Time to reach out to Ben Okoro"]
    assert [d.local_date for d in Digest.objects.all()] == [dt.date(2026, 3, 9)]


def test_a_day_missed_entirely_is_not_sent_later(paris_user):
    add_contact(paris_user, added=dt.date(2026, 2, 1))
    paris_user.settings.next_digest_at = utc(2026, 3, 9, 7)
    paris_user.settings.save()
    # The scheduler was down from 9 March to 11 March 06:00 UTC (07:00 Paris, before 08:00).
    report = sweep_run(now=utc(2026, 3, 11, 6))
    assert report.digests_created == []
    paris_user.settings.refresh_from_db()
    assert paris_user.settings.next_digest_at == utc(2026, 3, 11, 7)
    # At 08:00 on the 11th, exactly one digest: the 11th's.
    report = sweep_run(now=utc(2026, 3, 11, 7, 1))
    assert [d.local_date for d in Digest.objects.all()] == [dt.date(2026, 3, 11)]


def test_digest_lists_at_most_the_daily_limit_and_says_how_many_more(paris_user, mailoutbox):
    paris_user.settings.daily_limit = 2
    paris_user.settings.save()
    for index in range(5):
        add_contact(paris_user, name=f"Friend {index}", added=dt.date(2026, 2, 1))
    report = sweep_run(now=utc(2026, 3, 9, 7, 1))
    digest_send(digest_id=report.digests_created[0], now=utc(2026, 3, 9, 7, 2))
    (message,) = mailoutbox
    assert message.subject == "5 people to reach out to"
    assert sum(f"Friend {index}" in message.body for index in range(5)) == 2
    assert "and 3 more waiting" in message.body
    assert Digest.objects.get().item_count == 2


def test_dry_run_writes_and_sends_nothing(paris_user, mailoutbox):
    add_contact(paris_user)
    report = sweep_run(now=utc(2026, 3, 9, 7, 1), dry_run=True)
    assert report.reminders_opened == 1
    assert len(report.digests_created) == 1
    assert Reminder.objects.count() == 0
    assert Digest.objects.count() == 0
    assert not SchedulerHeartbeat.objects.exists()
    assert mailoutbox == []


def test_a_stale_claim_is_taken_up_again(paris_user, mailoutbox, settings):
    add_contact(paris_user)
    report = sweep_run(now=utc(2026, 3, 9, 7, 1))
    digest_id = report.digests_created[0]
    # A worker claimed it and died before sending.
    Digest.objects.filter(pk=digest_id).update(state="sending", claimed_at=utc(2026, 3, 9, 7, 2))
    within = utc(2026, 3, 9, 7, 2) + dt.timedelta(seconds=settings.DIGEST_CLAIM_TIMEOUT_SECONDS - 1)
    assert sweep_run(now=within).digests_to_deliver == []
    after = within + dt.timedelta(seconds=2)
    assert sweep_run(now=after).digests_to_deliver == [digest_id]
    assert digest_send(digest_id=digest_id, now=after) == "sent"
    assert len(mailoutbox) == 1


def test_sweep_records_its_heartbeat(paris_user):
    sweep_run(now=utc(2026, 3, 9, 7, 1))
    assert SchedulerHeartbeat.objects.get(name="sweep").last_run_at == utc(2026, 3, 9, 7, 1)


# --- the command --------------------------------------------------------------------------


def test_run_reminders_sends_the_digest_without_celery(paris_user, capsys):
    add_contact(paris_user)
    with time_machine.travel(utc(2026, 3, 9, 7, 5), tick=False):
        call_command("run_reminders", "--dry-run")
        out = capsys.readouterr().out
        assert out.startswith("Would do: 1 reminder(s) opened")
        assert mail.outbox == []
        call_command("run_reminders")
        out = capsys.readouterr().out
    assert "1 digest(s) created" in out
    assert "Digest for zoe@example.com (2026-03-09): sent" in out
    assert len(mail.outbox) == 1
    assert Digest.objects.get().state == "sent"
