"""Run the background task worker (django-tasks-db) and keep a heartbeat for /healthz."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.core import schedule
from homeward.core.models import WorkerHeartbeat

HEARTBEAT_SECONDS = 10
# Periodic jobs (core.schedule) are looked at every minute.
SCHEDULE_EVERY_BEATS = 6
# A job still "running" under a worker whose heartbeat is this old was cut off (the worker was
# killed, or its machine went away): it is queued again. Tasks are written to be idempotent.
ORPHAN_AFTER_SECONDS = 60.0
log = logging.getLogger("homeward.worker")


def requeue_orphaned_jobs(orphan_after: float = ORPHAN_AFTER_SECONDS) -> int:
    """Put back in the queue every running job whose worker has stopped beating. django-tasks-db
    leaves such a job "RUNNING" for ever; here it runs again, once, on the next free worker."""
    cutoff = timezone.now() - timedelta(seconds=orphan_after)
    live = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    requeued = 0
    for job in (
        DBTaskResult.objects.running()
        .filter(started_at__lt=cutoff)
        .only("worker_ids", "started_at")
    ):
        if job.worker_ids and job.worker_ids[-1] in live:
            continue
        # Conditional on the job still being the same run, so two workers requeue it once.
        requeued += DBTaskResult.objects.filter(
            pk=job.pk, status="RUNNING", started_at=job.started_at
        ).update(status="READY", started_at=None)
        log.warning("job %s was cut off on worker %s; queued again", job.pk, job.worker_ids[-1:])
    return requeued


class Command(BaseCommand):
    help = "Run the background worker: e-mail, digests, notification fan-out and imports."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )
        parser.add_argument(
            "--orphan-after",
            type=float,
            default=ORPHAN_AFTER_SECONDS,
            help="Seconds without a heartbeat after which a dead worker's running jobs are queued again.",
        )
        parser.add_argument(
            "--heartbeat", type=float, default=None, help="Seconds between heartbeats."
        )

    def handle(
        self,
        *args: Any,
        interval: float,
        orphan_after: float = ORPHAN_AFTER_SECONDS,
        heartbeat: float | None = None,
        **options: Any,
    ) -> None:
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        stop = threading.Event()

        def beat() -> None:
            """Heartbeat for /healthz, and the scheduler for periodic jobs (core.schedule)."""
            beats = 0
            while not stop.is_set():
                try:
                    WorkerHeartbeat.objects.update_or_create(
                        worker_id=worker_id, defaults={"seen_at": timezone.now()}
                    )
                    requeue_orphaned_jobs(orphan_after)
                    if beats % SCHEDULE_EVERY_BEATS == 0:
                        schedule.run_due()
                except Exception:
                    log.exception("worker heartbeat or schedule failed; trying again")
                finally:
                    close_old_connections()
                beats += 1
                stop.wait(heartbeat or HEARTBEAT_SECONDS)
            # Database connections are per thread: close this one's as it ends.
            connections.close_all()

        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            # reload=False: db_worker would otherwise restart itself in a child process under
            # DEBUG, leaving this heartbeat beating for a worker that may be crashing.
            call_command(
                "db_worker",
                interval=interval,
                worker_id=worker_id,
                reload=False,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
            # Let a beat that is being written finish first, or it would put the row back.
            thread.join(timeout=HEARTBEAT_SECONDS + 30)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
