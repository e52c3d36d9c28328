from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Site-wide values every template may use. The unread count is a stored counter, so this
    costs one small query only for signed-in members, only when a template asks, and once
    however many times the page shows it (the home page does twice)."""
    user = getattr(request, "user", None)
    read: list[int] = []

    def unread() -> int:
        if user is None or not user.is_authenticated:
            return 0
        if not read:
            from homeward.core.models import NotificationSettings

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
        "site_name": settings.SITE_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "unread_notifications": unread,
        "user_is_staff": staff,
    }
