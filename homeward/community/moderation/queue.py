"""The one review queue: what waits, in order, and what moderators do with each item; the
flaggers and the author are told the outcome."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.policies import is_moderator
from homeward.community import policies
from homeward.community.models import (
    Category,
    Flag,
    Message,
    Post,
    PostRevision,
    ReviewItem,
    Topic,
)
from homeward.community.moderation._common import _refused
from homeward.community.moderation.penalties import strike
from homeward.core import audit
from homeward.core.markdown import render_markdown
from homeward.core.notifications import notify

# The queue ------------------------------------------------------------------------------------


def queue_for(user: User) -> list[ReviewItem]:
    """Waiting items, most urgent first then longest waiting. Peer moderators work the forum's
    items; reported private messages are for staff only."""
    if not is_moderator(user):
        raise Http404
    items = ReviewItem.objects.pending().select_related(
        "author", "post__topic", "message__conversation"
    )
    if not policies.can_read_reported_conversations(user):
        items = items.filter(message__isnull=True)
    rows = list(items.in_queue_order()[:100])
    flags: dict[int, list[Flag]] = {row.pk: [] for row in rows}
    for flag in Flag.objects.filter(review_id__in=list(flags)).select_related("flagger"):
        flags[flag.review_id].append(flag)  # type: ignore[index]
    for row in rows:
        row.flag_list = flags[row.pk]  # type: ignore[attr-defined]
    return rows


def pending_count(user: User) -> int:
    if not is_moderator(user):
        return 0
    items = ReviewItem.objects.pending()
    if not policies.can_read_reported_conversations(user):
        items = items.filter(message__isnull=True)
    return items.count()


def get_review_for(user: User, pk: int) -> ReviewItem:
    item = (
        ReviewItem.objects.pending()
        .select_related("author", "post__topic__category", "post__author", "message__conversation")
        .filter(pk=pk)
        .first()
    )
    if item is None or not is_moderator(user):
        raise Http404
    if item.message_id is not None and not policies.can_read_reported_conversations(user):
        raise Http404
    return item


def _tell_outcome(item: ReviewItem, *, upheld: bool, author_title: str) -> None:
    """The flaggers hear whether their flag was upheld; the author hears what happened."""
    url = item.post.get_absolute_url() if item.post is not None else ""
    flaggers = {f.flagger for f in Flag.objects.filter(review=item).select_related("flagger")}
    for flagger in flaggers:
        notify(
            flagger,
            kind="community.moderation",
            title="Thank you for your flag: a moderator has dealt with it"
            if upheld
            else "A moderator looked at the message you flagged and left it as it is",
            url=url if item.post is not None and not upheld else "",
        )
    if author_title:
        notify(item.author, kind="community.moderation", title=author_title, url=url)


def _close(actor: User, item: ReviewItem, status: str, *, upheld: bool) -> None:
    item.status = status
    item.resolved_at = timezone.now()
    item.resolved_by = actor
    item.save(update_fields=["status", "resolved_at", "resolved_by"])
    Flag.objects.filter(review=item).update(
        outcome=Flag.Outcome.AGREED if upheld else Flag.Outcome.DISAGREED
    )


def _publish(post: Post) -> None:
    """A held message (and its conversation, when it was the first) goes live."""
    if not post.awaiting_approval:
        return
    Post.objects.filter(pk=post.pk).update(awaiting_approval=False)
    post.awaiting_approval = False
    topic = post.topic
    if post.post_number == 1 and topic.awaiting_approval:
        Topic.objects.filter(pk=topic.pk).update(awaiting_approval=False)
        topic.awaiting_approval = False
        Category.objects.filter(pk=topic.category_id).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, latest_topic=topic
        )


@transaction.atomic
def approve(actor: User, item: ReviewItem) -> None:
    """Keep (or publish) the message: flags not upheld, a hidden message shown again."""
    held = item.post is not None and item.post.awaiting_approval
    hidden = item.post is not None and item.post.is_hidden
    if item.post is not None:
        _publish(item.post)
        if hidden:
            Post.objects.filter(pk=item.post.pk).update(hidden_at=None)
    _close(actor, item, ReviewItem.Status.APPROVED, upheld=False)
    audit.record(actor, "community.review_approved", item)
    if held and item.post is not None:
        from homeward.community import services

        # A held message reaches those who follow the conversation, and those it mentions or
        # quotes, once it is published.
        services.announce(item.post.author, item.post)
    if held:
        title = "A moderator approved your message: everyone can see it now"
    elif hidden:
        title = "A moderator looked at your message, and everyone can see it again"
    else:
        title = ""
    _tell_outcome(item, upheld=False, author_title=title)


@transaction.atomic
def hide(actor: User, item: ReviewItem) -> None:
    if item.post is None:
        raise Http404
    Post.objects.filter(pk=item.post.pk).update(hidden_at=timezone.now())
    _close(actor, item, ReviewItem.Status.HIDDEN, upheld=True)
    audit.record(actor, "community.review_hidden", item)
    _tell_outcome(
        item,
        upheld=True,
        author_title="A moderator hid one of your messages. You can edit it, and they'll look again",
    )
    strike(actor, item.author, item, "A message was hidden")


@transaction.atomic
def delete(actor: User, item: ReviewItem) -> None:
    if item.post is not None:
        from homeward.community import services

        services.delete_post(actor, item.post)
    elif item.message is not None:
        Message.objects.filter(pk=item.message.pk).update(deleted_at=timezone.now())
    _close(actor, item, ReviewItem.Status.DELETED, upheld=True)
    audit.record(actor, "community.review_deleted", item)
    _tell_outcome(item, upheld=True, author_title="A moderator removed one of your messages")
    strike(actor, item.author, item, "A message was removed")


@transaction.atomic
def edit_and_approve(actor: User, item: ReviewItem, body: str) -> None:
    """A moderator edits the message (what it said before stays in its history), then keeps it."""
    post = item.post
    if post is None:
        raise Http404
    raw = body.strip()
    if not raw:
        raise _refused("body", "Write the message as it should read.")
    if raw != post.raw:
        PostRevision.objects.create(post=post, version=post.version, raw=post.raw, editor=actor)
        post.raw = raw
        post.cooked = str(render_markdown(raw, link_lines=True))
        post.version += 1
        post.edited_at = timezone.now()
        post.save(update_fields=["raw", "cooked", "version", "edited_at"])
        audit.record(actor, "community.post_edited_by_moderator", post)
    approve(actor, item)
