"""The plan: actions with an owner and a due date (a family conference adds some too)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class PlanActionQuerySet(models.QuerySet["PlanAction"]):
    def outstanding(self) -> PlanActionQuerySet:
        return self.filter(done_at__isnull=True)


class PlanAction(models.Model):
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="actions")
    conference = models.ForeignKey(
        "casework.Conference",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    description = models.CharField("what needs doing", max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_label = models.CharField(
        "who (if not a member of staff)", max_length=120, blank=True,
        help_text="For example: Mum, the school, the prison's offender manager.",
    )  # fmt: skip
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[PlanActionQuerySet] = PlanActionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["done_at", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description
