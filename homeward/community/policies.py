"""Who may do what in the community. The community is for signed-in members; staff-only
categories are for staff; a category may ask for a minimum trust level to read or to post.
Peer moderators and staff count as trusted (level 4) for every trust gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeward.accounts.policies import is_moderator, is_staff
from homeward.community.models import Category, MemberStanding, Post, Topic, TrustLevel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

_CACHE_ATTR = "_homeward_standing"


def standing_of(user: User) -> MemberStanding | None:
    """The member's standing row (None before their first visit), read once per request."""
    if not hasattr(user, _CACHE_ATTR):
        setattr(user, _CACHE_ATTR, MemberStanding.objects.filter(user=user).first())
    cached: MemberStanding | None = getattr(user, _CACHE_ATTR)
    return cached


def remember_standing(user: User, standing: MemberStanding) -> None:
    setattr(user, _CACHE_ATTR, standing)


def forget_standing(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def trust_level(user: User | AnonymousUser) -> int:
    """The level every gate checks: moderators and staff count as trusted."""
    if not user.is_authenticated:
        return TrustLevel.NEW
    if is_moderator(user):
        return TrustLevel.LEADER
    standing = standing_of(user)
    return standing.trust_level if standing is not None else TrustLevel.NEW


def can_read(user: User | AnonymousUser, category: Category) -> bool:
    if not user.is_authenticated:
        return False
    if category.staff_only and not is_staff(user):
        return False
    return trust_level(user) >= category.read_min_trust


def can_post_in(user: User | AnonymousUser, category: Category) -> bool:
    if not can_read(user, category):
        return False
    return trust_level(user) >= category.post_min_trust


def can_reply(user: User | AnonymousUser, topic: Topic) -> bool:
    if topic.deleted_at is not None:
        return False
    if topic.is_closed and not is_moderator(user):
        return False
    return can_post_in(user, topic.category)


def can_edit(user: User | AnonymousUser, post: Post) -> bool:
    """Members edit their own posts (history is kept); closed topics are read-only."""
    if not user.is_authenticated or post.is_deleted or post.author_id != user.pk:
        return False
    return not post.topic.is_closed


def can_react(user: User | AnonymousUser, post: Post) -> bool:
    return user.is_authenticated and not post.is_deleted and post.author_id != user.pk


def can_see_history(user: User | AnonymousUser) -> bool:
    return is_moderator(user)


def limits_apply(user: User | AnonymousUser) -> bool:
    """New members' limits (first-day counts, links, images)."""
    return trust_level(user) < TrustLevel.BASIC
