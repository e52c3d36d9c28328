"""Periodic jobs, run by the worker's scheduler thread (`manage.py worker`). Apps register theirs
from AppConfig.ready, so core imports none of them. The shared cache makes each job run once per
period even when several workers are running: the first to claim the period runs it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

log = logging.getLogger("homeward.schedule")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]


_jobs: dict[str, Job] = {}


def register(name: str, every: timedelta, run: Callable[[], object]) -> None:
    _jobs[name] = Job(name=name, every=every, run=run)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_due(now: datetime | None = None) -> list[str]:
    """Run every job whose current period has not been claimed yet; returns their names. A job
    that fails is logged and tried again in its next period: one failure stops no other job."""
    now = now or timezone.now()
    ran = []
    for job in jobs():
        seconds = job.every.total_seconds()
        period = int(now.timestamp() // seconds)
        if not cache.add(f"homeward:schedule:{job.name}:{period}", 1, timeout=int(seconds * 2)):
            continue
        try:
            job.run()
        except Exception:
            log.exception("scheduled job %s failed", job.name)
            continue
        ran.append(job.name)
    return ran
