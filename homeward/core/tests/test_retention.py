"""The retention schedule for core's own records: old rows go, recent ones stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from homeward.core import audit, schedule
from homeward.core.models import (
    AppendOnlyError,
    AuditEvent,
    DataRequest,
    Notification,
    NotificationSettings,
    RateCounter,
)
from homeward.core.notifications import notify
from homeward.core.retention import purge_expired


def _age(queryset, days: int) -> None:
    """Move rows back in time (the audit log refuses updates, so go under it for the test)."""
    from django.db.models import QuerySet

    QuerySet.update(queryset, created_at=timezone.now() - timedelta(days=days))


def test_audit_events_older_than_two_years_go_and_newer_ones_stay(family):
    old = audit.record(family, "test.old")
    recent = audit.record(family, "test.recent")
    _age(AuditEvent.objects.filter(pk=old.pk), 2 * 365 + 1)
    _age(AuditEvent.objects.filter(pk=recent.pk), 2 * 365 - 1)

    removed = purge_expired()

    assert removed["audit_events"] == 1
    remaining = set(AuditEvent.objects.values_list("action", flat=True))
    assert "test.old" not in remaining
    assert "test.recent" in remaining
    assert "core.retention_purged" in remaining  # the purge is itself on the record


def test_casework_trails_stay_past_the_general_period_until_their_record_goes(family, org_a):
    # A casework target, as the casework app records it: kept with the case, not on the clock.
    event = AuditEvent.objects.create(
        actor=family, action=AuditEvent.VIEWED, target_type="casework.case", target_id="7"
    )
    _age(AuditEvent.objects.filter(pk=event.pk), 5 * 365)
    assert purge_expired()["audit_events"] == 0
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_forget_target_removes_a_records_trail(family, org_a):
    audit.record(family, "test.touched", org_a)
    audit.record(family, "test.other")
    assert audit.forget_target(org_a) == 1
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.other"]


def test_the_audit_log_still_refuses_ordinary_deletes(family):
    audit.record(family, "test.kept")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_old_notifications_go_and_the_unread_count_follows(family):
    notify(family, kind="test", title="Old and unread")
    notify(family, kind="test", title="Old and read")
    notify(family, kind="test", title="New")
    Notification.objects.filter(title="Old and read").update(read_at=timezone.now())
    NotificationSettings.objects.filter(user=family).update(unread_count=2)
    _age(Notification.objects.filter(title__startswith="Old"), 366)

    assert purge_expired()["notifications"] == 2

    assert list(Notification.objects.values_list("title", flat=True)) == ["New"]
    assert NotificationSettings.objects.get(user=family).unread_count == 1


def test_records_of_data_requests_are_kept_six_years(family):
    DataRequest.objects.create(user=family, kind=DataRequest.Kind.EXPORT)
    DataRequest.objects.create(user=family, kind=DataRequest.Kind.ERASURE)
    DataRequest.objects.filter(kind=DataRequest.Kind.EXPORT).update(
        requested_at=timezone.now() - timedelta(days=6 * 365 + 1)
    )
    assert purge_expired()["data_requests"] == 1
    assert list(DataRequest.objects.values_list("kind", flat=True)) == ["erasure"]


def test_nothing_expired_writes_nothing(family):
    audit.record(family, "test.recent")
    assert purge_expired() == {
        "audit_events": 0, "notifications": 0, "data_requests": 0, "rate_counters": 0
    }  # fmt: skip
    assert AuditEvent.objects.count() == 1


def test_periods_are_settings(family, settings):
    settings.RETENTION_AUDIT_DAYS = 30
    event = audit.record(family, "test.month_old")
    _age(AuditEvent.objects.filter(pk=event.pk), 31)
    assert purge_expired()["audit_events"] == 1


def test_the_worker_runs_the_purge_daily(family):
    event = audit.record(family, "test.old")
    _age(AuditEvent.objects.filter(pk=event.pk), 3 * 365)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert "retention" in schedule.run_due()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


def test_rate_counters_go_once_their_window_has_ended(db):
    now = int(timezone.now().timestamp())
    RateCounter.objects.create(bucket="ended", window_ends=now - 1, count=3)
    RateCounter.objects.create(bucket="current", window_ends=now + 60, count=1)
    assert purge_expired()["rate_counters"] == 1
    assert list(RateCounter.objects.values_list("bucket", flat=True)) == ["current"]
    assert not AuditEvent.objects.exists()  # nothing worth a line in the audit log
