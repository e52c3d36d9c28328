from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models

from homeward.accounts.models import JoinBatch, Membership, Organisation, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0
    raw_id_fields = ("joined_via",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = (
        "username",
        "display_name",
        "email",
        "is_platform_admin",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_platform_admin", "is_active")
    search_fields = ("username", "display_name", "email")
    inlines: ClassVar = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "display_name", "email", "password")}),
        ("Access", {"fields": ("is_active", "is_platform_admin", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    readonly_fields = ("last_login", "date_joined", "erased_at")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "email", "created_at")
    prepopulated_fields: ClassVar = {"slug": ("name",)}
    formfield_overrides: ClassVar = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ("name",)


@admin.register(JoinBatch)
class JoinBatchAdmin(admin.ModelAdmin[JoinBatch]):
    list_display = (
        "distribution_point",
        "organisation",
        "code_count",
        "joined_count",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("organisation",)
    readonly_fields = ("code_count", "joined_count", "created_by", "created_at")
