"""Rate limits for our own views, kept in the Django cache (shared by every worker).

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
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

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


def _window(name: str, identity: str) -> tuple[Rate, str, int]:
    """The limit, the cache key of the current window and the seconds left in it."""
    rate = rate_for(name)
    now = _now()
    window = now // rate.seconds
    left = (window + 1) * rate.seconds - now
    return rate, f"{_cache_key(name, identity)}:{window}", left


def hit(name: str, identity: str) -> int:
    """Count one request against a limit; return 0 when allowed, or the seconds until the
    window ends when the limit is used up."""
    rate, key, left = _window(name, identity)
    cache.add(key, 0, timeout=left + 1)
    try:
        count = cache.incr(key)  # atomic on Redis and the in-memory cache
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=left + 1)
        count = 1
    cache.touch(key, left + 1)  # some backends' incr resets the expiry to the default
    return left if count > rate.count else 0


def used_up(name: str, identity: str) -> int:
    """Like `hit`, without counting: 0 while the limit has room, else the seconds left."""
    rate, key, left = _window(name, identity)
    return left if cache.get(key, 0) >= rate.count else 0


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
) -> Callable[[View], View]:
    """Limit a view by the named rate in settings.RATE_LIMITS, counted per `key`: "ip", "user"
    (signed-in requests only), or "user_or_ip". Requests with other methods are not counted.

    With `failures_only`, only answers of 400 and above count (a wrong join code's 404 or
    410), so many families behind one address (a visitors' centre's Wi-Fi, a mobile network)
    can all join, while guessing still stops; once the limit is used up every request waits."""
    rate_for(name)  # a missing or malformed limit fails at import, not on the first request
    counted = {m.upper() for m in methods}

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            identity = _identity(request, key) if request.method in counted else ""
            if not identity:
                return view(request, *args, **kwargs)
            retry_after = used_up(name, identity) if failures_only else hit(name, identity)
            if retry_after:
                log.warning("rate limit %s reached", name)
                return too_many(request, retry_after)
            response = view(request, *args, **kwargs)
            if failures_only and response.status_code >= 400:
                hit(name, identity)
            return response

        return wrapper

    return decorator
