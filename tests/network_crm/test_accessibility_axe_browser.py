"""axe-core over every page and htmx fragment a user meets, at phone and desktop width.

The walk gives a demo account realistic data (seed_demo), visits each stop below in order and
runs axe (tests/fixtures/axe.py) with the WCAG 2.1 A and AA rules. A stop is a page, or a page
plus a step: the htmx request that swaps a fragment in, or the form that leads to the next page
(an import preview, an admin action's confirmation); axe then checks the page as the step left
it. Every stop's violations are collected, so one failure lists them all, each with its page,
width, rule, impact and the selectors of the elements at fault.

Adding a page is one line in ANONYMOUS or SIGNED_IN. Paths take the ``{names}`` that
``_walk_data`` fills in. Stops run in order and some change data (logging, snoozing, adding an
interest), which later stops may see; that is the realistic part.

The walk runs on CI's first database pass (SQLite) only: the markup does not depend on the
database, and two walks cost a few minutes. AXE_ON_POSTGRESQL=1 runs it on PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import connection
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from accounts import services as account_services
from accounts.models import Invitation, User
from contacts.models import Contact
from giving.models import ShareItem
from giving.services.introductions import introduction_create
from interactions.models import Interaction
from interactions.plans import plan_create
from network_crm.clock import local_today
from network_crm.clock import now as clock_now
from reminders import links
from reminders.models import Reminder, RhythmStretch
from tests.factories import ContactFactory
from tests.fixtures.axe import Violation, axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite" and os.environ.get("AXE_ON_POSTGRESQL") != "1",
        reason="the axe walk runs on the SQLite pass (AXE_ON_POSTGRESQL=1 runs it here too)",
    ),
]

VIEWPORTS = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 900}}
EMAIL = "demo@example.com"
PASSWORD = "demo-password-123"  # seed_demo's


# --- Steps: what a stop does after loading its page --------------------------------------------


def htmx_swap(action: Callable[[Page], None]) -> Callable[[Page], None]:
    """Run ``action`` and wait until htmx has settled the fragment it brought in."""

    def step(page: Page) -> None:
        page.evaluate(
            """() => { window.__settled = false; document.body.addEventListener(
                'htmx:afterSettle', () => { window.__settled = true; }, {once: true}); }"""
        )
        action(page)
        # A function, not an expression: the strict CSP forbids the eval an expression needs.
        page.wait_for_function("() => window.__settled === true")

    return step


def log_coffee(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^Log coffee")).first.click()
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_visible()


def log_passed_plan(page: Page) -> None:
    """Plans: "Log it" on a meeting whose time has passed; the promise capture comes in."""
    page.get_by_role("button", name=re.compile(r"^Log it: ")).first.click()
    expect(page.get_by_role("button", name="Remind me")).to_be_visible()


def open_person_menu(page: Page) -> None:
    """Open the first due person's menu of less frequent actions, where there is one."""
    page.locator("#due summary", has_text=re.compile(r"^More")).first.click()


def snooze_first_due(page: Page) -> None:
    snooze = page.get_by_role("button", name=re.compile(r"^Snooze")).first
    if not snooze.is_visible():
        open_person_menu(page)
    snooze.click()


def log_first_meetup(page: Page) -> None:
    page.locator("#due .meetup").first.get_by_role("button", name=re.compile(r"^Log it")).click()
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_visible()


def dismiss_first_meetup(page: Page) -> None:
    page.locator("#due .meetup").first.get_by_role("button", name=re.compile(r"^Not now")).click()
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_visible()


def undo_rhythm(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^Undo the longer rhythm")).first.click()


def search_people(page: Page) -> None:
    page.get_by_label("Search people").fill("an")


def open_bulk_panel(page: Page) -> None:
    page.get_by_text("Edit selected…").click()
    page.get_by_role("checkbox", name=re.compile(r"^Select ")).first.check()
    expect(page.get_by_role("button", name="Apply to selected")).to_be_visible()


def log_on_contact_page(page: Page) -> None:
    page.locator("#log-form").get_by_role("button", name="Log it").click()


def add_interest(page: Page) -> None:
    page.get_by_label("Add an interest").fill("Birdwatching")
    page.get_by_role("button", name="Add", exact=True).click()


def find_introducer(page: Page) -> None:
    page.get_by_label("Who introduced you? Type a name").fill("a")


def snooze_contact(page: Page) -> None:
    page.get_by_role("button", name="Snooze", exact=True).click()


def search_interests(page: Page) -> None:
    page.get_by_label("Find an interest").fill("a")


def filter_activity(page: Page) -> None:
    page.locator("form.activity-filters select").first.select_option(index=1)


def take_the_first_introduction_step(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^I asked ")).click()
    expect(page.get_by_role("button", name="Undo", exact=True)).to_be_visible()


def send_empty_contact_form(page: Page) -> None:
    # Past the browser's own checks of required fields, to the page the server answers with.
    page.locator("main form[method=post]").first.evaluate("form => form.submit()")
    expect(page.locator(".errorlist").first).to_be_visible()


def send_wrong_password(page: Page) -> None:
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


CSV = (
    b"Full name,Work,E-mail\nInes Duarte,Atelier Sul,ines@example.org\nTom Berg,,tom@example.org\n"
)


def upload_csv(page: Page) -> None:
    page.get_by_label("Contacts file").set_input_files(
        files=[{"name": "friends.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page).to_have_url(re.compile(r"/contacts/import/\d+/$"))


def upload_vcard_and_import(page: Page) -> None:
    vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Vogt\r\nEMAIL:lena@example.org\r\nEND:VCARD\r\n"
    page.get_by_label("Contacts file").set_input_files(
        files=[{"name": "lena.vcf", "mimeType": "text/vcard", "buffer": vcard}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name=re.compile(r"^Import 1 person")).click()
    expect(page.get_by_role("button", name="Undo this import")).to_be_visible()


def admin_delete_selected(page: Page) -> None:
    """The stock "Delete selected" action's confirmation page."""
    page.get_by_role("checkbox", name=re.compile(r"^Select this object")).first.check()
    page.get_by_role("combobox", name=re.compile(r"^Action")).select_option("delete_selected")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_role("button", name=re.compile(r"^Yes, I.m sure"))).to_be_visible()


def admin_action(action: str, confirm: str | None = None) -> Callable[[Page], None]:
    """An admin action on the first row: its confirmation page, or (with ``confirm``, the
    confirming button's name) the list after it, with the message and its Undo."""

    def step(page: Page) -> None:
        page.get_by_role("checkbox", name=re.compile(r"^Select this object")).first.check()
        page.get_by_role("combobox", name=re.compile(r"^Action")).select_option(action)
        page.get_by_role("button", name="Run").click()
        expect(
            page.get_by_role("button", name="Cancel").or_(page.get_by_role("link", name="Cancel"))
        ).to_be_visible()
        if confirm:
            page.get_by_role("button", name=re.compile(confirm)).click()
            expect(page.get_by_role("button", name="Undo", exact=True)).to_be_visible()

    return step


def refused_form(page: Page) -> None:
    """A form sent after its CSRF cookie went (a page left open too long): the refusal page."""
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", name="Please send that again")).to_be_visible()


def add_sync_device(page: Page) -> None:
    """Settings → Sync with your phone: a device added, its password and QR code shown once."""
    page.get_by_label("Device name").fill("Demo phone")
    page.get_by_role("button", name="Add a device").click()
    expect(page.get_by_text("This password is shown only now.")).to_be_visible()


def open_sync_revoke(page: Page) -> None:
    page.get_by_role("link", name=re.compile(r"^Revoke ")).first.click()
    expect(page.get_by_role("button", name="Revoke")).to_be_visible()


def save_sync_settings_with_an_error(page: Page) -> None:
    page.get_by_text("Only these circles").click()
    page.get_by_role("button", name="Save sync settings").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def make_api_token(page: Page) -> None:
    """Settings → API tokens: a token made, shown once with its copy button."""
    page.get_by_label("Token name").fill("Demo script")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("This token is shown only now.")).to_be_visible()


def refuse_api_token(page: Page) -> None:
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def send_empty_thing(page: Page) -> None:
    page.get_by_role("button", name="Save it").click()
    expect(page.get_by_text("Give it a link, a title or a note.")).to_be_visible()


def open_share_panel(page: Page) -> None:
    page.get_by_text(re.compile(r"^Share with ")).first.click()
    expect(page.get_by_role("button", name=re.compile(r"^Log it as shared with "))).to_be_visible()


@dataclass(frozen=True)
class Stop:
    name: str
    path: str
    then: Callable[[Page], None] | None = None
    status: int = 200


ANONYMOUS = [
    Stop("login", "/accounts/login/"),
    Stop("login refused", "/accounts/login/", send_wrong_password),
    Stop("signup (invited)", "/accounts/signup/?invite={invite}"),
    Stop("signup closed", "/accounts/signup/", status=403),
    Stop("password reset", "/accounts/password/reset/"),
    Stop("password reset sent", "/accounts/password/reset/sent/"),
    Stop("new password", "/accounts/password/reset/{uid}/{token}/"),
    Stop("password reset complete", "/accounts/password/reset/done/"),
    Stop("email link", "/reminders/act/{act}/"),
    Stop("email link, refused", "/reminders/act/forged/", status=400),
    Stop("email unsubscribe", "/reminders/unsubscribe/{unsubscribe}/"),
    Stop("not found", "/no-such-page/", status=404),
    Stop("form refused (CSRF)", "/accounts/password/reset/", refused_form),
]

SIGNED_IN = [
    Stop("contact page", "/contacts/{contact}/"),
    Stop("contact page, logged", "/contacts/{contact}/", htmx_swap(log_on_contact_page)),
    Stop("contact page, interest added", "/contacts/{contact}/", htmx_swap(add_interest)),
    Stop("contact page, introducer search", "/contacts/{contact}/", htmx_swap(find_introducer)),
    Stop("contact page, snoozed", "/contacts/{due}/", htmx_swap(snooze_contact)),
    Stop("contact form", "/contacts/{contact}/edit/"),
    Stop("new contact form", "/contacts/new/"),
    Stop("new contact form, errors", "/contacts/new/", send_empty_contact_form),
    Stop("dashboard", "/"),
    Stop("dashboard, coffee logged", "/", htmx_swap(log_coffee)),
    Stop("dashboard, snoozed", "/", htmx_swap(snooze_first_due)),
    Stop("dashboard, a person's menu open", "/", open_person_menu),
    Stop("dashboard, a meetup logged", "/", htmx_swap(log_first_meetup)),
    Stop("dashboard, a meetup not now", "/", htmx_swap(dismiss_first_meetup)),
    Stop("contact page, rhythm stretched", "/contacts/{stretched}/"),
    Stop("dashboard, rhythm stretch undone", "/", htmx_swap(undo_rhythm)),
    Stop("dashboard, plan logged", "/", htmx_swap(log_passed_plan)),
    Stop("plan a meeting", "/plans/add/?contact={contact}"),
    Stop("plan a meeting, errors", "/plans/add/", send_empty_contact_form),
    Stop("plan edit", "/plans/{plan}/edit/"),
    Stop("anything you promised", "/plans/promise/{interaction}/"),
    Stop("list", "/contacts/"),
    Stop("list, searched", "/contacts/", htmx_swap(search_people)),
    Stop("list, bulk panel open", "/contacts/", open_bulk_panel),
    Stop("list, filtered and sorted", "/contacts/?status=due&sort=next"),
    Stop("activity", "/interactions/"),
    Stop("activity, filtered", "/interactions/", htmx_swap(filter_activity)),
    Stop("log form", "/interactions/new/{contact}/"),
    Stop("interaction edit", "/interactions/{interaction}/edit/"),
    Stop("interests", "/contacts/interests/"),
    Stop("interests, searched", "/contacts/interests/", htmx_swap(search_interests)),
    Stop("circles", "/contacts/circles/"),
    Stop("import", "/contacts/import/"),
    Stop("import, CSV columns and preview", "/contacts/import/", upload_csv),
    Stop("import, done", "/contacts/import/", upload_vcard_and_import),
    Stop("duplicates", "/contacts/duplicates/"),
    Stop("merge", "/contacts/{contact}/merge/{duplicate}/"),
    Stop("settings", "/accounts/settings/"),
    Stop("sync with your phone", "/accounts/settings/sync/"),
    Stop("sync, device added", "/accounts/settings/sync/", add_sync_device),
    Stop("sync, revoke a device", "/accounts/settings/sync/", open_sync_revoke),
    Stop("sync, settings refused", "/accounts/settings/sync/", save_sync_settings_with_an_error),
    Stop("API tokens", "/accounts/settings/api-tokens/"),
    Stop("API tokens, token made", "/accounts/settings/api-tokens/", make_api_token),
    Stop("API tokens, form refused", "/accounts/settings/api-tokens/", refuse_api_token),
    Stop("channels", "/accounts/settings/notifications/channels/"),
    Stop("notifications on this device", "/accounts/settings/notifications/push/"),
    Stop("brief", "/brief/{contact}/"),
    Stop("introductions", "/introductions/"),
    Stop("introduce, people found", "/introductions/new/?a={contact}&q=a"),
    Stop("introduce, why", "/introductions/new/?a={contact}&b={due}"),
    Stop("introduction", "/introductions/{introduction}/"),
    Stop(
        "introduction, a step taken",
        "/introductions/{introduction}/",
        take_the_first_introduction_step,
    ),
    Stop("share target", "/share/?title=A%20talk&url=https%3A%2F%2Fexample.com%2Ftalk"),
    Stop("share to a person", "/share/note/?title=A%20talk&url=https%3A%2F%2Fexample.com%2Ftalk"),
    Stop("things to share", "/things/"),
    Stop("save a thing", "/things/add/?url=https%3A%2F%2Fexample.com%2Ftalk&title=A%20talk"),
    Stop("save a thing, refused", "/things/add/", send_empty_thing),
    Stop("a thing to share", "/things/{thing}/"),
    Stop("a thing, share panel open", "/things/{thing}/", open_share_panel),
    Stop("offline page", "/offline/"),
    Stop("password change", "/accounts/password/change/"),
    Stop("two-factor setup", "/accounts/settings/two-factor/setup/"),
    Stop("delete account", "/accounts/settings/delete-account/"),
    Stop("not found, signed in", "/contacts/999999/", status=404),
    Stop("admin index", "/admin/"),
    Stop("admin contacts", "/admin/contacts/contact/"),
    Stop("admin contact", "/admin/contacts/contact/{contact}/change/"),
    Stop("admin new contact", "/admin/contacts/contact/add/"),
    Stop("admin delete contacts (action)", "/admin/contacts/contact/", admin_delete_selected),
    Stop(
        "admin move to a circle (action)",
        "/admin/contacts/contact/",
        admin_action("move_to_circle"),
    ),
    Stop(
        "admin moved, with Undo",
        "/admin/contacts/contact/",
        admin_action("move_to_circle", "^Move"),
    ),
    Stop(
        "admin re-kind interactions (action)",
        "/admin/interactions/interaction/",
        admin_action("rekind"),
    ),
    Stop("admin interactions", "/admin/interactions/interaction/"),
    Stop("admin interaction", "/admin/interactions/interaction/{interaction}/change/"),
    Stop("admin circles", "/admin/contacts/circle/"),
    Stop("admin interests", "/admin/contacts/interest/"),
    Stop("admin reminders", "/admin/reminders/reminder/"),
    Stop("admin invitations", "/admin/accounts/invitation/"),
    Stop("admin users", "/admin/accounts/user/"),
    Stop("admin user", "/admin/accounts/user/{user}/change/"),
]


def _walk_data() -> dict[str, object]:
    call_command("seed_demo", "--user", EMAIL, "--contacts", "30", "--seed", "5", verbosity=0)
    user = User.objects.get(email=EMAIL)
    today = local_today(user)
    rich = Contact.objects.filter(owner=user, archived=False, interactions__isnull=False)
    contact = rich.filter(interests__isnull=False).distinct().order_by("pk").first()
    due = rich.filter(paused=False, next_reach_out_on__lte=today).exclude(pk=contact.pk)
    duplicate = ContactFactory(owner=user, name=contact.name, city="Lisbon")
    for name, city in [("Rui", "Coimbra"), ("Rita", "coimbra"), ("Bea", "Braga"), ("Bia", "Braga")]:
        # Far overdue pairs in one city: two meetup cards on the dashboard (reminders/meetups.py).
        ContactFactory(
            owner=user,
            name=name,
            city=city,
            cadence_days=7,
            next_reach_out_on=today - dt.timedelta(days=60),
        )
    follow_up = Reminder.objects.create(
        owner=user, contact=contact, kind=Reminder.Kind.FOLLOW_UP, due_on=today, note="The job"
    )
    account_services.two_factor_start(user=user)  # the setup page needs a device to confirm
    # Don't hound: a rhythm stretched today (the dashboard's notice), of someone who reaches out.
    stretched = rich.exclude(pk=contact.pk).order_by("pk").first()
    Contact.objects.filter(pk=stretched.pk).update(cadence_days=40, reaches_out_often=True)
    RhythmStretch.objects.create(
        owner=user, contact=stretched, new_cadence_days=40, stretched_on=today
    )
    due_person = due.order_by("-pk").first()
    introduction = introduction_create(
        owner=user, person_a=contact, person_b=due_person, reason="Both love jazz"
    )
    # Plans: one meeting whose time has passed (Log it on the dashboard), one ahead (edit).
    moment = clock_now()
    plan_create(
        owner=user, contacts=[contact], kind="coffee", starts_at=moment - dt.timedelta(hours=1)
    )
    plan = plan_create(
        owner=user, contacts=[contact], kind="call", starts_at=moment + dt.timedelta(days=1)
    )
    thing = ShareItem.objects.create(
        owner=user, title="A talk on what we like", url="https://ex.com"
    )
    thing.topics.set(contact.interests.all())
    return {
        "stretched": stretched.pk,
        "introduction": introduction.pk,
        "plan": plan.pk,
        "user": user.pk,
        "contact": contact.pk,
        "due": due_person.pk,
        "duplicate": duplicate.pk,
        "thing": thing.pk,
        "interaction": Interaction.objects.filter(owner=user).order_by("pk").first().pk,
        "invite": Invitation.objects.create(owner=user, email="friend@example.com").token,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "act": links.action_token(follow_up, "done"),
        "unsubscribe": links.unsubscribe_token(user.pk),
    }


def _visit(page: Page, stop: Stop, data: dict[str, object], width: int) -> list[Violation]:
    path = stop.path.format(**data)
    response = page.goto(path)
    assert response is not None, stop
    assert response.status == stop.status, f"{stop.name}: {path} answered {response.status}"
    if stop.then is not None:
        stop.then(page)
    return axe_violations(page, where=f"{stop.name} ({path}) at {width} px")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_every_page_and_fragment_has_no_wcag_21_aa_violation(new_page, browser_errors, width):
    browser_errors.allow(r"status of 40[034]")  # the console's note on the 400, 403, 404 stops
    data = _walk_data()
    page = new_page(viewport=VIEWPORTS[width])
    found = []
    for stop in ANONYMOUS:
        found += _visit(page, stop, data, width)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    for stop in SIGNED_IN:
        found += _visit(page, stop, data, width)
    assert not found, f"{len(found)} WCAG 2.1 AA violations found by axe:\n" + "\n".join(
        map(str, found)
    )


def test_the_check_reports_what_axe_finds(page):
    # A page of our own making (about:blank, no CSP), with two faults the walk must not miss.
    page.set_content(
        """<html lang="en"><title>Faults</title><main><h1>Faults</h1>
        <input type="text" id="nameless"><p id="faint" style="color:#bbb">Hard to read</p></main>"""
    )
    found = axe_violations(page, where="faults")
    assert {(v.rule, v.targets) for v in found} == {
        ("label", ("#nameless",)),
        ("color-contrast", ("#faint",)),
    }
    assert str(found[0]).startswith("faults: ")
