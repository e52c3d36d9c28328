"""Rate limits for our own views, counted where every worker sees them: in the database by
default (core.RateCounter, one upsert per counted request), or in the cache when Redis is
configured (settings.RATE_LIMIT_STORE).

A view names a limit from settings.RATE_LIMITS and says whose requests count together:

    @rate_limit("join_code", key="ip")
    def join(request, code): ...

Each limit is "<count>/<period>", e.g. "20/10m": the 21st request from one key within a
10-minute window gets our plain 429 page with Retry-After, and the view does not run. Only the
methods listed count (by default POST: the attempts; looking at a form is free). Windows are
fixed and aligned to the clock (one counter per window, incremented atomically), so a burst
across a boundary may reach twice the count: simple, cheap, and enough against guessing and
floods. allauth throttles sign-in, sign-up and password resets itself (ACCOUNT_RATE_LIMITS).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from homeward.core.models import RateCounter

log = logging.getLogger("homeward.ratelimit")

View = Callable[..., HttpResponse]
Key = Literal["ip", "user", "user_or_ip"]

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text)
        if match is None or int(match[1]) < 1:
            raise ImproperlyConfigured(f"a rate limit looks like '20/10m', not {text!r}")
        return cls(int(match[1]), int(match[2] or 1) * _SECONDS[match[3]])


def rate_for(name: str) -> Rate:
    try:
        return Rate.parse(settings.RATE_LIMITS[name])
    except KeyError:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no limit called {name!r}") from None


def client_ip(request: HttpRequest) -> str:
    """The client's address as allauth sees it (it honours ALLAUTH_TRUSTED_PROXY_COUNT), so our
    limits and allauth's count the same person the same way."""
    from allauth.account.adapter import get_adapter

    ip: str = get_adapter(request).get_client_ip(request)
    return ip


def _identity(request: HttpRequest, key: Key) -> str:
    user = getattr(request, "user", None)
    if key != "ip" and user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    if key == "user":
        return ""  # anonymous requests are not counted by a per-user limit
    return f"ip:{client_ip(request)}"


def _cache_key(name: str, identity: str) -> str:
    # Hashed, so addresses are not kept in clear in a shared cache.
    digest = hashlib.sha256(f"{name}|{identity}".encode()).hexdigest()[:32]
    return f"ratelimit:{name}:{digest}"


def _now() -> int:
    return int(time.time())


def _window(name: str, identity: str) -> tuple[Rate, str, int, int]:
    """The limit, the counter's key, the end of the current window (Unix time) and the
    seconds left in it."""
    rate = rate_for(name)
    now = _now()
    ends = (now // rate.seconds + 1) * rate.seconds
    return rate, _cache_key(name, identity), ends, ends - now


# Process-local counters for limits that need not be shared between workers (shared=False):
# floods of cheap reads such as searches, where each worker counting alone is enough.
_local = LocMemCache("homeward-ratelimit", {"MAX_ENTRIES": 10_000})


def _database() -> bool:
    return settings.RATE_LIMIT_STORE == "database"


def hit(name: str, identity: str, *, shared: bool = True) -> int:
    """Count one request against a limit; return 0 when allowed, or the seconds until the
    window ends when the limit is used up."""
    rate, key, ends, left = _window(name, identity)
    if shared and _database():
        count = _database_hit(key, ends)
    else:
        count = _cache_hit(caches["default"] if shared else _local, f"{key}:{ends}", left)
    return left if count > rate.count else 0


def used_up(name: str, identity: str, *, shared: bool = True) -> int:
    """Like `hit`, without counting: 0 while the limit has room, else the seconds left."""
    rate, key, ends, left = _window(name, identity)
    if shared and _database():
        count = (
            RateCounter.objects.filter(bucket=key, window_ends=ends)
            .values_list("count", flat=True)
            .first()
        ) or 0
    else:
        count = (caches["default"] if shared else _local).get(f"{key}:{ends}", 0)
    return left if count >= rate.count else 0


def give_back(name: str, identity: str, *, shared: bool = True) -> None:
    """Undo one `hit` in the current window: the request turned out not to count (a
    `failures_only` limit's success). Never below zero; a window that has ended is left alone."""
    _, key, ends, _ = _window(name, identity)
    if shared and _database():
        RateCounter.objects.filter(bucket=key, window_ends=ends, count__gt=0).update(
            count=F("count") - 1
        )
        return
    store = caches["default"] if shared else _local
    try:
        if store.get(f"{key}:{ends}", 0) > 0:
            store.decr(f"{key}:{ends}")
    except ValueError:  # the window ended meanwhile
        pass


def _cache_hit(store: BaseCache, key: str, left: int) -> int:
    store.add(key, 0, timeout=left + 1)
    try:
        count: int = store.incr(key)  # atomic on Redis and the in-memory cache
    except ValueError:  # the window ended between add and incr
        store.add(key, 1, timeout=left + 1)
        count = 1
    store.touch(key, left + 1)  # some backends' incr resets the expiry to the default
    return count


def _database_hit(key: str, ends: int) -> int:
    """One atomic upsert (SQLite 3.35+, PostgreSQL): a new window starts counting at 1."""
    table = RateCounter._meta.db_table
    sql = (
        f"INSERT INTO {table} (bucket, window_ends, count) VALUES (%s, %s, 1)"  # noqa: S608  # nosec B608
        f" ON CONFLICT (bucket) DO UPDATE SET count = CASE WHEN {table}.window_ends ="
        f" excluded.window_ends THEN {table}.count + 1 ELSE 1 END,"
        " window_ends = excluded.window_ends RETURNING count"
    )
    with connections[router.db_for_write(RateCounter)].cursor() as cursor:
        cursor.execute(sql, [key, ends])
        row = cursor.fetchone()
    return int(row[0])


def purge_finished_windows() -> int:
    """Delete counters whose window has ended (the daily retention job)."""
    deleted, _ = RateCounter.objects.filter(window_ends__lt=_now()).delete()
    return deleted


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    from homeward.core.views.errors import render_error

    response = render_error(request, 429, reason="rate limit")
    response["Retry-After"] = str(retry_after)
    return response


def rate_limit(
    name: str,
    *,
    key: Key = "ip",
    methods: Collection[str] = ("POST",),
    failures_only: bool = False,
    shared: bool = True,
) -> Callable[[View], View]:
    """Limit a view by the named rate in settings.RATE_LIMITS, counted per `key`: "ip", "user"
    (signed-in requests only), or "user_or_ip". Requests with other methods are not counted.

    With `failures_only`, only answers of 400 and above count (a wrong join code's 404 or
    410), so many families behind one address (a visitors' centre's Wi-Fi, a mobile network)
    can all join, while guessing still stops; once the limit is used up every request waits.
    Each request takes its place in the count before the view runs and a success gives it
    back, so guesses sent at the same moment cannot all slip under the limit together.

    `shared=False` counts in each worker's own memory (no query, no shared store): for floods
    of cheap reads, where a worker counting alone is enough; guessing and writing limits stay
    shared."""
    rate_for(name)  # a missing or malformed limit fails at import, not on the first request
    counted = {m.upper() for m in methods}

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            identity = _identity(request, key) if request.method in counted else ""
            if not identity:
                return view(request, *args, **kwargs)
            retry_after = hit(name, identity, shared=shared)
            if retry_after:
                log.warning("rate limit %s reached", name)
                return too_many(request, retry_after)
            response = view(request, *args, **kwargs)
            if failures_only and response.status_code < 400:
                give_back(name, identity, shared=shared)
            return response

        return wrapper

    return decorator
