"""The worker reads a saved link's page: title and description, carefully (giving/things_fetch.py)."""

from __future__ import annotations

import time

import pytest

from giving import things_fetch
from giving.models import ShareItem
from giving.tasks import fetch_share_item
from giving.things import share_item_create, share_item_fetch
from giving.things_fetch import FetchFailed, page_fetch, page_info
from network_crm.clock import now


def test_the_title_and_description_are_read_as_text_and_trimmed(site):
    info = page_fetch(site.url("/page"), allow_private=True)
    assert info.title == "The joy of jazz"  # the script on the page did not run
    assert info.description == "Why we listen."


def test_open_graph_comes_first_and_entities_stay_text(site):
    info = page_fetch(site.url("/og"), allow_private=True)
    assert info.title == "Open & Graph"
    assert info.description == "<b>Bold</b> claims"


def test_the_pages_charset_is_respected(site):
    assert page_fetch(site.url("/latin"), allow_private=True).title == "Café culture"


def test_a_redirect_is_followed_and_a_loop_is_cut(site):
    assert page_fetch(site.url("/redirect"), allow_private=True).title == "The joy of jazz"
    with pytest.raises(FetchFailed, match="more than 3 times"):
        page_fetch(site.url("/loop"), allow_private=True)
    assert [path for _, path in site.requests].count("/loop") == 4  # the first and 3 redirects
    assert {method for method, _ in site.requests} == {"GET"}


def test_a_private_address_is_refused_unless_the_instance_allows_it(site):
    with pytest.raises(FetchFailed, match="private or reserved address.*THINGS_ALLOW_PRIVATE"):
        page_fetch(site.url("/page"), allow_private=False)
    assert site.requests == []  # refused before connecting


def test_each_redirect_is_checked_again(site, monkeypatch):
    # The first hop is allowed (as if public); the redirect to a private address is not.
    checked = []

    def public_only_for_loopback(host, port, *, allow_private, setting):
        checked.append(host)
        if host != "127.0.0.1":
            raise things_fetch.AddressRefused(f"“{host}” points to a private address")
        return ["127.0.0.1"]

    monkeypatch.setattr(things_fetch, "public_addresses", public_only_for_loopback)
    with pytest.raises(FetchFailed, match="10.255.255.1"):
        page_fetch(site.url("/to-private"), allow_private=False)
    assert checked == ["127.0.0.1", "10.255.255.1"]


def test_only_http_and_https(site):
    for url in ("ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)"):
        with pytest.raises(FetchFailed, match="Only http and https"):
            page_fetch(url, allow_private=True)


def test_a_slow_page_times_out(site, monkeypatch):
    monkeypatch.setattr(things_fetch, "READ_TIMEOUT_SECONDS", 0.3)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="took too long"):
        page_fetch(site.url("/slow"), allow_private=True)
    assert time.monotonic() - started < 2.5


def test_a_huge_page_is_read_only_up_to_the_limit(site, monkeypatch):
    assert page_fetch(site.url("/huge"), allow_private=True).title == "Big page"
    read = []
    original = things_fetch.page_info
    monkeypatch.setattr(
        things_fetch, "page_info", lambda html: read.append(len(html)) or original(html)
    )
    page_fetch(site.url("/huge"), allow_private=True)
    assert read == [things_fetch.MAX_BYTES]  # of 5 MB sent
    # A title past the first megabyte is never seen.
    with pytest.raises(FetchFailed, match="no title"):
        page_fetch(site.url("/late-title"), allow_private=True)


def test_a_file_that_is_not_a_page_and_an_error_page_are_refused(site):
    with pytest.raises(FetchFailed, match=r"a file \(image/png\)"):
        page_fetch(site.url("/image"), allow_private=True)
    with pytest.raises(FetchFailed, match="404"):
        page_fetch(site.url("/missing"), allow_private=True)


def test_broken_markup_keeps_what_was_read():
    assert page_info("<title>Half <b>bold</title><meta name=description content=x").title == (
        "Half bold"
    )


@pytest.mark.django_db
def test_the_worker_fills_what_the_user_left_empty_never_their_own_title(
    alice, site, settings, django_capture_on_commit_callbacks
):
    settings.THINGS_ALLOW_PRIVATE = True
    with django_capture_on_commit_callbacks() as callbacks:
        mine = share_item_create(owner=alice, kind="link", url=site.url("/page"), title="My title")
    assert len(callbacks) == 1  # the fetch is queued after the commit
    bare = share_item_create(owner=alice, kind="link", url=site.url("/page"))
    assert share_item_fetch(item_id=mine.pk, now=now()) == "done"
    assert share_item_fetch(item_id=bare.pk, now=now()) == "done"
    mine.refresh_from_db()
    bare.refresh_from_db()
    assert (mine.title, mine.description) == ("My title", "Why we listen.")
    assert (bare.title, bare.fetch_state) == ("The joy of jazz", ShareItem.Fetch.DONE)
    assert share_item_fetch(item_id=bare.pk, now=now()) == ""  # done once


@pytest.mark.django_db
def test_the_worker_records_why_it_failed(alice, site, settings):
    settings.THINGS_ALLOW_PRIVATE = False
    item = share_item_create(owner=alice, kind="link", url=site.url("/page"))
    assert share_item_fetch(item_id=item.pk, now=now()) == "failed"
    item.refresh_from_db()
    assert item.fetch_state == ShareItem.Fetch.FAILED
    assert "private or reserved" in item.fetch_error
    assert item.title == ""
    note = share_item_create(owner=alice, kind="note", title="Just a thought")
    assert note.fetch_state == ShareItem.Fetch.NONE


@pytest.mark.django_db
def test_the_task_runs_the_fetch_for_an_id(alice, site, settings):
    settings.THINGS_ALLOW_PRIVATE = True
    item = share_item_create(owner=alice, kind="link", url=site.url("/og"))
    assert fetch_share_item.apply(args=[item.pk]).get() == "done"
    assert fetch_share_item.apply(args=[item.pk]).get() == "nothing to do"
    item.refresh_from_db()
    assert item.title == "Open & Graph"
