"""Platform admins set up categories (name, order, who may read and post). Conversations are
moderated on the site itself, where every action is audited."""

from __future__ import annotations

from django.contrib import admin

from homeward.community.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = (
        "name", "position", "staff_only", "read_min_trust", "post_min_trust", "topic_count",
    )  # fmt: skip
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name",)}
    fields = (
        "name", "slug", "description", "position", "staff_only", "read_min_trust",
        "post_min_trust", "approve_new_members",
    )  # fmt: skip
