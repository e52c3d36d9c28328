"""The audit log: who did what to which record, with the request's reference; append-only;
and the access log behind the manager's "who viewed this" tab."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from homeward.core import audit
from homeward.core.middleware import RequestIdMiddleware
from homeward.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def test_record_writes_who_what_which_record_and_organisation(worker_a, family, org_a):
    event = audit.record(worker_a, "membership.role_changed", family, organisation=org_a, role=3)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == worker_a
    assert stored.action == "membership.role_changed"
    assert stored.target_type == "accounts.user"
    assert stored.target_id == str(family.pk)
    assert stored.organisation == org_a
    assert stored.detail == {"role": 3}
    assert stored.created_at is not None


def test_record_outside_a_request_has_no_reference(worker_a):
    event = audit.record(worker_a, "joincode.batch_created")
    assert event.request_id == ""
    assert event.target_type == ""
    assert event.target_id == ""
    assert event.organisation is None


def test_record_inside_a_request_keeps_its_reference(worker_a, org_a):
    """The reference on an error page finds the audit rows that request wrote."""
    events = []

    def view(request):
        events.append(audit.record(worker_a, "joincode.batch_created", org_a))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/staff/cards/"))

    assert len(events) == 1
    assert events[0].request_id == response["X-Request-Id"]
    assert AuditEvent.objects.get().request_id == response["X-Request-Id"]


def test_an_anonymous_actor_is_stored_as_nobody(org_a):
    visitor = AnonymousUser()
    event = audit.record(visitor, "joincode.tried", org_a, ok=False)  # type: ignore[arg-type]
    assert event.actor is None
    assert event.detail == {"ok": False}


def test_detail_accepts_ids_flags_and_short_codes(worker_a):
    event = audit.record(
        worker_a, "case.updated", case=42, urgent=True, closed=None, reason="x" * 64
    )
    assert AuditEvent.objects.get(pk=event.pk).detail == {
        "case": 42,
        "urgent": True,
        "closed": None,
        "reason": "x" * 64,
    }


@pytest.mark.parametrize(
    "value",
    [
        "x" * 65,
        "My son has been moved to another prison and I am worried about his safety there",
        ["a", "list"],
        {"nested": "dict"},
        1.5,
        b"bytes",
    ],
)
def test_detail_refuses_free_text_and_structures(worker_a, value):
    with pytest.raises(ValueError, match="note"):
        audit.record(worker_a, "case.note_added", note=value)
    assert not AuditEvent.objects.exists()


# --- append-only ------------------------------------------------------------------------------


@pytest.fixture
def event(worker_a, org_a):
    return audit.record(worker_a, "joincode.batch_created", org_a, organisation=org_a, size=20)


def test_a_saved_event_cannot_be_changed(event):
    event.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.action == "joincode.batch_created"


def test_a_saved_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: qs.update(action="nothing.happened"),
        lambda qs: qs.filter(action="joincode.batch_created").update(actor=None),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(pk__gt=0).delete(),
    ],
    ids=["update-all", "update-filtered", "delete-all", "delete-filtered"],
)
def test_querysets_cannot_change_or_delete_events(event, change):
    with pytest.raises(AppendOnlyError):
        change(AuditEvent.objects.all())
    event.refresh_from_db()
    assert event.action == "joincode.batch_created"
    assert event.actor_id is not None


def test_bulk_update_is_refused_too(event):
    event.action = "nothing.happened"
    # bulk_update opens its transaction without a savepoint; give it one so the test can go on.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "joincode.batch_created"


# --- access log -------------------------------------------------------------------------------


def test_viewers_of_lists_who_read_a_record_newest_first(
    family, trusted_family, worker_a, manager_a, advocate_a, org_a
):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        audit.log_access(worker_a, family, organisation=org_a)
        clock.shift(timedelta(minutes=5))
        audit.log_access(manager_a, family, organisation=org_a)
        clock.shift(timedelta(minutes=5))
        # Not views of this record: another record, and another kind of action on this one.
        audit.log_access(advocate_a, trusted_family, organisation=org_a)
        audit.record(advocate_a, "case.updated", family, organisation=org_a)
        clock.shift(timedelta(minutes=5))
        audit.log_access(worker_a, family, organisation=org_a)

    views = list(audit.viewers_of(family))

    assert [(v.actor, v.created_at - start) for v in views] == [
        (worker_a, timedelta(minutes=15)),
        (manager_a, timedelta(minutes=5)),
        (worker_a, timedelta(0)),
    ]
    assert all(v.action == AuditEvent.VIEWED for v in views)
    assert all(v.organisation == org_a for v in views)


def test_viewers_of_ties_keep_the_later_row_first(family, worker_a, manager_a, org_a):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        audit.log_access(worker_a, family, organisation=org_a)
        audit.log_access(manager_a, family, organisation=org_a)
    assert [v.actor for v in audit.viewers_of(family)] == [manager_a, worker_a]


def test_viewers_of_is_empty_for_an_unread_record(family):
    assert list(audit.viewers_of(family)) == []


def test_viewers_of_loads_the_viewers_in_one_query(
    family, worker_a, manager_a, org_a, django_assert_num_queries
):
    for viewer in (worker_a, manager_a, worker_a):
        audit.log_access(viewer, family, organisation=org_a)
    with django_assert_num_queries(1):
        names = [getattr(v.actor, "username", None) for v in audit.viewers_of(family)]
    assert names == ["worker-a", "manager-a", "worker-a"]
