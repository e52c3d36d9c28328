"""Who may do what in the Prison guide. Reading it needs no account; following and tips need
one; editing a prison's guide and posting alerts is for staff; approving tips is for staff and
peer moderators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeward.accounts.policies import is_moderator, is_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User
    from homeward.prisons.models import Tip


def can_follow(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


def can_add_tip(user: User | AnonymousUser) -> bool:
    return user.is_authenticated


def can_edit_guide(user: User | AnonymousUser) -> bool:
    """Staff of any organisation may keep a prison's guide and post alerts (phase 1: there is
    no link yet between an organisation and the prisons it works in)."""
    return is_staff(user)


def can_moderate_tips(user: User | AnonymousUser) -> bool:
    return is_moderator(user)


def tip_needs_approval(user: User | AnonymousUser) -> bool:
    """New members' tips (community trust level 0) wait for a moderator; from level 1 (and for
    moderators and staff) they publish at once and can be flagged."""
    from homeward.community.models import TrustLevel
    from homeward.community.policies import trust_level

    return trust_level(user) < TrustLevel.BASIC


def can_mark_checked(user: User | AnonymousUser) -> bool:
    return is_staff(user)


def can_mark_tip(user: User | AnonymousUser, tip: Tip) -> bool:
    """Helpful marks and flags: any member, on someone else's published tip."""
    return user.is_authenticated and tip.author_id != user.pk
