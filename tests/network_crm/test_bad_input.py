"""Bad input (issue 8), property-based: hostile values posted through the real views with a
logged-in client, and arbitrary bytes and text through the importers.

Hostile values: NUL bytes (PostgreSQL refuses them), lone surrogates, 1 MB strings, control
characters, bidi overrides, markup, impossible dates, huge and negative numbers, other users' ids.
The properties, for every form:

- never a 500;
- input that is refused says why (the form's error text is on the page) and stores nothing;
- what is stored is exactly what was typed, minus what the app says it strips (surrounding
  whitespace; runs of whitespace in interest and circle names), and renders escaped.

Values are sent as a browser would: UTF-8, form-urlencoded. A lone surrogate can't be encoded, so
a hostile client sends its bytes anyway (``"\\ud800"`` as b"\\xed\\xa0\\x80"); Django reads those
as U+FFFD, which is what ``received()`` predicts. Lone surrogates do reach the app through JSON
(``"\\ud800"`` is a valid escape), so the backup restore gets them as they are.

Each example runs in its own transaction (hypothesis' Django TestCase) and its own client, so
neither rows nor flash messages leak from one example to the next. Profiles: tests/hypothesis_profiles.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from urllib.parse import quote_from_bytes, urlsplit

import time_machine
from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, example, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.extra.django import TestCase

from accounts.models import User, UserSettings
from contacts.importers import (
    MAPPABLE_FIELDS,
    ParsedContact,
    ParseError,
    decode_upload,
    parse_google_csv,
    parse_linkedin_csv,
    parse_mapped_csv,
    parse_vcard_text,
)
from contacts.limits import MAX_METHODS_PER_CONTACT
from contacts.models import (
    BulkChange,
    Circle,
    Contact,
    ContactMethod,
    ImportantDate,
    ImportBatch,
    Interest,
)
from contacts.services import contact_save
from interactions.models import Interaction
from network_crm.clock import local_today
from network_crm.text import fold
from reminders.models import Reminder
from tests.factories import (
    CircleFactory,
    ContactFactory,
    InteractionFactory,
    InterestFactory,
    UserFactory,
)


def fewer(divisor: int) -> hypothesis_settings:
    """The loaded profile with fewer examples, for tests whose examples are heavy (files, several
    requests each)."""
    return hypothesis_settings(max_examples=max(5, hypothesis_settings().max_examples // divisor))


# --- Hostile values --------------------------------------------------------------------------------

NUL = "\x00"
FRAGMENTS = [
    NUL,
    "\ud800",  # lone surrogates
    "\udfff",
    "\ud83d",
    "\x01",  # control characters
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x1c",
    "\x7f",
    "\x85",
    "\x9b",
    "\u202e",  # bidi overrides and isolates, zero-width and invisible characters
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\u0301",
    "\r\n",
    "\n",
    "\r",
    "\t",
    " ",
    "  ",
    "\u00a0",
    "\u3000",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '" hx-get="/admin/" x="',
    "'",
    "&amp;",
    "{{ 7*7 }}",
    "{% debug %}",
    "javascript:alert(1)",
    "Robert'); DROP TABLE contacts_contact;--",
    "%00",
    "%s",
    "\\",
    ",",
    ";",
    ":",
    "İ",  # lower() makes it two characters
    "ß",
    "ﬃ",
    "\ufdfa",  # NFKD makes it eighteen
    "😀",
    "𝕏",
    "Ω",
    "Zoë",
    "a",
    "Lisbon",
]

fragment = st.sampled_from(FRAGMENTS)
short_text = st.lists(
    st.one_of(fragment, st.text(max_size=6), st.characters(codec="utf-8")), max_size=10
).map("".join)
# Exactly one megabyte-sized value per example at most (see hostile_fields), else every request
# would be over Django's 2.5 MB body limit and test nothing but that.
huge_text = st.sampled_from(["a", "é", "€", "😀", NUL, "<", " ", "\u202e", "\ud800"]).map(
    lambda ch: ch * (1_000_000 // len(ch.encode("utf-8", "surrogatepass")))
)

NUMBERS = [
    "",
    "0",
    "-0",
    "1",
    "7",
    " 7 ",
    "7.0",
    "7.5",
    "+5",
    "-5",
    "1e400",
    "-1e400",
    "NaN",
    "inf",
    "0x10",
    "1_000",
    "٣٠",  # Arabic-Indic digits: int() reads them
    "3650",
    "3651",
    "365",
    "366",
    "50",
    "51",
    "2147483648",
    "-2147483649",
    "9" * 40,
    "9" * 5000,  # more digits than int() reads
    NUL,
    "7\x00",
    "abc",
]
number = st.one_of(st.sampled_from(NUMBERS), st.integers().map(str))

DATES = [
    "",
    "2026-02-30",
    "99999-01-01",
    "0000-01-01",
    "0001-01-01",
    "1900-01-01",
    "9999-12-31",
    "2026-13-01",
    "2026-00-10",
    "2026-1-1",
    "2024-02-29",
    "2025-02-29",
    "02/30/2026",
    "12/31/9999",
    "-2026-01-01",
    "2026-02-28T12:00",
    "2026-W05-1",
    "20261128",
    "today",
    NUL,
    "2026-11-28\x00",
    "9" * 40,
]


def date_strings(today: dt.date) -> st.SearchStrategy[str]:
    """Impossible and extreme dates, and plausible ones around ``today``."""
    near = st.integers(-800, 800).map(lambda days: (today + dt.timedelta(days=days)).isoformat())
    return st.one_of(st.sampled_from(DATES), near, st.dates().map(dt.date.isoformat), short_text)


# Ids are drawn by kind and resolved once the test knows the rows.
ID_KINDS = ["mine", "bob", "missing", "huge", "negative", "text", "float", "nul", "superscript"]
id_kind = st.sampled_from(ID_KINDS)


@st.composite
def hostile_fields(draw, names: list[str]) -> dict[str, str]:
    """A hostile value for each field, at most one of them a megabyte long."""
    values = {name: draw(short_text) for name in names}
    if names and draw(st.integers(0, 5)) == 0:
        values[draw(st.sampled_from(names))] = draw(huge_text)
    return values


# --- Helpers -----------------------------------------------------------------------------------


def received(typed: str) -> str:
    """What the server reads when a browser sends ``typed`` as UTF-8 (a lone surrogate's bytes
    are invalid UTF-8, read as U+FFFD)."""
    return typed.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def form_body(fields: dict[str, str | list[str]]) -> str:
    pairs = []
    for key, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append(
                quote_from_bytes(key.encode(), safe="")
                + "="
                + quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")
            )
    return "&".join(pairs)


def too_big(body: str) -> bool:
    return len(body) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def post(client: Client, url: str, fields: dict, *, htmx: bool = False, follow: bool = False):
    body = form_body(fields)
    response = client.post(
        url,
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"HX-Request": "true"} if htmx else {},
        follow=follow,
    )
    check_response(response)
    if too_big(body):
        # Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE): a plain 400, nothing read (or a 404
        # first, when the view looks up the object before it reads the form).
        assert response.status_code in (400, 404)
    return response


def get(client: Client, url: str, params: dict | None = None, *, htmx: bool = False):
    query = form_body(params or {})
    response = client.get(
        url + ("?" + query if query else ""), headers={"HX-Request": "true"} if htmx else {}
    )
    check_response(response)
    return response


def check_response(response) -> None:
    assert response.status_code < 500, response.status_code
    if getattr(response, "streaming", False):
        # A streamed export fails while it streams: read it all (once; html_of gives it back).
        response.streamed = b"".join(response.streaming_content)


def html_of(response) -> str:
    if getattr(response, "streaming", False):
        return response.streamed.decode("utf-8", "replace")
    return response.content.decode()


def char_errors(typed: str, *, max_length: int | None = None, required: bool = False) -> list[str]:
    """Django's CharField rules (strip, required, no NUL, max length) as the messages shown."""
    value = received(typed)
    stripped = value.strip()
    if not stripped:
        return ["This field is required."] if required else []
    errors = []
    if max_length is not None and len(stripped) > max_length:
        errors.append(
            f"Ensure this value has at most {max_length} characters (it has {len(stripped)})."
        )
    if NUL in stripped:
        errors.append("Null characters are not allowed.")
    return errors


def as_int(typed: str) -> int | None:
    """How Django's IntegerField reads a value (None when it can't)."""
    try:
        return int(re.sub(r"\.0*\s*$", "", received(typed)))
    except ValueError:
        return None


def int_error(typed: str, *, low: int, high: int, required: bool = False) -> str | None:
    """The gist of the message Django gives for an integer outside ``low..high``."""
    if received(typed) == "":
        return "This field is required." if required else None
    value = as_int(typed)
    if value is None:
        return "Enter a whole number."
    if value < low:
        return "Ensure this value is greater than or equal to"
    if value > high:
        return "Ensure this value is less than or equal to"
    return None


def as_date(typed: str) -> dt.date | None:
    """How Django's DateField reads a value (None when empty or unreadable)."""
    try:
        return forms.DateField(required=False).clean(received(typed))
    except forms.ValidationError:
        return None


def clean_text(typed: str) -> str:
    return received(typed).strip()


def collapsed(typed: str) -> str:
    return " ".join(received(typed).split())


def assert_shown(html: str, message: str) -> None:
    assert escape(message) in html, f"expected the message {message!r} on the page"


def assert_rendered(html: str, value: str) -> None:
    """``value`` is on the page, escaped: never as markup."""
    assert escape(value) in html
    # A raw "<" is only telling when the value could not also be a piece of the page's own
    # markup ("<", "<a" or "</" are in every page); eight or more characters with a "<" hardly are.
    if "<" in value and len(value) >= 8:
        assert value not in html


HREF = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""")


def unsafe_links(html: str) -> list[str]:
    """Links on a page with a scheme other than http(s), mailto or tel (javascript:, data:...)."""
    unsafe = []
    for href in HREF.findall(html):
        target = re.sub(r"[\x00-\x20]", "", unescape(href))
        scheme = urlsplit(target).scheme.lower() if ":" in target else ""
        if scheme not in ("", "http", "https", "mailto", "tel"):
            unsafe.append(href)
    return unsafe


def rows_of(owner: User) -> dict:
    """Everything ``owner`` has, to compare before and after a refused request."""
    return {
        "contacts": list(Contact.objects.filter(owner=owner).order_by("pk").values()),
        "methods": list(ContactMethod.objects.filter(owner=owner).order_by("pk").values()),
        "dates": list(ImportantDate.objects.filter(owner=owner).order_by("pk").values()),
        "circles": list(Circle.objects.filter(owner=owner).order_by("pk").values()),
        "interests": list(Interest.objects.filter(owner=owner).order_by("pk").values()),
        "links": sorted(
            Contact.interests.through.objects.filter(contact__owner=owner).values_list(
                "contact_id", "interest_id"
            )
        ),
        "interactions": list(Interaction.objects.filter(owner=owner).order_by("pk").values()),
        "participants": sorted(
            Interaction.contacts.through.objects.filter(interaction__owner=owner).values_list(
                "interaction_id", "contact_id"
            )
        ),
        "reminders": list(Reminder.objects.filter(owner=owner).order_by("pk").values()),
        "bulk_changes": BulkChange.objects.filter(owner=owner).count(),
        "imports": ImportBatch.objects.filter(owner=owner).count(),
        "settings": list(UserSettings.objects.filter(user=owner).values()),
        "user": list(User.objects.filter(pk=owner.pk).values()),
    }


# --- The people and rows every test starts from -----------------------------------------------


# The clock starts at a fixed moment and runs on from there, so "today" is the same date for the
# test and the views in every example, whatever the hour the suite runs at.
@time_machine.travel(dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC), tick=True)
class HostileInputTestCase(TestCase):
    """Alice (the user under test, in a zone with daylight saving time) with a contact, a circle,
    an interest and an interaction; Bob with the same, whose ids Alice tries to use."""

    @classmethod
    def setUpTestData(cls):
        cls.alice = UserFactory(email="alice@example.com", name="Alice Martin")
        UserSettings.objects.filter(user=cls.alice).update(time_zone="Europe/Paris")
        cls.alice.settings.refresh_from_db()  # the zone "today" is computed in, as the app sees it
        cls.bob = UserFactory(email="bob@example.com", name="Bob Okafor")
        cls.circle = CircleFactory(owner=cls.alice, name="Climbing friends", cadence_days=30)
        cls.interest = InterestFactory(owner=cls.alice, name="Jazz")
        cls.contact = ContactFactory(owner=cls.alice, name="Ada Lovelace", cadence_days=14)
        cls.other_contact = ContactFactory(owner=cls.alice, name="Grace Hopper", cadence_days=30)
        cls.method = ContactMethod.objects.create(
            owner=cls.alice, contact=cls.contact, kind="email", value="ada@example.com"
        )
        cls.interaction = InteractionFactory(
            owner=cls.alice, contacts=[cls.contact], notes="Tea at the Royal Society"
        )
        cls.bob_circle = CircleFactory(owner=cls.bob, name="BOBCIRCLE")
        cls.bob_interest = InterestFactory(owner=cls.bob, name="BOBINTEREST")
        cls.bob_contact = ContactFactory(owner=cls.bob, name="BOBCONTACT Secret", cadence_days=7)
        cls.bob_method = ContactMethod.objects.create(
            owner=cls.bob, contact=cls.bob_contact, kind="email", value="bobsecret@example.com"
        )
        cls.bob_date = ImportantDate.objects.create(
            owner=cls.bob, contact=cls.bob_contact, kind="birthday", day=1, month=2
        )
        cls.bob_interaction = InteractionFactory(
            owner=cls.bob, contacts=[cls.bob_contact], notes="BOBNOTES"
        )
        for contact in Contact.objects.all():
            contact_save(contact=contact, today=local_today(contact.owner))

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    @property
    def today(self) -> dt.date:
        """Alice's date now, read as the views read it (Paris is a day ahead of UTC after 23:00)."""
        return local_today(User.objects.select_related("settings").get(pk=self.alice.pk))

    def resolve_id(self, kind: str, mine: int, bobs: int) -> str:
        return {
            "mine": str(mine),
            "bob": str(bobs),
            "missing": "987654321",
            "huge": "9" * 40,
            "negative": "-5",
            "text": "abc",
            "float": "1e400",
            "nul": f"{mine}\x00",
            "superscript": "²",  # isdigit(), yet int() can't read it
            "none": "",
        }[kind]

    def assert_bob_untouched(self, before: dict) -> None:
        assert rows_of(self.bob) == before, "Bob's rows changed through Alice's request"


# --- Accounts ------------------------------------------------------------------------------------

emails = st.one_of(
    st.emails().map(lambda e: e[:200]),
    st.tuples(st.emails(), fragment).map(lambda t: t[1] + t[0] + t[1]),
    st.sampled_from(["alice@example.com", "BOB@EXAMPLE.COM", " new@example.com ", "a@b", "@"]),
    short_text,
)
time_zones = st.one_of(
    st.sampled_from(["Europe/Paris", " UTC ", "utc", "Mars/Olympus", "../../etc/passwd", ""]),
    short_text,
)


class AccountFormsTest(HostileInputTestCase):
    @given(fields=hostile_fields(["name", "password"]), email=emails, time_zone=time_zones)
    def test_signup_refuses_with_a_message_or_stores_what_was_typed(self, fields, email, time_zone):
        client = self.client_for(None)
        before = User.objects.count()
        with self.settings(ALLOW_SIGNUP=True):
            response = post(
                client,
                reverse("signup"),
                {**fields, "email": email, "time_zone": time_zone},
            )
        name_errors = char_errors(fields["name"], max_length=150, required=True)
        if response.status_code == 302:
            user = User.objects.latest("pk")
            assert user.name == clean_text(fields["name"])
            assert user.email == clean_text(email).lower()
            assert user.settings.time_zone == clean_text(time_zone)
            assert not name_errors
            assert NUL not in fields["password"]
            page = html_of(self.client_for(user).get(reverse("settings")))
            assert_rendered(page, user.name)
        else:
            assert User.objects.count() == before
            if response.status_code == 200:
                html = html_of(response)
                assert 'class="errorlist' in html
                for message in name_errors:
                    assert_shown(html, message)

    @given(
        fields=st.fixed_dictionaries(
            {
                "settings-time_zone": time_zones,
                "settings-digest_frequency": st.sampled_from(["daily", "weekly", "off", "hourly"]),
                "settings-digest_weekday": number,
                "settings-digest_hour": number,
                "settings-daily_limit": number,
                "settings-upcoming_days": number,
                "settings-date_reminder_days": number,
                "settings-vacation_until": st.sampled_from(DATES) | st.dates().map(str),
            }
        )
    )
    def test_settings_refuse_with_a_message_or_store_what_was_typed(self, fields):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        response = post(client, reverse("settings"), {"form": "settings", **fields})
        limits = {
            "daily_limit": (1, 50),
            "upcoming_days": (1, 90),
            "date_reminder_days": (0, 60),
        }
        expected_errors = {
            name: int_error(fields[f"settings-{name}"], low=low, high=high, required=True)
            for name, (low, high) in limits.items()
        }
        if response.status_code == 302:
            stored = UserSettings.objects.get(user=self.alice)
            assert stored.time_zone == clean_text(fields["settings-time_zone"])
            for name in limits:
                assert getattr(stored, name) == as_int(fields[f"settings-{name}"])
            assert stored.vacation_until == as_date(fields["settings-vacation_until"])
            assert not any(expected_errors.values())
        else:
            assert response.status_code == 200
            assert rows_of(self.alice) == before
            html = html_of(response)
            assert 'class="errorlist' in html
            for name, message in expected_errors.items():
                if message is None:
                    continue
                # The daily limit says its range in words (its column alone would take 0..32767).
                accepted = [message, "Choose between 1 and 50 people a day."]
                if name != "daily_limit" or message in (
                    "This field is required.",
                    "Enter a whole number.",
                ):
                    accepted = [message]
                assert any(escape(text) in html for text in accepted), (name, accepted)

    @given(fields=hostile_fields(["profile-name"]), email=emails)
    def test_profile_refuses_with_a_message_or_stores_what_was_typed(self, fields, email):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        response = post(
            client, reverse("settings"), {"form": "profile", "profile-email": email, **fields}
        )
        self.assert_bob_untouched(bob_before)
        name_errors = char_errors(fields["profile-name"], max_length=150)
        if response.status_code == 302:
            user = User.objects.get(pk=self.alice.pk)
            assert user.name == clean_text(fields["profile-name"])
            assert user.email == clean_text(email).lower()
            assert user.email != self.bob.email
            assert not name_errors
        else:
            assert rows_of(self.alice) == before
            if response.status_code == 200:
                html = html_of(response)
                assert 'class="errorlist' in html
                for message in name_errors:
                    assert_shown(html, message)
                if clean_text(email).lower() == self.bob.email:
                    assert_shown(html, "Another account already uses this email address.")

    @given(
        interests=st.one_of(
            st.lists(short_text, max_size=6).map(", ".join),
            huge_text,
            st.text(alphabet="a ,", min_size=1990, max_size=2010),
        )
    )
    def test_my_interests_refuse_with_a_message_or_store_what_was_typed(self, interests):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        response = post(
            client,
            reverse("contacts:interests"),
            {"form": "interests", "mine-interests": interests},
        )
        if too_big(form_body({"mine-interests": interests})):
            return
        errors = char_errors(interests, max_length=2000)
        typed = [collapsed(name) for name in clean_text(interests).split(",")]
        too_long = not errors and any(
            len(name.strip()) > 80 for name in clean_text(interests).split(",")
        )
        if too_long:
            errors = ["Keep each interest under 80 characters"]
        if response.status_code == 302:
            assert not errors
            mine = Interest.objects.filter(owner=self.alice, mine=True)
            # Each interest is matched ignoring case and accents; whitespace runs become one space.
            assert {i.folded_name for i in mine} == {fold(name) for name in typed if name}
            for interest in mine:
                assert interest.name in [name for name in typed if name] or any(
                    interest.folded_name == fold(name) for name in typed
                )
            page = html_of(client.get(reverse("contacts:interests")))
            for interest in mine:
                assert_rendered(page, interest.name)
        else:
            assert rows_of(self.alice) == before
            assert response.status_code == 200
            assert errors, "valid interests were refused"
            for message in errors:
                assert_shown(html_of(response), message)

    def test_an_interest_over_80_characters_is_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        typed = (
            "jazz, " + "Early twentieth-century New Orleans brass band music and its revival " * 2
        )
        response = post(
            client, reverse("contacts:interests"), {"form": "interests", "mine-interests": typed}
        )
        assert response.status_code == 200
        assert rows_of(self.alice) == before

    @given(
        username=emails,
        password=short_text,
        extra=short_text,
        agent=st.sampled_from(["Mozilla/5.0", "\u202eevil", "x" * 10_000, "a\tb"]),
    )
    @fewer(3)
    def test_login_never_fails_with_a_server_error(self, username, password, extra, agent):
        client = Client(headers={"User-Agent": agent})
        post(
            client,
            reverse("login"),
            {"username": username, "password": password, "next": extra},
        )
        assert "_auth_user_id" not in client.session


# --- Contacts: the contact form and its formsets ---------------------------------------------------

CONTACT_TEXT_FIELDS = {
    "name": 200,
    "nickname": 100,
    "company": 200,
    "role": 200,
    "city": 120,
    "country": 120,
    "how_we_met": None,
    "notes": None,
}
EMPTY_FORMSETS = {
    "methods-TOTAL_FORMS": "0",
    "methods-INITIAL_FORMS": "0",
    "dates-TOTAL_FORMS": "0",
    "dates-INITIAL_FORMS": "0",
}


class ContactFormTest(HostileInputTestCase):
    @given(
        texts=hostile_fields(list(CONTACT_TEXT_FIELDS)),
        circle=st.sampled_from(["none", *ID_KINDS]),
        cadence=number,
        paused=st.sampled_from(["", "on", "false", "0", NUL, "\ud800"]),
    )
    @example(
        texts={"name": " Zoë\u202e <b>x</b> ", "nickname": "", "company": "", "role": "",
               "city": "", "country": "", "how_we_met": "\r\n", "notes": "a" * 1_000_000},
        circle="mine",
        cadence="30",
        paused="on",
    )  # fmt: skip
    def test_create_refuses_with_a_message_or_stores_what_was_typed(
        self, texts, circle, cadence, paused
    ):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        circle_id = (
            "" if circle == "none" else self.resolve_id(circle, self.circle.pk, self.bob_circle.pk)
        )
        fields = {**texts, "circle": circle_id, "cadence_days": cadence, "paused": paused}
        response = post(client, reverse("contacts:create"), {**fields, **EMPTY_FORMSETS})
        if too_big(form_body(fields)):
            return
        errors = {
            name: char_errors(texts[name], max_length=limit, required=name == "name")
            for name, limit in CONTACT_TEXT_FIELDS.items()
        }
        circle_ok = circle in ("none", "mine")
        cadence_error = int_error(cadence, low=1, high=3650)
        valid = not any(errors.values()) and circle_ok and cadence_error is None
        event("valid" if valid else "refused")
        if valid:
            assert response.status_code == 302, "valid input was refused"
            contact = Contact.objects.filter(owner=self.alice).latest("pk")
            assert response["Location"] == contact.get_absolute_url()
            for name in CONTACT_TEXT_FIELDS:
                assert getattr(contact, name) == clean_text(texts[name]), name
            assert contact.circle_id == (self.circle.pk if circle == "mine" else None)
            assert contact.cadence_days == as_int(cadence)
            assert contact.paused == forms.CheckboxInput().value_from_datadict(
                {"paused": received(paused)}, {}, "paused"
            )
            page = html_of(get(client, contact.get_absolute_url()))
            for name in CONTACT_TEXT_FIELDS:
                if getattr(contact, name):
                    assert_rendered(page, getattr(contact, name))
        else:
            assert response.status_code == 200
            assert rows_of(self.alice) == before
            html = html_of(response)
            assert_shown(html, "Please check the fields marked below.")
            for messages in errors.values():
                for message in messages:
                    assert_shown(html, message)
            if circle == "nul":
                assert_shown(html, "Null characters are not allowed.")
            elif not circle_ok:
                assert_shown(html, "Select a valid choice.")
            if cadence_error:
                assert escape(cadence_error) in html

    @given(data=st.data())
    @fewer(2)
    def test_edit_with_hostile_formsets_refuses_or_stores_the_rows_as_typed(self, data):
        """Ways to reach and important dates: tampered management forms, other users' row ids,
        impossible dates, hostile text. Nothing is saved half-way."""
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        fields = {
            "name": "Ada Lovelace",
            "cadence_days": "14",
            "methods-TOTAL_FORMS": data.draw(st.sampled_from(["0", "1", "2", "3"]) | number),
            "methods-INITIAL_FORMS": data.draw(st.sampled_from(["0", "1"]) | number),
            "dates-TOTAL_FORMS": data.draw(st.sampled_from(["0", "1", "2"]) | number),
            "dates-INITIAL_FORMS": data.draw(st.sampled_from(["0", "0", "1"]) | number),
        }
        methods = []
        for index in range(3):
            row = {
                "kind": data.draw(st.sampled_from(["email", "phone", "link", "fax", ""])),
                "label": data.draw(st.sampled_from(["", "work"]) | short_text),
                "value": data.draw(
                    st.sampled_from(
                        ["new@example.com", "+33 6 12 34 56 78", "example.org/x", "", "1234"]
                    ).flatmap(lambda v: st.tuples(st.just(v), fragment).map(lambda t: t[0] + t[1]))
                    | st.sampled_from(["new@example.com", " +1 555 0100 ", "https://example.org"])
                    | short_text
                ),
                "id": self.resolve_id(
                    data.draw(st.sampled_from(["none", *ID_KINDS])),
                    self.method.pk,
                    self.bob_method.pk,
                )
                if data.draw(st.booleans())
                else "",
                "DELETE": data.draw(st.sampled_from(["", "", "on"])),
            }
            methods.append(row)
            fields.update({f"methods-{index}-{key}": value for key, value in row.items()})
        for index in range(2):
            row = {
                "kind": data.draw(st.sampled_from(["birthday", "anniversary", "other", "wedding"])),
                "label": data.draw(st.sampled_from(["", ""]) | short_text),
                "day": data.draw(number),
                "month": data.draw(st.sampled_from(["", "2", "13", "0", "-1"]) | number),
                "year": data.draw(st.sampled_from(["", "1900", "2100", "2101", "1899"]) | number),
                "id": self.resolve_id(data.draw(id_kind), 0, self.bob_date.pk)
                if data.draw(st.booleans())
                else "",
            }
            fields.update({f"dates-{index}-{key}": value for key, value in row.items()})
        note(fields)
        response = post(client, reverse("contacts:edit", args=[self.contact.pk]), fields)
        self.assert_bob_untouched(bob_before)
        if response.status_code == 302:
            contact = Contact.objects.get(pk=self.contact.pk)
            stored = ContactMethod.objects.filter(contact=contact).exclude(pk=self.method.pk)
            typed = {clean_text(row["value"]) for row in methods}
            for method in stored:
                assert method.value in typed | {"https://" + value for value in typed}
                assert method.label == clean_text(
                    next(
                        r["label"] for r in methods if method.value.endswith(clean_text(r["value"]))
                    )
                ) or any(method.label == clean_text(r["label"]) for r in methods)
            for date in ImportantDate.objects.filter(contact=contact):
                dt.date(date.year or 2000, date.month, date.day)  # a real day
                assert date.year is None or 1900 <= date.year <= 2100
            page = html_of(get(client, contact.get_absolute_url()))
            for method in ContactMethod.objects.filter(contact=contact):
                assert_rendered(page, method.value)
                if method.label:
                    assert_rendered(page, method.label)
            assert not unsafe_links(page)
        else:
            assert response.status_code in (200, 400)
            assert rows_of(self.alice) == before
            if response.status_code == 200:
                assert_shown(html_of(response), "Please check the fields marked below.")

    def test_two_unlabelled_birthdays_in_one_post_are_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {
            "name": "Ada Lovelace",
            "methods-TOTAL_FORMS": "0",
            "methods-INITIAL_FORMS": "0",
            "dates-TOTAL_FORMS": "2",
            "dates-INITIAL_FORMS": "0",
            "dates-0-kind": "birthday",
            "dates-0-day": "10",
            "dates-0-month": "12",
            "dates-1-kind": "birthday",
            "dates-1-day": "11",
            "dates-1-month": "12",
        }
        response = post(client, reverse("contacts:edit", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before

    def test_more_rows_than_the_formset_allows_are_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"name": "Ada Lovelace", "dates-TOTAL_FORMS": "0", "dates-INITIAL_FORMS": "0"}
        too_many = MAX_METHODS_PER_CONTACT + 1
        fields.update({"methods-TOTAL_FORMS": str(too_many), "methods-INITIAL_FORMS": "0"})
        for index in range(too_many):
            fields.update(
                {f"methods-{index}-kind": "phone", f"methods-{index}-value": f"555 01{index:02}"}
            )
        response = post(client, reverse("contacts:edit", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before
        assert_shown(html_of(response), f"Please submit at most {MAX_METHODS_PER_CONTACT} forms.")


# --- Contacts: circles, interests, bulk edits, the list, snooze ------------------------------------


class CircleAndInterestFormsTest(HostileInputTestCase):
    @given(name=short_text | huge_text, cadence=number, edit=st.booleans())
    def test_circles_refuse_with_a_message_or_store_what_was_typed(self, name, cadence, edit):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        prefix = f"c{self.circle.pk}" if edit else "new"
        url = (
            reverse("contacts:circle_edit", args=[self.circle.pk])
            if edit
            else reverse("contacts:circles")
        )
        others = Circle.objects.filter(owner=self.alice).exclude(
            pk=self.circle.pk if edit else None
        )
        taken = {fold(n) for n in others.values_list("name", flat=True)}
        response = post(
            client, url, {f"{prefix}-name": name, f"{prefix}-cadence_days": cadence}, follow=True
        )
        if too_big(form_body({"name": name})):
            return
        name_errors = char_errors(name, max_length=80, required=True)
        duplicate = not name_errors and fold(collapsed(name)) in taken
        cadence_error = int_error(cadence, low=1, high=3650)
        html = html_of(response)
        if not name_errors and not duplicate and cadence_error is None:
            circle = (
                Circle.objects.get(pk=self.circle.pk)
                if edit
                else Circle.objects.filter(owner=self.alice).latest("pk")
            )
            assert circle.name == collapsed(name)
            assert circle.cadence_days == as_int(cadence)
            assert_rendered(html, circle.name)
        else:
            assert rows_of(self.alice) == before
            for message in name_errors:
                assert_shown(html, message)
            if duplicate:
                assert_shown(html, "You already have a circle with this name.")
            if cadence_error:
                assert escape(cadence_error) in html

    @given(
        name=short_text | huge_text | st.sampled_from(["jazz", " JÁZZ ", "a" * 80, "a" * 81]),
        contact=st.sampled_from(["mine", "bob"]),
        htmx=st.booleans(),
    )
    def test_adding_an_interest_refuses_or_stores_what_was_typed(self, name, contact, htmx):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        pk = self.contact.pk if contact == "mine" else self.bob_contact.pk
        response = post(
            client,
            reverse("contacts:interest_add", args=[pk]),
            {"name": name},
            htmx=htmx,
            follow=not htmx,
        )
        self.assert_bob_untouched(bob_before)
        if too_big(form_body({"name": name})):
            return
        if contact == "bob":
            assert response.status_code == 404
            assert rows_of(self.alice) == before
            return
        errors = char_errors(name, max_length=80, required=True)
        html = html_of(response)
        if errors:
            assert rows_of(self.alice) == before
            if htmx:
                for message in errors:
                    assert_shown(html, message)
            else:
                assert_shown(html, "Type an interest to add.")
        else:
            # Matched ignoring case and accents: "JÁZZ" is the Jazz she already has.
            interest = self.contact.interests.get(folded_name=fold(collapsed(name)))
            if interest.pk != self.interest.pk:
                assert interest.name == collapsed(name)
            assert_rendered(html, interest.name)
            page = html_of(get(client, self.contact.get_absolute_url()))
            assert_rendered(page, interest.name)

    @given(
        name=short_text | huge_text,
        query=short_text | huge_text,
        search=short_text | huge_text | st.integers(1, 1500).map(lambda n: "a " * n),
    )
    @fewer(2)
    def test_searches_and_autocompletes_answer_anything_without_other_users_rows(
        self, name, query, search
    ):
        client = self.client_for(self.alice)
        html = html_of(get(client, reverse("contacts:interest_suggest"), {"name": name}))
        assert "BOBINTEREST" not in html
        for htmx in (False, True):
            html = html_of(get(client, reverse("contacts:interests"), {"q": query}, htmx=htmx))
            assert "BOBINTEREST" not in html
        url = reverse("contacts:introducer", args=[self.contact.pk])
        html = html_of(get(client, url, {"q": search}))
        assert "BOBCONTACT" not in html

    def test_a_nul_byte_in_a_search_is_answered(self):
        client = self.client_for(self.alice)
        for url, params in [
            (reverse("contacts:interests"), {"q": "ja\x00"}),
            (reverse("contacts:interest_suggest"), {"name": "ja\x00"}),
            (reverse("contacts:introducer", args=[self.contact.pk]), {"q": "gr\x00"}),
        ]:
            assert get(client, url, params).status_code == 200, url

    def test_a_very_long_introducer_search_is_answered(self):
        client = self.client_for(self.alice)
        url = reverse("contacts:introducer", args=[self.contact.pk])
        for search in ("a " * 1000, "a" * 100_000):
            assert get(client, url, {"q": search}).status_code == 200


BULK_ACTIONS = [
    "set_circle",
    "set_cadence",
    "add_interest",
    "remove_interest",
    "pause",
    "unpause",
    "archive",
    "unarchive",
    "export_vcard",
    "export_csv",
    "delete",
    "drop_table",
    "",
]


class BulkAndListTest(HostileInputTestCase):
    @given(
        action=st.sampled_from(BULK_ACTIONS),
        ids=st.lists(id_kind, max_size=3),
        all_matching=st.sampled_from(["", "on", NUL]),
        target_circle=st.sampled_from(["", *ID_KINDS]),
        target_interest=st.sampled_from(["", *ID_KINDS]),
        cadence=number,
        interest_name=short_text | huge_text,
        q=short_text,
        confirmed=st.sampled_from(["", "yes"]),
    )
    def test_bulk_edits_refuse_other_users_ids_and_hostile_values(
        self,
        action,
        ids,
        all_matching,
        target_circle,
        target_interest,
        cadence,
        interest_name,
        q,
        confirmed,
    ):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        fields = {
            "action": action,
            "ids": [self.resolve_id(kind, self.contact.pk, self.bob_contact.pk) for kind in ids],
            "all_matching": all_matching,
            "target_circle": self.resolve_id(target_circle, self.circle.pk, self.bob_circle.pk)
            if target_circle
            else "",
            "target_interest": self.resolve_id(
                target_interest, self.interest.pk, self.bob_interest.pk
            )
            if target_interest
            else "",
            "cadence_days": cadence,
            "interest_name": interest_name,
            "q": q,
            "querystring": q,
            "confirmed": confirmed,
        }
        response = post(client, reverse("contacts:bulk"), fields, follow=True)
        self.assert_bob_untouched(bob_before)
        if too_big(form_body(fields)):
            return
        html = html_of(response)
        assert "BOBCONTACT" not in html
        refused = (
            any(kind != "mine" for kind in ids)
            or (target_circle not in ("", "mine"))
            or (target_interest not in ("", "mine"))
            or int_error(cadence, low=1, high=3650) is not None
            or bool(char_errors(interest_name, max_length=80))
            or action not in BULK_ACTIONS[:-2]
        )
        if refused:
            assert rows_of(self.alice) == before
            assert "message-error" in html or 'class="errorlist' in html
        if "bob" in ids and set(ids) <= {"mine", "bob"}:
            # Django names only the first bad id; when it is Bob's, it isn't a choice of hers.
            assert_shown(html, "Select a valid choice.")
        if action == "add_interest" and BulkChange.objects.filter(owner=self.alice).exists():
            added = Interest.objects.get(
                pk=BulkChange.objects.get(owner=self.alice).payload["interest_id"]
            )
            assert fold(added.name) == fold(collapsed(interest_name))
        if action == "set_cadence" and BulkChange.objects.filter(owner=self.alice).exists():
            assert Contact.objects.get(pk=self.contact.pk).cadence_days == as_int(cadence)

    def test_a_twenty_digit_contact_id_is_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"action": "pause", "ids": ["9" * 20]}
        response = post(client, reverse("contacts:bulk"), fields, follow=True)
        assert rows_of(self.alice) == before
        assert_shown(html_of(response), "Select a valid choice.")

    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "q": short_text | huge_text,
                "circle": id_kind,
                "interest": id_kind,
                "status": st.sampled_from(["", "due", "paused", "archived", "deleted"])
                | short_text,
                "sort": st.sampled_from(["name", "last", "next", "-pk"]) | short_text,
                "page": number,
                "format": st.sampled_from(["vcard", "vcard3", "csv", "xlsx"]),
            },
        ),
        htmx=st.booleans(),
    )
    def test_the_list_and_exports_answer_any_filter_without_other_users_rows(self, params, htmx):
        client = self.client_for(self.alice)
        for key, (mine, bobs) in {
            "circle": (self.circle.pk, self.bob_circle.pk),
            "interest": (self.interest.pk, self.bob_interest.pk),
        }.items():
            if key in params:
                params[key] = self.resolve_id(params[key], mine, bobs)
        for url in (reverse("contacts:list"), reverse("contacts:export")):
            response = get(client, url, params, htmx=htmx)
            body = html_of(response)
            assert "BOBCONTACT" not in body and "BOBCIRCLE" not in body

    @given(
        days=st.one_of(st.none(), number),
        data=st.data(),
        whose=st.sampled_from(["mine", "mine", "bob"]),
        htmx=st.booleans(),
    )
    def test_snooze_refuses_with_a_message_or_snoozes_as_asked(self, days, data, whose, htmx):
        today = self.today
        until = data.draw(st.one_of(st.none(), date_strings(today)))
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        contact = self.contact if whose == "mine" else self.bob_contact
        fields = {}
        if days is not None:
            fields["days"] = days
        if until is not None:
            fields["until"] = until
        response = post(
            client, reverse("contacts:snooze", args=[contact.pk]), fields, htmx=htmx, follow=True
        )
        self.assert_bob_untouched(bob_before)
        if whose == "bob":
            assert response.status_code == 404
            return
        html = html_of(response)
        snoozed = Contact.objects.get(pk=self.contact.pk).snoozed_until

        def assert_refused(message: str) -> None:
            assert rows_of(self.alice) == before
            # The htmx snooze form swaps nothing: the message waits for the next page.
            page = html_of(get(client, self.contact.get_absolute_url())) if htmx else html
            assert_shown(page, message)

        # The view's rules: a date after today and within two years wins; else a number of days,
        # kept between 1 and 365.
        until_text = received(until or "")
        try:
            until_day = dt.date.fromisoformat(until_text) if until_text else None
            days_value = min(max(int(received(days if days is not None else "7")), 1), 365)
        except ValueError:
            assert_refused("Pick a number of days or a date to snooze until.")
            return
        if until_day is not None:
            if not today < until_day <= today + dt.timedelta(days=730):
                assert_refused("Pick a date after today and within two years.")
                return
            assert snoozed == until_day
        else:
            assert snoozed == today + dt.timedelta(days=days_value)
        if htmx:
            assert response.status_code == 204
        else:
            assert_shown(html, f"Snoozed {self.contact.name} for {(snoozed - today).days} days.")


# --- Interactions ----------------------------------------------------------------------------------

KINDS = [kind for kind, _ in Interaction.Kind.choices]


class InteractionFormsTest(HostileInputTestCase):
    @given(
        kind=st.sampled_from([*KINDS, "", "party", "coffee\x00"]),
        notes=short_text | huge_text | st.just("n" * 10_001),
        data=st.data(),
        htmx=st.booleans(),
    )
    def test_quick_log_refuses_with_a_message_or_stores_what_was_typed(
        self, kind, notes, data, htmx
    ):
        today = self.today
        occurred_on = data.draw(date_strings(today))
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"kind": kind, "occurred_on": occurred_on, "notes": notes}
        response = post(
            client, reverse("interactions:log", args=[self.contact.pk]), fields, htmx=htmx
        )
        if too_big(form_body(fields)):
            return
        note_errors = char_errors(notes, max_length=10_000)
        day = as_date(occurred_on) if received(occurred_on).strip() else today
        if day is None:
            date_error = "Enter a valid date."
        elif day > today:
            date_error = "That day hasn't happened yet: log it once it has."
        elif day < today - dt.timedelta(days=36500):
            date_error = "Please pick a date within the last hundred years."
        else:
            date_error = None
        valid = kind in KINDS and not note_errors and date_error is None
        if valid:
            assert response.status_code == (200 if htmx else 302)
            logged = Interaction.objects.filter(owner=self.alice).latest("pk")
            assert logged.kind == kind and logged.occurred_on == day
            assert logged.notes == clean_text(notes)
            assert list(logged.contacts.all()) == [self.contact]
            if logged.notes:
                page = html_of(get(client, self.contact.get_absolute_url()))
                assert_rendered(page, logged.notes)
        else:
            assert response.status_code == (200 if htmx else 400)
            assert rows_of(self.alice) == before
            html = html_of(response)
            for message in [*note_errors, date_error]:
                if message:
                    assert_shown(html, message)
            if kind == "":
                assert_shown(html, "This field is required.")
            elif kind not in KINDS:
                assert_shown(html, "Select a valid choice.")

    @given(
        texts=hostile_fields(["place", "notes", "follow_up_note", "ask_next_time"]),
        kind=st.sampled_from([*KINDS, "party"]),
        people=st.lists(id_kind, min_size=0, max_size=3),
        at_time=st.sampled_from(["", "12:30", "25:00", "02:30", "23:59:59", "noon", NUL]),
        duration=number,
        initiated_by=st.sampled_from(["", "me", "them", "nobody"]),
        data=st.data(),
        edit=st.booleans(),
    )
    @fewer(2)
    def test_the_full_form_refuses_other_users_people_and_stores_what_was_typed(
        self, texts, kind, people, at_time, duration, initiated_by, data, edit
    ):
        today = self.today
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        bob_before = rows_of(self.bob)
        fields = {
            **texts,
            "kind": kind,
            "people": [
                self.resolve_id(p, self.other_contact.pk, self.bob_contact.pk) for p in people
            ],
            "occurred_on": data.draw(date_strings(today)),
            "at_time": at_time,
            "duration_minutes": duration,
            "initiated_by": initiated_by,
            "follow_up_on": data.draw(date_strings(today)),
        }
        url = (
            reverse("interactions:edit", args=[self.interaction.pk])
            if edit
            else reverse("interactions:create", args=[self.contact.pk])
        )
        response = post(client, url, fields)
        self.assert_bob_untouched(bob_before)
        if too_big(form_body(fields)):
            return
        errors = {
            "place": char_errors(texts["place"], max_length=200),
            "notes": char_errors(texts["notes"], max_length=10_000),
            "follow_up_note": char_errors(texts["follow_up_note"], max_length=300),
            "ask_next_time": char_errors(texts["ask_next_time"], max_length=300),
        }
        if any(p != "mine" for p in people) or not people:
            assert response.status_code == 200, "someone else's (or nobody's) interaction saved"
        if response.status_code == 302:
            assert not any(errors.values())
            saved = (
                Interaction.objects.get(pk=self.interaction.pk)
                if edit
                else Interaction.objects.filter(owner=self.alice).latest("pk")
            )
            for name in errors:
                assert getattr(saved, name) == clean_text(texts[name]), name
            assert saved.kind == kind
            assert saved.occurred_on == as_date(fields["occurred_on"])
            assert saved.follow_up_on == as_date(fields["follow_up_on"])
            assert saved.duration_minutes == as_int(duration)
            assert {c.owner_id for c in saved.contacts.all()} == {self.alice.pk}
            page = html_of(get(client, self.other_contact.get_absolute_url()))
            for name in ("notes", "ask_next_time"):
                if getattr(saved, name):
                    assert_rendered(page, getattr(saved, name))
        else:
            assert response.status_code == 200
            assert rows_of(self.alice) == before
            html = html_of(response)
            assert_shown(html, "Please check the fields marked below.")
            for messages in errors.values():
                for message in messages:
                    assert_shown(html, message)

    def test_a_person_id_written_with_a_superscript_digit_is_refused(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"kind": "coffee", "people": ["²"], "occurred_on": self.today.isoformat()}
        response = post(client, reverse("interactions:create", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before

    def test_a_twenty_digit_person_id_is_refused_with_a_message(self):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        fields = {"kind": "coffee", "people": ["9" * 20], "occurred_on": self.today.isoformat()}
        response = post(client, reverse("interactions:create", args=[self.contact.pk]), fields)
        assert response.status_code == 200
        assert rows_of(self.alice) == before
        assert_shown(html_of(response), "Select a valid choice.")

    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "kind": st.sampled_from([*KINDS, "party"]) | short_text,
                "circle": id_kind,
                "contact": id_kind,
                "since": st.sampled_from(DATES),
                "until": st.sampled_from(DATES),
                "page": number,
            },
        ),
        htmx=st.booleans(),
    )
    def test_activity_filters_answer_anything_without_other_users_rows(self, params, htmx):
        client = self.client_for(self.alice)
        if "circle" in params:
            params["circle"] = self.resolve_id(params["circle"], self.circle.pk, self.bob_circle.pk)
        if "contact" in params:
            params["contact"] = self.resolve_id(
                params["contact"], self.contact.pk, self.bob_contact.pk
            )
        html = html_of(get(client, reverse("interactions:list"), params, htmx=htmx))
        assert "BOBCONTACT" not in html and "BOBNOTES" not in html


# --- Importers: the parse functions never raise ------------------------------------------------

VCARD_LINES = [
    "BEGIN:VCARD",
    "END:VCARD",
    "begin:vcard",
    "VERSION:2.1",
    "VERSION:3.0",
    "VERSION:4.0",
    "FN:",
    "N:",
    "N:Lovelace;Ada;;;",
    "NICKNAME:",
    "ORG:",
    "ORG:;;",
    "TITLE:",
    "UID:",
    "EMAIL;TYPE=INTERNET,work:",
    "EMAIL:",
    "TEL;CELL:",
    'TEL;TYPE="cell,voice";VALUE=uri:tel:',
    "URL:",
    "URL;TYPE=linkedin:",
    "ADR;TYPE=home:;;",
    "ADR:",
    "BDAY:",
    "BDAY;X-APPLE-OMIT-YEAR=1604:",
    "BDAY;VALUE=text:",
    "NOTE:",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:",
    "NOTE;ENCODING=QUOTED-PRINTABLE:=",
    "CATEGORIES:",
    "item1.EMAIL:",
    "item1.X-ABLABEL:_$!<Other>!$_",
    "item1.X-ABLABEL:",
    "item2.URL:",
    "PHOTO;ENCODING=b;TYPE=JPEG:",
    "PHOTO;ENCODING=BASE64;TYPE=PNG:iVBORw0KGgo",
    "PHOTO:data:image/png;base64,",
    "PHOTO;VALUE=uri:",
    'X-CUSTOM;PARAM="quoted:colon":',
    "BEGIN:VCALENDAR",
    " folded continuation",
    "\tfolded with a tab",
    "=",
    "",
    ":",
    ";",
]
VALUES = [
    "Ada",
    "Ada Lovelace",
    "ada@example.com",
    "+44 20 7946 0000",
    "https://example.org",
    "javascript:alert(1)",
    "1815-12-10",
    "--1210",
    "--0229",
    "2026-02-30",
    "99999-01-01",
    "0000-00-00",
    "19900230",
    "02/30/1990",
    "a,b;c\\,d\\;e",
    "\\n\\N\\\\",
    "=C3=A9=",
    "=\r\n",
    "İİİİ",
]


def line_value() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(VALUES), short_text, huge_text.map(lambda s: s[:200_000]))


vcard_like = st.lists(
    st.tuples(st.sampled_from(VCARD_LINES), line_value() | st.just("")).map("".join) | short_text,
    max_size=30,
).flatmap(lambda lines: st.sampled_from(["\r\n", "\n", "\r"]).map(lambda end: end.join(lines)))

GOOGLE_HEADER = (
    "Name,Given Name,Family Name,Nickname,Birthday,Notes,Group Membership,E-mail 1 - Type,"
    "E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Website 1 - Type,Website 1 - Value,"
    "Organization 1 - Name,Organization 1 - Title,Address 1 - City,Address 1 - Country,Labels"
)
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
OTHER_HEADERS = ["name,email,phone,birthday,notes,tags", "Nom;Prénom", "a", ""]


def csv_cell() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            VALUES + ["", '"', '""', '"a,b"', "* myContacts ::: Friends", "07 Jan 2020"]
        ),
        short_text,
        st.just("x" * 140_000),  # past the csv module's field limit
    )


csv_like = st.tuples(
    st.lists(short_text, max_size=3),  # LinkedIn puts notes above the header
    st.sampled_from([GOOGLE_HEADER, LINKEDIN_HEADER, *OTHER_HEADERS]) | short_text,
    st.lists(st.lists(csv_cell(), max_size=20).map(",".join), max_size=8),
    st.sampled_from(["\r\n", "\n", "\r"]),
).map(lambda t: t[3].join([*t[0], t[1], *t[2]]))

mapping = st.lists(
    st.sampled_from(["", "name", "first_name", "last_name", "email", "phone", "link", "birthday",
                     "interests", "notes", "nickname", "city", "password"]),
    max_size=8,
)  # fmt: skip


def consume(items) -> list:
    parsed = list(items)
    for item in parsed:
        assert isinstance(item, ParsedContact | ParseError)
        if isinstance(item, ParsedContact):
            check_parsed(item)
    return parsed


def check_parsed(card: ParsedContact) -> None:
    """A parsed card fits its columns and holds nothing a database refuses."""
    texts = [card.name, card.nickname, card.company, card.role, card.city, card.country]
    texts += [card.notes, card.uid, *card.interests]
    texts += [
        text for pairs in (card.emails, card.phones, card.links) for pair in pairs for text in pair
    ]
    for text in texts:
        assert NUL not in text
        text.encode("utf-8")  # no lone surrogates
    assert card.name and len(card.name) <= 200
    assert len(card.nickname) <= 100 and len(card.company) <= 200 and len(card.role) <= 200
    assert len(card.city) <= 120 and len(card.country) <= 120 and len(card.uid) <= 200
    assert all(
        len(value) <= 254 for pairs in (card.emails, card.phones, card.links) for _, value in pairs
    )
    assert all(0 < len(name) <= 80 for name in card.interests)
    if card.birthday:
        month, day, year = card.birthday
        dt.date(year or 2000, month, day)


class ParsersTest(TestCase):
    @given(text=vcard_like | st.text() | short_text)
    def test_vcard_parser_yields_cards_or_errors_for_any_text(self, text):
        consume(parse_vcard_text(text))

    @given(text=csv_like | st.text(), fields=mapping)
    def test_csv_parsers_yield_cards_or_errors_for_any_text(self, text, fields):
        consume(parse_google_csv(text))
        consume(parse_linkedin_csv(text))
        consume(parse_mapped_csv(text, fields))

    @given(raw=st.binary(max_size=4000))
    def test_any_bytes_decode_to_text(self, raw):
        text = decode_upload(raw)
        assert isinstance(text, str)
        text.encode("utf-8")  # no lone surrogates

    def test_labels_fit_their_column_even_when_lower_case_is_longer(self):
        vcard = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nitem1.EMAIL:eve@example.com\r\n"
            "item1.X-ABLABEL:_$!<" + "İ" * 30 + ">!$_\r\nEND:VCARD\r\n"
        )
        google = "Name,E-mail 1 - Label,E-mail 1 - Value\nEve," + "İ" * 40 + ",eve@example.com\n"
        for card in [*parse_vcard_text(vcard), *parse_google_csv(google)]:
            assert all(len(label) <= 40 for label, _ in card.emails)


# --- Importing through the web ---------------------------------------------------------------------


def encoded(text: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(["utf-8", "utf-16", "cp1252", "surrogatepass"]).map(
        lambda codec: (
            text.encode("utf-8", "surrogatepass")
            if codec == "surrogatepass"
            else text.encode(codec, "replace")
        )
    )


# Text a contacts file could hold: hostile, but mostly without C0 control characters (a file with
# more than 1% of them is refused as binary before it is parsed).
visible_text = st.lists(
    st.one_of(
        st.sampled_from([f for f in FRAGMENTS if not re.fullmatch(r"[\x00-\x08\x0b-\x1f]+", f)]),
        st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=8),
    ),
    max_size=6,
).map("".join)


@st.composite
def vcard_files(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        lines += [
            "BEGIN:VCARD",
            draw(st.sampled_from(["VERSION:2.1", "VERSION:3.0", "VERSION:4.0"])),
        ]
        if draw(st.booleans()):
            lines.append("FN:" + draw(visible_text | st.sampled_from(VALUES)))
        for _ in range(draw(st.integers(0, 8))):
            value = draw(st.sampled_from(VALUES) | visible_text)
            lines.append(draw(st.sampled_from(VCARD_LINES[4:])) + value)
        if draw(st.integers(0, 4)):
            lines.append("END:VCARD")
    return draw(st.sampled_from(["\r\n", "\n"])).join(lines)


@st.composite
def csv_files(draw) -> str:
    header = draw(st.sampled_from([GOOGLE_HEADER, LINKEDIN_HEADER, OTHER_HEADERS[0]]))
    columns = len(header.split(","))
    rows = [
        ",".join(
            draw(st.lists(csv_cell() | visible_text, min_size=columns - 2, max_size=columns + 1))
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    notes = ["Notes:", '"When exporting your connection data..."', ""] if "URL" in header else []
    return draw(st.sampled_from(["\r\n", "\n"])).join([*notes, header, *rows])


contact_files = st.one_of(vcard_files(), csv_files()).flatmap(encoded)
any_files = st.one_of(
    st.binary(max_size=3000),
    vcard_like.flatmap(encoded),
    csv_like.flatmap(encoded),
)


class ImportViewsTest(HostileInputTestCase):
    def setUp(self):
        super().setUp()
        self.media = self.settings(MEDIA_ROOT=django_settings.VAR_DIR / "test-media-bad-input")
        self.media.enable()
        self.addCleanup(self.media.disable)

    def upload(self, client: Client, raw: bytes, filename: str) -> ImportBatch | None:
        """Upload ``raw``; the batch kept, or None when it was refused with a message."""
        if currently_in_test_context():
            note(f"file {filename!r}: {raw[:500]!r}")
        try:
            upload = SimpleUploadedFile(filename or "f", raw)
        except SuspiciousFileOperation:
            # The test client can't send a name with no file part ("/", ".."); browsers send
            # the last part of a path, so such a name never reaches the server either.
            filename = "f"
            upload = SimpleUploadedFile(filename, raw)
        response = client.post(reverse("contacts:import"), {"file": upload})
        check_response(response)
        batch = ImportBatch.objects.filter(owner=self.alice).order_by("pk").last()
        if response.status_code == 400:
            # A name with nothing printable: Django's multipart parser skips the part unread and
            # then reads the file's content as more parts (a 400 before any view runs).
            kept = "".join(ch for ch in re.split(r"[/\\]", filename)[-1] if ch.isprintable())
            assert kept in ("", ".", "..") and batch is None
            return None
        assert response.status_code == 302
        if response["Location"] == reverse("contacts:import"):
            # Refused, with the reason on the page; nothing kept.
            assert batch is None
            assert "message-error" in html_of(get(client, reverse("contacts:import")))
            if currently_in_test_context():
                event("refused")
            return None
        assert response["Location"] == reverse("contacts:import_detail", args=[batch.pk])
        if currently_in_test_context():
            event(f"kind: {batch.kind}")
        for htmx in (False, True):
            get(client, response["Location"], htmx=htmx)
        return batch

    @given(
        raw=any_files,
        # The test client can't encode a lone surrogate: send what its bytes are read as.
        filename=st.sampled_from(["contacts.vcf", "c.csv", "x" * 300, "\u202egpj.vcf"])
        | short_text.map(received),
    )
    @fewer(2)
    def test_any_file_is_refused_with_a_message_or_previewed(self, raw, filename):
        client = self.client_for(self.alice)
        before = rows_of(self.alice)
        batch = self.upload(client, raw, filename)
        if batch is None:
            assert rows_of(self.alice) == before
        else:
            assert len(batch.filename) <= 255
            page = html_of(get(client, reverse("contacts:import_detail", args=[batch.pk])))
            if batch.filename:
                assert_rendered(page, batch.filename)

    @given(raw=contact_files, columns=mapping)
    @fewer(2)
    def test_contact_files_preview_and_import_without_a_server_error(self, raw, columns):
        client = self.client_for(self.alice)
        bob_before = rows_of(self.bob)
        before = Contact.objects.filter(owner=self.alice).count()
        batch = self.upload(client, raw, "contacts")
        if batch is None:
            return
        if batch.kind == "csv":
            headers = batch.summary["headers"]
            post(
                client,
                reverse("contacts:import_mapping", args=[batch.pk]),
                {f"column_{i}": value for i, value in enumerate(columns)},
            )
            batch.refresh_from_db()
            assert set(batch.summary["mapping"]) <= {key for key, _ in MAPPABLE_FIELDS}
            assert len(batch.summary["mapping"]) == len(headers)
        post(client, reverse("contacts:import_confirm", args=[batch.pk]), {})
        html = html_of(get(client, reverse("contacts:import_detail", args=[batch.pk])))
        batch.refresh_from_db()
        assert batch.state in ("uploaded", "done")
        created = Contact.objects.filter(owner=self.alice, import_batch=batch)
        event(f"state: {batch.state}, created: {min(created.count(), 2)}+")
        assert Contact.objects.filter(owner=self.alice).count() == before + created.count()
        for contact in created[:3]:
            page = html_of(get(client, contact.get_absolute_url()))
            assert_rendered(page, contact.name)
            for method in contact.methods.all():
                assert_rendered(page, method.value)
        self.assert_bob_untouched(bob_before)
        assert "BOBCONTACT" not in html

    def test_a_long_label_that_grows_in_lower_case_imports(self):
        client = self.client_for(self.alice)
        label = "_$!<" + "İ" * 30 + ">!$_"
        raw = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nitem1.EMAIL:eve@example.com\r\n"
            f"item1.X-ABLABEL:{label}\r\nEND:VCARD\r\n"
        ).encode()
        batch = self.upload(client, raw, "eve.vcf")
        response = post(client, reverse("contacts:import_confirm", args=[batch.pk]), {})
        assert response.status_code == 302
        method = ContactMethod.objects.get(owner=self.alice, value="eve@example.com")
        assert len(method.label) <= 40

    def test_an_imported_javascript_link_is_not_a_link_on_the_contact_page(self):
        client = self.client_for(self.alice)
        raw = (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\r\nURL:javascript:alert(document.cookie)"
            b"\r\nEND:VCARD\r\n"
        )
        client.post(reverse("contacts:import"), {"file": SimpleUploadedFile("eve.vcf", raw)})
        batch = ImportBatch.objects.get(owner=self.alice)
        client.post(reverse("contacts:import_confirm", args=[batch.pk]))
        contact = Contact.objects.get(owner=self.alice, import_batch=batch)
        assert unsafe_links(html_of(client.get(contact.get_absolute_url()))) == []


# --- Restoring a backup ----------------------------------------------------------------------------

BACKUP_FIELDS = {
    "circles": ["id", "name", "cadence_days"],
    "interests": ["id", "name", "mine"],
    "contacts": ["id", "uid", "name", "nickname", "company", "role", "city", "country",
                 "how_we_met", "notes", "circle_id", "cadence_days", "paused", "archived",
                 "added_on", "cadence_restarted_on", "snoozed_until", "introduced_by_id"],
    "contact_interests": ["contact_id", "interest_id"],
    "contact_methods": ["contact_id", "kind", "label", "value", "position"],
    "important_dates": ["contact_id", "kind", "label", "day", "month", "year"],
    "interactions": ["id", "kind", "occurred_at", "duration_minutes", "place", "notes",
                     "initiated_by", "follow_up_on", "follow_up_note", "ask_next_time"],
    "interaction_contacts": ["interaction_id", "contact_id"],
    "reminders": ["contact_id", "interaction_id", "kind", "due_on", "state", "snoozed_until",
                  "note"],
}  # fmt: skip


def a_backup() -> dict:
    """A small, valid backup, as backup_json writes it."""
    return {
        "format": "network-crm-backup",
        "version": 1,
        "circles": [{"id": 1, "name": "Friends", "cadence_days": 30}],
        "interests": [{"id": 2, "name": "Jazz", "mine": True}],
        "contacts": [
            {"id": 3, "uid": "urn:uuid:1", "name": "Ada Lovelace", "nickname": "Ada",
             "company": "", "role": "", "city": "London", "country": "", "how_we_met": "",
             "notes": "Notes", "circle_id": 1, "cadence_days": None, "paused": False,
             "archived": False, "added_on": "2026-01-01", "cadence_restarted_on": None,
             "snoozed_until": None, "introduced_by_id": None}
        ],
        "contact_interests": [{"contact_id": 3, "interest_id": 2}],
        "contact_methods": [
            {"contact_id": 3, "kind": "email", "label": "", "value": "ada@example.com",
             "position": 0}
        ],
        "important_dates": [
            {"contact_id": 3, "kind": "birthday", "label": "", "day": 10, "month": 12,
             "year": 1990}
        ],
        "interactions": [
            {"id": 4, "kind": "coffee", "occurred_at": "2026-01-10T12:00:00+00:00",
             "duration_minutes": None, "place": "", "notes": "Tea", "initiated_by": "",
             "follow_up_on": None, "follow_up_note": "", "ask_next_time": ""}
        ],
        "interaction_contacts": [{"interaction_id": 4, "contact_id": 3}],
        "reminders": [
            {"contact_id": 3, "interaction_id": 4, "kind": "follow_up", "due_on": "2026-02-01",
             "state": "open", "snoozed_until": None, "note": "Send the article"}
        ],
    }  # fmt: skip


backup_values = st.one_of(
    short_text,
    huge_text,
    st.sampled_from(DATES),
    st.sampled_from([None, True, -5, 0, 10**40, -(10**40), 1e308, 2**63, [], {}, [1], {"a": 1}]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)


class RestoreTest(HostileInputTestCase):
    """The restore goes into Charlie's fresh account (a restore needs one with no people)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.charlie = UserFactory(email="charlie@example.com", name="Charlie Nguyen")
        Circle.objects.get_or_create(owner=cls.charlie, name="Close friends", cadence_days=14)

    def restore(self, client: Client, raw: bytes):
        response = client.post(
            reverse("contacts:restore"),
            {"backup": SimpleUploadedFile("backup.json", raw)},
            follow=True,
        )
        check_response(response)
        return response

    @given(
        changes=st.lists(
            st.sampled_from(
                [(t, f) for t, fields in BACKUP_FIELDS.items() for f in fields]
            ).flatmap(lambda tf: st.tuples(st.just(tf), backup_values)),
            min_size=1,
            max_size=3,
        ),
        bob_ids=st.booleans(),
    )
    @fewer(2)
    def test_a_damaged_backup_is_refused_whole_or_restored_exactly(self, changes, bob_ids):
        client = self.client_for(self.charlie)
        before = rows_of(self.charlie)
        bob_before = rows_of(self.bob)
        alice_before = rows_of(self.alice)
        data = a_backup()
        for (table, field), value in changes:
            data[table][0][field] = value
        if bob_ids:
            # Bob's row ids where the backup's own ids go: they are only labels in the file.
            data["contacts"][0]["id"] = self.bob_contact.pk
            data["contact_methods"][0]["contact_id"] = self.bob_contact.pk
        note(data)
        raw = json.dumps(data, allow_nan=True).encode()
        html = html_of(self.restore(client, raw))
        self.assert_bob_untouched(bob_before)
        assert rows_of(self.alice) == alice_before
        contacts = Contact.objects.filter(owner=self.charlie)
        event("restored" if "Backup restored" in html else "refused")
        if "Backup restored" in html:
            row = data["contacts"][0]
            contact = contacts.get()
            for field in ("name", "nickname", "company", "role", "city", "country", "notes",
                          "how_we_met", "uid"):  # fmt: skip
                # Text columns keep strings as they are (NULs and lone surrogates included, where
                # the database takes them) and store other JSON values as str().
                expected = row[field] if isinstance(row[field], str) else str(row[field])
                assert getattr(contact, field) == expected, field
            page = html_of(get(client, contact.get_absolute_url()))
            assert_rendered(page, contact.name)
        else:
            assert rows_of(self.charlie) == before
            assert "message-error" in html
            assert "nothing was restored" in html or "isn&#x27;t a network-crm backup" in html

    @given(
        raw=st.binary(max_size=2000) | short_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
    )
    @fewer(2)
    def test_any_file_is_refused_with_a_message(self, raw):
        client = self.client_for(self.charlie)
        before = rows_of(self.charlie)
        html = html_of(self.restore(client, raw))
        assert rows_of(self.charlie) == before
        assert "message-error" in html

    def round_trip(self, vcard: bytes) -> str:
        """Alice imports ``vcard`` and downloads her backup; Charlie restores it."""
        alice = self.client_for(self.alice)
        alice.post(reverse("contacts:import"), {"file": SimpleUploadedFile("old.vcf", vcard)})
        batch = ImportBatch.objects.get(owner=self.alice)
        alice.post(reverse("contacts:import_confirm", args=[batch.pk]))
        assert Contact.objects.filter(import_batch=batch).count() == 1
        backup = b"".join(alice.get(reverse("contacts:backup")).streaming_content)
        return html_of(self.restore(self.client_for(self.charlie), backup))

    def test_a_backup_with_an_imported_card_restores(self):
        html = self.round_trip(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byron\r\nBDAY:1990-12-10\r\nEND:VCARD\r\n"
        )
        assert_shown(html, "Backup restored: 3 people, with their history.")

    def test_a_backup_with_an_old_imported_birthday_restores(self):
        html = self.round_trip(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Byron\r\nBDAY:1815-12-10\r\nEND:VCARD\r\n"
        )
        assert_shown(html, "Backup restored: 3 people, with their history.")

    def test_deeply_nested_json_is_refused_with_a_message(self):
        client = self.client_for(self.charlie)
        response = client.post(
            reverse("contacts:restore"),
            {"backup": SimpleUploadedFile("backup.json", b"[" * 100_000 + b"]" * 100_000)},
            follow=True,
        )
        assert response.status_code == 200
        assert "message-error" in html_of(response)

    def test_a_restored_javascript_link_is_not_a_link_on_the_contact_page(self):
        client = self.client_for(self.charlie)
        data = a_backup()
        data["contact_methods"][0].update(kind="link", value="javascript:alert(document.cookie)")
        self.restore(client, json.dumps(data).encode())
        contact = Contact.objects.get(owner=self.charlie)
        assert unsafe_links(html_of(client.get(contact.get_absolute_url()))) == []
