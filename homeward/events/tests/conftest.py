"""Events for the tests: organisation A's staff run them; background tasks run at once."""

from __future__ import annotations

import pytest

from homeward.accounts.models import User
from homeward.events.factories import make_event
from homeward.events.models import Event


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings) -> None:
    """Reminders and cancellations go through background tasks; here they run straight away."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def group_evening(org_a, worker_a: User) -> Event:
    """An online group next week, open to everyone signed in."""
    return make_event(org_a, worker_a, "Evening peer support group", online=True)


@pytest.fixture
def activity_day(org_a, worker_a: User) -> Event:
    """An in-person day with two places."""
    return make_event(org_a, worker_a, "Children's activity day", capacity=2)
