"""The family a case is about: the adults and children, and how they are related."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


def age_on(born: date | None, today: date | None = None) -> int | None:
    if born is None:
        return None
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Family(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="casework_families"
    )
    name = models.CharField("family name", max_length=120)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # The family member's Homeward account, when they referred themselves or were linked.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casework_families",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "families"
        ordering: ClassVar[list[str]] = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class Kind(models.TextChoices):
        ADULT = "adult", "Adult"
        CHILD = "child", "Child"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="people")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ADULT)
    name = models.CharField(max_length=120)
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField(
        "relationship to the person in prison", max_length=60, blank=True
    )
    is_main_contact = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["kind", "date_of_birth", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        return age_on(self.date_of_birth)
