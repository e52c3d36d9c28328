"""Consent records and the gate in front of every share (onward referral, export)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from homeward.casework import policies
from homeward.casework.models import Case, Consent, ConsentOverride, Family
from homeward.casework.models.consent import SCHEDULE_1, Scope
from homeward.core import audit

if TYPE_CHECKING:
    from homeward.accounts.models import User


class ConsentRequired(Exception):
    """No current consent covers this share, and no manager override was given."""


@dataclass(frozen=True)
class Permission:
    """Why a share may go ahead: a consent, or a manager's recorded override."""

    consent: Consent | None
    override: ConsentOverride | None


def is_valid_basis(consent: Consent) -> bool:
    """Criminal-offence data (anything about the person in prison) needs a Schedule 1
    condition as well as a lawful basis."""
    return not consent.criminal_offence_data or consent.condition in SCHEDULE_1


def matching_consent(family: Family, scope: str, recipient: str = "") -> Consent | None:
    for consent in Consent.objects.filter(family=family).current().covering(scope, recipient):
        if is_valid_basis(consent):
            return consent
    return None


def may_share(
    actor: User, case: Case, recipient: str, *, purpose: str, override_reason: str = ""
) -> Permission:
    """The consent gate. Passes with a current sharing consent naming `recipient` (or any
    service); otherwise only a manager's override with a reason, recorded and audited."""
    consent = matching_consent(case.family, Scope.SHARING, recipient)
    if consent is not None:
        return Permission(consent, None)
    if override_reason.strip() and policies.can_override_consent(actor):
        override = ConsentOverride.objects.create(
            case=case, manager=actor, purpose=purpose, reason=override_reason.strip()
        )
        audit.record(
            actor,
            "casework.consent_overridden",
            case,
            organisation=case.organisation,
            purpose=purpose,
            override=override.pk,
        )
        return Permission(None, override)
    raise ConsentRequired(
        "The family hasn't agreed to share their details with this service."
        if not override_reason.strip()
        else "Only a manager can share without the family's agreement."
    )


@transaction.atomic
def record_consent(actor: User, case: Case, data: dict[str, Any]) -> Consent:
    consent = Consent.objects.create(family=case.family, recorded_by=actor, **data)
    audit.record(
        actor,
        "casework.consent_recorded",
        consent,
        organisation=case.organisation,
        scope=consent.scope,
    )
    return consent


@transaction.atomic
def withdraw_consent(actor: User, case: Case, consent: Consent) -> None:
    if consent.withdrawn_at is not None:
        return
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit.record(actor, "casework.consent_withdrawn", consent, organisation=case.organisation)
