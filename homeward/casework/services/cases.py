"""Changes to a case: stage, assignment, family, assessment, plan, timeline, attachments,
conferences and closing."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from homeward.casework.models import (
    Attachment,
    Case,
    Conference,
    NeedOutcome,
    Note,
    Person,
    PlanAction,
    Rating,
    Stage,
)
from homeward.casework.models.cases import NEXT_STAGES
from homeward.casework.services.common import email_later, staff_membership_in
from homeward.core import audit
from homeward.core.notifications import notify

if TYPE_CHECKING:
    from homeward.accounts.models import User


class CaseError(Exception):
    """A change that isn't allowed in the case's current state (shown to the member of staff)."""


@transaction.atomic
def change_stage(actor: User, case: Case, stage: str) -> None:
    if stage not in NEXT_STAGES[case.stage]:
        raise CaseError("The case can't move to that stage from here.")
    old = case.stage
    case.stage = stage
    case.save(update_fields=["stage"])
    audit.record(
        actor, "casework.stage_changed", case, organisation=case.organisation, old=old, new=stage
    )


@transaction.atomic
def reopen(actor: User, case: Case, reason: str) -> None:
    if case.stage != Stage.CLOSED:
        raise CaseError("Only a closed case can be reopened.")
    case.stage = Stage.SUPPORT
    case.closed_at = None
    case.save(update_fields=["stage", "closed_at"])
    Note.objects.create(case=case, author=actor, body=f"Case reopened: {reason}")
    audit.record(actor, "casework.case_reopened", case, organisation=case.organisation)


@transaction.atomic
def reassign(actor: User, case: Case, worker: User, reason: str) -> None:
    membership = staff_membership_in(case.organisation, worker)
    if membership is None:
        raise CaseError("Choose a member of your organisation's staff.")
    if worker.pk == case.worker_id:
        raise CaseError("The case is already with that worker.")
    previous = case.worker_id
    case.worker = worker
    case.team = membership.role
    case.save(update_fields=["worker", "team"])
    case.assignments.create(worker=worker, assigned_by=actor, reason=reason)
    audit.record(
        actor, "casework.reassigned", case, organisation=case.organisation,
        old=previous, new=worker.pk,
    )  # fmt: skip
    notify(
        worker,
        kind="casework.assigned",
        title=f"A case has been passed to you ({case.reference})",
        url=reverse("casework:case", args=[case.pk]),
    )


@transaction.atomic
def update_prisoner(actor: User, case: Case, data: dict[str, Any]) -> None:
    for name in ("prisoner_name", "prison_number", "prison", "expected_release"):
        setattr(case, name, data[name])
    case.save(update_fields=["prisoner_name", "prison_number", "prison", "expected_release"])
    audit.record(actor, "casework.prisoner_updated", case, organisation=case.organisation)


@transaction.atomic
def add_person(actor: User, case: Case, data: dict[str, Any]) -> Person:
    person = Person.objects.create(family=case.family, **data)
    audit.record(actor, "casework.person_added", person, organisation=case.organisation)
    return person


@transaction.atomic
def save_assessment(actor: User, case: Case, ratings: dict[str, tuple[int, str]]) -> None:
    """Ratings by domain (level, notes); a new assessment moves a new case to assessment."""
    for domain, (level, notes) in ratings.items():
        Rating.objects.update_or_create(
            case=case, domain=domain, defaults={"level": level, "notes": notes}
        )
    if case.stage == Stage.NEW:
        case.stage = Stage.ASSESSMENT
        case.save(update_fields=["stage"])
    audit.record(actor, "casework.assessed", case, organisation=case.organisation)


@transaction.atomic
def add_action(
    actor: User, case: Case, data: dict[str, Any], conference: Conference | None = None
) -> PlanAction:
    action = PlanAction.objects.create(case=case, conference=conference, **data)
    if case.stage in (Stage.NEW, Stage.ASSESSMENT):
        case.stage = Stage.PLAN
        case.save(update_fields=["stage"])
    audit.record(actor, "casework.action_added", action, organisation=case.organisation)
    return action


@transaction.atomic
def complete_action(actor: User, action: PlanAction) -> None:
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        audit.record(actor, "casework.action_done", action, organisation=action.case.organisation)


@transaction.atomic
def add_note(
    actor: User,
    case: Case,
    *,
    kind: str,
    body: str,
    sensitive: bool,
    happened_at: datetime | None = None,
) -> Note:
    note = Note.objects.create(
        case=case, author=actor, kind=kind, body=body, sensitive=sensitive,
        happened_at=happened_at or timezone.now(),
    )  # fmt: skip
    if note.is_contact and (
        case.last_contact_at is None or note.happened_at > case.last_contact_at
    ):
        case.last_contact_at = note.happened_at
        case.save(update_fields=["last_contact_at"])
    audit.record(
        actor, "casework.note_added", note, organisation=case.organisation, sensitive=sensitive
    )
    return note


@transaction.atomic
def add_attachment(actor: User, case: Case, upload: UploadedFile, content_type: str) -> Attachment:
    attachment = Attachment(
        case=case,
        name=(upload.name or "file")[:200],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record(actor, "casework.attachment_added", attachment, organisation=case.organisation)
    return attachment


@transaction.atomic
def add_conference(
    actor: User, case: Case, data: dict[str, Any], actions: list[dict[str, Any]]
) -> Conference:
    conference = Conference.objects.create(case=case, recorded_by=actor, **data)
    for action in actions:
        PlanAction.objects.create(case=case, conference=conference, **action)
    audit.record(actor, "casework.conference_recorded", conference, organisation=case.organisation)
    return conference


@transaction.atomic
def close_case(
    actor: User,
    case: Case,
    outcomes: dict[str, str],
    summary: str,
    *,
    ask_family: bool,
) -> None:
    """Close with an outcome per need; ask the family how it went (a message if they have an
    account, else an e-mail; without either, staff record a paper answer later)."""
    if case.stage == Stage.CLOSED:
        raise CaseError("The case is already closed.")
    NeedOutcome.objects.filter(case=case).delete()
    NeedOutcome.objects.bulk_create(
        NeedOutcome(case=case, domain=d, result=r) for d, r in outcomes.items()
    )
    case.stage = Stage.CLOSED
    case.closed_at = timezone.now()
    case.closing_summary = summary
    fields = ["stage", "closed_at", "closing_summary"]
    if ask_family and case.satisfaction_recorded_at is None:
        case.satisfaction_token = uuid.uuid4()
        fields.append("satisfaction_token")
    case.save(update_fields=fields)
    audit.record(actor, "casework.case_closed", case, organisation=case.organisation)
    if ask_family and case.satisfaction_token:
        url = reverse("casework:feedback", args=[case.satisfaction_token])
        family = case.family
        if family.member is not None and family.member.is_active:
            notify(
                family.member,
                kind="casework.feedback",
                title=f"How did {case.organisation.name} do? Tell us in a minute",
                url=url,
            )
        else:
            email_later(
                family.email,
                f"How did {case.organisation.name} do?",
                "satisfaction",
                {"organisation": case.organisation.name, "url": url},
            )


@transaction.atomic
def record_satisfaction(case: Case, score: int, comment: str, *, actor: User | None = None) -> None:
    """The family's answer (through the link), or a paper answer typed in by staff."""
    case.satisfaction_score = score
    case.satisfaction_comment = comment
    case.satisfaction_recorded_at = timezone.now()
    case.satisfaction_token = None
    case.save(
        update_fields=[
            "satisfaction_score", "satisfaction_comment", "satisfaction_recorded_at",
            "satisfaction_token",
        ]
    )  # fmt: skip
    audit.record(
        actor, "casework.satisfaction_recorded", case, organisation=case.organisation, score=score
    )


def due_date_from(received: date, days: int) -> date:
    from datetime import timedelta

    return received + timedelta(days=days)
