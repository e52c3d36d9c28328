"""How much each member hears about a conversation (after Discourse's topic notification levels):

- watching: told about every new reply (the default for the member who started it);
- tracking: new replies are counted in the lists; told only when mentioned or replied to (the
  default once a member replies);
- normal: told only when mentioned or replied to;
- muted: never told anything about it, and it leaves their latest conversations.

Posting moves a member up (start → watching, reply → tracking) until they choose a level
themselves; after that only they change it. A reply answers the conversation's opening message,
so its author counts as replied to. The level lives on TopicUser (what they have read)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.community import policies
from homeward.community.models import NotificationLevel, Post, Topic, TopicUser
from homeward.core.notifications import notify

Level = NotificationLevel


@transaction.atomic
def set_level(user: User, topic: Topic, level: int) -> None:
    """The member chooses how much to hear about this conversation (they must be able to
    read it). From now on posting no longer changes it."""
    if level not in Level.values or not policies.can_read(user, topic.category):
        raise Http404
    now = timezone.now()
    updated = TopicUser.objects.filter(topic=topic, user=user).update(
        notification_level=level, level_chosen_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                TopicUser.objects.create(
                    topic=topic, user=user, notification_level=level, level_chosen_at=now
                )
        except IntegrityError:  # made by a request that raced this one
            TopicUser.objects.filter(topic=topic, user=user).update(
                notification_level=level, level_chosen_at=now
            )


def level_of(user: User, topic: Topic) -> int:
    found = (
        TopicUser.objects.filter(topic=topic, user=user)
        .values_list("notification_level", flat=True)
        .first()
    )
    return Level.NORMAL if found is None else found


def raise_after_posting(mark: TopicUser, *, started: bool) -> list[str]:
    """Move the member's level up after they post (unless they chose one): the fields changed."""
    wanted = Level.WATCHING if started else Level.TRACKING
    if mark.level_chosen_at is not None or mark.notification_level >= wanted:
        return []
    mark.notification_level = wanted
    return ["notification_level"]


def muted_by(user_id: int) -> Exists:
    """For a Topic query: whether this member muted the conversation."""
    return Exists(
        TopicUser.objects.filter(
            topic=OuterRef("pk"), user_id=user_id, notification_level=Level.MUTED
        )
    )


def notify_reply(author: User, post: Post) -> set[int]:
    """Tell the people who want to hear about a new reply: everyone watching it, and the
    conversation's starter (it answers them) unless they muted it. Returns who was told and
    who muted it (neither hears about mentions in the same reply)."""
    topic = post.topic
    watchers = TopicUser.objects.filter(topic=topic).filter(
        Q(notification_level__in=[Level.WATCHING, Level.MUTED]) | Q(user_id=topic.author_id)
    )
    levels = dict(watchers.values_list("user_id", "notification_level"))
    handled = {uid for uid, level in levels.items() if level == Level.MUTED}
    handled.add(author.pk)
    recipients = {uid for uid, level in levels.items() if level == Level.WATCHING}
    if levels.get(topic.author_id, Level.NORMAL) != Level.MUTED:
        recipients.add(topic.author_id)
    users = User.objects.filter(
        pk__in=[u for u in recipients if u not in handled], is_active=True
    ).select_related("community_standing")
    for user in users.order_by("pk"):
        if not policies.can_read(user, topic.category):
            continue
        if user.pk == topic.author_id:
            title = f"{author.public_name} replied to your conversation"
            kind = "community.reply"
        else:
            title = f"{author.public_name} replied in a conversation you're watching"
            kind = "community.watching"
        notify(user, kind=kind, title=title, url=post.get_absolute_url())
        handled.add(user.pk)
    return handled
