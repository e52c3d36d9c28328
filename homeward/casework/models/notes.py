"""The case timeline: contacts (calls, visits, meetings) and notes. Sensitive notes are read
only by the assigned worker and managers, each reading logged."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class Note(models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        PHONE = "phone", "Phone call"
        VISIT = "visit", "Home or community visit"
        PRISON = "prison", "Meeting in the establishment"
        MESSAGE = "message", "Message or e-mail"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField()
    sensitive = models.BooleanField(
        "sensitive",
        default=False,
        help_text="Only the assigned worker and managers can open it; each opening is logged.",
    )
    happened_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-happened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"

    @property
    def is_contact(self) -> bool:
        return self.kind != self.Kind.NOTE
