"""Members' flags on forum messages (level 1 and up, weighted by trust level, hiding a message
past the hide score) and reports of private messages; each opens or adds to a review item."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_staff
from homeward.community import conf, policies
from homeward.community.models import (
    Conversation,
    Flag,
    Message,
    Post,
    ReviewItem,
)
from homeward.community.models.moderation import FlagReason
from homeward.community.moderation._common import _refused
from homeward.community.moderation.support import alert_on_duty, review_url
from homeward.core import audit
from homeward.core.notifications import notify

# Flags ----------------------------------------------------------------------------------------


def _open_review(
    *,
    kind: str,
    author: User,
    post: Post | None = None,
    message: Message | None = None,
    score: int = 0,
) -> ReviewItem:
    """The open review item for this message (made if there is none), its priority raised to
    this kind's when higher, and `score` added."""
    target: dict[str, Any] = {"post": post} if post is not None else {"message": message}
    item = (
        ReviewItem.objects.select_for_update()
        .filter(status=ReviewItem.Status.PENDING, **target)
        .first()
    )
    priority = ReviewItem.PRIORITY[kind]
    if item is None:
        try:
            with transaction.atomic():
                return ReviewItem.objects.create(
                    kind=kind, priority=priority, author=author, score=score, **target
                )
        except IntegrityError:  # opened by a request that raced this one
            item = ReviewItem.objects.get(status=ReviewItem.Status.PENDING, **target)
    fields = ["score"]
    item.score += score
    if priority > item.priority:
        item.priority, item.kind = priority, kind
        fields += ["priority", "kind"]
    item.save(update_fields=fields)
    return item


def _flag_score(flagger: User) -> int:
    return conf.flag_score(policies.trust_level(flagger), staff=is_staff(flagger))


def _check_flag(
    flagger: User, author_id: int, reason: str, note: str, *, private: bool = False
) -> str:
    """Flagging forum messages opens at level 1; anyone may report a private message sent to
    them, a new member most of all."""
    if not private and not policies.can_flag(flagger):
        raise Http404
    if author_id == flagger.pk:
        raise _refused("reason", "You can't flag your own message. You can edit it instead.")
    if reason not in FlagReason.values:
        raise _refused("reason", "Choose what's wrong.")
    note = note.strip()
    if reason == FlagReason.OTHER and not note:
        raise _refused("note", "Tell the moderators what's wrong, in a few words.")
    return note


@transaction.atomic
def flag_post(flagger: User, post: Post, reason: str, note: str = "") -> Flag:
    """A member flags a forum message. Flags add up by trust level; past the hide score the
    message is hidden until a moderator looks (its author may edit it to send it back)."""
    note = _check_flag(flagger, post.author_id, reason, note)
    if post.is_deleted:
        raise Http404
    score = _flag_score(flagger)
    kind = ReviewItem.Kind.CRISIS if reason == FlagReason.AT_RISK else ReviewItem.Kind.FLAGGED
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                flagger=flagger, post=post, reason=reason, note=note, score=score
            )
    except IntegrityError:
        raise _refused(
            "reason", "You've already flagged this message. A moderator will look at it."
        ) from None
    item = _open_review(post=post, kind=kind, author=post.author, score=score)
    Flag.objects.filter(pk=flag.pk).update(review=item)
    audit.record(flagger, "community.post_flagged", post, reason=reason, review=item.pk)
    if kind == ReviewItem.Kind.CRISIS:
        alert_on_duty(post.author, item, post.get_absolute_url())
    if item.score >= conf.hide_score() and not post.is_hidden:
        post.hidden_at = timezone.now()
        post.save(update_fields=["hidden_at"])
        audit.record(None, "community.post_auto_hidden", post, score=item.score)
        notify(
            post.author,
            kind="community.moderation",
            title="Members flagged one of your messages, so it's hidden for now. "
            "You can edit it, and a moderator will look again",
            url=post.get_absolute_url(),
        )
    return flag


@transaction.atomic
def report_message(flagger: User, message: Message, reason: str, note: str = "") -> Flag:
    """A participant reports a private message: from now on staff may read the conversation
    (each read is in the audit log) to decide what to do."""
    note = _check_flag(flagger, message.author_id, reason, note, private=True)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                flagger=flagger, message=message, reason=reason, note=note, score=0
            )
    except IntegrityError:
        raise _refused(
            "reason", "You've already reported this message. A member of staff will look at it."
        ) from None
    kind = (
        ReviewItem.Kind.CRISIS if reason == FlagReason.AT_RISK else ReviewItem.Kind.REPORTED_MESSAGE
    )
    item = _open_review(message=message, kind=kind, author=message.author)
    Flag.objects.filter(pk=flag.pk).update(review=item)
    Conversation.objects.filter(pk=message.conversation_id, reported_at__isnull=True).update(
        reported_at=timezone.now()
    )
    audit.record(flagger, "community.message_reported", message, reason=reason, review=item.pk)
    if kind == ReviewItem.Kind.CRISIS:
        alert_on_duty(message.author, item, review_url(item))
    return flag
