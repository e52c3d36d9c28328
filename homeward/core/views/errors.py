"""Friendly error pages. Each shows the request's reference, which is also in the server log.
They render without touching the database, so they work when the database does not."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from homeward.core.context_processors import Frame, nav_links
from homeward.core.middleware import current_request_id

log = logging.getLogger("homeward.errors")

_PAGES = {
    400: (
        "Something in that request didn't look right",
        "Go back, check what you entered and try again.",
    ),
    403: (
        "You can't do that here",
        "If you think you should be able to, contact the people who run this site.",
    ),
    404: ("We can't find that page", "It may have moved, or the address may be mistyped."),
    429: (
        "Please wait a moment",
        "There have been too many attempts in a short time. Wait a minute, then try again.",
    ),
    500: (
        "Sorry, something went wrong on our side",
        "It's not your fault. Please try again in a few minutes.",
    ),
    503: (
        "This site is having a short break",
        "We're working on it. Please try again in a few minutes.",
    ),
}


def render_error(request: HttpRequest, status: int, *, reason: str = "") -> HttpResponse:
    ref = current_request_id() or getattr(request, "request_id", "")
    title, advice = _PAGES[status]
    log.warning("error page %s shown (%s) for %s", status, reason or "-", request.path)
    # No request context processors here: an error page must render even without a database.
    context = {
        "status": status,
        "title": title,
        "advice": advice,
        "reference": ref,
        "site_name": settings.SITE_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "nav": nav_links(),
        "frame": Frame(),
    }
    html = loader.render_to_string("errors/error.html", context)
    response = HttpResponse(html, status=status)
    if status in (429, 503):
        response["Retry-After"] = "60"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The session could not be saved because the database went away (SessionInterrupted).
    if database_unavailable():
        return render_error(request, 503, reason="database unavailable")
    return render_error(request, 400, reason=type(exception).__name__ if exception else "")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def database_unavailable() -> bool:
    """Whether the error being handled is the database refusing or dropping the connection (or
    SQLite's lock timing out): a passing fault, answered 503 with Retry-After, not 500."""
    error = sys.exc_info()[1]
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block, so the exception is still at hand.
    if database_unavailable():
        return render_error(request, 503, reason="database unavailable")
    return render_error(request, 500)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    log.warning("CSRF failure: %s", reason)
    response = render_error(request, 403, reason="csrf")
    response.content = loader.render_to_string(
        "errors/csrf.html",
        {
            "reference": current_request_id(),
            "status": 403,
            "site_name": settings.SITE_NAME,
            "quick_exit_url": settings.QUICK_EXIT_URL,
            "nav": nav_links(),
            "frame": Frame(),
        },
    ).encode()
    return response
