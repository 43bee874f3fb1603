"""Signed one-time links in digest emails (done, snooze a week, log a coffee) and the one-click
List-Unsubscribe (RFC 8058). The links work without logging in: GET only asks, POST acts, once."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_save, contact_snooze
from interactions.models import Interaction
from interactions.services import interaction_log
from reminders import links
from reminders.models import Digest, Reminder
from reminders.services.digests import digest_send
from reminders.services.schedule import digest_schedule_update
from reminders.services.sweep import sweep_run

pytestmark = pytest.mark.django_db

# Saturday 28 November 2026, 10:30 in Paris.
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 28)
ACTIONS = {"done": "Done", "snooze": "Snooze a week", "coffee": "Log a coffee"}
# What a used link says happened, after each action.
ALREADY = {
    "done": "You already marked reaching out to Amara Diallo as done on Saturday 28 November.",
    "snooze": "You snoozed Amara Diallo until Saturday 5 December.",
    "coffee": "You already logged a coffee with Amara Diallo on Saturday 28 November.",
}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def in_paris(user) -> None:
    user.settings.time_zone = "Europe/Paris"
    user.settings.save()
    digest_schedule_update(user_settings=user.settings, now=NOW - dt.timedelta(hours=3))


def due_contact(owner, name: str, *, cadence: int) -> Contact:
    """Added 30 days ago with no interaction: due (30 - cadence) days ago."""
    return contact_save(
        contact=Contact(owner=owner, name=name, cadence_days=cadence),
        today=TODAY - dt.timedelta(days=30),
    )


@pytest.fixture
def people(alice, bob):
    """Alice (Paris) with Amara and Ben due, Bob with Carla due; the sweep opened their reminders
    and created their digests."""
    in_paris(alice)
    in_paris(bob)
    amara = due_contact(alice, "Amara Diallo", cadence=7)
    ben = due_contact(alice, "Ben Carter", cadence=14)
    carla = due_contact(bob, "Carla Souza", cadence=7)
    report = sweep_run(now=NOW)
    assert len(report.digests_created) == 2
    return {"amara": amara, "ben": ben, "carla": carla}


@pytest.fixture
def alice_email(people, alice, mailoutbox):
    digest = Digest.objects.get(owner=alice)
    assert digest_send(digest_id=digest.pk, now=NOW) == "sent"
    [message] = [m for m in mailoutbox if m.to == [alice.email]]
    return message


def links_by_person(body: str) -> dict[str, dict[str, str]]:
    """{"Amara Diallo": {"done": url, "snooze": url, "coffee": url}, ...} from the text body."""
    found: dict[str, dict[str, str]] = {}
    for block in re.split(r"^\* ", body, flags=re.M)[1:]:
        name = re.match(r"[^(:\n]+?(?= \(|:)", block).group(0)
        urls = {
            action: match.group(1)
            for action, label in ACTIONS.items()
            if (match := re.search(rf"^  {label}: (\S+)$", block, flags=re.M))
        }
        if urls:
            found[name] = urls
    return found


def text(response) -> str:
    """The page as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


def path(url: str) -> str:
    return urlsplit(url).path


def reminder_of(contact: Contact) -> Reminder:
    return Reminder.objects.get(contact=contact, kind="reach_out")


def snapshot(contact: Contact) -> tuple:
    """Everything a link could change about one person."""
    contact.refresh_from_db()
    reminder = reminder_of(contact)
    return (
        contact.next_reach_out_on,
        contact.last_interaction_on,
        contact.cadence_restarted_on,
        contact.snoozed_until,
        reminder.state,
        reminder.version,
        reminder.snoozed_until,
        Interaction.objects.filter(contacts=contact).count(),
    )


def due_section(client) -> str:
    return (
        client.get(reverse("dashboard"))
        .content.decode()
        .split('id="due"')[1]
        .split("</section>")[0]
    )


# --- The links in the digest ------------------------------------------------------------------


def test_the_digest_has_done_snooze_and_coffee_links_for_each_due_person(alice_email, people):
    found = links_by_person(alice_email.body)
    assert set(found) == {"Amara Diallo", "Ben Carter"}
    html_body = alice_email.alternatives[0].content
    for key, name in (("amara", "Amara Diallo"), ("ben", "Ben Carter")):
        reminder = reminder_of(people[key])
        for action in ACTIONS:
            url = found[name][action]
            assert url.startswith("http")
            assert url in html_body
            token = path(url).removeprefix("/reminders/act/").removesuffix("/")
            assert links.read_action_token(token) == links.ActionLink(
                user_id=reminder.owner_id, reminder_id=reminder.pk, action=action, version=1
            )
    # Six different links, none of them for Bob's people.
    assert len({url for urls in found.values() for url in urls.values()}) == 6
    assert "Carla Souza" not in alice_email.body


@pytest.mark.parametrize("action", list(ACTIONS))
def test_opening_a_link_asks_first_and_changes_nothing(alice_email, people, action):
    before = snapshot(people["amara"])
    url = links_by_person(alice_email.body)["Amara Diallo"][action]

    response = Client().get(path(url))

    assert response.status_code == 200
    page = text(response)
    assert f"<h1>{links.ACTIONS[action]}?</h1>" in page
    assert "Amara Diallo" in page
    assert '<form method="post">' in page
    assert snapshot(people["amara"]) == before


def test_snooze_link_puts_the_person_off_for_a_week(alice_email, people, alice_client):
    assert "Amara Diallo" in due_section(alice_client)
    url = links_by_person(alice_email.body)["Amara Diallo"]["snooze"]

    response = Client().post(path(url))

    assert response.status_code == 200
    assert "Amara Diallo is snoozed for a week." in text(response)
    amara = people["amara"]
    amara.refresh_from_db()
    assert amara.next_reach_out_on == TODAY + dt.timedelta(days=7)
    reminder = reminder_of(amara)
    assert (reminder.state, reminder.snoozed_until) == ("snoozed", TODAY + dt.timedelta(days=7))
    assert not Interaction.objects.exists()
    due = due_section(alice_client)
    assert "Amara Diallo" not in due
    assert "Ben Carter" in due


def test_coffee_link_logs_a_coffee_today(alice_email, people, alice, alice_client):
    url = links_by_person(alice_email.body)["Amara Diallo"]["coffee"]

    response = Client().post(path(url))

    assert response.status_code == 200
    assert "Coffee with Amara Diallo logged for today." in text(response)
    [coffee] = Interaction.objects.all()
    assert (coffee.owner, coffee.kind, coffee.occurred_on) == (alice, "coffee", TODAY)
    assert list(coffee.contacts.all()) == [people["amara"]]
    amara = people["amara"]
    amara.refresh_from_db()
    assert (amara.last_interaction_on, amara.next_reach_out_on) == (
        TODAY,
        TODAY + dt.timedelta(days=7),
    )
    assert reminder_of(amara).state == "done"
    assert "Amara Diallo" not in due_section(alice_client)


def test_done_link_restarts_the_rhythm_today(alice_email, people):
    url = links_by_person(alice_email.body)["Ben Carter"]["done"]

    response = Client().post(path(url))

    assert response.status_code == 200
    assert "Marked as done." in text(response)
    ben = people["ben"]
    ben.refresh_from_db()
    assert (ben.cadence_restarted_on, ben.next_reach_out_on) == (
        TODAY,
        TODAY + dt.timedelta(days=14),
    )
    reminder = reminder_of(ben)
    assert (reminder.state, reminder.version) == ("done", 2)
    assert reminder.closed_at == NOW
    assert not Interaction.objects.exists()
    # Amara's links are untouched.
    assert reminder_of(people["amara"]).version == 1


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_link_works_once(alice_email, people, action, method):
    found = links_by_person(alice_email.body)["Amara Diallo"]
    assert Client().post(path(found[action])).status_code == 200
    after_first = snapshot(people["amara"])

    again = getattr(Client(), method)(path(found[action]))

    assert again.status_code == 410
    assert ALREADY[action] in " ".join(text(again).split())
    assert snapshot(people["amara"]) == after_first
    assert Interaction.objects.count() == (1 if action == "coffee" else 0)
    # The person's other links were used up by the same act.
    for other_action in set(ACTIONS) - {action}:
        other = getattr(Client(), method)(path(found[other_action]))
        assert other.status_code == 410
    assert snapshot(people["amara"]) == after_first


def test_a_link_says_which_interaction_already_took_care_of_it(alice_email, people, alice, clock):
    url = links_by_person(alice_email.body)["Amara Diallo"]["done"]
    # Two days later, a call is logged from the dashboard: the reminder closes without the link.
    clock.move_to(NOW + dt.timedelta(days=2))
    interaction_log(
        owner=alice,
        contacts=[people["amara"]],
        kind="video_call",
        occurred_at=NOW + dt.timedelta(days=1, hours=8),
        today=TODAY + dt.timedelta(days=2),
    )
    assert reminder_of(people["amara"]).state == "done"
    # A week later, a message: not what closed the reminder.
    clock.move_to(NOW + dt.timedelta(days=9))
    interaction_log(
        owner=alice,
        contacts=[people["amara"]],
        kind="message",
        occurred_at=NOW + dt.timedelta(days=9),
        today=TODAY + dt.timedelta(days=9),
    )

    response = Client().get(path(url))

    assert response.status_code == 410
    page = " ".join(text(response).split())
    assert "You already logged a video call with Amara Diallo on Sunday 29 November." in page
    assert "already used" not in page


def test_a_link_after_a_snooze_from_the_dashboard_says_until_when(alice_email, people):
    url = links_by_person(alice_email.body)["Amara Diallo"]["coffee"]
    contact_snooze(contact=people["amara"], until=TODAY + dt.timedelta(days=30), today=TODAY)
    assert reminder_of(people["amara"]).state == "done"

    response = Client().get(path(url))

    assert response.status_code == 410
    assert "You snoozed Amara Diallo until Monday 28 December." in " ".join(text(response).split())


def test_a_link_to_a_dismissed_or_deleted_reminder_says_so(alice_email, people):
    found = links_by_person(alice_email.body)
    Reminder.objects.filter(contact=people["amara"]).update(
        state="dismissed", closed_at=NOW + dt.timedelta(hours=1)
    )
    page = " ".join(text(Client().get(path(found["Amara Diallo"]["done"]))).split())
    assert "This reminder about Amara Diallo was dismissed on Saturday 28 November." in page
    Reminder.objects.filter(contact=people["ben"]).delete()
    response = Client().post(path(found["Ben Carter"]["coffee"]))
    assert response.status_code == 410
    assert "This reminder no longer exists" in text(response)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_older_than_14_days_is_refused(alice_email, people, clock, method):
    url = links_by_person(alice_email.body)["Amara Diallo"]["done"]
    before = snapshot(people["amara"])

    clock.move_to(NOW + dt.timedelta(days=13, hours=23))
    assert Client().get(path(url)).status_code == 200  # still fine the day before

    clock.move_to(NOW + dt.timedelta(days=14, minutes=1))
    response = getattr(Client(), method)(path(url))

    assert response.status_code == 400
    assert "This link has expired." in text(response)
    assert snapshot(people["amara"]) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_refused(alice_email, people, method):
    url = links_by_person(alice_email.body)["Amara Diallo"]["coffee"]
    token = path(url).removeprefix("/reminders/act/").removesuffix("/")
    before = snapshot(people["amara"])
    for index in (1, len(token) // 2, len(token) - 1):  # payload, middle, signature
        original = token[index]
        changed = "B" if original != "B" else "C"
        tampered = token[:index] + changed + token[index + 1 :]
        assert tampered != token

        response = getattr(Client(), method)(reverse("reminders:act", args=[tampered]))

        assert response.status_code == 400, (index, original)
        assert "This link isn't valid." in text(response)
        assert "Amara Diallo" not in text(response)
    assert snapshot(people["amara"]) == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("forged_for", ["bob_signs_alices_reminder", "alice_signs_bobs_reminder"])
def test_a_link_for_someone_elses_reminder_is_refused(people, alice, bob, method, forged_for):
    # Signed with the real key and salt: only the owner in the payload does not match.
    target, user = (
        (people["amara"], bob)
        if forged_for == "bob_signs_alices_reminder"
        else (people["carla"], alice)
    )
    reminder = reminder_of(target)
    token = signing.dumps(
        {"u": user.pk, "r": reminder.pk, "a": "coffee", "v": reminder.version},
        salt=links.ACTION_SALT,
        compress=True,
    )
    before = snapshot(target)

    response = getattr(Client(), method)(reverse("reminders:act", args=[token]))

    assert response.status_code in {400, 403, 404, 410}
    assert target.name not in text(response)
    assert snapshot(target) == before
    assert not Interaction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_clicks_racing_act_once(alice_email, people):
    url = path(links_by_person(alice_email.body)["Amara Diallo"]["coffee"])
    start = threading.Barrier(2, timeout=10)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def click() -> None:
        try:
            client = Client()
            start.wait()
            statuses.append(client.post(url).status_code)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(statuses) == [200, 410]
    assert Interaction.objects.count() == 1
    reminder = reminder_of(people["amara"])
    assert (reminder.state, reminder.version) == ("done", 2)


# --- One-click unsubscribe (RFC 8058) --------------------------------------------------------


def unsubscribe_path(message) -> str:
    header = message.message()["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">"), header
    return path(header[1:-1])


def test_the_digest_carries_one_click_unsubscribe_headers(alice_email, alice):
    headers = alice_email.message()
    url = headers["List-Unsubscribe"][1:-1]
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.startswith("http")
    assert f"Stop these emails: {url}" in alice_email.body
    assert links.read_unsubscribe_token(
        path(url).removeprefix("/reminders/unsubscribe/").removesuffix("/")
    ) == (alice.pk)


def test_one_click_post_without_session_or_csrf_token_stops_the_digest_emails(
    alice_email, alice, bob, clock, mailoutbox
):
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no token

    response = mail_client.post(
        unsubscribe_path(alice_email),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Digest emails stopped" in text(response)
    alice.settings.refresh_from_db()
    # The email only: her digest still goes to channels and devices (notify), none here.
    assert (alice.settings.digest_frequency, alice.settings.digest_by_email) == ("daily", False)
    bob.settings.refresh_from_db()
    assert (bob.settings.digest_frequency, bob.settings.digest_by_email) == ("daily", True)
    # The following days' sweeps send her no email, though her people are still due.
    sent = len(mailoutbox)
    for day in range(1, 4):
        moment = NOW + dt.timedelta(days=day)
        clock.move_to(moment)
        for digest_id in sweep_run(now=moment).digests_to_deliver:
            digest_send(digest_id=digest_id, now=moment)
    assert set(
        Digest.objects.filter(owner=alice, local_date__gt=TODAY).values_list("state", flat=True)
    ) == {Digest.State.NOT_EMAILED}
    assert Digest.objects.filter(owner=bob).count() == 4
    assert all(message.to == [bob.email] for message in mailoutbox[sent:])


def test_opening_the_unsubscribe_link_only_asks(alice_email, alice):
    response = Client().get(unsubscribe_path(alice_email))

    assert response.status_code == 200
    page = text(response)
    assert "Stop digest emails?" in page
    assert '<form method="post">' in page
    alice.settings.refresh_from_db()
    assert (alice.settings.digest_frequency, alice.settings.digest_by_email) == ("daily", True)
    assert alice.settings.next_digest_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_unsubscribe_token_is_refused(alice_email, alice, method):
    good = unsubscribe_path(alice_email).removeprefix("/reminders/unsubscribe/").removesuffix("/")
    # A tampered token, and a valid action token of hers used in the wrong place.
    action_token = links.action_token(Reminder.objects.filter(owner=alice).first(), "done")
    for token in (good[:-3] + ("xyz" if not good.endswith("xyz") else "abc"), action_token):
        response = getattr(Client(enforce_csrf_checks=True), method)(
            reverse("reminders:unsubscribe", args=[token]),
            **({"data": "List-Unsubscribe=One-Click"} if method == "post" else {}),
            **({"content_type": "application/x-www-form-urlencoded"} if method == "post" else {}),
        )
        assert response.status_code == 400
        assert "This unsubscribe link isn't valid." in text(response)
    alice.settings.refresh_from_db()
    assert alice.settings.digest_frequency == "daily"


def test_a_digest_still_pending_when_she_unsubscribes_is_not_sent(people, alice, mailoutbox):
    digest = Digest.objects.get(owner=alice)
    token = links.unsubscribe_token(alice.pk)
    Client().post(
        reverse("reminders:unsubscribe", args=[token]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    digest_send(digest_id=digest.pk, now=NOW + dt.timedelta(minutes=1))

    assert [m for m in mailoutbox if m.to == [alice.email]] == []
