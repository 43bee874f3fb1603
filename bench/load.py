"""Concurrent load on loopback: gunicorn as in the Procfile (gunicorn.conf.py), driven by wrk with bench/load.lua.

    python -m bench.load --duration 60 --connections 50 --out bench/out/load-sqlite.json

Run by run.py with VAR_DIR (and DATABASE_URL for PostgreSQL) pointing at a database seeded with
1,000 contacts (seeded here if the bench user is missing). A session and a CSRF token are made
beforehand (logging in through the form is awkward from wrk) and passed to the Lua script, which
mixes dashboard, list, search and contact pages with quick logs (POST, one request in ten).
gunicorn listens on 127.0.0.1 only and is stopped at the end; its logs are searched for
"database is locked" and tracebacks, and its access log gives the status codes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from bench.common import BENCH_USER, ROOT, django_setup, ensure_static, percentile, write_json

LUA = ROOT / "bench" / "load.lua"


def prepare(seed_contacts: int) -> tuple[str, str, list[int], int]:
    """Seed if needed; return a session id, a CSRF token, contact ids and the interaction count."""
    from django.core.management import call_command
    from django.db import connections
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from accounts.models import User
    from contacts.models import Contact
    from interactions.models import Interaction

    call_command("migrate", interactive=False, verbosity=0)
    if not User.objects.filter(email=BENCH_USER).exists():
        call_command(
            "seed_demo",
            user=BENCH_USER,
            contacts=seed_contacts,
            interactions=20 * seed_contacts,
            seed=1,
            verbosity=0,
        )
    user = User.objects.get(email=BENCH_USER)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    ids = list(
        Contact.objects.filter(owner=user, archived=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = ids[:: max(1, len(ids) // 50)][:50]
    interactions = Interaction.objects.count()
    connections.close_all()
    return session, _get_new_csrf_string(), ids, interactions


def server_config() -> dict:
    """gunicorn's settings from gunicorn.conf.py, which the Procfile's web line serves with
    (what `make run` and the README's deployment use), so the bench measures what users run."""
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "--config gunicorn.conf.py" in web, f"the Procfile's web line has another config: {web}"
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {name: config[name] for name in ("workers", "threads", "keepalive")}


def endpoint(method: str, path: str) -> str:
    if method == "POST":
        return "quick log (POST)"
    if path == "/":
        return "dashboard"
    if path.startswith("/contacts/?q="):
        return "search"
    if path == "/contacts/":
        return "contact list"
    if re.fullmatch(r"/contacts/\d+/", path):
        return "contact page"
    return "other"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s")


def run_wrk(base: str, *, threads: int, connections: int, seconds: int, args: list[str]) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    match = re.search(r"BENCH-RESULT (\{.*\})", done.stdout)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    return {**json.loads(match.group(1)), "wrk_output": done.stdout}


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # gunicorn's own process group (start_new_session)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--connections", type=int, default=20)
    # One wrk thread is plenty for this rate and leaves the two cores to gunicorn.
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--seed-contacts", type=int, default=1000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")

    django_setup()
    ensure_static()
    session, csrf, ids, interactions_before = prepare(args.seed_contacts)
    from django.conf import settings

    var_dir = Path(settings.VAR_DIR)
    access_log, error_log = var_dir / "gunicorn-access.log", var_dir / "gunicorn.log"
    for log in (access_log, error_log):
        log.unlink(missing_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    config = server_config()
    server = subprocess.Popen(
        [
            str(gunicorn),
            "network_crm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--access-logfile",
            str(access_log),
            # The default format plus the time the worker spent on the request (ms), to tell
            # the server's own time from time spent queueing for one of its 8 threads.
            "--access-logformat",
            '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(p)s %(M)s',
            "--error-logfile",
            str(error_log),
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--no-control-socket",  # else it listens on ~/.gunicorn/gunicorn.ctl, shared
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=open(error_log.with_suffix(".out"), "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wrk_args = [session, csrf, ",".join(map(str, ids))]
    try:
        wait_ready(base + "/accounts/login/")
        # Warm both workers up (imports, template caches), then the measured run.
        run_wrk(base, threads=1, connections=4, seconds=3, args=wrk_args)
        access_log.write_text("")
        result = run_wrk(
            base,
            threads=args.threads,
            connections=args.connections,
            seconds=args.duration,
            args=wrk_args,
        )
    finally:
        stop(server)

    statuses = Counter()
    per_worker = Counter()
    server_ms: dict[str, list[float]] = {}
    for line in access_log.read_text(errors="replace").splitlines():
        match = re.search(r'"(\w+) (\S+) [^"]*" (\d{3}) .* <?(\d+)>? (\d+)$', line)
        if match:
            method, path, status, pid, ms = match.groups()
            statuses[status] += 1
            per_worker[pid] += 1
            server_ms.setdefault(endpoint(method, path), []).append(float(ms))
    everything = [ms for values in server_ms.values() for ms in values]
    server_time = {
        name: {
            "requests": len(values),
            "p50_ms": percentile(values, 50),
            "p95_ms": percentile(values, 95),
        }
        for name, values in sorted(server_ms.items()) + [("all", everything)]
    }
    logs = "".join(
        path.read_text(errors="replace")
        for path in (error_log, error_log.with_suffix(".out"))
        if path.exists()
    )
    django_setup()
    from interactions.models import Interaction

    seconds = result["duration_us"] / 1e6
    write_json(
        args.out,
        {
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "duration_s": args.duration,
            "connections": args.connections,
            "gunicorn": config,
            "requests": result["requests"],
            "requests_per_s": round(result["requests"] / seconds, 1),
            "p50_ms": round(result["p50_us"] / 1000, 1),
            "p95_ms": round(result["p95_us"] / 1000, 1),
            "p99_ms": round(result["p99_us"] / 1000, 1),
            "max_ms": round(result["max_us"] / 1000, 1),
            "errors_non_2xx_3xx": result["status_errors"],
            "socket_errors": {
                key: result[key]
                for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
            },
            "statuses": dict(sorted(statuses.items())),
            # Requests each worker process answered: a kept-alive connection stays with the
            # worker that accepted it, so the split shows whether both cores served.
            "requests_per_worker": sorted(per_worker.values(), reverse=True),
            "server_time": server_time,
            "database_is_locked": len(re.findall("database is locked", logs, re.IGNORECASE)),
            "tracebacks": logs.count("Traceback"),
            "interactions_logged": Interaction.objects.count() - interactions_before,
            "wrk_output": result["wrk_output"],
        },
    )


if __name__ == "__main__":
    main()
