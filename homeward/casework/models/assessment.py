"""The needs assessment in fixed domains, and the outcome per need when a case closes."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Domain(models.TextChoices):
    CHILDREN = "children", "Children's wellbeing"
    CONTACT = "contact", "Contact with the person in prison"
    VISITS = "visits", "Visits"
    MONEY = "money", "Money, housing and benefits"
    EMOTIONAL = "emotional", "Emotional support"
    SCHOOL = "school", "School"
    SAFEGUARDING = "safeguarding", "Safeguarding"


DOMAINS = tuple(Domain)


class Rating(models.Model):
    class Level(models.IntegerChoices):
        NO_NEED = 0, "No need"
        SOME = 1, "Some need"
        HIGH = 2, "High need"
        URGENT = 3, "Urgent"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(max_length=16, choices=Domain.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["case", "domain"], name="casework_one_rating_per_domain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.level}"


class NeedOutcome(models.Model):
    """After the HMPPS family outcomes: was each need met by the time the case closed?"""

    class Result(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT = "not", "Not achieved"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="outcomes")
    domain = models.CharField(max_length=16, choices=Domain.choices)
    result = models.CharField(max_length=10, choices=Result.choices)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "domain"], name="casework_one_outcome_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.result}"
