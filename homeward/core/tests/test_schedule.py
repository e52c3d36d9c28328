"""Periodic jobs: each runs once per period, whatever the number of workers, and one failing
job stops no other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from homeward.core import schedule


@pytest.fixture
def jobs() -> Iterator[list[str]]:
    saved = dict(schedule._jobs)
    schedule._jobs.clear()
    cache.clear()
    calls: list[str] = []
    schedule.register("hourly", timedelta(hours=1), lambda: calls.append("hourly"))
    schedule.register("daily", timedelta(days=1), lambda: calls.append("daily"))
    yield calls
    schedule._jobs.clear()
    schedule._jobs.update(saved)
    cache.clear()


def test_each_job_runs_once_per_period(jobs):
    start = timezone.now().replace(hour=10, minute=5)
    with time_machine.travel(start, tick=False):
        assert schedule.run_due() == ["daily", "hourly"]
        assert schedule.run_due() == []  # a second worker, or the next beat, finds it done
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        assert schedule.run_due() == ["hourly"]
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert schedule.run_due() == ["daily", "hourly"]
    assert jobs == ["daily", "hourly", "hourly", "daily", "hourly"]


def test_a_failing_job_is_logged_and_stops_no_other(jobs, caplog):
    def broken() -> None:
        raise RuntimeError("mail server down")

    schedule.register("broken", timedelta(hours=1), broken)

    assert schedule.run_due() == ["daily", "hourly"]
    assert "scheduled job broken failed" in caplog.text


def test_core_schedules_the_digests():
    assert any(
        job.name == "digests" and job.every == timedelta(minutes=15) for job in schedule.jobs()
    )
