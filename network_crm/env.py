"""Small helpers that read settings from the environment and fail loudly on a bad value, and
the loader of the project's `.env` file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# NAME=value, optionally after "export ", as in a shell script or systemd's EnvironmentFile.
_ASSIGNMENT = re.compile(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "$": "$"}


def parse_env_file(text: str, *, source: str = ".env") -> dict[str, str]:
    """The variables a `.env` file sets, in the dialect the usual tools share.

    One NAME=value per line; blank lines and lines starting with # are skipped; an "export "
    prefix is allowed. A value in single quotes is taken literally, one in double quotes
    understands \\n, \\t, \\" and \\\\; an unquoted value ends at " #" (a comment) and
    is stripped. Nothing is expanded: $OTHER stays as written. A line that is none of these stops
    start-up with its number, rather than being half-read.
    """
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _ASSIGNMENT.fullmatch(line)
        if not match:
            raise ImproperlyConfigured(
                f"{source}, line {number}: expected NAME=value, not {line[:40]!r}."
            )
        name, raw = match.groups()
        values[name] = _unquote(raw, where=f"{source}, line {number}")
    return values


def _unquote(raw: str, *, where: str) -> str:
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        end = _closing_quote(raw, quote)
        if end is None:
            raise ImproperlyConfigured(f"{where}: the value's {quote} is never closed.")
        rest = raw[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            raise ImproperlyConfigured(f"{where}: unexpected {rest[:20]!r} after the quoted value.")
        inner = raw[1:end]
        if quote == "'":
            return inner
        return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), inner)
    return re.split(r"\s#", raw, maxsplit=1)[0].strip()


def _closing_quote(raw: str, quote: str) -> int | None:
    index = 1
    while index < len(raw):
        if raw[index] == "\\" and quote == '"':
            index += 2
            continue
        if raw[index] == quote:
            return index
        index += 1
    return None


def load_env_file(path: Path) -> dict[str, str]:
    """Put the variables of the file at ``path`` into the environment, unless already set there.

    The environment wins, so `DEBUG=true manage.py ...` or a process manager's own variables
    override the file. A missing file is fine (the defaults apply). Returns what the file set.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read {path}: {exc.strerror}.") from None
    applied = {}
    for name, value in parse_env_file(text, source=str(path)).items():
        if name not in os.environ:
            os.environ[name] = applied[name] = value
    return applied
