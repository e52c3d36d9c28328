"""Platform admins' view of the directory. Listings are edited by their organisations' staff on
the directory pages; the admin is for fixing links (which Homeward organisation keeps which
ORUK organisation), the taxonomy, and looking things up."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin

from homeward.directory.models import (
    Attribute,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)


class ScheduleInline(admin.TabularInline[Schedule, Service]):
    model = Schedule
    extra = 0
    fields = ("byday", "opens_at", "closes_at", "description")


class PhoneInline(admin.TabularInline[Phone, Service]):
    model = Phone
    extra = 0
    fields = ("number", "description")


class AreaInline(admin.TabularInline[ServiceArea, Service]):
    model = ServiceArea
    extra = 0
    fields = ("name", "kind")


class AttributeInline(admin.TabularInline[Attribute, Service]):
    model = Attribute
    extra = 0
    autocomplete_fields = ("taxonomy_term",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ("name", "organization", "status", "is_national", "assured_date", "is_demo")
    list_filter = ("status", "is_national", "is_demo")
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name")
    raw_id_fields = ("organization",)
    readonly_fields = ("id", "last_modified", "stale_reminded_on")
    inlines: ClassVar = [ScheduleInline, PhoneInline, AreaInline, AttributeInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "homeward_organisation", "is_demo")
    list_select_related = ("homeward_organisation",)
    list_filter = ("is_demo",)
    search_fields = ("name",)


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin[Taxonomy]):
    list_display = ("name", "version")


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin[TaxonomyTerm]):
    list_display = ("name", "code", "taxonomy", "position")
    list_select_related = ("taxonomy",)
    list_filter = ("taxonomy",)
    search_fields = ("name", "code")
