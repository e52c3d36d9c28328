"""Safeguarding: Public Protection Unit restrictions and concerns escalated to the lead."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RestrictionQuerySet(models.QuerySet["Restriction"]):
    def in_force(self, on: date | None = None) -> RestrictionQuerySet:
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Restriction(models.Model):
    """No contact with children, as set by the prison's Public Protection Unit."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="restrictions")
    source = models.CharField(
        max_length=160, default="Public Protection Unit",
        help_text="Who set it: the prison's Public Protection Unit, a court, children's services.",
    )  # fmt: skip
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(
        null=True, blank=True, help_text="Leave empty if there is no end date."
    )
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[RestrictionQuerySet] = RestrictionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"no contact with children ({self.source})"


class Concern(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", "Waiting for the safeguarding lead"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        REFER = "refer", "Referred to children's services / the police"
        MONITOR = "monitor", "Monitor within the case"
        NO_ACTION = "no_action", "No further action"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField("what happened or what you noticed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RAISED)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"concern on case {self.case_id}"
