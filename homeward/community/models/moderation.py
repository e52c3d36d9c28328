"""Moderation: members' flags, the one review queue, penalties (strikes, silences,
suspensions), moderators' notes on members, watched words, and the support lines shown to a
member whose message suggests they may be at risk."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class FlagReason(models.TextChoices):
    OFF_TOPIC = "off_topic", "It's off topic"
    UNKIND = "unkind", "It's unkind or hurtful"
    IDENTIFIES = "identifies", "It could identify someone"
    SPAM = "spam", "It's advertising or spam"
    AT_RISK = "at_risk", "Someone may be at risk"
    OTHER = "other", "Something else"


class Flag(models.Model):
    """A member's report of a forum message or a private message. Its score is weighted by the
    flagger's trust level (after Discourse: 1 + level, staff 6)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting"
        AGREED = "agreed", "Upheld"
        DISAGREED = "disagreed", "Not upheld"

    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_flags"
    )
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    message = models.ForeignKey(
        "community.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=12, choices=FlagReason.choices)
    note = models.CharField(max_length=500, blank=True)
    score = models.PositiveSmallIntegerField()
    review = models.ForeignKey(
        "ReviewItem", null=True, on_delete=models.SET_NULL, related_name="flags"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, message__isnull=True)
                | Q(post__isnull=True, message__isnull=False),
                name="flag_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["flagger", "post"],
                condition=Q(post__isnull=False),
                name="one_flag_per_post",
            ),
            models.UniqueConstraint(
                fields=["flagger", "message"],
                condition=Q(message__isnull=False),
                name="one_flag_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"flag {self.pk} ({self.reason})"


class ReviewQuerySet(models.QuerySet["ReviewItem"]):
    def pending(self) -> ReviewQuerySet:
        return self.filter(status=ReviewItem.Status.PENDING)

    def in_queue_order(self) -> ReviewQuerySet:
        """Most urgent first, then the longest waiting."""
        return self.order_by("-priority", "created_at", "id")


class ReviewItem(models.Model):
    """One thing in the review queue: a forum message (flagged, waiting for approval, or showing
    that someone may be at risk) or a reported private message. One open item per message:
    later flags add to its score and may raise its priority."""

    class Kind(models.TextChoices):
        CRISIS = "crisis", "Someone may be at risk"
        REPORTED_MESSAGE = "reported_message", "Reported private message"
        FLAGGED = "flagged", "Flagged message"
        APPROVAL = "approval", "Waiting for approval"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        HIDDEN = "hidden", "Hidden"
        DELETED = "deleted", "Removed"

    # Higher first. Crisis outranks everything; a reported private message outranks a flag.
    PRIORITY: ClassVar[dict[str, int]] = {
        Kind.CRISIS: 100,
        Kind.REPORTED_MESSAGE: 30,
        Kind.FLAGGED: 20,
        Kind.APPROVAL: 10,
    }

    kind = models.CharField(max_length=20, choices=Kind.choices)
    priority = models.PositiveSmallIntegerField()
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    message = models.ForeignKey(
        "community.Message",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[ReviewQuerySet] = ReviewQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(status="pending", post__isnull=False),
                name="one_open_review_per_post",
            ),
            models.UniqueConstraint(
                fields=["message"],
                condition=Q(status="pending", message__isnull=False),
                name="one_open_review_per_message",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "priority", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} ({self.kind})"


class Penalty(models.Model):
    """A strike (an upheld flag), a silence (read-only) or a suspension, on a member's record."""

    class Kind(models.TextChoices):
        STRIKE = "strike", "Strike"
        SILENCE = "silence", "Silenced (read only)"
        SUSPEND = "suspend", "Suspended"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_penalties"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.CharField(max_length=300, blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.ForeignKey(ReviewItem, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering: ClassVar[list[str]] = ["-starts_at", "-id"]
        verbose_name_plural = "penalties"

    def __str__(self) -> str:
        return f"{self.kind} for member {self.member_id}"


class ModeratorNote(models.Model):
    """What moderators want each other to know about a member. Never shown to the member."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_mod_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note on member {self.member_id}"


class WatchedWord(models.Model):
    """A word or phrase staff watch for in what members write, and what happens on a match."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block the message"
        APPROVAL = "approval", "Hold for a moderator's approval"
        FLAG = "flag", "Publish, and flag for review"
        CENSOR = "censor", "Publish with the word hidden"
        CRISIS = "crisis", "Publish, show support, alert staff"

    word = models.CharField(max_length=100, unique=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["action", "word"]

    def __str__(self) -> str:
        return self.word


class SupportContact(models.Model):
    """A line in the support box a member sees when what they wrote suggests they may be at
    risk. An organisation's own list replaces the national default (conf.DEFAULT_SUPPORT)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="community_support"
    )
    name = models.CharField(max_length=80)
    how = models.CharField("how to reach them", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["organisation", "position", "id"]

    def __str__(self) -> str:
        return self.name
