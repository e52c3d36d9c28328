"""How long core keeps its own records, and the daily job that deletes what is past it.

The periods are settings (RETENTION_*_DAYS), from the retention schedule in
docs/DATA-PROTECTION.md. Apps keep their own records' clocks (casework, tips); this module
covers the audit log, notifications and the records of data requests. Audit events about
records whose own retention is longer (a safeguarding case) are kept with those records:
their target types are listed in RETENTION_AUDIT_KEEP_WITH_RECORD, and the owning app removes
them when it removes the record (`audit.forget_target`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from homeward.core import audit
from homeward.core.models import (
    AuditEvent,
    DataRequest,
    Notification,
    NotificationSettings,
    RateCounter,
)


def _cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def _purge_notifications(before: datetime) -> int:
    old = Notification.objects.filter(created_at__lt=before)
    # Unread ones count on their member's bell: take them off the count as they go.
    unread = (
        old.filter(read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("recipient_id", "n")
    )
    for recipient_id, n in unread:
        prefs = NotificationSettings.objects.filter(user_id=recipient_id).first()
        if prefs is not None:
            prefs.unread_count = max(0, prefs.unread_count - n)
            prefs.save(update_fields=["unread_count"])
    deleted, _ = old.delete()
    return deleted


def _purge_audit(before: datetime) -> int:
    keep = Q()
    for prefix in settings.RETENTION_AUDIT_KEEP_WITH_RECORD:
        keep |= Q(target_type__startswith=prefix)
    expired = AuditEvent.objects.filter(created_at__lt=before)
    if keep:
        expired = expired.exclude(keep)
    return expired.purge()


@transaction.atomic
def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Delete core's records that are past their retention period; returns what went, by kind.
    The purge itself is audited (counts only), so the log shows that the schedule runs."""
    now = now or timezone.now()
    removed = {
        "audit_events": _purge_audit(_cutoff(now, settings.RETENTION_AUDIT_DAYS)),
        "notifications": _purge_notifications(_cutoff(now, settings.RETENTION_NOTIFICATION_DAYS)),
        "data_requests": DataRequest.objects.filter(
            requested_at__lt=_cutoff(now, settings.RETENTION_DATA_REQUEST_DAYS)
        ).delete()[0],
        # Rate-limit counters whose window has ended (core.ratelimit): not audited, no value.
        "rate_counters": RateCounter.objects.filter(window_ends__lt=int(now.timestamp())).delete()[
            0
        ],
    }
    if removed["audit_events"] or removed["notifications"] or removed["data_requests"]:
        audit.record(
            None,
            "core.retention_purged",
            audit_events=removed["audit_events"],
            notifications=removed["notifications"],
            data_requests=removed["data_requests"],
        )
    return removed
