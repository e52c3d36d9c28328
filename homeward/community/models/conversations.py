"""Private conversations between members (one-to-one or a small group), and the members each
person has muted or blocked. Nobody outside a conversation learns that it exists; staff read
one only after a message in it has been reported (moderation.py's ReviewItem)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def of_member(self, user_id: int) -> ConversationQuerySet:
        """Conversations this member takes part in (and has not left)."""
        return self.filter(members__user_id=user_id, members__left_at__isnull=True)


class Conversation(models.Model):
    subject = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    # Kept by services in the same transaction as each new message (messages are numbered 1…n).
    message_count = models.PositiveIntegerField(default=0)
    # Set when a participant reports a message: from then on moderators may read it (audited).
    reported_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ConversationQuerySet] = ConversationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-last_message_at", "-id"]

    def __str__(self) -> str:
        return f"private conversation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("community:conversation", args=[self.pk])


class ConversationMember(models.Model):
    """One person in a conversation, and how far they have read."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_conversations"
    )
    last_read_number = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_seat_per_member"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"member {self.user_id} of conversation {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_messages"
    )
    number = models.PositiveIntegerField()
    raw = models.TextField()
    cooked = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["conversation", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["conversation", "number"], name="one_message_per_number"
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.number} in conversation {self.conversation_id}"

    def get_absolute_url(self) -> str:
        return f"{self.conversation.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"message-{self.number}"


class MemberIgnore(models.Model):
    """Someone a member has muted (no notifications about them) or blocked (also: they cannot
    message the member or add them to a conversation). Private to the member."""

    class Kind(models.TextChoices):
        MUTE = "mute", "Muted"
        BLOCK = "block", "Blocked"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_ignores"
    )
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "other"], name="one_ignore_per_pair"),
            models.CheckConstraint(condition=~Q(user=models.F("other")), name="ignore_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"
