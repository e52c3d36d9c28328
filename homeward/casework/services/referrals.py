"""Referrals in (professional, self, paper leaflet, Directory), and triage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from homeward.casework.models import Case, Consent, Family, Person, Referral, Stage
from homeward.casework.models.consent import Condition, LawfulBasis, Scope
from homeward.casework.services.common import (
    email_later,
    next_reference,
    staff_membership_in,
    staff_of,
)
from homeward.core import audit
from homeward.core.notifications import notify

if TYPE_CHECKING:
    from uuid import UUID

    from homeward.accounts.models import Organisation, User
    from homeward.prisons.models import Prison


class TriageError(Exception):
    """The referral was already triaged, or the worker is not staff of its organisation."""


@dataclass
class Child:
    name: str
    date_of_birth: date


@dataclass
class ReferralData:
    family_name: str
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    postcode: str = ""
    children: list[Child] = field(default_factory=list)
    prisoner_name: str = ""
    prison_number: str = ""
    prison: Prison | None = None
    needs: list[str] = field(default_factory=list)
    details: str = ""
    referrer_name: str = ""
    referrer_role: str = ""
    referrer_organisation: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    consent_attested: bool = False
    consent_how: str = ""
    consent_sharing: bool = False

    @classmethod
    def from_form(cls, data: dict[str, Any], children: list[Child]) -> ReferralData:
        names = set(cls.__dataclass_fields__) - {"children"}
        return cls(children=children, **{k: v for k, v in data.items() if k in names})


def possible_duplicate(organisation: Organisation, data: ReferralData) -> Family | None:
    """A family this organisation already knows that looks like the same one: the same family
    name with a child born the same day, or the same person in prison at the same prison."""
    rule = Q(pk__in=[])
    births = [c.date_of_birth for c in data.children]
    if births:
        rule |= Q(name__iexact=data.family_name.strip(), people__date_of_birth__in=births)
    if data.prisoner_name.strip() and data.prison is not None:
        rule |= Q(
            cases__prisoner_name__iexact=data.prisoner_name.strip(), cases__prison=data.prison
        )
    if data.contact_phone.strip():
        rule |= Q(name__iexact=data.family_name.strip(), phone=data.contact_phone.strip())
    return Family.objects.filter(organisation=organisation).filter(rule).order_by("pk").first()


def submit_referral(
    organisation: Organisation,
    data: ReferralData,
    *,
    source: str,
    token: UUID,
    submitted_by: User | None = None,
    directory_service_id: UUID | None = None,
    entered_by: User | None = None,
) -> tuple[Referral, bool]:
    """Put a referral in the triage queue with a new reference, and acknowledge it. The form's
    token makes a double-clicked submit return the first referral (created=False)."""
    existing = Referral.objects.filter(organisation=organisation, token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                organisation=organisation,
                reference=next_reference(organisation),
                token=token,
                source=source,
                family_name=data.family_name.strip(),
                contact_name=data.contact_name,
                contact_phone=data.contact_phone,
                contact_email=data.contact_email,
                postcode=data.postcode.upper().strip(),
                children=[
                    {"name": c.name, "date_of_birth": c.date_of_birth.isoformat()}
                    for c in data.children
                ],
                prisoner_name=data.prisoner_name,
                prison_number=data.prison_number.upper().strip(),
                prison=data.prison,
                needs=list(data.needs),
                details=data.details,
                referrer_name=data.referrer_name,
                referrer_role=data.referrer_role,
                referrer_organisation=data.referrer_organisation,
                referrer_email=data.referrer_email,
                referrer_phone=data.referrer_phone,
                consent_attested=data.consent_attested,
                consent_how=data.consent_how,
                consent_sharing=data.consent_sharing,
                submitted_by=submitted_by,
                directory_service_id=directory_service_id,
                possible_duplicate=possible_duplicate(organisation, data),
            )
            audit.record(
                entered_by or submitted_by,
                "casework.referral_received",
                referral,
                organisation=organisation,
                source=source,
            )
            email_later(
                data.referrer_email or (data.contact_email if source == "self" else ""),
                f"{organisation.name}: referral {referral.reference} received",
                "acknowledgement",
                {
                    "organisation": organisation.name,
                    "organisation_email": organisation.email,
                    "reference": referral.reference,
                },
            )
    except IntegrityError:
        existing = Referral.objects.filter(organisation=organisation, token=token).first()
        if existing is None:
            raise
        return existing, False
    return referral, True


def _people_from(referral: Referral, family: Family) -> None:
    known = {(p.name.lower(), p.date_of_birth) for p in family.people.all()}
    rows = []
    names = {name for name, _ in known}
    if referral.contact_name and referral.contact_name.lower() not in names:
        rows.append(Person(family=family, name=referral.contact_name, is_main_contact=not known))
    for child in referral.children:
        born = date.fromisoformat(child["date_of_birth"])
        if (child["name"].lower(), born) not in known:
            rows.append(
                Person(
                    family=family, kind=Person.Kind.CHILD, name=child["name"], date_of_birth=born
                )
            )
    Person.objects.bulk_create(rows)


def _consents_from(referral: Referral, family: Family, actor: User) -> None:
    """The referrer's attestation becomes consent records, marked as attested by them."""
    if not referral.consent_attested:
        return
    how: str = {
        Referral.Source.PROFESSIONAL: Consent.HowObtained.REFERRER,
        Referral.Source.SELF: Consent.HowObtained.ONLINE,
    }.get(Referral.Source(referral.source), referral.consent_how or Consent.HowObtained.WRITTEN)
    given_by = referral.contact_name or referral.family_name
    base: dict[str, Any] = {
        "family": family,
        "given_by": given_by,
        "lawful_basis": LawfulBasis.CONSENT,
        "condition": Condition.EXPLICIT_CONSENT,
        "how_obtained": how,
        "given_on": timezone.localtime(referral.created_at).date(),
        "recorded_by": actor,
    }
    scopes = [Scope.CONTACT]
    if referral.children:
        scopes.append(Scope.CHILDREN)
    if referral.consent_sharing:
        scopes.append(Scope.SHARING)
    Consent.objects.bulk_create(Consent(scope=s, **base) for s in scopes)


@transaction.atomic
def accept_referral(
    actor: User,
    referral: Referral,
    worker: User,
    *,
    merge_into: Family | None = None,
    shared_message: str = "",
) -> Case:
    """Take a referral on: a new family and case assigned to `worker`, or (merge_into) the
    referral joins that family's open case, or a new case for that family."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.NEW:
        raise TriageError("This referral has already been dealt with.")
    organisation = referral.organisation
    membership = staff_membership_in(organisation, worker)
    if membership is None:
        raise TriageError("Choose a member of your organisation's staff.")
    if merge_into is not None and merge_into.organisation_id != organisation.pk:
        raise TriageError("That family is not one of yours.")
    family = merge_into
    if family is None:
        family = Family.objects.create(
            organisation=organisation,
            name=referral.family_name,
            phone=referral.contact_phone,
            email=referral.contact_email,
            postcode=referral.postcode,
            member=referral.submitted_by,
        )
    elif referral.submitted_by_id and family.member_id is None:
        family.member = referral.submitted_by
        family.save(update_fields=["member"])
    _people_from(referral, family)
    _consents_from(referral, family, actor)
    case = family.cases.exclude(stage=Stage.CLOSED).first() if merge_into else None
    if case is None:
        case = Case.objects.create(
            organisation=organisation,
            reference=referral.reference,
            family=family,
            worker=worker,
            team=membership.role,
            prisoner_name=referral.prisoner_name,
            prison_number=referral.prison_number,
            prison=referral.prison,
        )
        case.assignments.create(worker=worker, assigned_by=actor, reason="Referral accepted")
        if worker != actor:
            notify(
                worker,
                kind="casework.assigned",
                title=f"A new case has been assigned to you ({case.reference})",
                url=reverse("casework:case", args=[case.pk]),
            )
    referral.status = Referral.Status.ACCEPTED
    referral.case = case
    referral.triaged_by = actor
    referral.triaged_at = timezone.now()
    referral.shared_message = shared_message or (
        "We've taken your request on. Someone from our team will be in touch."
    )
    referral.save(update_fields=["status", "case", "triaged_by", "triaged_at", "shared_message"])
    audit.record(
        actor,
        "casework.referral_accepted",
        referral,
        organisation=organisation,
        case=case.pk,
        merged=merge_into is not None,
    )
    _tell_referring_member(referral)
    return case


@transaction.atomic
def decline_referral(actor: User, referral: Referral, reason: str, shared_message: str) -> None:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status != Referral.Status.NEW:
        raise TriageError("This referral has already been dealt with.")
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.shared_message = shared_message
    referral.triaged_by = actor
    referral.triaged_at = timezone.now()
    referral.save(
        update_fields=["status", "decline_reason", "shared_message", "triaged_by", "triaged_at"]
    )
    audit.record(actor, "casework.referral_declined", referral, organisation=referral.organisation)
    _tell_referring_member(referral)


def _tell_referring_member(referral: Referral) -> None:
    if referral.submitted_by is not None and referral.submitted_by.is_active:
        notify(
            referral.submitted_by,
            kind="casework.referral_update",
            title=f"There's an update on your request to {referral.organisation.name}",
            url=reverse("casework:my_referrals"),
        )


def staff_choices(organisation: Organisation) -> list[User]:
    return sorted(staff_of(organisation), key=lambda u: u.public_name.lower())
