"""Cross-cutting records: the audit log, notifications and their settings, data-rights requests,
and the background worker's heartbeat."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """The audit log is append-only: rows are never changed or deleted by the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")

    def purge(self) -> int:
        """Delete these events for good. Only the retention schedule (core.retention) and the
        removal of the record they are about (audit.forget_target) call this."""
        deleted, _ = models.QuerySet.delete(self)
        return deleted

    def for_target(self, target_type: str, target_id: str | int) -> AuditEventQuerySet:
        return self.filter(target_type=target_type, target_id=str(target_id))

    def views(self) -> AuditEventQuerySet:
        return self.filter(action=AuditEvent.VIEWED)


class AuditEvent(models.Model):
    """Who did what, when, to which record. Never the content of the record."""

    VIEWED = "viewed"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Identifiers and flags only (e.g. {"role": "manager"}); the caller must not pass free text.
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "Straight away"
    DAILY = "daily", "Once a day, in one e-mail"
    WEEKLY = "weekly", "Once a week, in one e-mail"
    NEVER = "never", "Never (only on this site)"


class NotificationSettings(models.Model):
    """One row per member: how they want to hear from us, and their unread count (kept by
    core.notifications, so the bell never counts rows)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_frequency = models.CharField(
        max_length=16, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    unread_count = models.PositiveIntegerField(default=0)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"notification settings for user {self.user_id}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=48)
    # Shown in the list and in e-mail bodies. Discreet by construction: callers write it.
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When a worker took this notification to e-mail it (core.tasks). Set before the mail server
    # is asked, `emailed_at` only after it accepted: a claim older than EMAIL_CLAIM_LEASE with no
    # `emailed_at` belongs to a worker that died mid-send, and may be taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DataRequest(models.Model):
    """A member's export or erasure, kept as the record that we answered it."""

    class Kind(models.TextChoices):
        EXPORT = "export", "Export"
        ERASURE = "erasure", "Erasure"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Which registered handlers ran, e.g. ["core", "accounts"]: never the data itself.
    handlers = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id} at {self.requested_at:%Y-%m-%d}"


class WorkerHeartbeat(models.Model):
    """Written by `manage.py worker` every few seconds so /healthz can tell a live worker."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.worker_id


class SearchDocument(models.Model):
    """The searchable text of one object of another app (core.search keeps it; apps never write
    it). `model` is the object's "app_label.modelname"; its key sits in `object_int` or
    `object_uuid`, matching the object's primary key type, so joins need no casts.

    The engine's index over `title` and `body` is not a Django field: on SQLite an FTS5 table
    (core_search_fts, kept in step by triggers), on PostgreSQL a generated `tsvector` column
    with a GIN index. Both are made by migration 0002; see core/search/backend.py. A later
    migration that alters this table makes SQLite rebuild it, which drops the triggers: it must
    create them again (and PostgreSQL's generated column must survive it)."""

    model = models.CharField(max_length=100)
    object_int = models.BigIntegerField(null=True, blank=True)
    object_uuid = models.UUIDField(null=True, blank=True)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["model", "object_int"], name="one_search_doc_int"),
            models.UniqueConstraint(fields=["model", "object_uuid"], name="one_search_doc_uuid"),
            models.CheckConstraint(
                condition=models.Q(object_int__isnull=True) ^ models.Q(object_uuid__isnull=True),
                name="search_doc_has_one_key",
            ),
        ]

    def __str__(self) -> str:
        return f"search document for {self.model}:{self.object_int or self.object_uuid}"


class RateCounter(models.Model):
    """How many requests one person or address has made against one rate limit in the current
    window, when limits are kept in the database (core.ratelimit; the default without Redis).
    `bucket` is the limit's name and a hash of who is counted; one row each, reused window
    after window by a single upsert."""

    bucket = models.CharField(max_length=120, unique=True)
    window_ends = models.BigIntegerField()  # Unix time
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"rate counter {self.bucket}"
