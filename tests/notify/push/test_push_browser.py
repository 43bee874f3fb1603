"""Settings → "Notifications on this device" in Chromium under the strict CSP.

The browser's push service is the local one (tests/notify/push/service.py): an init script
makes PushManager.subscribe return a subscription whose endpoint and keys the test made, so the
test can decrypt what the server sends. The service worker's handlers (static/js/sw-push.js)
get a push through DevTools and show the notification. Screenshots go to /tmp/shots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from notify.models import PushSubscription
from notify.services.push_subscriptions import push_subscribe
from tests.fixtures.browser import sign_up

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
PHONE = {"width": 390, "height": 844}

# A PushManager whose subscribe() gives the subscription the test made; everything else
# (permission, the service worker, the page's script) is Chromium's own.
STUB = """
(() => {
  const made = %s;
  // A real browser keeps its subscription across pages; so does this one (per profile).
  const kept = () => { try { return localStorage.getItem("stub-push") === "on"; } catch (e) { return false; } };
  const keep = (on) => localStorage.setItem("stub-push", on ? "on" : "off");
  const asSubscription = () => ({
    endpoint: made.endpoint,
    options: { applicationServerKey: Uint8Array.from(atob(localStorage.getItem("stub-key") || ""), c => c.charCodeAt(0)).buffer },
    toJSON: () => made,
    unsubscribe: () => { keep(false); window.__unsubscribed = true; return Promise.resolve(true); },
  });
  PushManager.prototype.subscribe = function (options) {
    window.__pushKey = options && options.applicationServerKey &&
      btoa(String.fromCharCode.apply(null, new Uint8Array(options.applicationServerKey)));
    localStorage.setItem("stub-key", window.__pushKey);
    keep(true);
    return Promise.resolve(asSubscription());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(kept() ? asSubscription() : null);
  };
})();
"""


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"push-{name}.png", full_page=True, caret="initial")


# The installable shell's pwa.js registers /sw.js on every page; until it is merged, this does.
REGISTER = "navigator.serviceWorker && navigator.serviceWorker.register('/sw.js', {scope: '/'});"


@pytest.fixture
def sw_urls(settings):
    settings.ROOT_URLCONF = "tests.notify.push.sw_urls"


def _signed_up(page: Page) -> None:
    page.goto("/accounts/signup/")
    sign_up(page, name="Alice Martin", email="alice@example.com")


@pytest.mark.django_db(transaction=True)
def test_turn_on_then_send_a_test_that_arrives(page: Page, push_service, sw_urls):
    subscriber = push_service.subscribe("chromium")
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(STUB % json.dumps(subscriber.as_json()) + REGISTER)
    _signed_up(page)
    page.goto("/accounts/settings/")
    section = page.locator("#push")
    expect(section.get_by_text("This device gets no notifications")).to_be_visible()
    expect(section.get_by_text("No device gets notifications yet.")).to_be_visible()
    screenshot(page, "settings-off")

    section.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#announce")).to_contain_text("Notifications are on for this device")
    expect(section.get_by_text("This device gets your daily digest")).to_be_visible()
    expect(section.get_by_text("1 device gets notifications.")).to_be_visible()
    expect(
        section.get_by_role("button", name="Turn off notifications on this device")
    ).to_be_visible()
    subscription = PushSubscription.objects.get()
    assert subscription.endpoint == subscriber.endpoint
    assert subscription.owner.email == "alice@example.com"
    assert subscription.label == "Chrome on Linux"
    # The page subscribed with the instance's VAPID key.
    from base64 import b64encode

    from tests.notify.push.service import unb64

    assert (
        page.evaluate("window.__pushKey")
        == b64encode(unb64(push_service.vapid_public_key)).decode()
    )
    screenshot(page, "settings-on")

    other = push_service.subscribe("tablet")
    push_subscribe(
        owner=subscription.owner,
        endpoint=other.endpoint,
        user_agent="Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) Version/17.5 Safari/604.1",
        **other.as_json()["keys"],
    )
    page.get_by_role("link", name="Manage your devices and send a test").click()
    devices = page.locator("#push-devices")
    expect(devices.get_by_text("Chrome on Linux")).to_be_visible()
    # Only this browser's row says "This device".
    mine = devices.locator("li", has_text="Chrome on Linux")
    expect(mine.get_by_text("This device", exact=True)).to_be_visible()
    tablet = devices.locator("li", has_text="Safari on iPad")
    expect(tablet.get_by_text("This device", exact=True)).to_be_hidden()
    expect(page.locator("#this-device").get_by_text("On", exact=True)).to_be_visible()
    devices.get_by_role("button", name="Send a test to Chrome on Linux").click()
    expect(page.locator("#announce")).to_contain_text("Test sent to “Chrome on Linux”")
    (push,) = push_service.wait_for(1)
    assert push.message["body"].startswith("Notifications reach this device.")
    assert push.message["url"].endswith("/accounts/settings/notifications/push/")
    expect(devices).to_contain_text("last notification")
    screenshot(page, "devices")

    # Off again: the browser unsubscribes and the server forgets it.
    page.locator("#this-device").get_by_role(
        "button", name="Turn off notifications on this device"
    ).click()
    expect(page.locator("#announce")).to_contain_text("Notifications are off for this device")
    expect(devices.get_by_text("Chrome on Linux")).to_have_count(0)
    expect(devices.get_by_text("Safari on iPad")).to_be_visible()
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [other.endpoint]


@pytest.mark.django_db(transaction=True)
def test_the_service_worker_shows_a_push_and_its_link(page: Page, push_service, sw_urls):
    _signed_up(page)
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(REGISTER)
    page.goto("/accounts/settings/notifications/push/")
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    registration = next(r for r in registrations if r["scopeURL"].endswith("/"))
    message = {"title": "2 people to reach out to", "body": "Amara, Bo", "url": "/?from=push"}
    origin = page.evaluate("location.origin")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": origin,
            "registrationId": registration["registrationId"],
            "data": json.dumps(message),
        },
    )
    shown = page.evaluate(
        """async () => {
             const registration = await navigator.serviceWorker.ready;
             for (let tries = 0; tries < 100; tries++) {
               const list = await registration.getNotifications();
               if (list.length) return list.map(n => ({title: n.title, body: n.body, url: n.data.url}));
               await new Promise(resolve => setTimeout(resolve, 50));
             }
             return [];
           }"""
    )
    assert shown == [
        {"title": "2 people to reach out to", "body": "Amara, Bo", "url": "/?from=push"}
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("script", "tag", "text"),
    [
        ("delete window.PushManager;", "Not available", "can't show notifications"),
        (
            "Object.defineProperty(Notification, 'permission', {get: () => 'denied'});",
            "Blocked",
            "Notifications are blocked for this site",
        ),
    ],
)
def test_unsupported_and_blocked_say_so(new_page, push_service, sw_urls, script, tag, text):
    page = new_page(viewport=PHONE)
    page.context.add_init_script(script + REGISTER)
    _signed_up(page)
    page.goto("/accounts/settings/notifications/push/")
    widget = page.locator("#this-device")
    expect(widget.get_by_text(tag, exact=True)).to_be_visible()
    expect(widget).to_contain_text(text)
    expect(widget.get_by_role("button")).to_have_count(0)
    screenshot(page, f"phone-{tag.lower().replace(' ', '-')}")


@pytest.mark.django_db(transaction=True)
def test_phone_width_devices_page(new_page, push_service, sw_urls):
    page = new_page(viewport=PHONE)
    subscriber = push_service.subscribe("phone")
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(STUB % json.dumps(subscriber.as_json()) + REGISTER)
    _signed_up(page)
    page.goto("/accounts/settings/notifications/push/")
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#push-devices").get_by_text("This device", exact=True)).to_be_visible()
    push_service.answer(subscriber, 503)
    page.get_by_role("button", name="Send a test to Chrome on Linux").click()
    expect(page.locator("#announce")).to_contain_text(
        "was not sent: The push service answered 503."
    )
    expect(page.locator("#push-devices")).to_contain_text("Last error:")
    screenshot(page, "phone-devices")
    page.goto("/accounts/settings/")
    page.locator("#push").scroll_into_view_if_needed()
    page.locator("#push").screenshot(path=SHOTS / "push-phone-settings-section.png")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_push_pages_pass_axe(new_page, push_service, sw_urls, width):
    from tests.fixtures.axe import axe_violations

    page = new_page(viewport={"width": width, "height": 900})
    subscriber = push_service.subscribe(f"axe-{width}")
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(STUB % json.dumps(subscriber.as_json()) + REGISTER)
    _signed_up(page)
    page.goto("/accounts/settings/notifications/push/")
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#push-devices").get_by_text("This device", exact=True)).to_be_visible()
    push_service.answer(subscriber, 500)
    page.get_by_role("button", name="Send a test to Chrome on Linux").click()
    expect(page.locator("#push-devices")).to_contain_text("Last error:")
    violations = axe_violations(page, where="devices page")
    page.goto("/accounts/settings/")
    expect(page.locator("#push").get_by_text("On", exact=True)).to_be_visible()
    violations += axe_violations(page, where="settings")
    page.goto("/accounts/settings/notifications/push/")
    page.get_by_role("link", name="Remove Chrome on Linux").click()
    expect(page.get_by_role("heading", name="Remove “Chrome on Linux”?")).to_be_visible()
    violations += axe_violations(page, where="remove")
    screenshot(page, f"remove-{width}")
    assert violations == [], "\n".join(str(v) for v in violations)


@pytest.mark.django_db(transaction=True)
def test_a_subscription_made_with_an_old_key_is_replaced(page: Page, push_service, sw_urls):
    subscriber = push_service.subscribe("old-key")
    page.context.grant_permissions(["notifications"])
    # The browser still holds a subscription made with another server key.
    old_key = "BAAA" + "A" * 84
    seed = (
        f"localStorage.setItem('stub-push', 'on'); localStorage.setItem('stub-key', '{old_key}');"
    )
    page.context.add_init_script(
        "if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); "
        + seed
        + " }"
        + STUB % json.dumps(subscriber.as_json())
        + REGISTER
    )
    _signed_up(page)
    page.goto("/accounts/settings/notifications/push/")
    page.get_by_role("button", name="Turn on notifications on this device").click()
    expect(page.locator("#announce")).to_contain_text("Notifications are on for this device")
    assert page.evaluate("window.__unsubscribed") is True
    from base64 import b64encode

    from tests.notify.push.service import unb64

    expected = b64encode(unb64(push_service.vapid_public_key)).decode()
    assert page.evaluate("window.__pushKey") == expected
    assert PushSubscription.objects.count() == 1
