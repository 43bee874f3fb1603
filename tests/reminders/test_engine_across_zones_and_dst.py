"""The reminder engine against the calendar: DST gaps and repeats, a zone a day ahead of UTC,
downtime, weekly digests, vacation and dates coming up.

Time is driven in-process: the sweep is called with an explicit ``now`` at regular steps (as beat
would), the digests it owes are sent at once (as ``run_reminders`` does), and the clock is moved
along (time-machine) so that anything reading it directly agrees. The process zone is set to an
odd one for every test, so nothing here depends on the machine's zone.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator

import pytest
import time_machine

from accounts.services import user_settings_update, user_signup
from contacts.models import Contact, ImportantDate
from contacts.services import contact_save, contacts_set_flags
from interactions.services import interaction_log
from reminders.models import Digest, Reminder
from reminders.services.actions import reminder_act
from reminders.services.digests import digest_send
from reminders.services.sweep import sweep_run

pytestmark = pytest.mark.django_db


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def odd_machine_zone(monkeypatch) -> Iterator[None]:
    """Run as if the machine were in Nepal (UTC+05:45): only the users' zones may matter."""
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class Engine:
    """Runs the sweep the way beat and a worker would, on a clock the test moves."""

    def __init__(self, traveller, outbox: list) -> None:
        self.traveller = traveller
        self.outbox = outbox

    def run(self, *, start: dt.datetime, end: dt.datetime, every: dt.timedelta) -> None:
        """A sweep at ``start``, then every ``every`` up to and including ``end``; each digest
        the sweep owes is sent right away (in-process, like ``run_reminders``)."""
        moment = start
        while moment <= end:
            self.at(moment)
            report = sweep_run(now=moment)
            for digest_id in report.digests_to_deliver:
                assert digest_send(digest_id=digest_id, now=moment) == "sent"
            moment += every

    def at(self, moment: dt.datetime) -> None:
        self.traveller.move_to(moment)

    def emails_to(self, address: str) -> list:
        return [message for message in self.outbox if message.to == [address]]


@pytest.fixture
def engine(mailoutbox) -> Iterator[Engine]:
    with time_machine.travel(utc(2026, 1, 1), tick=False) as traveller:
        yield Engine(traveller, mailoutbox)


def signup(email: str, zone: str, at: dt.datetime, **settings_fields):
    """A user signed up at ``at``; settings changed right after through the settings service."""
    user = user_signup(
        email=email,
        password="correct horse battery staple",
        name=email.split("@")[0].title(),
        time_zone=zone,
        now=at,
    )
    if settings_fields:
        for name, value in settings_fields.items():
            setattr(user.settings, name, value)
        user_settings_update(user_settings=user.settings, now=at)
    return user


def contact_due_on(owner, name: str, due_on: dt.date, *, cadence: int = 7) -> Contact:
    """A contact added ``cadence`` days before ``due_on``, so the one rule makes them due then."""
    contact = contact_save(
        contact=Contact(owner=owner, name=name, cadence_days=cadence),
        today=due_on - dt.timedelta(days=cadence),
    )
    assert contact.next_reach_out_on == due_on
    return contact


def digests_of(user) -> list[tuple[dt.date, dt.datetime, str]]:
    return [
        (digest.local_date, digest.created_at, digest.state)
        for digest in Digest.objects.filter(owner=user).order_by("local_date")
    ]


def people_listed(body: str, names: list[str]) -> list[str]:
    """The names among ``names`` listed as "* Name" in a digest's text body, in order."""
    listed = re.findall(r"^\* ([^(:\n]+?)(?: \(|:)", body, flags=re.M)
    return [name for name in listed if name in names]


# --- Daylight saving time ------------------------------------------------------------------


def test_one_digest_per_local_day_across_the_spring_gap(engine):
    # 29 March 2026 in Berlin: clocks jump from 02:00 to 03:00, so 02:00 does not exist.
    user = signup("jonas@example.com", "Europe/Berlin", utc(2026, 3, 28, 18), digest_hour=2)
    contact_due_on(user, "Amara Diallo", dt.date(2026, 3, 20))

    engine.run(start=utc(2026, 3, 28, 18), end=utc(2026, 3, 30, 12), every=dt.timedelta(minutes=15))

    assert digests_of(user) == [
        # Signed up at 19:00 local, after the hour: that day's digest at the first sweep.
        (dt.date(2026, 3, 28), utc(2026, 3, 28, 18), "sent"),
        # The missing 02:00 becomes the first moment after the gap: 03:00 CEST = 01:00 UTC
        # (not at 00:45 UTC, the last sweep before, nor a second time later that day).
        (dt.date(2026, 3, 29), utc(2026, 3, 29, 1), "sent"),
        # Summer time from then on: 02:00 CEST = 00:00 UTC.
        (dt.date(2026, 3, 30), utc(2026, 3, 30, 0), "sent"),
    ]
    emails = engine.emails_to("jonas@example.com")
    assert len(emails) == 3
    assert len({message.extra_headers["Message-ID"] for message in emails}) == 3
    assert all("Amara Diallo" in message.body for message in emails)
    user.settings.refresh_from_db()
    assert user.settings.next_digest_at == utc(2026, 3, 31, 0)


def test_one_digest_in_the_autumn_repeat_at_the_first_of_the_two_hours(engine):
    # 1 November 2026 in New York: 01:00-02:00 happens twice (EDT, then EST).
    user = signup("maya@example.com", "America/New_York", utc(2026, 10, 31, 12), digest_hour=1)
    contact_due_on(user, "Amara Diallo", dt.date(2026, 10, 20))

    engine.run(
        start=utc(2026, 10, 31, 12), end=utc(2026, 11, 1, 12), every=dt.timedelta(minutes=15)
    )

    assert digests_of(user) == [
        (dt.date(2026, 10, 31), utc(2026, 10, 31, 12), "sent"),
        # The first 01:00 (EDT, UTC-4); the sweeps during the second one (06:00-07:00 UTC)
        # send nothing more.
        (dt.date(2026, 11, 1), utc(2026, 11, 1, 5), "sent"),
    ]
    assert len(engine.emails_to("maya@example.com")) == 2
    user.settings.refresh_from_db()
    # The next day on standard time: 01:00 EST = 06:00 UTC.
    assert user.settings.next_digest_at == utc(2026, 11, 2, 6)

    engine.run(
        start=utc(2026, 11, 1, 12, 15), end=utc(2026, 11, 2, 7), every=dt.timedelta(minutes=15)
    )
    assert digests_of(user)[-1] == (dt.date(2026, 11, 2), utc(2026, 11, 2, 6), "sent")
    assert len(engine.emails_to("maya@example.com")) == 3


# --- A zone a day ahead of UTC ---------------------------------------------------------------


def test_a_user_a_day_ahead_of_utc_is_nudged_on_their_own_date(engine, client):
    # Kiritimati is UTC+14: at 10:00 UTC on 9 June it is already midnight on 10 June there.
    user = signup("tebau@example.com", "Pacific/Kiritimati", utc(2026, 6, 8, 20))
    amara = contact_due_on(user, "Amara Diallo", dt.date(2026, 6, 10))
    ben = contact_save(
        contact=Contact(owner=user, name="Ben Carter", cadence_days=90), today=dt.date(2026, 5, 1)
    )
    engine.at(utc(2026, 6, 1, 0))
    interaction_log(
        owner=user,
        contacts=[ben],
        kind="call",
        occurred_at=utc(2026, 6, 1, 0),
        today=dt.date(2026, 6, 1),
        follow_up_on=dt.date(2026, 6, 10),
        follow_up_note="Send Ben the climbing guide",
    )

    engine.run(
        start=utc(2026, 6, 8, 20), end=utc(2026, 6, 9, 9, 45), every=dt.timedelta(minutes=15)
    )
    assert not Reminder.objects.filter(owner=user).exists()  # still 9 June in Kiritimati

    engine.run(start=utc(2026, 6, 9, 10), end=utc(2026, 6, 9, 10), every=dt.timedelta(minutes=15))
    reminders = Reminder.objects.filter(owner=user).order_by("kind")
    assert [(r.kind, r.contact_id, r.due_on, r.state) for r in reminders] == [
        ("follow_up", ben.pk, dt.date(2026, 6, 10), "open"),
        ("reach_out", amara.pk, dt.date(2026, 6, 10), "open"),
    ]
    assert digests_of(user) == []

    engine.at(utc(2026, 6, 9, 12))
    client.force_login(user)
    due = client.get("/").content.decode().split('id="due"')[1].split("</section>")[0]
    assert "Amara Diallo" in due

    # 08:00 on 10 June in Kiritimati is 18:00 on 9 June in UTC.
    engine.run(
        start=utc(2026, 6, 9, 17, 45), end=utc(2026, 6, 9, 23), every=dt.timedelta(minutes=15)
    )
    assert digests_of(user) == [(dt.date(2026, 6, 10), utc(2026, 6, 9, 18), "sent")]
    [message] = engine.emails_to("tebau@example.com")
    assert "Amara Diallo" in message.body
    assert "Ben Carter: Send Ben the climbing guide (due 10 June)" in message.body


# --- Downtime ----------------------------------------------------------------------------------


def test_after_days_of_downtime_only_the_current_days_digest_is_sent(engine):
    user = signup("lea@example.com", "Europe/Berlin", utc(2026, 11, 1, 12))
    contact_due_on(user, "Amara Diallo", dt.date(2026, 11, 7))
    contact_due_on(user, "Ben Carter", dt.date(2026, 11, 10))  # due while nothing ran

    # Sunday 8 November: the sweep runs all day (08:00 CET = 07:00 UTC).
    engine.run(
        start=utc(2026, 11, 8, 6), end=utc(2026, 11, 8, 22, 45), every=dt.timedelta(minutes=15)
    )
    assert digests_of(user) == [(dt.date(2026, 11, 8), utc(2026, 11, 8, 7), "sent")]
    assert Reminder.objects.filter(owner=user).count() == 1

    # Nothing runs from Monday to Thursday noon; then the sweep comes back every 15 minutes.
    engine.run(
        start=utc(2026, 11, 12, 11), end=utc(2026, 11, 12, 22, 45), every=dt.timedelta(minutes=15)
    )

    assert digests_of(user) == [
        (dt.date(2026, 11, 8), utc(2026, 11, 8, 7), "sent"),
        (dt.date(2026, 11, 12), utc(2026, 11, 12, 11), "sent"),
    ]
    emails = engine.emails_to("lea@example.com")
    assert len(emails) == 2
    assert people_listed(emails[1].body, ["Amara Diallo", "Ben Carter"]) == [
        "Amara Diallo",
        "Ben Carter",
    ]
    # The reminder of the person who came due meanwhile was opened on return, dated when due.
    assert sorted(Reminder.objects.filter(owner=user).values_list("due_on", flat=True)) == [
        dt.date(2026, 11, 7),
        dt.date(2026, 11, 10),
    ]
    user.settings.refresh_from_db()
    assert user.settings.next_digest_at == utc(2026, 11, 13, 7)


# --- Weekly digests ------------------------------------------------------------------------------


def test_a_weekly_digest_comes_only_on_the_chosen_weekday(engine):
    # Tokyo (UTC+9, no DST), weekly on Wednesday at 09:00 local = 00:00 UTC.
    user = signup(
        "haru@example.com",
        "Asia/Tokyo",
        utc(2026, 11, 1, 3),
        digest_frequency="weekly",
        digest_weekday=2,
        digest_hour=9,
    )
    contact_due_on(user, "Amara Diallo", dt.date(2026, 11, 2))
    contact_due_on(user, "Ben Carter", dt.date(2026, 11, 5))  # a Thursday

    engine.run(start=utc(2026, 11, 1, 3), end=utc(2026, 11, 19, 3), every=dt.timedelta(hours=1))

    wednesday = 2
    assert digests_of(user) == [
        (dt.date(2026, 11, 4), utc(2026, 11, 4, 0), "sent"),
        (dt.date(2026, 11, 11), utc(2026, 11, 11, 0), "sent"),
        (dt.date(2026, 11, 18), utc(2026, 11, 18, 0), "sent"),
    ]
    assert {day.weekday() for day, _, _ in digests_of(user)} == {wednesday}
    emails = engine.emails_to("haru@example.com")
    assert len(emails) == 3
    names = ["Amara Diallo", "Ben Carter"]
    # Ben, due on a Thursday, waits for the next Wednesday.
    assert [people_listed(message.body, names) for message in emails] == [
        ["Amara Diallo"],
        names,
        names,
    ]


# --- Vacation ---------------------------------------------------------------------------------


def test_vacation_holds_everything_and_the_return_is_capped_without_dropping_anyone(engine):
    # São Paulo (UTC-3, no DST), daily at 08:00 local = 11:00 UTC, three people a day at most.
    user = signup(
        "bia@example.com",
        "America/Sao_Paulo",
        utc(2026, 11, 15, 12),
        daily_limit=3,
        vacation_until=dt.date(2026, 11, 20),
    )
    names = [f"Friend {number}" for number in range(1, 8)]
    due_days = [16, 16, 17, 17, 18, 19, 19]  # all come due while she is away
    for name, day in zip(names, due_days, strict=True):
        contact_due_on(user, name, dt.date(2026, 11, day), cadence=30)

    engine.run(start=utc(2026, 11, 15, 12), end=utc(2026, 11, 20, 2), every=dt.timedelta(hours=1))
    assert not Reminder.objects.filter(owner=user).exists()
    assert digests_of(user) == []
    assert engine.emails_to("bia@example.com") == []

    listed: list[list[str]] = []
    for day in (20, 21, 22):
        engine.run(
            start=utc(2026, 11, day, 3), end=utc(2026, 11, day, 14), every=dt.timedelta(hours=1)
        )
        emails = engine.emails_to("bia@example.com")
        assert len(emails) == len(listed) + 1, f"no digest on {day} November"
        message = emails[-1]
        listed.append(people_listed(message.body, names))
        if day == 20:
            # Back on the 20th: every reminder opened at midnight, the digest at 08:00, capped.
            assert Reminder.objects.filter(owner=user, state="open").count() == 7
            assert message.subject == "7 people to reach out to"
            assert "and 4 more waiting" in message.body
        if day == 21:
            assert "and 1 more waiting" in message.body
        # She acts on everyone the digest listed (the email's "Done" link): the next ones move up.
        for reminder in Reminder.objects.filter(
            owner=user, state="open", contact__name__in=listed[-1]
        ):
            reminder_act(
                reminder=reminder,
                action="done",
                version=reminder.version,
                now=utc(2026, 11, day, 15),
            )

    assert listed == [names[0:3], names[3:6], names[6:7]]
    assert "more waiting" not in engine.emails_to("bia@example.com")[-1].body
    assert [(day, state) for day, _, state in digests_of(user)] == [
        (dt.date(2026, 11, 20), "sent"),
        (dt.date(2026, 11, 21), "sent"),
        (dt.date(2026, 11, 22), "sent"),
    ]
    assert [d.item_count for d in Digest.objects.filter(owner=user).order_by("local_date")] == [
        3,
        3,
        1,
    ]


# --- Dates coming up ---------------------------------------------------------------------------


def test_a_birthday_coming_up_is_worth_a_digest_even_with_nobody_due(engine):
    user = signup("noor@example.com", "UTC", utc(2027, 1, 10, 9))
    assert user.settings.date_reminder_days == 3
    amara = Contact.objects.create(owner=user, name="Amara Diallo", added_on=dt.date(2027, 1, 1))
    ImportantDate.objects.create(owner=user, contact=amara, kind="birthday", month=1, day=15)

    # 11 January: the birthday is 4 days away, beyond the window: no digest.
    engine.run(start=utc(2027, 1, 10, 9), end=utc(2027, 1, 11, 23), every=dt.timedelta(hours=1))
    assert digests_of(user) == []

    # 12 January: 3 days ahead, so it is in the digest, which is sent although nobody is due.
    engine.run(start=utc(2027, 1, 12, 0), end=utc(2027, 1, 12, 23), every=dt.timedelta(hours=1))
    assert digests_of(user) == [(dt.date(2027, 1, 12), utc(2027, 1, 12, 8), "sent")]
    [message] = engine.emails_to("noor@example.com")
    assert message.subject == "Coming up: birthday of Amara Diallo"
    assert "Coming up:\n* Amara Diallo: Birthday on Friday 15 January" in message.body
    assert "would be glad to hear from you" not in message.body


@pytest.mark.parametrize(
    ("today", "shown"),
    [
        (dt.date(2027, 2, 24), False),  # 4 days before the 28th
        (dt.date(2027, 2, 25), True),
        (dt.date(2027, 2, 28), True),
        (dt.date(2027, 3, 1), False),
    ],
)
def test_a_29_february_birthday_is_shown_on_28_february_in_a_common_year(engine, today, shown):
    user = signup("kai@example.com", "UTC", utc(2027, 2, 1, 9))
    ben = Contact.objects.create(owner=user, name="Ben Carter", added_on=dt.date(2027, 1, 1))
    ImportantDate.objects.create(owner=user, contact=ben, kind="birthday", month=2, day=29)

    start = dt.datetime.combine(today, dt.time(7), tzinfo=dt.UTC)
    engine.run(start=start, end=start + dt.timedelta(hours=3), every=dt.timedelta(hours=1))

    emails = engine.emails_to("kai@example.com")
    if not shown:
        assert emails == []
        assert digests_of(user) == []
        return
    [message] = emails
    assert "* Ben Carter: Birthday on Sunday 28 February" in message.body
    assert digests_of(user) == [(today, start + dt.timedelta(hours=1), "sent")]


# --- What a digest leaves out ---------------------------------------------------------------


def test_an_archived_persons_promise_is_not_in_the_digest(engine):
    user = signup("ines@example.com", "UTC", utc(2026, 11, 20, 9))
    contact_due_on(user, "Amara Diallo", dt.date(2026, 11, 15))
    ben = contact_save(
        contact=Contact(owner=user, name="Ben Carter", cadence_days=60), today=dt.date(2026, 11, 1)
    )
    engine.at(utc(2026, 11, 20, 9))
    interaction_log(
        owner=user,
        contacts=[ben],
        kind="coffee",
        occurred_at=utc(2026, 11, 20, 9),
        today=dt.date(2026, 11, 20),
        follow_up_on=dt.date(2026, 11, 21),
        follow_up_note="Return the book",
    )
    contacts_set_flags(owner=user, contact_ids=[ben.pk], archived=True)

    engine.run(start=utc(2026, 11, 21, 8), end=utc(2026, 11, 21, 8), every=dt.timedelta(hours=1))

    [message] = engine.emails_to("ines@example.com")
    assert "Amara Diallo" in message.body
    assert "Ben Carter" not in message.body
    assert not Reminder.objects.filter(contact=ben, state="open").exists()
