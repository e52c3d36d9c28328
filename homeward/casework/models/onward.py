"""Onward referrals to directory services or named local partners, and each organisation's
routing rules that suggest where to refer from the children's ages."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class PartnerQuerySet(models.QuerySet["Partner"]):
    def current(self) -> PartnerQuerySet:
        """Partners the organisation still refers to (retired ones stay for the history)."""
        return self.filter(retired_at__isnull=True)


class Partner(models.Model):
    """A local service an organisation refers to that may not be in the directory. Partners
    are retired, never deleted: past onward referrals keep pointing at them."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="casework_partners"
    )
    name = models.CharField(max_length=160)
    offers = models.TextField("what they offer", blank=True)
    contact = models.CharField("single point of contact", max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    directory_service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[PartnerQuerySet] = PartnerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Suggest a partner for a child aged min_age…max_age (inclusive). Rules may overlap: a
    child then suggests every matching partner, in the rules' order."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="casework_routing_rules"
    )
    min_age = models.PositiveSmallIntegerField(default=0)
    max_age = models.PositiveSmallIntegerField()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField("order", default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "min_age", "pk"]

    def __str__(self) -> str:
        return f"{self.min_age} to {self.max_age}: partner {self.partner_id}"

    def matches(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


class OnwardReferral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", "Sent, waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="onward")
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    directory_service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    reason = models.TextField("why we are referring")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    response_reason = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    consent = models.ForeignKey(
        "casework.Consent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override = models.ForeignKey(
        "casework.ConsentOverride",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    family_told_at = models.DateTimeField(null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"onward referral to {self.recipient_name}"
