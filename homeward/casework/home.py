"""The casework panel on the landing page: a family member's way to ask their organisation's
support workers for help, and to their requests' answers. No query of its own: it reads the
memberships already loaded for the request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from homeward.accounts.models import Organisation, Role
from homeward.accounts.policies import memberships, staff_membership


def support_organisations(user: Any) -> list[Organisation]:
    """Organisations this person belongs to as a family member (staff and platform admins do
    casework, or nothing, instead)."""
    if not user.is_authenticated or getattr(user, "is_platform_admin", False):
        return []
    if staff_membership(user) is not None:
        return []
    return [m.organisation for m in memberships(user) if m.role == Role.FAMILY]


def family_panel(request: HttpRequest) -> dict[str, Any] | None:
    organisations = support_organisations(request.user)
    if not organisations:
        return None
    return {"organisations": organisations}
