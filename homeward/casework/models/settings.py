"""Each organisation's casework settings (one row, made on first use)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseworkSettings(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="casework_settings"
    )
    caseload_optimum = models.PositiveSmallIntegerField(
        "open cases a full-time worker can hold",
        default=40,
        help_text="Around 40 for a full-time worker in one prison; fewer for complex work.",
    )
    application_due_days = models.PositiveSmallIntegerField(
        "days to answer a prisoner's application", default=7
    )
    no_contact_days = models.PositiveSmallIntegerField(
        "highlight cases with no contact for this many days", default=28
    )
    retention_years = models.PositiveSmallIntegerField("years to keep a closed case", default=6)
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Safeguarding concerns go to this person (managers if nobody is named).",
    )
    # Kept by the referral service (under a row lock): the last reference number given out.
    last_reference = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "casework settings"

    def __str__(self) -> str:
        return f"casework settings for {self.organisation_id}"
