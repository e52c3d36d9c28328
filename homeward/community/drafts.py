"""Drafts: what a member is writing, kept on the server as they type (an autosave every few
seconds of quiet, or the "Save draft" button), so a lost connection loses nothing. One draft per
member per conversation, and one per category for a new conversation. Posting the message
removes it; so does the member. Drafts are the member's data (export and erasure below)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import User
from homeward.community import policies
from homeward.community.forms import MAX_BODY
from homeward.community.models import Category, Draft, Topic


def _store(user: User, where: dict[str, Any], *, title: str, body: str) -> Draft | None:
    """Keep the text (one row per place); an empty draft is removed. None when removed."""
    body = body[:MAX_BODY]
    title = " ".join(title.split())[:120]
    if not body.strip() and not title:
        Draft.objects.filter(user=user, **where).delete()
        return None
    now = timezone.now()
    values = {"title": title, "body": body, "updated_at": now}
    if Draft.objects.filter(user=user, **where).update(**values):
        return Draft(user=user, **where, **values)
    try:
        with transaction.atomic():
            return Draft.objects.create(user=user, **where, **values)
    except IntegrityError:  # saved by a request that raced this one
        Draft.objects.filter(user=user, **where).update(**values)
        return Draft(user=user, **where, **values)


def save_reply_draft(user: User, topic: Topic, body: str) -> Draft | None:
    """Keep the member's unfinished reply (only where they may reply)."""
    if not policies.can_reply(user, topic):
        raise Http404
    return _store(user, {"topic": topic, "category": None}, title="", body=body)


def save_topic_draft(user: User, category: Category, *, title: str, body: str) -> Draft | None:
    """Keep the member's unfinished new conversation in this category."""
    if not policies.can_post_in(user, category):
        raise Http404
    return _store(user, {"topic": None, "category": category}, title=title, body=body)


def reply_draft(user: User, topic: Topic) -> Draft | None:
    return Draft.objects.filter(user=user, topic=topic).first()


def topic_draft(user: User, category: Category) -> Draft | None:
    return Draft.objects.filter(user=user, category=category, topic__isnull=True).first()


def discard_reply_draft(user: User, topic: Topic) -> None:
    Draft.objects.filter(user=user, topic=topic).delete()


def discard_topic_draft(user: User, category: Category) -> None:
    Draft.objects.filter(user=user, category=category, topic__isnull=True).delete()


def export_for(user: User) -> dict[str, Any]:
    return {
        "drafts": [
            {
                "conversation": d.topic.title if d.topic else None,
                "new_conversation_in": d.category.name if d.category else None,
                "title": d.title,
                "text": d.body,
                "saved": d.updated_at.isoformat(),
            }
            for d in Draft.objects.filter(user=user)
            .select_related("topic", "category")
            .order_by("pk")
        ]
    }


def erase_for(user: User) -> None:
    Draft.objects.filter(user=user).delete()
