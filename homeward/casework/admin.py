"""Platform admins' view of casework. Staff of organisations do casework on the casework pages,
never here; the admin (platform admins only) is for support: looking a referral or case up by
reference, fixing an organisation's settings, partners and routing rules.

Case content stays out of it: notes, files, people, plans, conferences and saved views are not
registered at all, and the records that are shown read-only leave out their free text (what
the family said, the prisoner's details, decisions' reasons). Opening a case, referral or
concern here is logged as a read, like on the casework pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from homeward.casework.models import (
    Application,
    Case,
    CaseworkSettings,
    Concern,
    Consent,
    ConsentOverride,
    OnwardReferral,
    Partner,
    Referral,
    RoutingRule,
)
from homeward.core import audit


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Look, don't touch: these records change only through the casework services (which
    audit them). Opening one is logged as a read."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        found = super().get_object(request, object_id, from_field)
        if found is not None and request.user.is_authenticated:
            audit.log_access(request.user, found, organisation=_organisation_of(found))
        return found


def _organisation_of(record: models.Model) -> Any:
    if hasattr(record, "organisation"):
        return record.organisation
    case = getattr(record, "case", None)
    return case.organisation if case is not None else None


# Settings, partners and routing rules: editable ----------------------------------------------


@admin.register(CaseworkSettings)
class CaseworkSettingsAdmin(admin.ModelAdmin[CaseworkSettings]):
    list_display = (
        "organisation", "caseload_optimum", "application_due_days", "no_contact_days",
        "retention_years", "last_reference",
    )  # fmt: skip
    list_select_related = ("organisation",)
    search_fields = ("organisation__name", "organisation__slug")
    raw_id_fields = ("organisation", "safeguarding_lead")
    readonly_fields = ("last_reference",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoutingRuleInline(admin.TabularInline[RoutingRule, Partner]):
    model = RoutingRule
    extra = 0
    fields = ("position", "min_age", "max_age")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    """Partners are retired (set "retired at"), never deleted: past referrals point at them."""

    list_display = ("name", "organisation", "email", "phone", "retired_at")
    list_filter = (("retired_at", admin.EmptyFieldListFilter),)
    list_select_related = ("organisation",)
    search_fields = ("name", "organisation__name")
    raw_id_fields = ("organisation", "directory_service")
    inlines = (RoutingRuleInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    list_display = ("organisation", "position", "min_age", "max_age", "partner")
    list_select_related = ("organisation", "partner")
    search_fields = ("organisation__name", "partner__name")
    raw_id_fields = ("organisation", "partner")


# Records: read-only, without their free text --------------------------------------------------


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "source", "status", "created_at", "triaged_at")
    list_filter = ("status", "source")
    list_select_related = ("organisation",)
    search_fields = ("reference",)
    fields = (
        "reference", "organisation", "source", "status", "possible_duplicate", "case",
        "triaged_by", "triaged_at", "created_at",
    )  # fmt: skip
    date_hierarchy = "created_at"


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("reference", "organisation", "stage", "team", "opened_at", "closed_at")
    list_filter = ("stage", "team")
    list_select_related = ("organisation",)
    search_fields = ("reference",)
    fields = (
        "reference", "organisation", "stage", "team", "worker", "has_child_restriction",
        "opened_at", "last_contact_at", "closed_at", "anonymised_at",
    )  # fmt: skip


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "scope", "lawful_basis", "given_on", "expires_on", "withdrawn_at")
    list_filter = ("scope", "lawful_basis")
    fields = (
        "scope", "lawful_basis", "condition", "criminal_offence_data", "how_obtained",
        "given_on", "expires_on", "withdrawn_at", "recorded_by", "created_at",
    )  # fmt: skip

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        found = admin.ModelAdmin.get_object(self, request, object_id, from_field)
        if found is not None and request.user.is_authenticated:
            audit.log_access(request.user, found, organisation=found.family.organisation)
        return found


@admin.register(ConsentOverride)
class ConsentOverrideAdmin(ReadOnlyAdmin):
    list_display = ("case", "manager", "purpose", "created_at")
    list_select_related = ("case", "manager")
    fields = ("case", "manager", "purpose", "created_at")


@admin.register(OnwardReferral)
class OnwardReferralAdmin(ReadOnlyAdmin):
    list_display = ("recipient_name", "case", "status", "created_at", "family_told_at")
    list_filter = ("status",)
    list_select_related = ("case",)
    search_fields = ("case__reference", "recipient_name")
    fields = (
        "case", "partner", "directory_service", "recipient_name", "status", "consent",
        "override", "made_by", "created_at", "family_told_at",
    )  # fmt: skip


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("case", "received_on", "due_on", "status", "answered_on")
    list_filter = ("status",)
    list_select_related = ("case",)
    search_fields = ("case__reference",)
    fields = ("case", "received_on", "due_on", "status", "answered_on", "worker")


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ("case", "status", "decision", "created_at", "decided_at")
    list_filter = ("status", "decision")
    list_select_related = ("case",)
    search_fields = ("case__reference",)
    fields = ("case", "status", "decision", "raised_by", "decided_by", "created_at", "decided_at")
