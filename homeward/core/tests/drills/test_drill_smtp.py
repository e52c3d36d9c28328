"""Drill: the mail server is down. The record that caused the e-mail is saved; the e-mail is not
marked sent; a later attempt is queued, and once the server is back it is sent exactly once."""

from __future__ import annotations

import logging
import signal
import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.accounts import factories
from homeward.accounts.models import Role
from homeward.core.models import Notification
from homeward.core.notifications import notify
from homeward.core.tasks import EMAIL_RETRY_DELAYS
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
