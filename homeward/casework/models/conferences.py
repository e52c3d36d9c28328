"""A family conference before release (seed 004, "Jerry"): who came, what was said, actions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class Conference(models.Model):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(default=timezone.localdate)
    place = models.CharField(max_length=160, blank=True)
    participants = models.TextField(help_text="One per line, with their part: “Dad (in prison)”.")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"conference on case {self.case_id}"

    @property
    def participant_list(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]
