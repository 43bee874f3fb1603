"""/api/docs/ in Chromium under the strict Content-Security-Policy, with no outside asset: the
harness fails the test on any console error (a CSP violation is one), and every request the page
makes stays on the live server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_render_every_operation_under_the_csp(page, live_server, tmp_path):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto("/api/docs/")
    assert "script-src" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="network-crm API")).to_be_visible()
    me = page.locator(".opblock-summary-path", has_text="/api/v1/me/")
    expect(me.first).to_be_visible()
    assert page.locator(".opblock").count() >= 3  # index, me GET and PATCH
    page.screenshot(path=tmp_path / "api-docs.png", full_page=True)
    server = urlsplit(live_server.url).netloc
    outside = [url for url in requested if urlsplit(url).netloc not in (server, "")]
    assert outside == [], outside
