"""Who may do what in the Prison guide. Reading it needs no account; following and tips need
one; editing a prison's guide and posting alerts is for staff of the organisations that work in
that prison (its partners, which their managers choose); approving tips is for staff and peer
moderators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeward.accounts.models import MANAGER_ROLES
from homeward.accounts.policies import (
    is_moderator,
    is_staff,
    staff_membership,
    staff_organisation_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import Organisation, User
    from homeward.prisons.models import Prison, Tip


def can_follow(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


def can_add_tip(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


def can_edit_guide(user: User | AnonymousUser, prison: Prison) -> bool:
    """Staff of an organisation that works in this prison (a partner) keep its guide, post its
    alerts and check its tips; platform admins may too. Other organisations' staff can't."""
    from homeward.prisons.models import PrisonPartner

    if not is_staff(user):
        return False
    if getattr(user, "is_platform_admin", False):
        return True
    known = getattr(prison, "viewer_is_partner", None)  # answered with the page's own query
    if known is not None:
        return bool(known)
    return PrisonPartner.objects.filter(
        prison=prison, organisation__in=staff_organisation_ids(user)
    ).exists()


def managed_organisation(user: User | AnonymousUser) -> Organisation | None:
    """The organisation whose list of prisons this person may change (its managers and admins)."""
    membership = staff_membership(user)
    if membership is None or membership.role not in MANAGER_ROLES:
        return None
    return membership.organisation


def can_moderate_tips(user: User | AnonymousUser) -> bool:
    return is_moderator(user)


def tip_needs_approval(user: User | AnonymousUser) -> bool:
    """New members' tips (community trust level 0) wait for a moderator; from level 1 (and for
    moderators and staff) they publish at once and can be flagged."""
    from homeward.community.models import TrustLevel
    from homeward.community.policies import trust_level

    return trust_level(user) < TrustLevel.BASIC


def can_mark_checked(user: User | AnonymousUser, prison: Prison) -> bool:
    """Marking a family's tip as checked vouches for it: the prison's own partners do that."""
    return can_edit_guide(user, prison)


def can_mark_tip(user: User | AnonymousUser, tip: Tip) -> bool:
    """Helpful marks and flags: any member, on someone else's published tip."""
    return user.is_authenticated and tip.author_id != user.pk
