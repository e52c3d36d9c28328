"""Public Protection Unit restrictions and safeguarding concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.casework.models import Case, Concern, Restriction
from homeward.casework.services.common import settings_for, staff_of
from homeward.core import audit
from homeward.core.notifications import notify

if TYPE_CHECKING:
    from homeward.accounts.models import User


def refresh_restriction_flag(case: Case) -> None:
    flag = Restriction.objects.filter(case=case).in_force().exists()
    if flag != case.has_child_restriction:
        case.has_child_restriction = flag
        case.save(update_fields=["has_child_restriction"])


@transaction.atomic
def add_restriction(actor: User, case: Case, data: dict[str, Any]) -> Restriction:
    restriction = Restriction.objects.create(case=case, recorded_by=actor, **data)
    refresh_restriction_flag(case)
    audit.record(actor, "casework.restriction_added", restriction, organisation=case.organisation)
    return restriction


def safeguarding_leads(case: Case) -> list[User]:
    lead = settings_for(case.organisation).safeguarding_lead
    if lead is not None and lead.is_active:
        return [lead]
    return staff_of(case.organisation, managers=True)


@transaction.atomic
def raise_concern(actor: User, case: Case, description: str) -> Concern:
    concern = Concern.objects.create(case=case, raised_by=actor, description=description)
    for lead in safeguarding_leads(case):
        notify(
            lead,
            kind="casework.concern",
            title=f"A safeguarding concern needs your decision ({case.reference})",
            url=reverse("casework:concern", args=[concern.pk]),
        )
    audit.record(actor, "casework.concern_raised", concern, organisation=case.organisation)
    return concern


@transaction.atomic
def decide_concern(actor: User, concern: Concern, decision: str, notes: str) -> None:
    concern.status = Concern.Status.DECIDED
    concern.decision = decision
    concern.decision_notes = notes
    concern.decided_by = actor
    concern.decided_at = timezone.now()
    concern.save(update_fields=["status", "decision", "decision_notes", "decided_by", "decided_at"])
    audit.record(
        actor, "casework.concern_decided", concern,
        organisation=concern.case.organisation, decision=decision,
    )  # fmt: skip
