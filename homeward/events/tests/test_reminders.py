"""The reminder the day before: once per member per event, however often the job runs, with a
subject that gives nothing away."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache

from homeward.accounts.factories import make_member
from homeward.accounts.models import Role
from homeward.core import schedule
from homeward.core.models import Notification
from homeward.events import services
from homeward.events.factories import at, make_event
from homeward.events.models import RSVP, Event


@pytest.fixture
def family_day(org_a, worker_a) -> Event:
    """Starts in a week at 10:00 UK time, online, titled as staff might (naming the prison)."""
    return make_event(
        org_a, worker_a, "Family group for HMP Lewes visitors", starts_at=at(7, 10), online=True
    )


@pytest.fixture
def mum(org_a):
    return make_member("Bramble Mum 5", org_a, Role.FAMILY, email="bramble@example.org")


def test_going_member_gets_one_discreet_reminder_the_day_before(family_day, mum):
    services.respond(mum, family_day, going=True)

    with time_machine.travel(family_day.starts_at - timedelta(hours=25), tick=False):
        assert services.queue_due_reminders() == 0
    assert mail.outbox == []

    with time_machine.travel(family_day.starts_at - timedelta(hours=23), tick=False):
        assert services.queue_due_reminders() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bramble@example.org"]
    assert "prison" not in message.subject.lower()
    assert "HMP" not in message.subject and "Lewes" not in message.subject
    assert message.subject.startswith("Reminder: your event on ")
    assert "10:00" in message.subject or "10 a.m." in message.subject
    assert "Family group for HMP Lewes visitors" in message.body
    assert "https://meet.example.org/homeward-group" in message.body
    html_body, kind = message.alternatives[0]
    assert kind == "text/html"
    assert 'href="https://meet.example.org/homeward-group"' in html_body
    assert f"/events/{family_day.pk}/" in html_body
    assert RSVP.objects.get(user=mum).reminded_at is not None


def test_running_the_job_twice_sends_nothing_twice(family_day, mum):
    services.respond(mum, family_day, going=True)
    with time_machine.travel(family_day.starts_at - timedelta(hours=2), tick=False):
        services.queue_due_reminders()
        services.queue_due_reminders()
        from homeward.events.tasks import send_reminder

        rsvp_id = RSVP.objects.get(user=mum).pk
        assert send_reminder.call(rsvp_id) is False  # a task queued twice claims nothing
    assert len(mail.outbox) == 1


def test_nobody_else_is_reminded(family_day, mum, org_a, worker_a):
    not_going = make_member("Not Going 1", org_a, Role.FAMILY, email="no@example.org")
    services.respond(not_going, family_day, going=False)
    full = make_event(org_a, worker_a, "Full day", starts_at=at(7, 11), capacity=1)
    services.respond(mum, full, going=True)
    waiting = make_member("Waiting 2", org_a, Role.FAMILY, email="wait@example.org")
    services.respond(waiting, full, going=True)
    cancelled = make_event(org_a, worker_a, "Called off", starts_at=at(7, 12))
    gone = make_member("Gone 3", org_a, Role.FAMILY, email="gone@example.org")
    services.respond(gone, cancelled, going=True)
    services.cancel_event(worker_a, cancelled, "Unwell")
    mail.outbox.clear()

    with time_machine.travel(family_day.starts_at - timedelta(hours=3), tick=False):
        services.queue_due_reminders()

    assert [m.to for m in mail.outbox] == [["bramble@example.org"]]


def test_no_reminder_once_the_event_has_started(family_day, mum):
    services.respond(mum, family_day, going=True)
    with time_machine.travel(family_day.starts_at + timedelta(minutes=5), tick=False):
        assert services.queue_due_reminders() == 0
    assert mail.outbox == []


def test_member_without_email_is_reminded_on_the_site(family_day, family):
    services.respond(family, family_day, going=True)
    with time_machine.travel(family_day.starts_at - timedelta(hours=5), tick=False):
        services.queue_due_reminders()
    note = Notification.objects.get(recipient=family, kind="events.reminder")
    assert "prison" not in note.title.lower() and "Lewes" not in note.title
    assert note.url == f"/events/{family_day.pk}/"
    assert mail.outbox == []


def test_reminder_window_is_configurable(family_day, mum, settings):
    services.respond(mum, family_day, going=True)
    settings.EVENT_REMINDER_HOURS = 48
    with time_machine.travel(family_day.starts_at - timedelta(hours=47), tick=False):
        assert services.queue_due_reminders() == 1
    assert len(mail.outbox) == 1


def test_a_failed_send_is_released_to_be_tried_again(family_day, mum):
    services.respond(mum, family_day, going=True)
    with time_machine.travel(family_day.starts_at - timedelta(hours=2), tick=False):
        with mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("mail is down")
        ):
            services.queue_due_reminders()  # the worker records the task as failed
        assert mail.outbox == []
        assert RSVP.objects.get(user=mum).reminded_at is None
        services.queue_due_reminders()
    assert len(mail.outbox) == 1


def test_the_worker_runs_reminders_on_its_schedule(family_day, mum):
    services.respond(mum, family_day, going=True)
    assert "events-reminders" in [job.name for job in schedule.jobs()]
    cache.clear()
    only_ours = {"events-reminders": schedule._jobs["events-reminders"]}
    with (
        time_machine.travel(family_day.starts_at - timedelta(hours=1), tick=False),
        mock.patch.object(schedule, "_jobs", only_ours),
    ):
        assert schedule.run_due() == ["events-reminders"]
        assert schedule.run_due() == []  # the same period is claimed once
    assert len(mail.outbox) == 1
