"""Referrals in: from professionals (public form), families themselves, paper leaflets posted in
a wing box, and the Directory's "request support". Each waits in the triage queue."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from homeward.accounts.models import User

NEEDS = (
    ("children", "Children's wellbeing"),
    ("contact", "Keeping in touch with the person in prison"),
    ("visits", "Visits"),
    ("money", "Money, housing or benefits"),
    ("emotional", "Emotional support"),
    ("school", "School"),
    ("safeguarding", "Safety and safeguarding"),
)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: User) -> ReferralQuerySet:
        """Referrals are triaged by any member of staff of the organisation they came to."""
        from homeward.casework.policies import casework_membership

        membership = casework_membership(user)
        if membership is None:
            return self.none()
        return self.filter(organisation_id=membership.organisation_id)

    def waiting(self) -> ReferralQuerySet:
        return self.filter(status=Referral.Status.NEW)

    def submitted_by(self, user: User) -> ReferralQuerySet:
        """A family member's own self-referrals (and Directory requests)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(submitted_by=user)


class Referral(models.Model):
    class Source(models.TextChoices):
        PROFESSIONAL = "professional", "Professional referral"
        SELF = "self", "Self-referral"
        PAPER = "paper", "Paper leaflet"
        DIRECTORY = "directory", "Directory request"

    class Status(models.TextChoices):
        NEW = "new", "Waiting to be looked at"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Not taken on"

    class HowObtained(models.TextChoices):
        VERBAL = "verbal", "Spoken (in person or by phone)"
        WRITTEN = "written", "Written or signed form"
        ONLINE = "online", "Online, by the person themselves"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="casework_referrals"
    )
    reference = models.CharField(max_length=20)
    # A hidden field on the form: a double-clicked submit carries the same token twice.
    token = models.UUIDField(default=uuid.uuid4)
    source = models.CharField(max_length=16, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_role = models.CharField(max_length=120, blank=True)
    referrer_organisation = models.CharField(max_length=160, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    family_name = models.CharField(max_length=120)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    # [{"name": "Zoe", "date_of_birth": "2016-04-02"}, …] as typed; people rows on acceptance.
    children = models.JSONField(default=list, blank=True)
    prisoner_name = models.CharField(max_length=120, blank=True)
    prison_number = models.CharField(max_length=10, blank=True)
    prison = models.ForeignKey(
        "prisons.Prison", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs = models.JSONField(default=list, blank=True)
    details = models.TextField(blank=True)
    consent_attested = models.BooleanField(default=False)
    consent_how = models.CharField(max_length=10, choices=HowObtained.choices, blank=True)
    consent_sharing = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="casework_referrals",
    )
    directory_service_id = models.UUIDField(null=True, blank=True)
    possible_duplicate = models.ForeignKey(
        "casework.Family", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    decline_reason = models.TextField(blank=True)
    # What staff chose to tell the family (the only text of a referral a family member sees).
    shared_message = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects: ClassVar[ReferralQuerySet] = ReferralQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["created_at", "pk"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="casework_referral_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "token"], name="casework_referral_token_unique"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["organisation", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def need_labels(self) -> list[str]:
        names = dict(NEEDS)
        return [names[n] for n in self.needs if n in names]
