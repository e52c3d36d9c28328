"""Drill: the mail server is down. The record that caused the e-mail is saved; the e-mail is not
marked sent; a later attempt is queued, and once the server is back it is sent exactly once.
And a worker killed between claiming an e-mail (or a digest) and sending it: the claim runs out
and the e-mail then goes, exactly once."""

from __future__ import annotations

import logging
import signal
import socket
from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.accounts import factories
from homeward.accounts.models import Role
from homeward.core.management.commands.worker import ORPHAN_AFTER_SECONDS, requeue_orphaned_jobs
from homeward.core.models import EmailFrequency, Notification
from homeward.core.notifications import enqueue_due_digests, notify, set_email_frequency
from homeward.core.tasks import (
    EMAIL_CLAIM_LEASE,
    EMAIL_RETRY_DELAYS,
    send_digest_email,
    send_notification_email,
)
from homeward.core.tests.drills.support import TALLY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dead_smtp_port() -> int:
    """A port on 127.0.0.1 with nothing listening: connecting is refused by the kernel."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def restore_process_state():
    """db_worker installs signal handlers and sets its loggers' levels; put them back."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {s: signal.getsignal(s) for s in signals}
    levels = {n: logging.getLogger(n).level for n in ("django_tasks", "django_tasks_db")}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def run_queue() -> None:
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_mail_server_down_keeps_the_record_and_sends_once_it_is_back(org_a, dead_smtp_port):
    member = factories.make_member("Poppy Nan 9", org_a, Role.FAMILY, email="poppy@example.org")
    smtp_down = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=dead_smtp_port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=2,
    )
    with smtp_down:
        note = notify(member, kind="reply", title="Someone replied to you")
        run_queue()
        TALLY["smtp down: failed sends"] += 1

    # The record is there, not marked e-mailed, and the failure is on the job's record.
    note.refresh_from_db()
    assert note.emailed_at is None
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first.status == "FAILED"
    assert "ConnectionRefusedError" in first.exception_class_path or "Refused" in str(
        first.traceback
    )
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.status == "READY"
    assert retry.args_kwargs["args"] == [note.pk, 1]
    assert retry.run_after > timezone.now() + EMAIL_RETRY_DELAYS[0] - timedelta(seconds=30)

    # Not yet due: running the queue now sends nothing.
    run_queue()
    assert mail.outbox == []
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"

    # The mail server is back (the test's outbox) and the retry falls due: sent once.
    with time_machine.travel(timezone.now() + EMAIL_RETRY_DELAYS[0] + timedelta(seconds=5)):
        run_queue()
        run_queue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["poppy@example.org"]
    assert Notification.objects.get(pk=note.pk).emailed_at is not None
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"
    TALLY["smtp down: e-mails delivered after recovery"] += 1


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_retries_stop_after_the_last_delay(org_a, dead_smtp_port):
    member = factories.make_member("Poppy Nan 8", org_a, Role.FAMILY, email="poppy8@example.org")
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=dead_smtp_port,
        EMAIL_TIMEOUT=2,
    ):
        notify(member, kind="reply", title="Someone replied to you")
        later = timezone.now()
        for delay in (timedelta(0), *EMAIL_RETRY_DELAYS):
            later += delay + timedelta(seconds=5)
            with time_machine.travel(later):
                run_queue()
    jobs = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert jobs == ["FAILED"] * (len(EMAIL_RETRY_DELAYS) + 1)
    assert mail.outbox == []


# --- a worker killed between claiming an e-mail and sending it ----------------------------------


class Killed(BaseException):
    """Stands for kill -9 in the middle of the SMTP exchange: not an Exception, so no `except
    Exception` in the task runs, exactly as no code runs in a process that was killed."""


def die_mid_send(*args: object, **kwargs: object) -> None:
    raise Killed


def leave_running_under_a_dead_worker(job: DBTaskResult, at: datetime) -> None:
    """What django-tasks-db leaves behind when its worker is killed during a job."""
    DBTaskResult.objects.filter(pk=job.pk).update(
        status="RUNNING", started_at=at, worker_ids=["dead-worker"]
    )


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_mail_cut_off_between_claim_and_send_goes_out_once_when_the_claim_runs_out(org_a):
    member = factories.make_member("Poppy Nan 7", org_a, Role.FAMILY, email="poppy7@example.org")
    note = notify(member, kind="reply", title="Someone replied to you")
    job = DBTaskResult.objects.get()
    killed_at = timezone.now()

    # The first worker claims the notification, then dies talking to the mail server.
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", die_mid_send),
        pytest.raises(Killed),
    ):
        send_notification_email.call(note.pk)
    leave_running_under_a_dead_worker(job, killed_at)
    TALLY["mail claim: workers killed mid-send"] += 1
    note.refresh_from_db()
    assert note.claimed_at is not None
    assert note.emailed_at is None

    # A minute on, the next worker queues the cut-off job again and runs it. The claim is fresh
    # (it could be a live worker still talking to the mail server), so it sends nothing yet and
    # looks again once the claim has run out.
    with time_machine.travel(killed_at + timedelta(seconds=ORPHAN_AFTER_SECONDS + 5)):
        assert requeue_orphaned_jobs() == 1
        run_queue()
        assert mail.outbox == []
        check = DBTaskResult.objects.get(status="READY")
        assert check.args_kwargs["args"] == [note.pk, 0]
        assert check.run_after >= note.claimed_at + EMAIL_CLAIM_LEASE
        assert check.run_after < note.claimed_at + EMAIL_CLAIM_LEASE + timedelta(minutes=1)
        run_queue()
        assert mail.outbox == []

    # The claim has run out: the check takes it and the e-mail goes, once.
    with time_machine.travel(note.claimed_at + EMAIL_CLAIM_LEASE + timedelta(seconds=30)):
        run_queue()
        run_queue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["poppy7@example.org"]
    assert Notification.objects.get(pk=note.pk).emailed_at is not None

    # Nothing is left to send it again, however long the queue runs.
    with time_machine.travel(killed_at + timedelta(days=1)):
        assert requeue_orphaned_jobs() == 0
        run_queue()
    assert len(mail.outbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    TALLY["mail claim: cut-off e-mails delivered once"] += 1


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_digest_cut_off_mid_send_goes_out_once_when_its_claims_run_out(org_a):
    member = factories.make_member("Poppy Nan 6", org_a, Role.FAMILY, email="poppy6@example.org")
    set_email_frequency(member, EmailFrequency.DAILY)
    first = notify(member, kind="reply", title="Someone replied to you")
    second = notify(member, kind="reply", title="Someone else replied")
    assert DBTaskResult.objects.count() == 0  # a daily member gets no immediate e-mail
    started = timezone.now()

    assert enqueue_due_digests(started) == 1
    with (
        mock.patch("django.core.mail.EmailMultiAlternatives.send", die_mid_send),
        pytest.raises(Killed),
    ):
        send_digest_email.call(member.pk)
    DBTaskResult.objects.all().delete()  # the dead worker's job: its period is claimed anyway
    TALLY["mail claim: workers killed mid-send"] += 1
    claims = set(Notification.objects.values_list("claimed_at", flat=True))
    assert len(claims) == 1 and None not in claims
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()

    # Within the lease nothing is due: the period has been claimed and so have the items.
    with time_machine.travel(started + EMAIL_CLAIM_LEASE - timedelta(minutes=1)):
        assert enqueue_due_digests() == 0
    # Once the claims run out, the next scheduler run queues the digest again, inside the day.
    with time_machine.travel(started + EMAIL_CLAIM_LEASE + timedelta(minutes=1)):
        assert enqueue_due_digests() == 1
        run_queue()
        assert enqueue_due_digests() == 0
        run_queue()
    assert len(mail.outbox) == 1
    assert first.title in mail.outbox[0].body
    assert second.title in mail.outbox[0].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    with time_machine.travel(started + EMAIL_CLAIM_LEASE + timedelta(minutes=30)):
        assert enqueue_due_digests() == 0
    TALLY["mail claim: cut-off e-mails delivered once"] += 1


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_digest_is_sent_once_the_mail_server_is_back(org_a, dead_smtp_port):
    member = factories.make_member("Poppy Nan 5", org_a, Role.FAMILY, email="poppy5@example.org")
    set_email_frequency(member, EmailFrequency.DAILY)
    notify(member, kind="reply", title="Someone replied to you")
    started = timezone.now()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=dead_smtp_port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=2,
    ):
        assert enqueue_due_digests(started) == 1
        run_queue()
    assert DBTaskResult.objects.get().status == "FAILED"
    TALLY["smtp down: failed sends"] += 1
    # The period and the item were handed back, so the next scheduler run tries again.
    note = Notification.objects.get()
    assert note.claimed_at is None
    assert note.emailed_at is None
    with time_machine.travel(started + timedelta(minutes=15)):
        assert enqueue_due_digests() == 1
        run_queue()
        assert enqueue_due_digests() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None
    TALLY["smtp down: e-mails delivered after recovery"] += 1
