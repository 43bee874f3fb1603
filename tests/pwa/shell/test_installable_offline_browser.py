"""The installable app in Chromium: the worker registers and controls the page, Chromium finds
nothing missing for "Install", and with the network gone the dashboard opens as last loaded, says
so, and any other page shows the offline page."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.factories import CircleFactory, ContactFactory
from tests.fixtures.axe import axe_violations
from tests.fixtures.browser import CHROMIUM_ARGS, _chromium_path

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ["PWA_SCREENSHOTS"]) if os.environ.get("PWA_SCREENSHOTS") else None
ZONE = "Europe/Paris"


def signed_in(page: Page, user, live_server) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return page


def shot(page: Page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=SHOTS / f"pwa-{name}-{width}.png", full_page=True)


def wait_until_controlled(page: Page) -> None:
    """The worker installed (shell precached), active, and in charge of this page."""
    # (An evaluated promise, not wait_for_function: the page's CSP forbids the eval it uses.)
    controlled = page.evaluate(
        """() => Promise.race([
            navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller
                || new Promise(resolve => navigator.serviceWorker.addEventListener(
                    "controllerchange", resolve, { once: true }))).then(() => true),
            new Promise(resolve => setTimeout(() => resolve(false), 10000)),
        ])"""
    )
    assert controlled, "no service worker took charge of the page"


def eventually(page: Page, predicate: str, *, attempts: int = 100) -> bool:
    """Whether the async JS ``predicate`` comes true within ``attempts`` tries 100 ms apart.
    (Playwright's wait_for_function takes a returned promise for a truthy value, and
    evaluating a string in the page is eval, which the page's CSP forbids.)"""
    return page.evaluate(
        f"""async () => {{
            const predicate = {predicate};
            for (let i = 0; i < {attempts}; i++) {{
                if (await predicate()) return true;
                await new Promise(resolve => setTimeout(resolve, 100));
            }}
            return false;
        }}"""
    )


@pytest.fixture
def due_people(alice):
    circle = CircleFactory(owner=alice, name="Close friends", cadence_days=14)
    for name in ("Amara Diallo", "Jonas Weber"):
        ContactFactory(owner=alice, name=name, circle=circle, next_reach_out_on=dt.date(2020, 1, 1))


def test_the_worker_registers_and_controls_the_page(page, alice, live_server, due_people):
    signed_in(page, alice, live_server)
    page.goto("/")
    wait_until_controlled(page)

    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live_server.url + "/"
    script = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert script == live_server.url + "/sw.js"
    # The shell is precached under this version's name.
    names = page.evaluate("caches.keys()")
    assert any(re.fullmatch(r"network-crm-shell-\w{16}", name) for name in names), names


@pytest.fixture
def profile_page(browser, live_server, browser_errors, tmp_path):
    """A page in a Chromium with a profile on disk: Chromium never offers to install an app from
    an incognito context, which is what every other test's fresh context is."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=_chromium_path(),
        args=CHROMIUM_ARGS,
        headless=True,
        base_url=live_server.url,
        viewport={"width": 1200, "height": 900},
    )
    page = context.pages[0] if context.pages else context.new_page()
    browser_errors.watch(page)
    yield page
    context.close()
    assert browser_errors.unexpected() == []


def test_chromium_finds_nothing_missing_to_install_the_app(
    profile_page, alice, live_server, due_people
):
    page = signed_in(profile_page, alice, live_server)
    page.goto("/")
    wait_until_controlled(page)
    cdp = page.context.new_cdp_session(page)

    manifest = cdp.send("Page.getAppManifest")
    errors = cdp.send("Page.getInstallabilityErrors")

    assert manifest["errors"] == []
    assert manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert errors["installabilityErrors"] == []


def test_offline_the_dashboard_opens_as_last_loaded_and_says_so(
    new_page, alice, live_server, due_people
):
    page = signed_in(new_page(timezone_id=ZONE), alice, live_server)
    page.goto("/")
    wait_until_controlled(page)
    page.reload()  # now through the worker, which keeps this copy
    expect(page.get_by_role("link", name="Amara Diallo")).to_be_visible()
    saved_at = page.evaluate(
        """caches.open("network-crm-pages").then(c => c.match("/"))
           .then(r => Number(r.headers.get("X-Network-Crm-Saved-At")))"""
    )

    page.context.set_offline(True)
    page.reload()

    due = page.get_by_role("region", name="Reach out today")
    expect(due.get_by_role("link", name="Amara Diallo")).to_be_visible()
    expect(due.get_by_role("link", name="Jonas Weber")).to_be_visible()
    loaded = dt.datetime.fromtimestamp(saved_at / 1000, tz=ZoneInfo(ZONE)).strftime("%H:%M")
    banner = page.get_by_role("status").filter(has_text="You're offline")
    expect(banner).to_have_text(f"You're offline — showing what was loaded at {loaded}.")
    shot(page, "offline-dashboard")
    # The manifest too (the browser reads it again for the installed app's window).
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["start_url"] == "/"

    page.context.set_offline(False)
    expect(page.get_by_text("You're offline")).to_have_count(0)
    expect(page.get_by_role("link", name="Show the latest")).to_be_visible()
    shot(page, "back-online")
    page.get_by_role("link", name="Show the latest").click()
    expect(page.get_by_role("status").filter(has_text="back online")).to_have_count(0)


def load_through_worker(page: Page) -> None:
    """Open the dashboard, wait for the worker, and load it again through the worker."""
    page.goto("/")
    wait_until_controlled(page)
    page.reload()


@pytest.mark.parametrize("width", [1200, 390])
def test_offline_another_page_shows_the_offline_page(
    new_page, alice, live_server, due_people, browser_errors, width
):
    page = signed_in(new_page(viewport={"width": width, "height": 844}), alice, live_server)
    load_through_worker(page)

    page.context.set_offline(True)
    page.goto("/contacts/")

    expect(page.get_by_role("heading", name="You're offline", level=1)).to_be_visible()
    expect(page).to_have_url(live_server.url + "/contacts/")  # the address stays, to try again
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # names nobody
    expect(page.get_by_text("You're offline — showing")).to_have_count(0)  # the page says it
    assert axe_violations(page, where=f"offline page at {width} px") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, "offline-page")

    page.get_by_role("link", name="Open today's list").click()
    expect(page.get_by_role("link", name="Amara Diallo")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="You're offline")).to_be_visible()
    shot(page, "offline-dashboard")

    page.context.set_offline(False)
    page.goto("/contacts/")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()


def test_a_page_open_when_the_connection_drops_says_when_it_was_loaded(
    new_page, alice, live_server, due_people
):
    page = signed_in(new_page(timezone_id="Asia/Tokyo"), alice, live_server)
    load_through_worker(page)
    # The page's clock only (the worker keeps the real one): loaded at 18:30 in Tokyo.
    page.clock.set_fixed_time(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC))
    page.goto("/contacts/")
    expect(page.get_by_text("You're offline")).to_have_count(0)

    page.context.set_offline(True)

    banner = page.get_by_role("status").filter(has_text="You're offline")
    expect(banner).to_have_text("You're offline — showing what was loaded at 18:30.")
    page.context.set_offline(False)
    expect(page.get_by_text("You're offline")).to_have_count(0)
    # A page loaded from the network needs no reload once back online.
    expect(page.get_by_role("link", name="Show the latest")).to_have_count(0)


def test_offline_the_due_list_refreshes_from_its_last_copy(
    new_page, alice, live_server, due_people, browser_errors
):
    page = signed_in(new_page(), alice, live_server)
    load_through_worker(page)
    refresh = """() => new Promise(resolve => {
        document.body.addEventListener("htmx:afterSwap", () => resolve("swapped"), { once: true });
        document.body.addEventListener("htmx:sendError", () => resolve("failed"), { once: true });
        htmx.trigger(document.body, "contactChanged");
        setTimeout(() => resolve("no answer"), 15000);
    })"""
    assert page.evaluate(refresh) == "swapped"  # online: the fragment, kept by the worker
    # Every section refreshes on that event: let them all land before the network goes, so no
    # request is caught half-way by the switch (one left hanging keeps htmx from sending again).
    assert eventually(page, "() => document.querySelector('.htmx-request') === null")

    page.context.set_offline(True)

    assert page.evaluate(refresh) == "swapped"  # offline: the kept copy, not an error
    due = page.get_by_role("region", name="Reach out today")
    expect(due.get_by_role("link", name="Jonas Weber")).to_be_visible()


def test_signing_out_forgets_the_saved_dashboard(new_page, alice, live_server, due_people):
    page = signed_in(new_page(), alice, live_server)
    load_through_worker(page)
    assert page.evaluate("caches.has('network-crm-pages')")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert eventually(page, "() => caches.has('network-crm-pages').then(has => !has)")

    page.context.set_offline(True)
    page.goto("/")
    expect(page.get_by_role("heading", name="You're offline", level=1)).to_be_visible()
    expect(page.get_by_text("Amara Diallo")).to_have_count(0)


def test_a_lapsed_session_forgets_the_saved_dashboard(new_page, alice, live_server, due_people):
    page = signed_in(new_page(), alice, live_server)
    load_through_worker(page)
    assert page.evaluate("caches.has('network-crm-pages')")

    page.context.clear_cookies()
    page.goto("/")  # the dashboard sends a visitor without a session to sign in

    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert eventually(page, "() => caches.has('network-crm-pages').then(has => !has)")


def test_the_worker_answers_page_loads_but_never_a_post(new_page, alice, live_server, due_people):
    page = signed_in(new_page(), alice, live_server)
    page.goto("/")
    wait_until_controlled(page)

    with page.expect_response(lambda r: r.url == live_server.url + "/") as navigation:
        page.reload()
    assert navigation.value.from_service_worker

    due = page.get_by_role("region", name="Reach out today")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        due.get_by_role("button", name="Log coffee with Amara Diallo").click()
    assert posted.value.ok
    assert not posted.value.from_service_worker
    expect(page.get_by_role("status").filter(has_text="Amara")).to_be_visible()


def test_a_new_version_replaces_the_old_shell(
    new_page, alice, live_server, due_people, monkeypatch
):
    page = signed_in(new_page(), alice, live_server)
    load_through_worker(page)
    old = [name for name in page.evaluate("caches.keys()") if name.startswith("network-crm-shell")]
    saved_at = """() => caches.open("network-crm-pages").then(c => c.match("/"))
        .then(r => Number(r.headers.get("X-Network-Crm-Saved-At")))"""
    first_saved = page.evaluate(saved_at)

    monkeypatch.setattr("pwa.shell.shell_version", lambda: "0123456789abcdef")  # a deploy
    page.evaluate("navigator.serviceWorker.ready.then(r => r.update())")
    assert eventually(
        page,
        "() => caches.keys().then(names => names.includes('network-crm-shell-0123456789abcdef'))",
    )
    assert eventually(page, f"() => caches.has({old[0]!r}).then(has => !has)")
    # The dashboard kept for offline is loaded again, for the new shell's files.
    assert eventually(page, f"() => ({saved_at})().then(at => at > {first_saved})")

    # And it opens offline.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("link", name="Amara Diallo")).to_be_visible()


PUSH_SCRIPT = """
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "are-push-handlers-here") {
    event.source.postMessage({ type: "push-handlers-here" });
  }
});
"""


def test_the_worker_runs_the_push_handlers_under_its_policy(
    new_page, alice, live_server, static_copy
):
    (static_copy / "js" / "sw-push.js").write_text(PUSH_SCRIPT)
    page = signed_in(new_page(), alice, live_server)
    page.goto("/")
    wait_until_controlled(page)

    answer = page.evaluate(
        """() => new Promise(resolve => {
            navigator.serviceWorker.addEventListener("message", e => {
                if (e.data.type === "push-handlers-here") resolve(e.data.type);
            });
            navigator.serviceWorker.controller.postMessage({ type: "are-push-handlers-here" });
            setTimeout(() => resolve("no answer"), 5000);
        })"""
    )

    assert answer == "push-handlers-here"
