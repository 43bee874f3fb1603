"""Instructions a request costs, counted by valgrind's callgrind: the same count whatever else the
shared machine is doing, where a median of CPU time still wanders by 10 % between two runs a
minute apart (bench/NOTES.md, "Issue 21, fifth pass"). It counts work, not time: a cache miss
costs no instruction, so it goes beside CPU time, not instead of it.

    from bench.instructions import count_instructions
    count_instructions(["/_floor/", "/contacts/?q=an"], runs=5)  # {path: median per request}

The bench's user must exist in the database that the environment's settings name (VAR_DIR or
DATABASE_URL). A child Python runs under callgrind with instrumentation off while Django starts
(20 s instead of 2.5 min), turns it on for itself (``callgrind_control -i on``), requests each
path twice to warm up, then ``runs`` times, each request between two libc calls that nothing
else in the process makes: ``srand48`` zeroes the counters, ``drand48`` writes them out (callgrind's
``--zero-before`` and ``--dump-before``; glibc's srand48 and drand48 run as srand48_r and
erand48_r). Each request is cold, as in bench/search.py: the owner's data version is bumped
before it.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import BENCH_USER, median

ZERO_AT = "srand48_r"
DUMP_AT = "erand48_r"


def available() -> bool:
    return bool(shutil.which("valgrind") and shutil.which("callgrind_control"))


def count_instructions(paths: list[str], *, runs: int, timeout: int = 1200) -> dict[str, float]:
    """{path: instructions per request}, for each of ``paths`` requested ``runs`` times."""
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--zero-before={ZERO_AT}",
            f"--dump-before={DUMP_AT}",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-m",
            "bench.instructions",
            "--runs",
            str(runs),
            *paths,
        ]
        # A fixed hash seed: the same dict and set layouts, so the same count run after run.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"callgrind run failed ({done.returncode}): {done.stderr[-2000:]}")
        parts = sorted(
            Path(tmp).glob("callgrind.out.*"), key=lambda part: int(part.suffix.lstrip("."))
        )
        if len(parts) != len(paths) * runs:
            raise RuntimeError(
                f"expected {len(paths) * runs} dumps, got {len(parts)}: does this libc call its "
                f"srand48/drand48 {ZERO_AT}/{DUMP_AT}?"
            )
        counts = [_summary(part) for part in parts]
        return {path: median(counts[i * runs : (i + 1) * runs]) for i, path in enumerate(paths)}


def _summary(part: Path) -> int:
    """The dump's own total (``summary:``; its ``totals:`` line counts more than that part)."""
    found = re.search(r"^summary: (\d+)$", part.read_text(errors="replace"), re.MULTILINE)
    if not found:
        raise RuntimeError(f"no summary in {part}")
    return int(found.group(1))


def _instrument_myself() -> None:
    """Turn callgrind's instrumentation on for this process. callgrind reads the command while
    this process runs code, so it keeps busy until the command is answered."""
    asked = subprocess.Popen(
        ["callgrind_control", "-i", "on", str(os.getpid())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while asked.poll() is None:
        sum(range(1000))


def _child(paths: list[str], runs: int) -> None:
    from bench.common import django_setup

    django_setup()
    from django.test import Client

    from accounts.models import User

    try:  # each request cold: no page from the per-owner cache (docs/decisions/0013)
        from network_crm.owner_cache import bump_owner
    except ImportError:

        def bump_owner(owner_id: int) -> None:
            return None

    owner = User.objects.get(email=BENCH_USER)
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    libc = ctypes.CDLL("libc.so.6")
    libc.drand48.restype = ctypes.c_double
    _instrument_myself()
    for path in paths:
        for _ in range(2):
            bump_owner(owner.pk)
            client.get(path)
    for path in paths:
        for _ in range(runs):
            bump_owner(owner.pk)
            gc.collect()
            libc.srand48(0)
            status = client.get(path).status_code
            libc.drand48()
            if status != 200:
                raise SystemExit(f"{path} answered {status}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("paths", nargs="+")
    arguments = parser.parse_args()
    _child(arguments.paths, arguments.runs)
