"""Realistic, deterministic demo data for one user (``manage.py seed_demo``, benchmarks, screenshots).

The same seed on the same local day gives the same people, interests and history (only the times
of today's latest interactions, kept before "now", depend on the hour of the run). Everything is
inserted in bulk, with no per-row save(), and the due dates are then computed once by the set-based
rule, so that large accounts seed quickly (timings in bench/NOTES.md).
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction

from contacts.models import Circle, Contact, ContactMethod, ImportantDate, Interest
from contacts.selectors import contacts_due
from contacts.services import circles_create_defaults, contacts_touch
from demo import data as demo_data
from giving.models import Introduction, ShareItem
from interactions.models import Interaction, PlannedInteraction
from interactions.services import activity_recount, contacts_recompute_from_log
from network_crm.clock import local_date, user_zone
from network_crm.text import fold

if TYPE_CHECKING:
    from accounts.models import User

BATCH_SIZE = 2000
HISTORY_DAYS = 730  # interactions go back about two years
INTERACTIONS_PER_CONTACT = 20

# Share of active contacts with a rhythm that are planned to be overdue today.
DUE_SHARE = 0.25
ARCHIVED_SHARE = 0.02
PAUSED_SHARE = 0.04
CADENCE_OVERRIDE_SHARE = 0.08
CADENCE_OVERRIDES = (7, 21, 45, 90, 180, 365)
NO_CIRCLE_WEIGHT = 12
INTRODUCED_SHARE = 0.12
OWN_INTERESTS = 5

GROUP_SIZE_CUM_WEIGHTS = (80, 92, 97, 100)  # 1 person 80%, 2: 12%, 3: 5%, 4: 3%
# (kind, weight alone, weight in a group, local hours it happens between, minutes it lasts)
KINDS = (
    ("message", 28, 5, (7, 23), None),
    ("coffee", 14, 10, (8, 17), (30, 90)),
    ("call", 14, 0, (9, 21), (10, 60)),
    ("email", 12, 0, (8, 19), None),
    ("video_call", 9, 15, (9, 21), (20, 60)),
    ("meal", 8, 30, (12, 22), (60, 150)),
    ("shared", 7, 0, (7, 23), None),
    ("event", 3, 30, (17, 22), (90, 240)),
    ("introduction", 1, 8, (9, 19), None),
    ("other", 4, 2, (8, 21), None),
)
_KIND_ALONE_CUM = tuple(accumulate(k[1] for k in KINDS))
_KIND_GROUP_CUM = tuple(accumulate(k[2] for k in KINDS))

_TRANSLITERATE = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "ı": "i"}
)
_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "post.example")


@dataclass(frozen=True)
class DemoSeedResult:
    contacts: int
    interactions: int
    due: int  # the owner's contacts due today (all of them, not only the new ones)


@transaction.atomic
def demo_seed(
    *,
    owner: User,
    contacts: int = 200,
    interactions: int | None = None,
    seed: int = 0,
    now: dt.datetime,
) -> DemoSeedResult:
    """Add ``contacts`` made-up people and ``interactions`` Interaction rows to ``owner``'s data.

    Uses the owner's circles (the default ones are created if there are none) and a pool of
    interests (a few marked as the owner's own if they have none); some people were introduced
    by others. ``interactions`` defaults to 20 per contact. Only rows owned by ``owner`` are
    written. Some contacts come out overdue, some snoozed, paused, archived or on their own
    rhythm. Deterministic for a given ``seed`` and local date (``now`` in the owner's zone).
    """
    if interactions is None:
        interactions = INTERACTIONS_PER_CONTACT * contacts
    if contacts < 0 or interactions < 0:
        raise ValueError("Counts cannot be negative.")
    if interactions and not contacts:
        raise ValueError("Interactions need at least one contact.")

    rng = random.Random(seed)
    zone = _owner_zone(owner)
    today = local_date(now, zone)

    circles = list(Circle.objects.filter(owner=owner))
    if not circles:
        circles_create_defaults(owner=owner)
        circles = list(Circle.objects.filter(owner=owner))
    interest_ids = _interests_for(owner, rng=rng)

    people = _plan_people(rng, owner=owner, count=contacts, circles=circles, today=today)
    Contact.objects.bulk_create([p.contact for p in people], batch_size=BATCH_SIZE)
    introduced = [p for p in people if p.introducer is not None]
    for person in introduced:
        person.contact.introduced_by_id = people[person.introducer].contact.pk
    Contact.objects.bulk_update(
        [p.contact for p in introduced], ["introduced_by"], batch_size=BATCH_SIZE
    )
    Contact.interests.through.objects.bulk_create(
        [
            Contact.interests.through(contact_id=p.contact.pk, interest_id=interest_ids[i])
            for p in people
            for i in p.interests
        ],
        batch_size=BATCH_SIZE,
    )
    _insert_methods_and_birthdays(owner=owner, people=people)
    created = _insert_history(
        rng, owner=owner, people=people, count=interactions, now=now, zone=zone
    )

    _insert_give_first_examples(
        rng, owner=owner, people=people, interest_ids=interest_ids, today=today, zone=zone
    )

    _refresh_planner_statistics()
    contacts_recompute_from_log(owner=owner)
    activity_recount(owner=owner)
    # Last, so the new people count as changed when the seed commits, however long it took
    # (phone sync reads contacts changed since it last looked: contacts_touch).
    contacts_touch(owner=owner, contact_ids=[p.contact.pk for p in people])
    due = contacts_due(owner=owner, today=today).count()
    return DemoSeedResult(contacts=len(people), interactions=created, due=due)


# A few things to share, a coffee planned for tomorrow and an introduction under way, so a new
# user sees "give first" at work (docs/architecture.md, "Give first").
DEMO_SHARE_ITEMS = (
    (ShareItem.Kind.ARTICLE, "https://example.org/slow-mornings", "The case for slow mornings"),
    (ShareItem.Kind.EVENT, "https://example.org/night-market", "Night market by the river, Friday"),
    (ShareItem.Kind.JOB, "https://example.org/jobs/editor", "Looking for an editor (part time)"),
)


def _insert_give_first_examples(
    rng: random.Random,
    *,
    owner: User,
    people: list[_Person],
    interest_ids: list[int],
    today: dt.date,
    zone: ZoneInfo,
) -> None:
    active = [p for p in people if not (p.contact.archived or p.contact.paused)]
    if len(active) < 4:
        return
    items = ShareItem.objects.bulk_create(
        ShareItem(owner=owner, kind=kind, url=url, title=title)
        for kind, url, title in DEMO_SHARE_ITEMS
    )
    # Each item's topics are interests some of the people have, so it has someone to suggest.
    held = sorted({i for p in active for i in p.interests})
    if held:
        ShareItem.topics.through.objects.bulk_create(
            ShareItem.topics.through(shareitem_id=item.pk, interest_id=interest_ids[index])
            for item in items
            for index in rng.sample(held, k=min(2, len(held)))
        )
    first, second, third = rng.sample(active, k=3)
    starts_at = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(10), tzinfo=zone)
    planned = PlannedInteraction.objects.create(
        owner=owner, kind=Interaction.Kind.COFFEE, starts_at=starts_at, duration_minutes=45
    )
    planned.contacts.add(first.contact)
    Introduction.objects.create(
        owner=owner,
        person_a=second.contact,
        person_b=third.contact,
        reason="Both are thinking about moving to the coast.",
        state=Introduction.State.ASKED_A,
    )


def _refresh_planner_statistics() -> None:
    """Tell PostgreSQL how big the tables just became.

    Autovacuum has not seen rows that are not committed yet, so with the statistics of (near)
    empty tables the recompute's correlated subquery is planned as a sequential scan of all
    interactions per contact (what that costs: bench/NOTES.md). ANALYZE counts the rows
    inserted by the current transaction.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Contact, Contact.interests.through, Interaction, Interaction.contacts.through)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _insert_methods_and_birthdays(*, owner: User, people: list[_Person]) -> None:
    methods = []
    for person in people:
        for position, (kind, label, value) in enumerate(person.methods):
            method = ContactMethod(
                owner=owner,
                contact_id=person.contact.pk,
                kind=kind,
                label=label,
                value=value,
                position=position,
            )
            method.fill_folded_fields()
            methods.append(method)
    ContactMethod.objects.bulk_create(methods, batch_size=BATCH_SIZE)
    ImportantDate.objects.bulk_create(
        [
            ImportantDate(
                owner=owner,
                contact_id=person.contact.pk,
                kind=ImportantDate.Kind.BIRTHDAY,
                day=person.birthday.day,
                month=person.birthday.month,
                # About a third of birthdays are known without the year.
                year=person.birthday.year if person.birthday.toordinal() % 3 else None,
            )
            for person in people
            if person.birthday
        ],
        batch_size=BATCH_SIZE,
    )


def _owner_zone(owner: User) -> ZoneInfo:
    try:
        return user_zone(owner)
    except ObjectDoesNotExist:  # a user made by createsuperuser has no settings row
        return ZoneInfo("UTC")


def _interests_for(owner: User, *, rng: random.Random) -> list[int]:
    """Ids of the pool's interests for ``owner``, creating the ones they don't have yet.

    A user who has not said what they are into yet gets a few of them as their own, so that
    shared interests show ("you both love jazz").
    """
    own = rng.sample(range(len(demo_data.INTERESTS)), k=OWN_INTERESTS)
    folded = [Interest.fold_name(name) for name in demo_data.INTERESTS]
    existing = dict(
        Interest.objects.filter(owner=owner, folded_name__in=folded).values_list(
            "folded_name", "pk"
        )
    )
    missing = [
        # bulk_create skips save(), which is what fills folded_name.
        Interest(owner=owner, name=name, folded_name=key)
        for name, key in zip(demo_data.INTERESTS, folded, strict=True)
        if key not in existing
    ]
    Interest.objects.bulk_create(missing)
    existing.update((interest.folded_name, interest.pk) for interest in missing)
    ids = [existing[key] for key in folded]
    if not Interest.objects.filter(owner=owner, mine=True).exists():
        Interest.objects.filter(owner=owner, pk__in=[ids[i] for i in own]).update(mine=True)
    return ids


# --- Names ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    native: str
    latin: str

    @property
    def has_script(self) -> bool:
        return self.native != self.latin


@dataclass(frozen=True)
class _Culture:
    spec: demo_data.Culture
    # Each is (female forms, male forms).
    given: tuple[tuple[_Part, ...], tuple[_Part, ...]]
    family: tuple[tuple[_Part, ...], tuple[_Part, ...]]
    middle: tuple[tuple[_Part, ...], tuple[_Part, ...]]
    places: tuple[tuple[str, str, str], ...]  # (city, country, calling code)


def _parse_part(text: str) -> _Part:
    native, _, latin = text.partition("|")
    return _Part(native.strip(), (latin or native).strip())


def _parse_names(text: str) -> tuple[tuple[_Part, ...], tuple[_Part, ...]]:
    female, male = [], []
    for item in filter(None, (item.strip() for item in text.split(","))):
        forms = item.split("/")
        female.append(_parse_part(forms[0]))
        male.append(_parse_part(forms[-1]))
    return tuple(female), tuple(male)


def _flatten_places(places: tuple[tuple[str, str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (city.strip(), country, code)
        for country, code, cities in places
        for city in cities.split(",")
    )


@cache
def _cultures() -> tuple[tuple[_Culture, ...], tuple[int, ...]]:
    cultures = tuple(
        _Culture(
            spec=spec,
            given=(_parse_names(spec.given_f)[0], _parse_names(spec.given_m)[1]),
            family=_parse_names(spec.family),
            middle=_parse_names(spec.middle),
            places=_flatten_places(spec.places),
        )
        for spec in demo_data.CULTURES
    )
    return cultures, tuple(accumulate(c.spec.weight for c in cultures))


@cache
def _expat_places() -> tuple[tuple[str, str, str], ...]:
    return _flatten_places(demo_data.EXPAT_PLACES)


@dataclass(frozen=True)
class _PersonName:
    name: str
    given: str  # as written in the name, for the nickname
    latin_given: str
    latin_family: str


def _person_name(rng: random.Random, culture: _Culture) -> _PersonName:
    spec = culture.spec
    gender = rng.randrange(2)
    given = rng.choice(culture.given[gender])
    family = [rng.choice(culture.family[gender])]
    middle = []
    if culture.middle[gender] and rng.random() < spec.middle_share:
        middle.append(rng.choice(culture.middle[gender]))
    if rng.random() < spec.second_family_share:
        second = rng.choice(culture.family[gender])
        if second != family[0]:
            family.append(second)
    parts = [given, *middle, *family]
    # Native script only when every part has one (प्रिया Sharma would be nobody's spelling).
    native = rng.random() < spec.native_share and all(part.has_script for part in parts)
    script_culture = spec.native_share > 0
    if native or not script_culture:
        attr = "native"
        ordered = [*family, *middle, given] if spec.family_first else parts
        joiner = spec.joiner if native else " "
    else:
        attr, ordered, joiner = "latin", parts, " "
    return _PersonName(
        name=joiner.join(getattr(part, attr) for part in ordered),
        given=getattr(given, attr),
        latin_given=given.latin,
        latin_family=family[0].latin,
    )


def _slug(text: str) -> str:
    folded = fold(text).translate(_TRANSLITERATE)
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _email(rng: random.Random, person: _PersonName, company: str) -> str:
    given, family = _slug(person.latin_given), _slug(person.latin_family)
    local = rng.choice(
        (
            f"{given}.{family}",
            f"{given}{family}",
            f"{given[:1]}.{family}",
            f"{given}{rng.randint(1, 99)}",
            f"{family}.{given}",
        )
    ).strip(".")
    if company and rng.random() < 0.5:
        domain = f"{_slug(company)}.example"
    else:
        domain = rng.choice(_EMAIL_DOMAINS)
    return f"{local or 'hello'}@{domain}"


# --- Contacts ------------------------------------------------------------------------------


@dataclass
class _Person:
    contact: Contact
    interests: list[int]  # indices into demo_data.INTERESTS
    circle_key: int  # index into the owner's circles, -1 for none
    introducer: int | None  # index of an earlier person who introduced them
    weight: float  # how much of the history this person gets
    first_day: int  # date ordinals bounding this person's interactions
    last_day: int
    methods: list[tuple[str, str, str]]  # (kind, label, value) ways to reach them
    birthday: dt.date | None


def _circle_weight(circle: Circle) -> int:
    # Few close friends, many acquaintances, whatever the user named their circles.
    cadence = circle.cadence_days
    if cadence is None:
        return 8
    if cadence <= 14:
        return 5
    if cadence <= 30:
        return 20
    if cadence <= 60:
        return 8
    return 35


def _plan_people(
    rng: random.Random, *, owner: User, count: int, circles: list[Circle], today: dt.date
) -> list[_Person]:
    cultures, culture_cum = _cultures()
    circle_cum = tuple(accumulate([*(_circle_weight(c) for c in circles), NO_CIRCLE_WEIGHT]))
    history_start = today.toordinal() - HISTORY_DAYS
    # Most of a network arrives at once (an import, the week the app was set up), the rest trickles in.
    import_day = today - dt.timedelta(days=rng.randint(HISTORY_DAYS + 5, HISTORY_DAYS + 70))
    seen: set[str] = set()
    people = []
    for _ in range(count):
        # The same name twice happens in life, but rarely: when a culture's names run out,
        # someone from another one comes along.
        for _attempt in range(8):
            culture = cultures[bisect(culture_cum, rng.random() * culture_cum[-1])]
            person = _person_name(rng, culture)
            if person.name not in seen:
                break
        seen.add(person.name)
        if rng.random() < 0.8:
            city, country, code = rng.choice(culture.places)
        else:
            city, country, code = rng.choice(_expat_places())

        circle_key = bisect(circle_cum, rng.random() * circle_cum[-1])
        circle = circles[circle_key] if circle_key < len(circles) else None
        if circle is None:
            circle_key = -1
        override = None
        if rng.random() < CADENCE_OVERRIDE_SHARE:
            override = rng.choice(CADENCE_OVERRIDES)
        cadence = override or (circle.cadence_days if circle else None)
        archived = rng.random() < ARCHIVED_SHARE
        paused = not archived and rng.random() < PAUSED_SHARE
        if rng.random() < 0.55:
            added_on = import_day
        else:
            added_on = today - dt.timedelta(days=rng.randint(0, HISTORY_DAYS))

        details, interests = _contact_details(rng, person, culture, city, code, today)
        methods = []
        if email := details.pop("email"):
            methods.append(("email", "work" if details["company"] else "", email))
        if phone := details.pop("phone"):
            methods.append(("phone", "mobile", phone))
        birthday = details.pop("birthday")
        introducer = None
        if people and rng.random() < INTRODUCED_SHARE:
            introducer = rng.randrange(len(people))
            details["how_we_met"] = f"Introduced by {people[introducer].contact.name}."
        contact = Contact(
            owner_id=owner.pk,
            name=person.name,
            **details,
            city=city,
            country=country,
            circle=circle,
            cadence_days=override,
            paused=paused,
            archived=archived,
            added_on=added_on,
        )
        contact.fill_folded_fields()

        first_day = max(added_on.toordinal(), history_start)
        last_day = _plan_last_day(rng, contact, cadence=cadence, today=today)
        last_day = min(max(last_day, first_day), today.toordinal())
        base = min(max(120 / cadence, 0.3), 12.0) if cadence else 0.8
        span = (last_day - first_day + 14) / (HISTORY_DAYS + 14)
        weight = base * span * rng.lognormvariate(0, 0.5) * (0.5 if archived else 1.0)
        people.append(
            _Person(
                contact=contact,
                interests=interests,
                circle_key=circle_key,
                introducer=introducer,
                weight=weight,
                first_day=first_day,
                last_day=last_day,
                methods=methods,
                birthday=birthday,
            )
        )
    return people


def _contact_details(
    rng: random.Random, person: _PersonName, culture: _Culture, city: str, code: str, today: dt.date
) -> tuple[dict, list[int]]:
    """Work, ways to reach them, birthday, story; and which interests (pool indices) they have."""
    company = role = ""
    r = rng.random()
    if r < 0.65:
        company, role = rng.choice(demo_data.COMPANIES), rng.choice(demo_data.ROLES)
        if rng.random() < 0.1:
            company = f"University of {city}"
            role = rng.choice(("Lecturer", "Professor", "Researcher", "PhD student"))
    elif r < 0.8:
        role = rng.choice(demo_data.SOLO_ROLES)
    interests = rng.sample(range(len(demo_data.INTERESTS)), k=_interest_count(rng))

    email = _email(rng, person, company) if rng.random() < 0.75 else ""
    phone = ""
    if rng.random() < 0.55:
        phone = f"{code} {rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    nickname = demo_data.NICKNAMES.get(person.given, "") if rng.random() < 0.6 else ""
    birthday = None
    if rng.random() < 0.45:
        birthday = dt.date(today.year - rng.randint(20, 75), 1, 1) + dt.timedelta(
            days=rng.randrange(365)
        )
    fill = {
        "city": city,
        "company": company or rng.choice(demo_data.COMPANIES),
        "friend": rng.choice(culture.given[rng.randrange(2)]).latin,
        "interest": demo_data.INTERESTS[interests[0]] if interests else "good coffee",
    }
    how_we_met = rng.choice(demo_data.HOW_WE_MET).format(**fill) if rng.random() < 0.6 else ""
    notes = ""
    if rng.random() < 0.35:
        notes = " ".join(
            note.format(**fill) for note in rng.sample(demo_data.CONTACT_NOTES, k=rng.randint(1, 2))
        )
    details = {
        "nickname": nickname,
        "email": email,
        "phone": phone,
        "company": company,
        "role": role,
        "birthday": birthday,
        "how_we_met": how_we_met,
        "notes": notes,
    }
    return details, interests


def _interest_count(rng: random.Random) -> int:
    return bisect((20, 50, 75, 90, 100), rng.randrange(100))


def _plan_last_day(
    rng: random.Random, contact: Contact, *, cadence: int | None, today: dt.date
) -> int:
    """The date of this person's latest interaction, chosen so that some people are due today.

    Also sets the snooze / "we're fine" inputs on a few of the overdue ones.
    """
    today_ord = today.toordinal()
    if cadence is None:
        return today_ord - rng.randint(0, 540)
    if contact.archived:
        return today_ord - rng.randint(180, HISTORY_DAYS)
    if rng.random() >= DUE_SHARE:
        return today_ord - rng.randint(0, cadence - 1)
    late = rng.randint(0, cadence) if rng.random() < 0.8 else rng.randint(cadence, 3 * cadence)
    r = rng.random()
    if r < 0.12:
        contact.snoozed_until = today + dt.timedelta(days=rng.randint(1, 30))
    elif r < 0.22:
        contact.cadence_restarted_on = today - dt.timedelta(days=rng.randint(0, cadence - 1))
    return today_ord - cadence - late


# --- Interactions --------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    day: int  # local date ordinal
    minute: int  # local minute of the day
    kind: int  # index into KINDS
    people: list[int]  # indices into the planned people


def _insert_history(
    rng: random.Random,
    *,
    owner: User,
    people: list[_Person],
    count: int,
    now: dt.datetime,
    zone: ZoneInfo,
) -> int:
    rows = _plan_rows(rng, people, count)
    rows.sort(key=lambda row: (row.day, row.minute))
    today_ord = local_date(now, zone).toordinal()
    through = Interaction.contacts.through
    for start in range(0, len(rows), BATCH_SIZE):
        chunk = rows[start : start + BATCH_SIZE]
        interactions = [
            _interaction(rng, row, owner, people, now, zone, today_ord) for row in chunk
        ]
        Interaction.objects.bulk_create(interactions, batch_size=BATCH_SIZE)
        through.objects.bulk_create(
            [
                through(interaction_id=interaction.pk, contact_id=people[i].contact.pk)
                for interaction, row in zip(interactions, chunk, strict=True)
                for i in row.people
            ],
            batch_size=BATCH_SIZE,
        )
    return len(rows)


def _plan_rows(rng: random.Random, people: list[_Person], count: int) -> list[_Row]:
    """Who takes part in each interaction, and on which day.

    Each person's latest interaction lands on their planned last day (their "anchor": a one-to-one
    interaction where possible), so who is due today is as planned; the others fall between the
    day they were added (at most two years ago) and that day.
    """
    if not count:
        return []
    n = len(people)
    cum = list(accumulate(p.weight for p in people))
    total = cum[-1]
    by_circle: dict[int, list[int]] = {}
    for index, person in enumerate(people):
        by_circle.setdefault(person.circle_key, []).append(index)

    rows = []
    for first in rng.choices(range(n), cum_weights=cum, k=count):
        size = bisect(GROUP_SIZE_CUM_WEIGHTS, rng.randrange(100)) + 1
        members = [first]
        for _attempt in range(size * 3):
            if len(members) >= size:
                break
            if rng.random() < 0.7:  # groups are mostly people who know each other
                other = rng.choice(by_circle[people[first].circle_key])
            else:
                other = bisect(cum, rng.random() * total)
            if other not in members and other < n:
                members.append(other)
        kind_cum = _KIND_ALONE_CUM if len(members) == 1 else _KIND_GROUP_CUM
        kind = bisect(kind_cum, rng.randrange(kind_cum[-1]))
        start_hour, end_hour = KINDS[kind][3]
        minute = rng.randrange(start_hour * 12, end_hour * 12) * 5
        rows.append(_Row(day=0, minute=minute, kind=kind, people=members))

    anchored = [False] * n
    is_anchor = [False] * len(rows)
    for solo_pass in (True, False):
        for j, row in enumerate(rows):
            if (len(row.people) == 1) != solo_pass:
                continue
            for i in row.people:
                if not anchored[i]:
                    anchored[i] = is_anchor[j] = True
    for j, row in enumerate(rows):
        hi = min(people[i].last_day for i in row.people)
        lo = max(people[i].first_day for i in row.people)
        if is_anchor[j] or lo >= hi:
            row.day = hi
        else:
            row.day = lo + int((hi - lo + 1) * rng.random())
    return rows


def _interaction(
    rng: random.Random,
    row: _Row,
    owner: User,
    people: list[_Person],
    now: dt.datetime,
    zone: ZoneInfo,
    today_ord: int,
) -> Interaction:
    kind, _, _, _, durations = KINDS[row.kind]
    day = dt.date.fromordinal(row.day)
    local = dt.datetime.combine(day, dt.time(row.minute // 60, row.minute % 60), tzinfo=zone)
    occurred_at = local.astimezone(dt.UTC)
    # Drawn whether needed or not, so that the hour of the run changes nothing else.
    minutes_ago = rng.randint(5, 120)
    if occurred_at > now:  # later today: make it earlier today (or late last night)
        occurred_at = (now - dt.timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
    occurred_on = local_date(occurred_at, zone)

    duration = rng.randint(*durations) // 5 * 5 if durations and rng.random() < 0.7 else None
    place = ""
    if kind in ("coffee", "meal", "event") and rng.random() < 0.6:
        place = rng.choice(demo_data.PLACES)
    notes = ""
    if rng.random() < 0.4:
        interests = people[row.people[0]].interests
        if interests and rng.random() < 0.6:
            topic = demo_data.INTERESTS[rng.choice(interests)]
        else:
            topic = rng.choice(demo_data.TOPICS)
        notes = rng.choice(demo_data.INTERACTION_NOTES).format(topic=topic)
    follow_up_on = None
    if today_ord - row.day <= 21 and rng.random() < 0.15:
        follow_up_on = occurred_on + dt.timedelta(days=rng.randint(3, 30))
    return Interaction(
        owner_id=owner.pk,
        kind=kind,
        occurred_at=occurred_at,
        occurred_on=occurred_on,
        duration_minutes=duration,
        place=place,
        notes=notes,
        follow_up_on=follow_up_on,
    )
