"""A member's lifetime counters as they stood on a day (written by the daily trust-level review
for members who visited since the one before). Trust level 3 is judged over the last 100 days
by subtracting the snapshot from before the period, so no page view writes anything extra."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class StandingSnapshot(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_snapshots"
    )
    date = models.DateField()
    days_visited = models.PositiveIntegerField(default=0)
    posts_read = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "date"], name="one_snapshot_per_day"),
        ]

    def __str__(self) -> str:
        return f"counters of {self.user_id} on {self.date}"
