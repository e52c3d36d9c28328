"""Consent as data: who agreed, to what, on which lawful basis, how and when; until when."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Scope(models.TextChoices):
    CONTACT = "contact", "Being contacted by us"
    SHARING = "sharing", "Sharing details with a named service"
    CHILDREN = "children", "Keeping children's details"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent (UK GDPR Art. 6(1)(a))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (Art. 6(1)(f))"
    PUBLIC_TASK = "public_task", "Public task (Art. 6(1)(e))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (Art. 6(1)(d))"


class Condition(models.TextChoices):
    """Conditions for special category and criminal-offence data (Art. 9, DPA 2018 Sch. 1)."""

    NONE = "", "None needed"
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent (Art. 9(2)(a) / Sch. 1 para 29)"
    SAFEGUARDING = "safeguarding", "Safeguarding children and individuals at risk (Sch. 1 para 18)"
    COUNSELLING = "counselling", "Counselling, advice or support (Sch. 1 para 17)"
    VITAL_INTERESTS = "vital_interests", "Vital interests (Sch. 1 para 30)"


# Conditions that satisfy DPA 2018 Schedule 1 for criminal-offence data.
SCHEDULE_1 = frozenset(
    {
        Condition.EXPLICIT_CONSENT,
        Condition.SAFEGUARDING,
        Condition.COUNSELLING,
        Condition.VITAL_INTERESTS,
    }
)


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self, on: date | None = None) -> ConsentQuerySet:
        on = on or timezone.localdate()
        return self.filter(withdrawn_at__isnull=True, given_on__lte=on).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=on)
        )

    def covering(self, scope: str, recipient: str = "") -> ConsentQuerySet:
        """Consents for a scope; sharing consents name the service they allow (or any)."""
        rows = self.filter(scope=scope)
        if scope == Scope.SHARING:
            rows = rows.filter(Q(recipient="") | Q(recipient__iexact=recipient.strip()))
        return rows


class Consent(models.Model):
    class HowObtained(models.TextChoices):
        VERBAL = "verbal", "Spoken (in person or by phone)"
        WRITTEN = "written", "Written or signed form"
        ONLINE = "online", "Online, by the person themselves"
        REFERRER = "referrer", "Attested by the referrer"

    family = models.ForeignKey("casework.Family", on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField("who agreed", max_length=120)
    scope = models.CharField("to what", max_length=10, choices=Scope.choices)
    # For sharing: the service or partner named (blank means any service the worker picks).
    recipient = models.CharField("named service", max_length=200, blank=True)
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices)
    condition = models.CharField(max_length=20, choices=Condition.choices, blank=True)
    criminal_offence_data = models.BooleanField(
        "includes criminal-offence data", default=True,
        help_text="Details of the person in prison are criminal-offence data.",
    )  # fmt: skip
    how_obtained = models.CharField(max_length=10, choices=HowObtained.choices)
    given_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ConsentQuerySet] = ConsentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.given_by})"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.given_on <= today
            and (self.expires_on is None or self.expires_on >= today)
        )


class ConsentOverride(models.Model):
    """A manager shared without a matching consent: who, why, for what (also audited)."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="overrides")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField(max_length=40)  # "onward_referral", "export"
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"override on case {self.case_id}: {self.purpose}"
