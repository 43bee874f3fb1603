"""The address book's vCard mapping: real clients' cards read into the CRM's fields, written back
in each dialect with every line the CRM has no column for, and render -> parse -> render stable."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dav.cards import (
    VCARD_3,
    VCARD_4,
    CardError,
    card_parse,
    card_render_fields,
)

SAMPLES = Path(__file__).parent / "samples"
CIRCLES = ["Friends", "Close friends", "Family"]


def sample(name: str) -> str:
    return (SAMPLES / name).read_text()


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def round_trip(text: str, version: str) -> tuple[dict, str]:
    parsed = card_parse(text, circle_names=CIRCLES)
    out = card_render_fields(parsed.fields, uid=parsed.uid, extra=parsed.extra, version=version)
    return parsed.fields, out


def test_an_iphone_card_reads_into_the_crm_fields():
    fields = card_parse(sample("ios_30.vcf"), circle_names=CIRCLES).fields
    assert fields["name"] == "Anna Lefèvre"
    assert fields["company"] == "Atelier Nord"
    assert fields["emails"] == [["other", "anna@atelier-nord.fr"], ["home", "anna.l@example.org"]]
    assert fields["phones"][1] == ["Studio (ask for Anna, 2nd floor)", "+33 1 42 00 00 00"]
    assert fields["links"] == [["homepage", "https://atelier-nord.fr"]]
    assert fields["birthday"] == [3, 14, None]  # X-APPLE-OMIT-YEAR: no year
    assert fields["anniversary"] == [6, 20, 2015]  # Apple's X-ABDATE with its label
    assert (fields["city"], fields["country"]) == ("Lyon", "France")
    assert fields["circle"] == "Friends"


@pytest.mark.parametrize(
    "name", ["ios_30.vcf", "davx5_40.vcf", "thunderbird_40.vcf", "evolution_30.vcf"]
)
def test_a_real_card_comes_back_with_every_line_it_had(name):
    text = sample(name)
    version = VCARD_3 if "VERSION:3.0" in text else VCARD_4
    _, out = round_trip(text, version)
    written = set(unfolded(out))
    regenerated = ("VERSION:", "PRODID:", "REV:", "CATEGORIES:", "NOTE:\r", "BEGIN", "END")
    for line in unfolded(text):
        if not line or line.startswith(regenerated) or line in ("NOTE:",):
            continue
        assert line in written, line
    # Categories: the circle first, the others as they were.
    original = [ln for ln in unfolded(text) if ln.startswith("CATEGORIES:")]
    if original:
        cats = {c for ln in original for c in ln[11:].split(",")}
        out_cats = next(ln for ln in unfolded(out) if ln.startswith("CATEGORIES:"))
        assert set(out_cats[11:].split(",")) == cats


def test_the_other_dialect_gets_the_kept_lines_and_its_own_dates():
    _, out = round_trip(sample("ios_30.vcf"), VCARD_4)
    lines = unfolded(out)
    assert "BDAY:--0314" in lines
    assert "ANNIVERSARY:20150620" in lines
    assert "item3.ADR;type=HOME;type=pref:;;12 rue des Lilas;Lyon;;69003;France" in lines
    assert "IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:anna.lefevre" in lines
    assert "item6.X-ABRELATEDNAMES;type=pref:Paul" in lines
    # A label no TYPE can say rides in an item group that doesn't collide with the kept ones.
    assert any(ln.endswith(".X-ABLabel:Studio (ask for Anna\\, 2nd floor)") for ln in lines)
    groups = [ln.split(".", 1)[0] for ln in lines if ln.startswith("item") and "X-ABLabel" in ln]
    assert len(groups) == len(set(groups))

    _, out3 = round_trip(sample("davx5_40.vcf"), VCARD_3)
    lines3 = unfolded(out3)
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12" in lines3
    assert any(ln.endswith("X-ABDATE:2010-09-18") for ln in lines3)
    assert "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af" in lines3


def test_a_city_edited_in_the_app_changes_only_the_address_parts_it_holds():
    parsed = card_parse(sample("davx5_40.vcf"), circle_names=CIRCLES)
    fields = {**parsed.fields, "city": "Porto", "company": "Costa Lda"}
    out = card_render_fields(fields, uid=parsed.uid, extra=parsed.extra, version=VCARD_4)
    assert "ADR;TYPE=work:;;Av. da Liberdade 100;Porto;;1250-096;Portugal" in unfolded(out)
    assert "ORG:Costa Lda" in unfolded(out)


def test_a_value_edited_in_the_app_replaces_the_kept_line_and_its_label():
    parsed = card_parse(sample("ios_30.vcf"), circle_names=CIRCLES)
    phones = [["cell", "+33 6 99 99 99 99"], parsed.fields["phones"][1]]
    out = card_render_fields(
        {**parsed.fields, "phones": phones, "name": "Anna Martin"},
        uid=parsed.uid,
        extra=parsed.extra,
        version=VCARD_3,
    )
    lines = unfolded(out)
    assert "TEL;TYPE=cell:+33 6 99 99 99 99" in lines
    assert not any("+33 6 12 34 56 78" in ln for ln in lines)
    assert "item2.TEL:+33 1 42 00 00 00" in lines  # unchanged: written as the phone had it
    assert "FN:Anna Martin" in lines and "N:Martin;Anna;;;" in lines


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "not a vCard"),
        ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:x\r\nEND:VCARD\r\n", "3.0 and 4.0"),
        ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n", "END:VCARD"),
        ("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:1\r\nEND:VCARD\r\n", "no name"),
        ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nno colon here\r\nEND:VCARD\r\n", "can't be read"),
        ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:" + "x" * 201 + "\r\nEND:VCARD\r\n", "longer than 200"),
        (
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n"
            + "".join(f"TEL:+1 555 {i:04d}\r\n" for i in range(61))
            + "END:VCARD\r\n",
            "more than 60 phones",
        ),
        (
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nPHOTO:data:image/jpeg;base64,@@@\r\nEND:VCARD\r\n",
            "base64",
        ),
        (
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nX-NETWORK-CRM-SHADOW;FN:e30=:e30=\r\nEND:VCARD\r\n",
            "own property",
        ),
    ],
)
def test_a_card_that_cannot_be_kept_whole_is_refused_with_a_reason(text, message):
    with pytest.raises(CardError, match=message):
        card_parse(text)


def test_photos_travel_inline_in_each_dialect():
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\nPHOTO;ENCODING=b;TYPE=JPEG:aGVsbG8=\r\nEND:VCARD\r\n"
    )
    parsed = card_parse(card)
    assert parsed.photo == b"hello"
    v4 = card_parse(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\nPHOTO:data:image/jpeg;base64,aGVsbG8=\r\nEND:VCARD\r\n"
    )
    assert v4.photo == b"hello"
    fields = parsed.fields
    out3 = card_render_fields(fields, uid="u", extra="", version=VCARD_3, photo="aGVsbG8=")
    out4 = card_render_fields(fields, uid="u", extra="", version=VCARD_4, photo="aGVsbG8=")
    assert "PHOTO;ENCODING=b;TYPE=JPEG:aGVsbG8=" in unfolded(out3)
    assert "PHOTO:data:image/jpeg;base64,aGVsbG8=" in unfolded(out4)
    by_url = card_parse(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\nPHOTO:https://x.example/p.jpg\r\nEND:VCARD\r\n"
    )
    assert by_url.photo is None and "PHOTO:https://x.example/p.jpg" in by_url.extra


# --- Round trips --------------------------------------------------------------------------------

text_ = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"),
    max_size=30,
).map(str.strip)
label = text_.filter(lambda s: not s.startswith("_$!<")).map(lambda s: s[:40])
multiline = st.lists(text_, max_size=3).map("\n".join).filter(lambda s: "How we met:" not in s)
date = st.tuples(
    st.integers(1, 12), st.integers(1, 28), st.one_of(st.none(), st.integers(1901, 2100))
).map(list)
unknown_line = st.sampled_from(
    [
        "X-SOCIALPROFILE;type=twitter:http://twitter.com/x",
        "IMPP;X-SERVICE-TYPE=Skype:skype:someone",
        "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
        "item9.X-ABRELATEDNAMES:Paul",
        "item9.X-ABLabel:_$!<Spouse>!$_",
        'X-CUSTOM;X-PARAM="a:b;c":value\\, with escapes\\n',
        "GENDER:F",
    ]
)
fields_ = st.fixed_dictionaries(
    {
        "name": text_.filter(bool),
        "nickname": text_,
        "company": text_,
        "role": text_,
        "city": text_,
        "country": text_,
        "notes": multiline,
        "how_we_met": text_,
        "emails": st.lists(st.tuples(label, text_.filter(bool)).map(list), max_size=3),
        "phones": st.lists(st.tuples(label, text_.filter(bool)).map(list), max_size=3),
        "links": st.lists(st.tuples(label, text_.filter(bool)).map(list), max_size=3),
        "birthday": st.one_of(st.none(), date),
        "anniversary": st.one_of(st.none(), date),
        "circle": st.sampled_from(["", *CIRCLES]),
        "photo": st.just(""),
    }
)


@settings(max_examples=150, deadline=None)
@given(
    fields=fields_,
    version=st.sampled_from([VCARD_3, VCARD_4]),
    unknown=st.lists(unknown_line, max_size=4, unique=True),
    other_version=st.sampled_from([VCARD_3, VCARD_4]),
)
def test_render_parse_render_is_identical_and_unknown_lines_survive(
    fields, version, unknown, other_version
):
    extra = "\r\n".join([f"VERSION:{other_version}", *unknown]) if unknown else ""
    first = card_render_fields(fields, uid="urn:uuid:1", extra=extra, version=version)
    parsed = card_parse(first, circle_names=CIRCLES)
    assert parsed.fields == fields
    second = card_render_fields(parsed.fields, uid=parsed.uid, extra=parsed.extra, version=version)
    assert second == first
    for line in unknown:
        assert line in unfolded(second)
    # And through the other dialect and back: the same fields, the kept lines still there.
    other = card_render_fields(
        parsed.fields, uid=parsed.uid, extra=parsed.extra, version=other_version
    )
    again = card_parse(other, circle_names=CIRCLES)
    assert again.fields == fields
    for line in unknown:
        assert line in unfolded(other)


any_unknown_line = st.builds(
    lambda group, name, params, value: f"{group}{name}{params}:{value}",
    st.sampled_from(["", "item7.", "g-1.", "ITEM12."]),
    st.from_regex(r"\AX-[A-Z0-9]{1,12}\Z").filter(
        lambda n: n not in ("X-ABLABEL", "X-ABDATE") and not n.startswith("X-NETWORK")
    ),
    st.lists(
        st.one_of(
            st.from_regex(r"\A;[A-Z-]{1,8}=[a-z0-9,]{0,8}\Z"),
            st.just(';X-Q="a:b;c,d"'),
            st.just(";type=pref"),
        ),
        max_size=3,
    ).map("".join),
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"),
        max_size=40,
    ),
)


@settings(max_examples=100, deadline=None)
@given(
    fields=fields_,
    unknown=st.lists(any_unknown_line, max_size=5, unique=True),
    device_version=st.sampled_from([VCARD_3, VCARD_4]),
    served_version=st.sampled_from([VCARD_3, VCARD_4]),
)
def test_any_unknown_line_a_device_sends_is_served_back_unchanged(
    fields, unknown, device_version, served_version
):
    card = card_render_fields(fields, uid="u", extra="", version=device_version)
    card = card.replace(
        "END:VCARD\r\n", "".join(f"{line}\r\n" for line in unknown) + "END:VCARD\r\n"
    )
    parsed = card_parse(card, circle_names=CIRCLES)
    assert parsed.fields == fields
    served = card_render_fields(
        parsed.fields, uid=parsed.uid, extra=parsed.extra, version=served_version
    )
    served_lines = unfolded(served)
    for line in unknown:
        assert line in served_lines
    again = card_parse(served, circle_names=CIRCLES)
    assert (
        card_render_fields(again.fields, uid="u", extra=again.extra, version=served_version)
        == served
    )


def test_a_fresh_label_group_never_reuses_a_kept_lines_number():
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nitem1.EMAIL:a@example.org\r\n"
        "item1.X-ABLabel:Old school\r\nitem1.X-EXTRA:kept\r\nEND:VCARD\r\n"
    )
    parsed = card_parse(card)
    fields = {**parsed.fields, "phones": [["Boat", "+1 555 0100"]]}
    lines = unfolded(card_render_fields(fields, uid="u", extra=parsed.extra, version=VCARD_3))
    assert "item1.EMAIL:a@example.org" in lines and "item1.X-ABLabel:Old school" in lines
    assert "item2.TEL:+1 555 0100" in lines and "item2.X-ABLabel:Boat" in lines
    assert "item1.X-EXTRA:kept" in lines
    # In the other dialect the email gets a fresh group; the kept line still comes back.
    lines4 = unfolded(card_render_fields(fields, uid="u", extra=parsed.extra, version=VCARD_4))
    assert "item1.X-EXTRA:kept" in lines4
    assert not any(ln.startswith("item1.EMAIL") for ln in lines4)


def test_a_byte_order_mark_and_an_underscore_in_a_name_are_read_not_refused():
    card = "\ufeffBEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nX_OLD_CLIENT:kept\r\nEND:VCARD\r\n"
    parsed = card_parse(card)
    assert parsed.fields["name"] == "B"
    assert "X_OLD_CLIENT:kept" in unfolded(
        card_render_fields(parsed.fields, uid="u", extra=parsed.extra, version=VCARD_4)
    )
