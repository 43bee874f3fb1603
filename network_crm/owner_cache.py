"""A per-owner cache of whole GET pages, correct by construction (docs/decisions/0013).

A page is cached under a key that holds the owner's ``data_version`` (loaded with
``request.user``: reading it costs no query). Every write that goes through Django's database
connection changes it in the writer's own transaction:

- an execute wrapper on every connection (``install``, on ``connection_created``) sees each SQL
  statement. An INSERT, UPDATE, DELETE or REPLACE (or a ``WITH ...`` that holds one) on any table
  but the bookkeeping ones (``UNTRACKED_TABLES``) sets a new random version;
- in a transaction, before its first write (so a writer takes the version row's lock before any
  data row's: two writers of one owner can't deadlock over it), and once per transaction (a
  savepoint rolled back may take its bump with it, so the next write bumps again); in autocommit,
  right after the statement (a reader in between stores a page newer than its key: harmless);
- whose version: a request of a signed-in user outside the admin bumps that user's
  ``data_version``; anything else (workers, management commands, the admin, anonymous requests)
  bumps every user's (a global version in a row of its own would cost a query per page).

A reader loads its version before it reads any data, so a page is stored under versions at
least as old as its data: a new version with old data is never seen. Versions are random, not
counted, so a version a rolled-back transaction used is never used again.

What is not covered: writes that don't go through Django's connection (a manual ``sqlite3`` or
``psql`` session): restart the web processes or call ``bump_everyone()``.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import secrets
import time
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse

CACHE_ALIAS = "pages"
HEADER = "X-Owner-Cache"
# Time-only text ("3 minutes ago", "today" at local midnight) is at most this old on a hit.
TIME_BUCKET_SECONDS = 300

# Writes to these tables change nothing a cached page shows: sessions, login throttling and
# password reset requests, the broker, the API's idempotency records, the outboxes of webhook
# and channel deliveries (shown on settings pages only, never cached), and the scheduler's
# heartbeat (its writer outdates every page itself when the scheduler comes back after a
# silence: reminders.services.sweep.heartbeat_record). Beat's tasks write these every minute:
# counted, they would outdate every user's pages four times a minute.
UNTRACKED_TABLES = frozenset(
    {
        "django_session",
        "api_idempotencyrecord",
        "api_webhookdelivery",
        "accounts_loginfailure",
        "accounts_passwordresetrequest",
        "notify_delivery",
        "reminders_schedulerheartbeat",
    }
)
UNTRACKED_PREFIXES = ("axes_", "celery_", "django_celery_", "kombu_")

_WRITE_START = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|WITH)\b", re.IGNORECASE)
_WRITE_IN_WITH = re.compile(
    r"\b(?:INSERT\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+(\"?[\w.]+\"?)", re.IGNORECASE
)
_TARGET = re.compile(
    r"\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+(\"?[\w.]+\"?)",
    re.IGNORECASE,
)

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "owner_cache_request", default=None
)


# --- Which statements write ------------------------------------------------------------------
def _tracked(table: str) -> bool:
    table = table.strip('"').lower()
    return table not in UNTRACKED_TABLES and not table.startswith(UNTRACKED_PREFIXES)


def is_tracked_write(sql: str) -> bool:
    """Whether ``sql`` may change what a cached page shows (unknown targets count as yes)."""
    start = _WRITE_START.match(sql)
    if start is None:
        return False
    if start.group(1).upper() == "WITH":
        targets = _WRITE_IN_WITH.findall(sql)
        return any(_tracked(table) for table in targets)
    target = _TARGET.match(sql)
    return target is None or _tracked(target.group(1))


# --- Whose version ---------------------------------------------------------------------------
_admin_prefix: str | None = None


def _admin_path(path: str) -> bool:
    global _admin_prefix
    if _admin_prefix is None:
        try:
            _admin_prefix = reverse("admin:index")
        except NoReverseMatch:
            _admin_prefix = "/admin/"
    return path.startswith(_admin_prefix)


def _owner_id() -> int | None:
    """The signed-in user whose request this is, outside the admin; None: every user."""
    request = _request.get()
    if request is None or _admin_path(request.path):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class OwnerCacheMiddleware:
    """Makes the request known to the write tracking (whose version a write bumps)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


# --- Bumping ---------------------------------------------------------------------------------
def _new_version() -> int:
    return secrets.randbits(62) + 1


def _bump(connection, owner_id: int | None) -> None:
    quote = connection.ops.quote_name
    user = apps.get_model(settings.AUTH_USER_MODEL)
    sql = f"UPDATE {quote(user._meta.db_table)} SET {quote('data_version')} = %s"
    params = [_new_version()]
    if owner_id is not None:
        sql += f" WHERE {quote(user._meta.pk.column)} = %s"
        params.append(owner_id)
    connection.owner_cache_bumping = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        connection.owner_cache_bumping = False


def _transaction_path(connection) -> list:
    """Which transaction this is: the savepoints down to its outermost atomic block. Outside
    tests that is the connection's own transaction ([]); in a test, whose transaction never
    ends, each outermost block of the test's code counts as a transaction of its own."""
    blocks = connection.atomic_blocks
    outer = next(i for i, block in enumerate(blocks) if not getattr(block, "_from_testcase", 0))
    return list(connection.savepoint_ids[:outer])


def _bumped_in_this_transaction(connection, owner_id) -> bool:
    mark = getattr(connection, "owner_cache_mark", None)
    if mark is None:
        return False
    hooks, path, marked_owner = mark
    # Django gives the connection a new list of on_commit hooks when a transaction ends and when
    # a savepoint rolls back (the bump may have gone with it), and keeps it when a savepoint is
    # released: the same list means the bump is still there.
    return (
        hooks is connection.run_on_commit
        and marked_owner == owner_id
        and _transaction_path(connection) == path
    )


# While migrations run, the version column may not exist yet: writes aren't tracked, and every
# user's version changes once at the end (pre_migrate / post_migrate, below).
_migrating = False


def _track_writes(execute, sql, params, many, context):
    connection = context["connection"]
    if _migrating or getattr(connection, "owner_cache_bumping", False):
        return execute(sql, params, many, context)
    if not is_tracked_write(sql):
        return execute(sql, params, many, context)
    connection.owner_cache_bumping = True  # reading request.user below may query
    try:
        owner_id = _owner_id()
    finally:
        connection.owner_cache_bumping = False
    if not connection.in_atomic_block or all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    ):
        # Autocommit (or only a test's own transaction): each statement is its own transaction.
        # The bump follows it, so a reader in between sees new data with the old version and
        # stores a page newer than its key, never older. (Not one transaction with the
        # statement: an INSERT ... RETURNING whose rows aren't fetched yet can't commit.)
        result = execute(sql, params, many, context)
        _bump(connection, owner_id)
        return result
    if not _bumped_in_this_transaction(connection, owner_id):
        _bump(connection, owner_id)
        mark = (connection.run_on_commit, _transaction_path(connection), owner_id)
        connection.owner_cache_mark = mark
    return execute(sql, params, many, context)


def install(sender=None, connection=None, **kwargs) -> None:
    """``connection_created`` receiver: track this connection's writes."""
    if _track_writes not in connection.execute_wrappers:
        # First, not last: execute_wrapper() blocks pop the last wrapper when they end.
        connection.execute_wrappers.insert(0, _track_writes)


def migration_started(sender=None, **kwargs) -> None:
    """``pre_migrate`` receiver."""
    global _migrating
    _migrating = True


def migration_finished(sender=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver (sent once per app; the first one ends the pause)."""
    global _migrating
    if not _migrating:
        return
    _migrating = False
    connection = connections[using]
    table = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    if table not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = {
            column.name for column in connection.introspection.get_table_description(cursor, table)
        }
    if "data_version" in columns:
        _bump(connection, None)


def bump_owner(user_id: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Outdate every page cached for this user."""
    _bump(connections[using], user_id)


def bump_everyone(using: str = DEFAULT_DB_ALIAS) -> None:
    """Outdate every cached page (e.g. after changing rows outside Django)."""
    _bump(connections[using], None)


# --- The cache -------------------------------------------------------------------------------
_VARY_HEADERS = (
    "HX-Request",
    "HX-Target",
    "HX-Trigger",
    "HX-Trigger-Name",
    "HX-Boosted",
    "HX-History-Restore-Request",
    "HX-Current-URL",
    "Accept-Language",
)
_NONCE_PLACEHOLDER = "\x00owner-cache-nonce\x00"


def _messages_pending(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return len(storage) > 0  # len() reads them without marking them shown


def _key(request: HttpRequest, view_name: str) -> str:
    user = request.user
    secret = request.META.get("CSRF_COOKIE", "")
    parts = [
        view_name,
        request.get_host(),
        request.get_full_path(),
        *(request.headers.get(name, "") for name in _VARY_HEADERS),
        str(user.pk),
        str(user.data_version),
        str(int(time.time()) // TIME_BUCKET_SECONDS),
        secret,
    ]
    return "owner-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _nonce(request: HttpRequest) -> str | None:
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce else None  # a LazyNonce is false until something used it


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified) and not _messages_pending(request)


def _entry(request: HttpRequest, response: HttpResponse) -> dict:
    body = response.content.decode(response.charset)
    nonce = _nonce(request)
    if nonce:
        body = body.replace(nonce, _NONCE_PLACEHOLDER)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return {"body": body, "headers": headers, "nonce": bool(nonce)}


def _replay(request: HttpRequest, entry: dict) -> HttpResponse:
    body = entry["body"]
    if entry["nonce"]:
        body = body.replace(_NONCE_PLACEHOLDER, str(request._csp_nonce))
    response = HttpResponse(body)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def _cacheable(request: HttpRequest) -> bool:
    return (
        getattr(settings, "OWNER_CACHE_ENABLED", True)
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and not _admin_path(request.path)
        and not _messages_pending(request)
    )


def owner_cached(view):
    """Serve this GET view's page from the per-owner cache while nothing it may show changed."""
    view_name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        # The page carries a CSRF token: one secret per key, made now if the browser has none.
        get_token(request)
        key = _key(request, view_name)
        cache = caches[CACHE_ALIAS]
        entry = cache.get(key)
        if entry is not None:
            response = _replay(request, entry)
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            cache.set(key, _entry(request, response), TIME_BUCKET_SECONDS)
            response[HEADER] = "miss"
        return response

    return cached_view
