from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from homeward.core.models import AuditEvent, DataRequest


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log is append-only."""

    list_display = (
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "organisation",
        "request_id",
    )
    list_filter = ("action", "organisation")
    search_fields = ("action", "target_type", "target_id", "request_id")
    list_select_related = ("actor", "organisation")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin[DataRequest]):
    list_display = ("requested_at", "kind", "user", "completed_at")
    list_filter = ("kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
