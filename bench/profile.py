"""Profile one page against a database a bench run kept (``bench/run.py --keep``), with pyinstrument.

    VAR_DIR=/tmp/bench-var-.../pages-10000 DJANGO_SETTINGS_MODULE=bench.settings DEBUG=false \\
        .venv/bin/python -m bench.profile /contacts/interests/ [--htmx] [--repeat 10]

pyinstrument is not a project dependency: install it for local profiling only. Prints the call
tree of ``--repeat`` requests (after one warm-up) and each query with its time.
"""

from __future__ import annotations

import argparse
import time

from bench.common import BENCH_USER, django_setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--htmx", action="store_true", help="send HX-Request: true")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--queries", action="store_true", help="also list the queries")
    args = parser.parse_args()

    from pyinstrument import Profiler

    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=BENCH_USER))
    headers = {"HX-Request": "true"} if args.htmx else {}
    assert client.get(args.path, headers=headers).status_code == 200
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            client.get(args.path, headers=headers)
    elapsed = (time.perf_counter() - started) / args.repeat * 1000
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{elapsed:.1f} ms per request (profiled)")
    if args.queries:
        with CaptureQueriesContext(connection) as queries:
            client.get(args.path, headers=headers)
        for query in queries.captured_queries:
            print(query["time"], query["sql"][:300])


if __name__ == "__main__":
    main()
