"""One access helper per sensitive model: the record if the acting member of staff may see it,
otherwise 404 — the same answer as for a record that doesn't exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from homeward.casework import policies
from homeward.casework.models import (
    Application,
    Attachment,
    Case,
    Concern,
    Note,
    OnwardReferral,
    Partner,
    Referral,
    RoutingRule,
)

if TYPE_CHECKING:
    from homeward.accounts.models import User


def get_case_for(user: User, pk: int) -> Case:
    case = (
        Case.objects.visible_to(user)
        .select_related("family", "worker", "prison", "organisation")
        .defer("prison__record")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def get_referral_for(user: User, pk: int) -> Referral:
    referral = (
        Referral.objects.visible_to(user)
        .select_related("prison", "possible_duplicate", "case", "submitted_by")
        .defer("prison__record")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def get_note_for(user: User, pk: int) -> Note:
    note = (
        Note.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case", "author")
        .filter(pk=pk)
        .first()
    )
    if note is None or not policies.can_read_note(user, note):
        raise Http404
    return note


def get_attachment_for(user: User, pk: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def get_application_for(user: User, pk: int) -> Application:
    application = (
        Application.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case__family", "case__worker")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def get_onward_for(user: User, pk: int) -> OnwardReferral:
    onward = (
        OnwardReferral.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case__family", "partner")
        .filter(pk=pk)
        .first()
    )
    if onward is None:
        raise Http404
    return onward


def get_concern_for(user: User, pk: int) -> Concern:
    concern = (
        Concern.objects.filter(case__organisation__in=_organisation_ids(user))
        .select_related("case__family", "raised_by")
        .filter(pk=pk)
        .first()
    )
    if concern is None:
        raise Http404
    return concern


def _organisation_ids(user: User) -> list[int]:
    membership = policies.casework_membership(user)
    return [] if membership is None else [membership.organisation_id]


def get_partner_for(user: User, pk: int) -> Partner:
    """A partner of the organisation the member manages casework for (managers only)."""
    membership = policies.casework_membership(user)
    if membership is None or not policies.can_change_settings(user):
        raise Http404
    partner = (
        Partner.objects.filter(organisation_id=membership.organisation_id, pk=pk)
        .select_related("directory_service")
        .first()
    )
    if partner is None:
        raise Http404
    return partner


def get_rule_for(user: User, pk: int) -> RoutingRule:
    """A routing rule of the organisation the member manages casework for (managers only)."""
    membership = policies.casework_membership(user)
    if membership is None or not policies.can_change_settings(user):
        raise Http404
    rule = (
        RoutingRule.objects.filter(organisation_id=membership.organisation_id, pk=pk)
        .select_related("partner", "organisation")
        .first()
    )
    if rule is None:
        raise Http404
    return rule
