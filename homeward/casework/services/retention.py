"""The retention clock: closed cases past their organisation's retention period are anonymised
(the counts and outcomes stay for reports; names, notes, files and contact details go)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from homeward.casework.models import (
    Attachment,
    Case,
    CaseworkSettings,
    Consent,
    Family,
    Note,
    Person,
    Rating,
    Referral,
)
from homeward.core import audit

ANONYMISED = "Anonymised family"


def _anonymise(case: Case) -> None:
    # The audit trails of casework records outlive core's general period (settings'
    # RETENTION_AUDIT_KEEP_WITH_RECORD) until the records go: here, with them.
    for attachment in Attachment.objects.filter(case=case):
        attachment.file.delete(save=False)
        audit.forget_target(attachment)
    Attachment.objects.filter(case=case).delete()
    for note in Note.objects.filter(case=case).only("pk"):
        audit.forget_target(note)
    Note.objects.filter(case=case).delete()
    audit.forget_target(case)  # who read it, when: no longer needed once nothing is left to read
    case.actions.all().delete()
    case.conferences.all().delete()
    case.applications.update(request="", explanation="")
    case.restrictions.update(details="")
    case.concerns.update(description="", decision_notes="")
    case.onward.update(reason="", outcome="", response_reason="")
    Rating.objects.filter(case=case).update(notes="")
    Referral.objects.filter(case=case).update(
        family_name=ANONYMISED, contact_name="", contact_phone="", contact_email="",
        postcode="", children=[], prisoner_name="", prison_number="", details="",
        referrer_name="", referrer_email="", referrer_phone="", shared_message="",
        decline_reason="",
    )  # fmt: skip
    case.prisoner_name = ""
    case.prison_number = ""
    case.closing_summary = ""
    case.satisfaction_comment = ""
    case.anonymised_at = timezone.now()
    case.save(
        update_fields=[
            "prisoner_name", "prison_number", "closing_summary", "satisfaction_comment",
            "anonymised_at",
        ]
    )  # fmt: skip
    family = case.family
    if not family.cases.filter(anonymised_at__isnull=True).exists():
        Person.objects.filter(family=family).delete()
        Consent.objects.filter(family=family).delete()
        Family.objects.filter(pk=family.pk).update(
            name=ANONYMISED, phone="", email="", postcode="", member=None
        )
    audit.record(None, "casework.case_anonymised", case, organisation=case.organisation)


def apply_retention(now: datetime | None = None) -> int:
    """Anonymise every closed case whose organisation's retention period has run out since it
    closed. Returns how many. Safe to run as often as you like."""
    now = now or timezone.now()
    done = 0
    years_by_org = dict(CaseworkSettings.objects.values_list("organisation_id", "retention_years"))
    orgs = (
        Case.objects.filter(anonymised_at__isnull=True, closed_at__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    for org_id in list(orgs):
        cutoff = Case.retention_cutoff(years_by_org.get(org_id, 6), now)
        due = Case.objects.filter(
            organisation_id=org_id, anonymised_at__isnull=True, closed_at__lt=cutoff
        ).select_related("family", "organisation")
        for case in due:
            with transaction.atomic():
                _anonymise(case)
            done += 1
    return done
