"""A quick log made offline, in Chromium: kept on the device (nothing reaches the server), sent
once when the connection returns, with the page's Undo; a repeat of the same key (a lost
response, two tabs) still lands once (static/js/offline-log.js)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact
from contacts.services import contact_save
from interactions.models import Interaction
from interactions.services import interaction_log
from network_crm.clock import local_today
from tests.factories import UserFactory
from tests.fixtures.axe import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}
QUEUED = "Saved on this device; it will be sent when you're back online."


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"offline-{name}.png", full_page=True, caret="initial")


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


@pytest.fixture
def ana(transactional_db):
    """Ana is due: a 7-day rhythm, last seen ten days ago."""
    owner = UserFactory(email="ines@example.com", name="Ines Duarte")
    today = local_today(owner)
    contact = contact_save(
        contact=Contact(owner=owner, name="Ana Lima", cadence_days=7), today=today
    )
    interaction_log(
        owner=owner,
        contacts=[contact],
        kind="call",
        occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=10),
        today=today,
    )
    return contact


def coffees(contact: Contact):
    return Interaction.objects.filter(owner=contact.owner, contacts=contact, kind="coffee")


def go_offline_and_log_coffee(page: Page) -> None:
    page.context.set_offline(True)
    due = page.get_by_role("region", name="Reach out today")
    due.get_by_role("button", name="Log coffee").click()
    expect(page.locator("#announce")).to_contain_text(QUEUED)
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_contain_text(
        "Coffee with Ana Lima"
    )


def test_a_coffee_logged_offline_lands_once_back_online_with_undo(new_page, ana):
    page = new_page()
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)
    assert not coffees(ana).exists()
    assert axe_violations(page, where="dashboard, a log waiting") == []
    shot(page, "queued")

    page.context.set_offline(False)
    announce = page.locator("#announce")
    expect(announce).to_contain_text("Coffee with Ana Lima logged.")
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_have_count(0)
    assert coffees(ana).count() == 1
    # The dashboard heard about it: Ana is no longer due.
    due = page.get_by_role("region", name="Reach out today")
    expect(due).to_contain_text("Nobody is due today")
    shot(page, "landed")

    # Back online, a reload sends nothing more.
    page.reload()
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    page.evaluate("0")
    assert coffees(ana).count() == 1


def test_undo_after_landing_takes_the_log_back(new_page, ana):
    page = new_page()
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)
    page.context.set_offline(False)
    announce = page.locator("#announce")
    expect(announce).to_contain_text("Coffee with Ana Lima logged.")
    announce.get_by_role("button", name="Undo").click()
    expect(announce).to_contain_text("Undone: the coffee with Ana Lima is out of the log.")
    assert not coffees(ana).exists()


def test_queued_log_is_sent_on_the_next_page_load(new_page, ana):
    page = new_page()
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)
    page.close()
    assert not coffees(ana).exists()

    # The app closed offline and opened again later, online: the page sends what waits.
    again = page.context.new_page()
    page.context.set_offline(False)
    again.goto("/")
    expect(again.locator("#announce")).to_contain_text("Coffee with Ana Lima logged.")
    assert coffees(ana).count() == 1


def test_a_repeat_of_the_same_key_after_a_lost_response_lands_once(new_page, ana, browser_errors):
    browser_errors.allow(
        r"/api/v1/interactions/: Failed to load resource: net::ERR_CONNECTION_RESET"
    )
    page = new_page()
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)

    # The first answer is lost on the way back: the request reached the server, the page saw
    # a network error and keeps the log; it sends it again with the same key.
    lost = {"count": 0}

    def lose_first_answer(route):
        response = route.fetch()
        if lost["count"] == 0:
            lost["count"] += 1
            assert response.status == 201
            route.abort("connectionreset")
        else:
            route.fulfill(response=response)

    page.route("**/api/v1/interactions/", lose_first_answer)
    with page.expect_event("requestfailed"):
        page.context.set_offline(False)
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_be_visible()
    assert coffees(ana).count() == 1
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#announce")).to_contain_text("Coffee with Ana Lima logged.")
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_have_count(0)
    assert lost["count"] == 1
    assert coffees(ana).count() == 1


def test_two_tabs_back_online_send_it_once(new_page, ana):
    first = new_page()
    log_in(first, "ines@example.com")
    first.goto("/")
    second = first.context.new_page()
    second.goto("/")
    go_offline_and_log_coffee(first)
    sent = []
    first.context.on(
        "request",
        lambda request: (
            sent.append(request.url)
            if request.method == "POST" and "/api/v1/interactions/" in request.url
            else None
        ),
    )
    # Both tabs hear 'online' and flush at once: one sends, the other finds nothing left.
    first.context.set_offline(False)
    for tab in (first, second):
        expect(tab.get_by_role("region", name="1 waiting to be sent")).to_have_count(0)
    announced = [tab.locator("#announce").inner_text() for tab in (first, second)]
    assert sum("Coffee with Ana Lima logged." in text for text in announced) == 1
    second.reload()
    expect(second.get_by_role("heading", name="Hello Ines")).to_be_visible()
    assert coffees(ana).count() == 1
    assert len(sent) == 1


def test_person_page_form_offline_keeps_kind_day_and_note(new_page, ana):
    page = new_page(viewport=PHONE)
    log_in(page, "ines@example.com")
    page.goto(ana.get_absolute_url())
    page.context.set_offline(True)
    form = page.get_by_role("region", name="Log an interaction")
    form.get_by_label("What").select_option("call")
    yesterday = local_today(ana.owner) - dt.timedelta(days=1)
    form.get_by_label("When").fill(yesterday.isoformat())
    form.get_by_label("Notes").fill("Talked about <b>Lisbon</b> & the move")
    form.get_by_role("button", name="Log it").click()
    expect(page.locator("#announce")).to_contain_text(QUEUED)
    waiting = page.get_by_role("region", name="1 waiting to be sent")
    expect(waiting).to_contain_text("Call with Ana Lima")
    expect(waiting).to_contain_text("Talked about <b>Lisbon</b> & the move")
    expect(form.get_by_label("Notes")).to_have_value("")
    shot(page, "queued-phone")
    assert not Interaction.objects.filter(owner=ana.owner, kind="call", notes__contains="Lisbon")

    page.context.set_offline(False)
    expect(page.locator("#announce")).to_contain_text("Call with Ana Lima logged.")
    call = Interaction.objects.get(owner=ana.owner, kind="call", notes__contains="Lisbon")
    assert call.notes == "Talked about <b>Lisbon</b> & the move"
    assert call.occurred_on == yesterday
    shot(page, "landed-phone")


def test_a_log_the_server_refuses_is_kept_with_its_text(new_page, ana, browser_errors):
    browser_errors.allow(r"status of 400")
    page = new_page()
    log_in(page, "ines@example.com")
    page.goto(ana.get_absolute_url())
    page.context.set_offline(True)
    form = page.get_by_role("region", name="Log an interaction")
    form.get_by_label("Notes").fill("The note I must not lose")
    form.get_by_role("button", name="Log it").click()
    expect(page.locator("#announce")).to_contain_text(QUEUED)
    # Meanwhile (on another device) Ana was archived: the API refuses her.
    Contact.objects.filter(pk=ana.pk).update(archived=True)

    page.context.set_offline(False)
    announce = page.locator("#announce")
    expect(announce).to_contain_text("Couldn't log coffee with Ana Lima")
    panel = page.get_by_role("region", name="1 not sent")
    expect(panel).to_contain_text("The note I must not lose")
    expect(panel).to_contain_text("was not found among your active contacts")
    assert axe_violations(page, where="person page, a log refused") == []
    shot(page, "refused")
    assert not Interaction.objects.filter(notes__contains="must not lose").exists()
    panel.get_by_role("button", name="Dismiss").click()
    expect(panel).to_have_count(0)


def test_another_account_on_this_device_never_sends_or_sees_the_queue(
    new_page, ana, browser_errors
):
    browser_errors.allow(r"/api/v1/interactions/: Failed to load resource: net::ERR_FAILED")
    UserFactory(email="bob@example.com", name="Bob Okafor")
    page = new_page()
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)
    page.route("**/api/v1/interactions/", lambda route: route.abort())  # keep it waiting
    page.context.set_offline(False)
    page.goto("/")
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_be_visible()
    page.unroute("**/api/v1/interactions/")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "bob@example.com")
    page.goto("/")
    expect(page.get_by_role("heading", name="Hello Bob")).to_be_visible()
    page.evaluate("0")
    expect(page.locator("#offline-queue")).to_be_hidden()
    assert not coffees(ana).exists()


def test_a_log_that_cannot_reach_the_server_while_online_waits_too(new_page, ana, browser_errors):
    # The phone says it is online, but the server cannot be reached (a captive portal, the
    # server restarting): htmx reports a send error and the log waits like an offline one.
    browser_errors.allow(r"/interactions/log/\d+/: Failed to load resource: net::ERR_FAILED")
    browser_errors.allow(r"htmx-2\.min\.js: htmx:(sendError|afterRequest)")  # htmx's own log
    page = new_page(viewport=PHONE)
    log_in(page, "ines@example.com")
    page.goto("/")
    page.route("**/interactions/log/**", lambda route: route.abort())
    page.get_by_role("region", name="Reach out today").get_by_role(
        "button", name="Log coffee"
    ).click()
    expect(page.locator("#announce")).to_contain_text(QUEUED)
    waiting = page.get_by_role("region", name="1 waiting to be sent")
    expect(waiting).to_contain_text("Coffee with Ana Lima")
    assert not coffees(ana).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.unroute("**/interactions/log/**")
    waiting.get_by_role("button", name="Send now").click()
    expect(page.locator("#announce")).to_contain_text("Coffee with Ana Lima logged.")
    expect(waiting).to_have_count(0)
    assert coffees(ana).count() == 1


# Plain http to a home server on the LAN is not a secure context: no Web Locks, no randomUUID.
INSECURE_CONTEXT = """
Object.defineProperty(Navigator.prototype, 'locks', {get() { return undefined; }});
Object.defineProperty(Crypto.prototype, 'randomUUID', {value: undefined});
"""


def test_two_tabs_without_web_locks_or_random_uuid_still_send_it_once(new_page, ana):
    first = new_page()
    first.context.add_init_script(INSECURE_CONTEXT)
    log_in(first, "ines@example.com")
    first.goto("/")
    assert first.evaluate("navigator.locks === undefined && crypto.randomUUID === undefined")
    second = first.context.new_page()
    second.goto("/")
    go_offline_and_log_coffee(first)
    key = first.evaluate(
        """() => new Promise(resolve => indexedDB.open('network-crm-offline').onsuccess = e =>
             e.target.result.transaction('logs').objectStore('logs').getAll().onsuccess =
             r => resolve(r.target.result[0].key))"""
    )
    assert len(key) == 36 and key[14] == "4"
    sent = []
    first.context.on(
        "request",
        lambda request: (
            sent.append(request.headers.get("idempotency-key"))
            if request.method == "POST" and "/api/v1/interactions/" in request.url
            else None
        ),
    )
    first.context.set_offline(False)
    for tab in (first, second):
        expect(tab.get_by_role("region", name="1 waiting to be sent")).to_have_count(0)
    second.reload()
    expect(second.get_by_role("heading", name="Hello Ines")).to_be_visible()
    assert coffees(ana).count() == 1
    assert sent == [key]


LEFT_BEHIND_LEASE = """seconds => new Promise(resolve => indexedDB.open('network-crm-offline').onsuccess = e => {
    const until = Date.now() + seconds * 1000;
    const tx = e.target.result.transaction('meta', 'readwrite');
    tx.objectStore('meta').put({token: 'a tab closed mid-send', until}, 'lease');
    tx.oncomplete = () => resolve(until);
})"""


def test_a_lease_left_by_a_tab_closed_mid_send_only_delays_the_log_until_it_runs_out(new_page, ana):
    """Without Web Locks, a tab that closed while sending leaves its lease behind. The log waits
    for the lease to run out (a few seconds here), then goes without a reload or the 30 s retry."""
    page = new_page()
    page.context.add_init_script(INSECURE_CONTEXT)
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)
    lease_until_ms = page.evaluate(LEFT_BEHIND_LEASE, 3)
    sent_at_ms = []
    page.context.on(
        "request",
        lambda request: (
            sent_at_ms.append(time.time() * 1000)
            if request.method == "POST" and "/api/v1/interactions/" in request.url
            else None
        ),
    )
    page.context.set_offline(False)
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_have_count(0)
    expect(page.locator("#announce")).to_contain_text("Coffee with Ana Lima logged.")
    assert coffees(ana).count() == 1
    assert len(sent_at_ms) == 1 and sent_at_ms[0] >= lease_until_ms - 50
    # The sender gave its own lease back: nothing holds the next send up.
    assert page.evaluate(
        """() => new Promise(resolve => indexedDB.open('network-crm-offline').onsuccess = e =>
             e.target.result.transaction('meta').objectStore('meta').get('lease').onsuccess =
             r => resolve(r.target.result === undefined))"""
    )


def test_a_page_load_with_nothing_waiting_takes_no_lease(new_page, ana):
    """Every page load looks for logs to send; with none waiting it must not take the lease, or a
    page left at once (a redirect, a quick click) would hold every other tab up for 30 s."""
    page = new_page()
    page.context.add_init_script(INSECURE_CONTEXT)
    page.context.add_init_script(
        """(() => {
          const put = IDBObjectStore.prototype.put;
          IDBObjectStore.prototype.put = function (value, key) {
            if (key === 'lease') sessionStorage.setItem('leases', (+sessionStorage.getItem('leases') || 0) + 1);
            return put.apply(this, arguments);
          };
        })()"""
    )
    log_in(page, "ines@example.com")
    page.goto("/")
    page.reload()
    expect(page.get_by_role("heading", name="Hello Ines")).to_be_visible()
    page.wait_for_function("document.getElementById('offline-queue') !== null")
    page.evaluate("new Promise(resolve => setTimeout(resolve, 300))")
    assert page.evaluate("sessionStorage.getItem('leases')") is None
    # With a log waiting, the same page load does take it (the counter can count).
    go_offline_and_log_coffee(page)
    page.context.set_offline(False)
    expect(page.locator("#announce")).to_contain_text("Coffee with Ana Lima logged.")
    assert page.evaluate("+sessionStorage.getItem('leases')") >= 1


def test_a_lease_further_ahead_than_a_lease_lasts_is_not_waited_for(new_page, ana):
    """A lease ten minutes ahead can't have been taken by a live tab (a lease lasts 30 s): the
    clock was set back since. It is ignored, and the log goes at once."""
    page = new_page()
    page.context.add_init_script(INSECURE_CONTEXT)
    log_in(page, "ines@example.com")
    page.goto("/")
    go_offline_and_log_coffee(page)
    page.evaluate(LEFT_BEHIND_LEASE, 600)
    page.context.set_offline(False)
    expect(page.locator("#announce")).to_contain_text("Coffee with Ana Lima logged.")
    expect(page.get_by_role("region", name="1 waiting to be sent")).to_have_count(0)
    assert coffees(ana).count() == 1
