from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

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
    }
