"""Prisoner applications: a request from the person in prison (a paper "app" in the wing box),
logged, answered by a due date with a clear explanation."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApplicationQuerySet(models.QuerySet["Application"]):
    def waiting(self) -> ApplicationQuerySet:
        return self.filter(status=Application.Status.OPEN)

    def overdue(self, today: date | None = None) -> ApplicationQuerySet:
        return self.waiting().filter(due_on__lt=today or timezone.localdate())


class Application(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="applications")
    received_on = models.DateField(default=timezone.localdate)
    request = models.TextField("what was asked")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    explanation = models.TextField("the answer and why", blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who was responsible when it was logged (the case's worker then): for response times.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[ApplicationQuerySet] = ApplicationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["due_on", "pk"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"application on case {self.case_id} due {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()

    @property
    def days_to_answer(self) -> int | None:
        if self.answered_on is None:
            return None
        return (self.answered_on - self.received_on).days
