"""Platform admins can look at the imported data and at tips and alerts. Prison records come
from `manage.py import_prisons`, so their imported fields are read-only here; guide sections
are edited on the site by staff (audited there). Follows are private and not listed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from homeward.prisons.models import Alert, BookingUnit, Prison, PrisonGuideSection, Tip


class BookingUnitInline(admin.TabularInline[BookingUnit, Prison]):
    model = BookingUnit
    extra = 0
    can_delete = False
    fields = ("name", "online_booking", "phone", "email", "adult_age", "lead_days", "closed")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SectionInline(admin.StackedInline[PrisonGuideSection, Prison]):
    model = PrisonGuideSection
    extra = 0
    fields = ("topic", "body", "updated_by", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Prison)
class PrisonAdmin(admin.ModelAdmin[Prison]):
    list_display = ("name", "code", "active", "region", "kind", "town", "source_date")
    list_filter = ("active", "region", "kind")
    search_fields = ("code", "name", "official_name", "town")
    exclude = ("record",)
    readonly_fields = (
        "code", "name", "official_name", "name_cy", "active", "types", "categories", "operators",
        "male", "female", "contracted", "long_term_high_security", "address_line1",
        "address_line2", "town", "county", "country", "postcode", "address_cy",
        "other_addresses", "phone", "email", "latitude", "longitude", "region", "kind", "source",
        "source_date", "data_hash", "imported_at", "changed_at", "follower_count", "tip_count",
    )  # fmt: skip
    inlines = (BookingUnitInline, SectionInline)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("record")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin[Tip]):
    list_display = ("prison", "status", "created_at", "helpful_count", "flag_count", "checked_at")
    list_filter = ("status",)
    list_select_related = ("prison",)
    raw_id_fields = ("author", "checked_by")
    readonly_fields = ("helpful_count", "flag_count")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("prison__record")


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("prison", "message", "created_at", "expires_at")
    list_select_related = ("prison",)
    raw_id_fields = ("created_by",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("prison__record")
