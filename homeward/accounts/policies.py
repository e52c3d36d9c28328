"""Who may do what. One predicate per permission, used by views, templates and the API alike.
Roles are read once per request and kept on the user object."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import LazyObject

from homeward.accounts.models import MANAGER_ROLES, STAFF_ROLES, Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from homeward.accounts.models import User

_CACHE_ATTR = "_homeward_memberships"


def acting_user(request: HttpRequest) -> User:
    """The signed-in member behind a request (views call this after their login check)."""
    from django.core.exceptions import PermissionDenied

    from homeward.accounts.models import User

    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    if isinstance(user, LazyObject):
        # AuthenticationMiddleware's lazy stand-in, loaded by the check above. Each read
        # through it is a proxy call, and a topic page reads the member a few hundred times
        # (0.5 ms): from here on the request holds the member, as auth.login() leaves it.
        user = request.user = user._wrapped  # type: ignore[attr-defined]
    return user


def memberships(user: User | AnonymousUser) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def staff_membership(user: User | AnonymousUser) -> Membership | None:
    """The membership a member of staff acts through (their most senior staff role)."""
    staff = [m for m in memberships(user) if m.role in STAFF_ROLES]
    if not staff:
        return None
    return sorted(staff, key=lambda m: (m.role not in MANAGER_ROLES, m.pk))[0]


def staff_organisation_ids(user: User | AnonymousUser) -> list[int]:
    """The organisations this person is staff of (from the memberships cached per request)."""
    return [m.organisation_id for m in memberships(user) if m.role in STAFF_ROLES]


def is_staff(user: User | AnonymousUser) -> bool:
    """Staff of an organisation, or a platform admin: they must use a second factor."""
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_platform_admin", False)) or staff_membership(user) is not None


def is_peer_moderator(user: User | AnonymousUser) -> bool:
    """A trusted family member who helps moderate (the role, in any organisation)."""
    return any(m.role == Role.PEER_MODERATOR for m in memberships(user))


def is_moderator(user: User | AnonymousUser) -> bool:
    """Staff and peer moderators: they look after what families post."""
    return is_staff(user) or is_peer_moderator(user)


def is_manager_of(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return any(
        m.organisation_id == organisation.pk and m.role in MANAGER_ROLES for m in memberships(user)
    )


def can_manage_join_cards(user: User | AnonymousUser) -> bool:
    """Any member of staff may print cards for their organisation."""
    return staff_membership(user) is not None


def has_verified_second_factor(request: HttpRequest) -> bool:
    """True when this session passed a second factor (at sign-in, or by enrolling just now)."""
    from allauth.account.authentication import get_authentication_records

    user = request.user
    if not user.is_authenticated:
        return False
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))
