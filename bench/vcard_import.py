"""Importing a generated vCard file: time of each step and the process's peak memory.

    python -m bench.vcard_import --cards 10000 --out bench/out/import.json

Run by run.py in a fresh VAR_DIR. The file is vCard 3.0 as phones and Apple/Google export it:
names, emails, phones, organisation, title, address, some birthdays, notes and categories
(interests), a few cards that repeat an earlier card's email (matched, not imported twice) and a
few without a name (reported as errors). The steps are the services the import pages call:
``import_upload`` (store the file), ``import_preview`` (parse and match everything) and
``import_run`` (parse again and insert in batches). Peak memory is the process's maximum resident
set size (getrusage), read before the import (Django loaded, file generated; migrations ran in
another process) and after it.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time

from bench.common import BENCH_USER, ROOT, django_setup, write_json

GIVEN = [
    "Amara",
    "Bruno",
    "Chen",
    "Dalia",
    "Émile",
    "Farah",
    "Gustavo",
    "Hana",
    "Ibrahim",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sipho",
    "Tomás",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Ana",
    "Björn",
    "Chiara",
    "Dmitri",
]
FAMILY = [
    "Okafor",
    "Rossi",
    "Wang",
    "Haddad",
    "Lefèvre",
    "Khan",
    "Silva",
    "Sato",
    "Mensah",
    "Novak",
    "Kowalski",
    "García",
    "Müller",
    "Petrov",
    "Nguyen",
    "Dubois",
    "Costa",
    "Jensen",
    "Ivanova",
    "Moreau",
    "Ali",
    "Schmidt",
    "Tanaka",
    "Ferreira",
    "Popescu",
]
CITIES = ["Lisbon", "Nairobi", "Osaka", "Montréal", "Kraków", "Lagos", "Porto", "Berlin"]
COUNTRIES = ["Portugal", "Kenya", "Japan", "Canada", "Poland", "Nigeria", "Portugal", "Germany"]
ORGS = ["Acme", "Globex", "Initech", "Umbrella Labs", "Stark & Co", "Hooli", "Vandelay"]
TITLES = ["Engineer", "Designer", "Teacher", "Nurse", "Founder", "Researcher", "Chef"]
CATEGORIES = ["jazz", "climbing", "board games", "cooking", "running", "photography", "chess"]


def vcard_file(cards: int, *, seed: int = 1) -> str:
    rng = random.Random(seed)
    out = []
    emails: list[str] = []
    for i in range(cards):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        # Every 200th card repeats the email of a card 100 earlier: a match, skipped.
        email = emails[i - 100] if i % 200 == 199 else f"{given}.{family}.{i}@example.com".lower()
        emails.append(email)
        lines = ["BEGIN:VCARD", "VERSION:3.0"]
        if i % 500 == 499:  # a card without a name: reported as an error, the rest imports
            lines += ["TEL;TYPE=CELL:+1 555 000 0000", "END:VCARD"]
            out.append("\r\n".join(lines))
            continue
        lines += [
            f"UID:bench-{i:06d}",
            f"N:{family};{given};;;",
            f"FN:{given} {family}",
            f"EMAIL;TYPE=INTERNET,HOME:{email}",
        ]
        if rng.random() < 0.6:
            lines.append(
                f"TEL;TYPE=CELL:+351 9{rng.randint(10, 99)} {rng.randint(100, 999)} {i % 1000:03d}"
            )
        if rng.random() < 0.6:
            lines += [f"ORG:{rng.choice(ORGS)}", f"TITLE:{rng.choice(TITLES)}"]
        if rng.random() < 0.5:
            city = rng.randrange(len(CITIES))
            lines.append(f"ADR;TYPE=HOME:;;{i} Main Street;{CITIES[city]};;;{COUNTRIES[city]}")
        if rng.random() < 0.4:
            lines.append(
                f"BDAY:{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
        if rng.random() < 0.3:
            lines.append(
                f"NOTE:Met at {rng.choice(CITIES)}\\, talked about {rng.choice(CATEGORIES)}."
            )
        if rng.random() < 0.5:
            lines.append("CATEGORIES:" + ",".join(rng.sample(CATEGORIES, k=rng.randint(1, 3))))
        lines.append("END:VCARD")
        out.append("\r\n".join(lines))
    return "\r\n".join(out) + "\r\n"


def maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def prepare() -> None:
    import datetime as dt

    from django.core.management import call_command

    django_setup()
    from accounts.services import user_signup

    call_command("migrate", interactive=False, verbosity=0)
    user_signup(
        email=BENCH_USER,
        password="bench-password-123",
        name="Bench",
        time_zone="UTC",
        now=dt.datetime.now(dt.UTC),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.prepare:
        prepare()
        return
    # Migrations and sign-up run in another process: building the migration state and hashing
    # the password (about 100 MB) take more memory than the import and would hide its peak.
    subprocess.run(
        [sys.executable, "-m", "bench.vcard_import", "--prepare", "--out", args.out],
        cwd=ROOT,
        check=True,
    )
    django_setup()
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from contacts.models import Contact
    from portability.imports import import_preview, import_run, import_upload

    now = dt.datetime.now(dt.UTC)
    owner = User.objects.get(email=BENCH_USER)
    data = vcard_file(args.cards).encode()
    rss_before = maxrss_mb()

    timings = {}
    started = time.perf_counter()
    batch = import_upload(
        owner=owner, upload=SimpleUploadedFile("contacts.vcf", data, content_type="text/vcard")
    )
    timings["upload_s"] = time.perf_counter() - started
    started = time.perf_counter()
    preview = import_preview(batch=batch)
    timings["preview_s"] = time.perf_counter() - started
    started = time.perf_counter()
    batch = import_run(batch=batch, now=now)
    timings["import_s"] = time.perf_counter() - started
    rss_after = maxrss_mb()

    write_json(
        args.out,
        {
            "cards": args.cards,
            "file_mb": round(len(data) / 2**20, 2),
            **{key: round(value, 2) for key, value in timings.items()},
            "total_s": round(sum(timings.values()), 2),
            "preview": {key: preview[key] for key in ("new", "matching", "errors")},
            "result": batch.summary.get("result"),
            "contacts_after": Contact.objects.filter(owner=owner).count(),
            "state": batch.state,
            "maxrss_before_mb": rss_before,
            "maxrss_peak_mb": rss_after,
        },
    )


if __name__ == "__main__":
    main()
