"""`manage.py worker`: runs django-tasks-db's worker, keeps a heartbeat row for /healthz while it
runs and removes it when it stops; queued e-mail goes out exactly once."""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
import types
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.accounts import factories
from homeward.accounts.models import Role
from homeward.core.management.commands import worker as worker_command
from homeward.core.models import Notification, WorkerHeartbeat
from homeward.core.notifications import notify
from homeward.core.tasks import send_notification_email

# The heartbeat is written from a thread with its own database connection, so these tests
# commit for real instead of running inside one rolled-back transaction.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return predicate()


def heartbeat_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "heartbeat"]


@pytest.fixture(autouse=True)
def no_stray_heartbeat_threads():
    """Every test leaves the heartbeat thread stopped, so none writes into the next test."""
    yield
    for thread in heartbeat_threads():
        thread.join(timeout=10)
    assert not heartbeat_threads()


@pytest.fixture
def quick_beats(monkeypatch):
    monkeypatch.setattr(worker_command, "HEARTBEAT_SECONDS", 0.05)


@pytest.fixture
def restore_process_state():
    """db_worker installs signal handlers and sets its loggers' levels; put them back."""
    signals = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]
    handlers = {s: signal.getsignal(s) for s in signals}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)


class _ThreadNotStarted:
    """Stands in for the heartbeat thread where a test must not have it running."""

    def __init__(self, *args, **kwargs):
        pass

    def start(self):
        pass

    def join(self, timeout=None):
        pass


def run_worker(fake_db_worker, **options):
    with mock.patch.object(worker_command, "call_command", side_effect=fake_db_worker) as fake:
        call_command("worker", **options)
    return fake


# --- the heartbeat ----------------------------------------------------------------------------


def test_heartbeat_is_written_while_running_and_removed_on_exit():
    seen = {}

    def fake_db_worker(name, **options):
        seen["rows"] = wait_for(
            lambda: list(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
        )

    fake = run_worker(fake_db_worker, interval=0.5)

    name, options = fake.call_args.args[0], fake.call_args.kwargs
    assert name == "db_worker"
    assert options["interval"] == 0.5
    assert options["worker_id"].startswith(socket.gethostname()[:20])
    assert seen["rows"] == [options["worker_id"]]
    assert not WorkerHeartbeat.objects.exists()


def test_heartbeat_keeps_beating(quick_beats):
    seen = {}

    def fake_db_worker(name, **options):
        first = wait_for(lambda: WorkerHeartbeat.objects.first())
        seen["first"] = first.seen_at
        seen["later"] = wait_for(
            lambda: WorkerHeartbeat.objects.filter(seen_at__gt=first.seen_at).first()
        )

    run_worker(fake_db_worker)

    assert seen["later"] is not None, "the heartbeat was written only once"
    assert not WorkerHeartbeat.objects.exists()


def test_heartbeat_is_removed_when_the_worker_crashes():
    def fake_db_worker(name, **options):
        assert wait_for(lambda: WorkerHeartbeat.objects.exists())
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError, match="worker died"):
        run_worker(fake_db_worker)

    assert not WorkerHeartbeat.objects.exists()


def test_heartbeat_removed_even_if_a_beat_was_being_written_at_exit(quick_beats):
    """A beat still in flight when the worker stops must not write the row back afterwards,
    or /healthz would call a stopped worker alive."""
    real_update_or_create = WorkerHeartbeat.objects.update_or_create
    second_beat_started = threading.Event()
    beats = []

    def slow_beat(**kwargs):
        beats.append(kwargs)
        if len(beats) == 2:
            second_beat_started.set()
            time.sleep(0.3)  # the worker stops meanwhile
        return real_update_or_create(**kwargs)

    def fake_db_worker(name, **options):
        assert second_beat_started.wait(timeout=10)

    with mock.patch.object(WorkerHeartbeat.objects, "update_or_create", side_effect=slow_beat):
        run_worker(fake_db_worker)
        for thread in heartbeat_threads():
            thread.join(timeout=10)

    assert not WorkerHeartbeat.objects.exists()


def test_a_failed_beat_does_not_stop_the_heartbeat(quick_beats, caplog):
    real_update_or_create = WorkerHeartbeat.objects.update_or_create
    calls = []

    def flaky_beat(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real_update_or_create(**kwargs)

    def fake_db_worker(name, **options):
        assert wait_for(lambda: WorkerHeartbeat.objects.exists())

    with mock.patch.object(WorkerHeartbeat.objects, "update_or_create", side_effect=flaky_beat):
        run_worker(fake_db_worker)

    assert len(calls) >= 2
    assert "worker heartbeat or schedule failed" in caplog.text


def kept_open(connection: Any) -> bool:
    """SQLite never closes an in-memory test database on purpose: closing would lose it."""
    return connection.vendor == "sqlite" and bool(connection.is_in_memory_db())


def test_the_heartbeat_thread_closes_its_database_connection(quick_beats):
    """Connections are per thread; one left open by a finished thread lingers on the server."""
    real_update_or_create = WorkerHeartbeat.objects.update_or_create
    used = []

    def beat(**kwargs):
        result = real_update_or_create(**kwargs)
        used.append(connections["default"])
        return result

    with mock.patch.object(WorkerHeartbeat.objects, "update_or_create", side_effect=beat):
        run_worker(lambda name, **options: wait_for(lambda: used))
        for thread in heartbeat_threads():
            thread.join(timeout=10)

    assert used
    still_open = [c.alias for c in used if c.connection is not None and not kept_open(c)]
    used.clear()  # hold no connection past this test, even if it fails
    assert still_open == []


def test_day_old_heartbeats_are_cleared_at_start_but_live_ones_kept():
    WorkerHeartbeat.objects.create(
        worker_id="dead-box-1", seen_at=timezone.now() - timedelta(days=2)
    )
    WorkerHeartbeat.objects.create(worker_id="other-live-box-2")
    seen = {}

    def fake_db_worker(name, **options):
        wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id=options["worker_id"]).exists())
        seen["ids"] = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))

    fake = run_worker(fake_db_worker)

    assert seen["ids"] == {"other-live-box-2", fake.call_args.kwargs["worker_id"]}
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"other-live-box-2"}


# --- end to end through django-tasks-db -------------------------------------------------------


@pytest.fixture
def member_with_email(org_a):
    return factories.make_member("Poppy Nan 4", org_a, Role.FAMILY, email="poppy@example.org")


def run_queue():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS=DATABASE_TASKS)
def test_queued_email_is_sent_once_and_a_rerun_sends_nothing(member_with_email):
    note = notify(member_with_email, kind="reply", title="Someone replied to you")
    job = DBTaskResult.objects.get()
    assert job.status == "READY"
    assert mail.outbox == []

    run_queue()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["poppy@example.org"]
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert job.return_value is True
    assert Notification.objects.get(pk=note.pk).emailed_at is not None

    run_queue()
    assert len(mail.outbox) == 1

    # The same e-mail queued a second time (say, after a crash) still goes only once.
    send_notification_email.enqueue(note.pk)
    run_queue()
    assert len(mail.outbox) == 1
    assert list(DBTaskResult.objects.values_list("status", "return_value")) in (
        [("SUCCESSFUL", True), ("SUCCESSFUL", False)],
        [("SUCCESSFUL", False), ("SUCCESSFUL", True)],
    )


@pytest.mark.usefixtures("restore_process_state")
@override_settings(TASKS=DATABASE_TASKS)
def test_manage_py_worker_runs_the_queue_under_its_own_id(member_with_email, monkeypatch):
    """The options `worker` hands to db_worker are ones db_worker accepts, and jobs are claimed
    under the id the heartbeat uses."""
    # No heartbeat thread here (it has tests of its own): its writes would meet db_worker's
    # exclusive transaction in the shared in-memory test database, where SQLite's shared cache
    # reports "table is locked" at once instead of waiting as a file database does.
    monkeypatch.setattr(
        worker_command,
        "threading",
        types.SimpleNamespace(Event=threading.Event, Thread=_ThreadNotStarted),
    )
    notify(member_with_email, kind="reply", title="Someone replied to you")

    def db_worker_in_batch_mode(name, **options):
        call_command(name, batch=True, startup_delay=False, **options)

    fake = run_worker(db_worker_in_batch_mode, interval=0, verbosity=0)

    assert len(mail.outbox) == 1
    job = DBTaskResult.objects.get()
    assert job.worker_ids == [fake.call_args.kwargs["worker_id"]]
    assert not WorkerHeartbeat.objects.exists()
