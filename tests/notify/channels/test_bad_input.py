"""Any text typed as a channel URL gets a clear refusal or a channel, never a crash (property
test, hypothesis; the tests make no lookup beyond this machine's resolver, which fails fast)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notify.models import Channel
from notify.services.channels import ChannelUrlError, channel_validate

SCHEMES = ["tgram", "ntfy", "ntfys", "signal", "matrix", "discord", "gotify", "mailto", "json"]
# Text with the characters URLs break on: separators, escapes, brackets, NUL, bidi, surrogates.
PARTS = st.text(
    alphabet=st.sampled_from(list("aZ09:/@?#&=%[]+-._~!$'()*,;\\ \x00\u202e\ud800é😀")),
    max_size=40,
)


@given(scheme=st.sampled_from(SCHEMES), rest=PARTS)
@settings(max_examples=300, deadline=None)
def test_any_text_is_refused_with_a_message_or_accepted(scheme, rest):
    try:
        channel_validate(f"{scheme}://{rest}")
    except ChannelUrlError as exc:
        assert str(exc)


@given(url=st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_text_at_all(url):
    try:
        channel_validate(url)
    except ChannelUrlError as exc:
        assert str(exc)


@pytest.mark.django_db
@given(rest=PARTS.filter(lambda text: "\ud800" not in text))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_page_never_fails(alice_client, rest):
    response = alice_client.post(
        reverse("notify_channels:list"), {"name": "x", "url": f"ntfys://{rest}"}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert 'class="errorlist' in response.content.decode()
    Channel.objects.all().delete()
