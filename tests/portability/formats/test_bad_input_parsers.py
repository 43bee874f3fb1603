"""The importers' parse functions never raise (issue 8): any text gives cards that fit their
columns, or parse errors; any bytes decode to text. Files: tests/fixtures/hostile_files.py."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from portability.formats.common import ParsedContact, ParseError, decode_upload
from portability.formats.csv import parse_google_csv, parse_linkedin_csv, parse_mapped_csv
from portability.formats.vcard import parse_vcard_text
from tests.fixtures.hostile import NUL, short_text
from tests.fixtures.hostile_files import csv_like, mapping, vcard_like


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
