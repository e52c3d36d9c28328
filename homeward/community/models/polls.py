"""A poll a conversation may carry in its first message: a question, 2 to 10 options, one or
several choices. A member has one ballot per poll (a constraint) with the options they chose;
the counts are kept on the options by community/polls.py, never counted on pages."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

MIN_OPTIONS = 2
MAX_OPTIONS = 10


class Poll(models.Model):
    topic = models.OneToOneField("community.Topic", on_delete=models.CASCADE, related_name="poll")
    question = models.CharField(max_length=200)
    multiple = models.BooleanField("members may choose more than one", default=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    voter_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.question

    def is_closed(self) -> bool:
        """Closed by its author or a moderator, or past its closing time."""
        return self.closed_at is not None or (
            self.closes_at is not None and self.closes_at <= timezone.now()
        )


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=100)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["poll", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["poll", "position"], name="one_option_per_position"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def percent(self) -> int:
        voters = self.poll.voter_count
        return round(100 * self.vote_count / voters) if voters else 0


class PollBallot(models.Model):
    """One member's vote in one poll: they may change it until the poll closes."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_ballots"
    )
    options = models.ManyToManyField(PollOption, related_name="ballots")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_ballot_per_member"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk}"
