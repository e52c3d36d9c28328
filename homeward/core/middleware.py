"""Request ids for error pages and logs; staff session rules; no caching of signed-in pages;
the Permissions-Policy header."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    value = _request_id.get()
    return "" if value == "-" else value


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    """Give every request a short reference, shown on error pages and written in the logs,
    so a person can quote it and we can find what happened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ref = secrets.token_hex(4).upper()
        request.request_id = ref  # type: ignore[attr-defined]
        token = _request_id.set(ref)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = ref
        return response


class StaffSessionMiddleware:
    """Staff sessions end after a spell without use (they hold families' case data)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from homeward.accounts.policies import is_staff

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff(user):
            # Setting the expiry marks the session modified, so each request restarts the clock.
            request.session.set_expiry(settings.STAFF_IDLE_TIMEOUT_SECONDS)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages for a signed-in person must not be kept by the browser or any cache in between:
    a shared family computer's back button should not show them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class PermissionsPolicyMiddleware:
    """Switch off browser features no page of ours uses (camera, microphone, location…), so
    injected or third-party code could not ask a family member for them either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
