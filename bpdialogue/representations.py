"""The API's rendered representations, cached: the JSON body with its ETag and Last-Modified,
stored in Django's cache (Redis in production) so a repeated read costs a cache look-up
instead of the queries and serializers that built it.

An entry is keyed by everything the body depends on:
- the request: scheme and host (the body's links carry them), path, the query sorted,
  the format chosen and the response language;
- the caller's audience: every field of their `AccessPolicy` (two callers the policy lets
  see different things never share an entry; two keys with the same scopes do);
- the day (names in force, things dated, change with the date alone);
- the code (a digest of the project's Python sources: a deploy never serves a body built
  by the previous release);
- and, stored with the entry rather than in its key, the **change counter** every write to
  the database bumps: an entry is used only while the counter still has the value it had
  when the entry was built (counter and entry are read in one round trip).

The counter is not bumped by the services alone: every INSERT, UPDATE or DELETE that goes
through Django's database connections bumps it (an execute wrapper installed on each
connection, `install`), so writes that bypass the services (`QuerySet.update`, `bulk_create`,
imports, erasure, restores, management commands, Celery tasks) invalidate as well; only the
tables listed in IGNORED_TABLES (sessions, sign-in attempts, the keys' last use) do not,
since no representation shows them. Inside a transaction it is bumped at the first write and
again after the commit: a reader that built a body between the two (from the data before the
commit) stored it under a counter the commit leaves behind.

The same wrapper keeps a second counter, KEYS_COUNTER_KEY, for the API keys' table, which the
representations ignore: bpdialogue.api.authentication caches keys by it, so a key revoked or
expired by any write is refused at the next request.

Entries expire after API_REPRESENTATION_CACHE_SECONDS anyway: should a bump be lost (the cache
unreachable while a write commits), no body outlives that time. 0 turns the cache off.

The portal's figures (the dialogue in numbers, a participant's story) are kept the same way
(`kept_until_written`): each is a grouped count over the whole record, which only a write can
change, keyed by the viewer's audience, the language, the day and what was asked."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.utils import timezone, translation

COUNTER_KEY = "api:representations:changes"
KEYS_COUNTER_KEY = "api:keys:changes"
ENTRY_PREFIX = "api:representation:"
READING_PREFIX = "reading:"
DEFAULT_SECONDS = 600

# Writes no representation shows: a session saved, a sign-in attempt counted, a key's last use
# noted (a key's scopes are read at every request, before any entry is looked up).
IGNORED_TABLES = ("django_session", "bpdialogue_apikey", "axes_accessattempt", "axes_accesslog")
# Statements that change nothing (transaction control included, which Django sends through
# the same cursors).
_READS = (
    "SELECT",
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "BEGIN",
    "COMMIT",
    "SET",
    "SHOW",
    "EXPLAIN",
    "PRAGMA",
)
_IGNORED = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?:{})"?[\s(]'.format("|".join(IGNORED_TABLES)),
    re.IGNORECASE,
)


_KEYS_TABLE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?bpdialogue_apikey"?[\s(]', re.IGNORECASE
)


@dataclass(frozen=True)
class Representation:
    body: bytes
    etag: str
    # A POSIX timestamp; None when nothing in the body is dated.
    last_modified: float | None
    content_type: str = "application/json"


def timeout() -> int:
    return int(getattr(settings, "API_REPRESENTATION_CACHE_SECONDS", DEFAULT_SECONDS))


# -- the change counter ------------------------------------------------------------------------
# Whether this process stored an entry since it last bumped the counter: a write later in the
# same transaction must then bump again (the entry was built from what is now changing).
_stored_since_bump = False


def change_counter(key: str = COUNTER_KEY) -> int | None:
    """The counter's value; None when the cache cannot be read (then nothing is cached).
    A counter the cache lost starts again from the clock, above any value it had."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def bump_counter(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no counter yet (or the cache lost it)
        cache.add(key, time.time_ns(), timeout=None)


def bump() -> None:
    """Every entry stored so far stops being found."""
    global _stored_since_bump
    _stored_since_bump = False
    bump_counter(COUNTER_KEY)


def _bump_keys_after_commit() -> None:
    bump_counter(KEYS_COUNTER_KEY)


def _keys_changed(connection) -> None:
    # Rare (a key issued, revoked, or its use noted once a minute): bumped at every statement
    # and again after the commit.
    bump_counter(KEYS_COUNTER_KEY)
    if connection.in_atomic_block and not any(
        func is _bump_keys_after_commit for _ids, func, _robust in connection.run_on_commit
    ):
        connection.on_commit(_bump_keys_after_commit)


def _bump_after_commit() -> None:
    bump()


def is_write(sql) -> bool:
    sql = str(sql)
    head = sql.lstrip()[:10].upper()
    return not head.startswith(_READS) and not _IGNORED.match(sql)


def _wrote(connection) -> None:
    if not connection.in_atomic_block:  # autocommit: the statement is committed already
        bump()
        return
    pending = any(func is _bump_after_commit for _ids, func, _robust in connection.run_on_commit)
    if not pending:
        # Dropped with the savepoint if it rolls back; the next write registers it again.
        connection.on_commit(_bump_after_commit)
        bump()
    elif _stored_since_bump:
        bump()


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if is_write(sql):
        _wrote(context["connection"])
    elif _KEYS_TABLE.match(str(sql)):
        _keys_changed(context["connection"])
    return result


def _install_on(sender, connection, **kwargs) -> None:
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


def install() -> None:
    """Bump the counter on every write of every connection (bpdialogue's AppConfig.ready)."""
    from django.db import connections

    connection_created.connect(_install_on, dispatch_uid="bpdialogue.representations")
    for connection in connections.all(initialized_only=True):
        _install_on(None, connection)


# -- entries ------------------------------------------------------------------------------------
@once
def code_digest() -> str:
    """A digest of the project's own Python sources, read once per process."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        root = Path(config.path).resolve()
        if not root.is_relative_to(base):
            continue
        for source in sorted(root.rglob("*.py")):
            if "migrations" not in source.parts:
                digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def audience(policy) -> str:
    """Every field of the access policy, in a stable form: what decides what a caller sees."""
    parts = []
    for field in dataclasses.fields(policy):
        value = getattr(policy, field.name)
        if isinstance(value, (set, frozenset)):
            value = ",".join(map(str, sorted(value)))
        parts.append(f"{field.name}={value}")
    return ";".join(parts)


def entry_key(
    *, origin: str, path: str, query: list[tuple[str, str]], policy, language: str, variant: str
) -> str | None:
    """The cache key of a representation; None when nothing is cached."""
    if timeout() <= 0:
        return None
    sorted_query = "&".join(f"{name}={value}" for name, value in sorted(query))
    raw = "\n".join(
        [
            timezone.localdate().isoformat(),
            code_digest(),
            f"{origin}{path}?{sorted_query}",
            audience(policy),
            language,
            variant,
        ]
    )
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _current(key: str) -> tuple[tuple | None, int | None]:
    """What is stored under `key` if it was built at the current change counter, and the
    counter (None when the cache cannot be read: then nothing is stored either); one round
    trip."""
    found = cache.get_many([COUNTER_KEY, key])
    counter = found.get(COUNTER_KEY)
    if counter is None:
        counter = change_counter()
    entry = found.get(key)
    if entry is None or counter is None or entry[0] != counter:
        return None, counter
    return entry[1:], counter


def _keep(key: str, values: tuple, *, counter: int) -> None:
    global _stored_since_bump
    _stored_since_bump = True
    cache.set(key, (counter, *values), timeout=timeout())


def lookup(key: str) -> tuple[Representation | None, int | None]:
    """The entry stored under `key` if it was built at the current change counter, and the
    counter (None when the cache cannot be read: then nothing is stored either)."""
    values, counter = _current(key)
    return (Representation(*values) if values is not None else None), counter


def store(key: str, representation: Representation, *, counter: int) -> None:
    """Store an entry built from the data as it was when the counter read `counter` (read
    before building: a write meanwhile leaves the entry behind)."""
    _keep(key, dataclasses.astuple(representation), counter=counter)


def kept_until_written(kind: str, *, policy, asked: tuple, compute):
    """`compute()`, or what it gave when last called with the same `asked` for the same
    audience, language and day, if nothing was written since. For readings that count over
    the whole record (one grouped query each) and are asked again and again between writes."""
    if timeout() <= 0:
        return compute()
    raw = "\n".join(
        [
            kind,
            timezone.localdate().isoformat(),
            code_digest(),
            audience(policy),
            translation.get_language() or "",
            *map(str, asked),
        ]
    )
    key = READING_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    values, counter = _current(key)
    if values is not None:
        return values[0]
    result = compute()
    if counter is not None:
        _keep(key, (result,), counter=counter)
    return result
