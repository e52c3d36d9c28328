from __future__ import annotations

from collections.abc import Callable
from functools import cache, cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from homeward.core.jinja2 import render_fragment

# The header's and footer's links (core/base.html), by the names the template uses: every page
# shows about twenty, and reverse() costs tens of microseconds each, so they are worked out
# once per process (for each URL prefix and URLconf a request may use).
_NAV = {
    "home": "home",
    "community": "community:index",
    "find_support": "directory:find",
    "prisons": "prisons:index",
    "events": "events:index",
    "staff": "accounts:staff_home",
    "search": "search",
    "updates": "notifications",
    "settings": "accounts:settings",
    "sign_out": "account_logout",
    "sign_in": "account_login",
    "join": "accounts:join_start",
}


@cache
def _nav_links(prefix: str, urlconf: str) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in _NAV.items()}


def nav_links() -> dict[str, str]:
    """base.html's `nav`: also for pages rendered without context processors (error pages)."""
    return _nav_links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def _nobody() -> int:
    return 0


class Frame:
    """The header and footer of every page (core/base.html's `frame.header`, `frame.footer`):
    Jinja2 fragments, as the busy parts of pages are (core/jinja2.py). Through Django's
    templates, with some thirty values looked up, they were a page's largest cost after the
    request itself: about 1 ms. Without a request (the error pages, which must render without a
    database), it is the header and footer of someone not signed in."""

    def __init__(
        self,
        request: HttpRequest | None = None,
        *,
        unread: Callable[[], int] = _nobody,
        staff: Callable[[], bool] = bool,
    ) -> None:
        user = getattr(request, "user", None)
        self._signed_in = bool(user is not None and user.is_authenticated)
        # Only a signed-in member's frame has a form (Sign out): asking for its CSRF field for
        # anyone else would set the CSRF cookie on every page.
        self._request = request if self._signed_in else None
        self._unread, self._staff = unread, staff

    @cached_property
    def _context(self) -> dict[str, Any]:
        signed_in = self._signed_in
        return {
            "nav": nav_links(),
            "site_name": settings.SITE_NAME,
            "signed_in": signed_in,
            "staff": signed_in and self._staff(),
            "unread": self._unread() if signed_in else 0,
            # One CSRF field for both Sign out forms (each is the token masked afresh).
            "csrf": csrf_input(self._request) if self._request is not None else "",
        }

    @cached_property
    def header(self) -> SafeString:
        return render_fragment("core/_header.jinja", self._context)

    @cached_property
    def footer(self) -> SafeString:
        return render_fragment("core/_footer.jinja", self._context)


def site(request: HttpRequest) -> dict[str, Any]:
    """Site-wide values every template may use. The unread count is a stored counter that
    comes with the signed-in member (settings.AUTH_USER_SELECT_RELATED), so it costs no query;
    for a member loaded some other way, one small query, only when a template asks."""
    user = getattr(request, "user", None)
    read: list[int] = []

    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        if not read:
            from homeward.core.models import NotificationSettings

            loaded = user._state.fields_cache  # settings.AUTH_USER_SELECT_RELATED
            if "notification_settings" in loaded:
                prefs = loaded["notification_settings"]  # None: they have no row yet
                value = prefs.unread_count if prefs is not None else 0
            else:
                value = (
                    NotificationSettings.objects.filter(user=user)
                    .values_list("unread_count", flat=True)
                    .first()
                )
            read.append(value or 0)
        return read[0]

    def staff() -> bool:
        if user is None or not user.is_authenticated:
            return False
        from homeward.accounts.policies import is_staff

        return is_staff(user)

    return {
        "nav": nav_links(),
        "site_name": settings.SITE_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "unread_notifications": unread,
        "user_is_staff": staff,
        "frame": Frame(request, unread=unread, staff=staff),
    }
