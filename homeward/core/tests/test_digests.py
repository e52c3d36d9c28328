"""Daily and weekly e-mail digests: queued when due, one e-mail per period, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from homeward.core.models import EmailFrequency, Notification
from homeward.core.notifications import enqueue_due_digests, notify, set_email_frequency
from homeward.core.tasks import send_digest_email

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def digest_member(family):
    family.email = "robin@example.org"
    family.save(update_fields=["email"])
    set_email_frequency(family, EmailFrequency.DAILY)
    return family


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_daily_member_gets_one_digest_listing_unread_items(
    digest_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(digest_member, kind="reply", title="Willow replied to your conversation", url="/n/1")
        notify(
            digest_member, kind="reply", title="Heather replied to your conversation", url="/n/2"
        )
    assert mail.outbox == []  # daily members get nothing straight away

    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_digests() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your daily summary from Homeward"
    assert "Willow replied" in message.body and "Heather replied" in message.body
    html = message.alternatives[0][0]
    assert 'href="http://127.0.0.1:8000/n/1"' in html
    assert (
        Notification.objects.filter(recipient=digest_member, emailed_at__isnull=True).count() == 0
    )


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_digest_is_not_sent_twice_in_one_period(digest_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(digest_member, kind="reply", title="First reply")
    assert send_digest_email.call(digest_member.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        notify(digest_member, kind="reply", title="Second reply")
    assert send_digest_email.call(digest_member.pk) is False
    assert enqueue_due_digests() == 0
    assert len(mail.outbox) == 1

    later = timezone.now() + timedelta(days=1, minutes=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert enqueue_due_digests() == 1
    assert len(mail.outbox) == 2
    assert "Second reply" in mail.outbox[1].body
    assert "First reply" not in mail.outbox[1].body


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_weekly_digest_waits_a_week(digest_member, django_capture_on_commit_callbacks):
    set_email_frequency(digest_member, EmailFrequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        notify(digest_member, kind="reply", title="A reply")
    assert send_digest_email.call(digest_member.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        notify(digest_member, kind="reply", title="Another reply")
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert enqueue_due_digests() == 0
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert enqueue_due_digests() == 1


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_no_digest_when_nothing_unread_or_no_email(
    digest_member, trusted_family, django_capture_on_commit_callbacks
):
    assert enqueue_due_digests() == 0  # nothing unread
    set_email_frequency(trusted_family, EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        notify(trusted_family, kind="reply", title="A reply")  # trusted_family has no e-mail
    assert enqueue_due_digests() == 0
    assert mail.outbox == []


@override_settings(TASKS=IMMEDIATE_TASKS)
def test_read_items_are_left_out_of_the_digest(digest_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        read = notify(digest_member, kind="reply", title="Already seen on the site")
        notify(digest_member, kind="reply", title="Not seen yet")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    assert send_digest_email.call(digest_member.pk) is True
    assert "Not seen yet" in mail.outbox[0].body
    assert "Already seen" not in mail.outbox[0].body
