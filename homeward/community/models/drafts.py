"""A reply or a new conversation a member is still writing, kept on the server so that a lost
connection loses nothing. One per member per conversation (or per category, for a new one)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Draft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_drafts"
    )
    # A reply's draft names its conversation; a new conversation's names its category.
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        "community.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=120, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(topic__isnull=False),
                name="one_draft_per_topic",
            ),
            models.UniqueConstraint(
                fields=["user", "category"],
                condition=Q(topic__isnull=True),
                name="one_new_topic_draft_per_category",
            ),
            models.CheckConstraint(
                condition=Q(topic__isnull=False, category__isnull=True)
                | Q(topic__isnull=True, category__isnull=False),
                name="draft_for_a_topic_or_a_category",
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk}"
