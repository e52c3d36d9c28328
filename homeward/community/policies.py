"""Who may do what in the community. The community is for signed-in members; staff-only
categories are for staff; a category may ask for a minimum trust level to read or to post.
Peer moderators and staff count as trusted (level 4) for every trust gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeward.accounts.policies import is_moderator, is_staff
from homeward.community.models import (
    Category,
    MemberIgnore,
    MemberStanding,
    Post,
    Topic,
    TrustLevel,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from homeward.accounts.models import User

_CACHE_ATTR = "_homeward_standing"
# user.community_standing, as loaded with the user (settings.AUTH_USER_SELECT_RELATED).
_STANDING = MemberStanding._meta.get_field("user").remote_field


def standing_of(user: User) -> MemberStanding | None:
    """The member's standing row (None before their first visit), read once per request."""
    if not hasattr(user, _CACHE_ATTR):
        if _STANDING.is_cached(user):
            setattr(user, _CACHE_ATTR, _STANDING.get_cached_value(user))
        else:
            setattr(user, _CACHE_ATTR, MemberStanding.objects.filter(user=user).first())
    cached: MemberStanding | None = getattr(user, _CACHE_ATTR)
    return cached


def standing_known(user: User) -> bool:
    """Whether this request already read the member's standing (so trust_level costs nothing)."""
    return hasattr(user, _CACHE_ATTR)


def remember_standing(user: User, standing: MemberStanding) -> None:
    setattr(user, _CACHE_ATTR, standing)


def forget_standing(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    if _STANDING.is_cached(user):
        _STANDING.delete_cached_value(user)


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
    return trust_level(user) >= category.post_min_trust and not is_silenced(user)


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
    return not post.topic.is_closed and not is_silenced(user)


def can_react(user: User | AnonymousUser, post: Post) -> bool:
    return user.is_authenticated and not post.is_deleted and post.author_id != user.pk


def can_see_history(user: User | AnonymousUser) -> bool:
    return is_moderator(user)


def limits_apply(user: User | AnonymousUser) -> bool:
    """New members' limits (first-day counts, links, images)."""
    return trust_level(user) < TrustLevel.BASIC


def can_add_pictures(user: User | AnonymousUser) -> bool:
    """Pictures in messages: from level 1 (new members' limits keep them out until then), for
    moderators and staff at once; never while silenced."""
    return user.is_authenticated and not limits_apply(user) and not is_silenced(user)


def is_silenced(user: User | AnonymousUser) -> bool:
    """Silenced or suspended: the member may read, but not write anything."""
    if not user.is_authenticated or is_moderator(user):
        return False
    standing = standing_of(user)
    return standing is not None and standing.is_silenced


def can_flag(user: User | AnonymousUser) -> bool:
    """From level 1 (Discourse: min_trust_to_flag_posts 1); new members can't flag yet."""
    return trust_level(user) >= TrustLevel.BASIC and not is_silenced(user)


def can_start_conversation(user: User | AnonymousUser) -> bool:
    """Private conversations open at level 2 ("Regular member"), for staff and moderators at
    once. Joining with a card skips nothing: the level is earned here."""
    return trust_level(user) >= TrustLevel.MEMBER and not is_silenced(user)


def can_read_reported_conversations(user: User | AnonymousUser) -> bool:
    """Only staff read a private conversation, and only once a message in it is reported.
    Peer moderators are families too: they don't read other families' private messages."""
    return is_staff(user)


def can_manage_watched_words(user: User | AnonymousUser) -> bool:
    return is_staff(user)


def can_lead(user: User | AnonymousUser) -> bool:
    """Level 4 ("community leader", given by staff), peer moderators and staff: pin, close,
    reopen and move conversations."""
    return trust_level(user) >= TrustLevel.LEADER and not is_silenced(user)


def ignoring(user_ids: Iterable[int], other: User) -> set[int]:
    """Which of these members muted or blocked `other`: they are not told about what `other`
    writes (private messages, mentions, quotes)."""
    return set(
        MemberIgnore.objects.filter(user_id__in=list(user_ids), other=other).values_list(
            "user_id", flat=True
        )
    )
