"""Casework test fixtures: a few real prisons, background e-mail sent at once, a case in
organisation A held by worker_a."""

from __future__ import annotations

import pytest

from homeward.casework import factories
from homeward.casework.models import Case
from homeward.prisons.importer import import_prisons
from homeward.prisons.models import Prison


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lewes(db) -> Prison:
    import_prisons(codes={"LWI", "FDI"})
    return Prison.objects.get(code="LWI")


@pytest.fixture
def case_a(org_a, worker_a) -> Case:
    """The Coleman family (Zoe 9, Cara 3), with consent to share, held by worker_a."""
    return factories.make_case(
        org_a,
        worker_a,
        children=(("Zoe", factories.child_born(9)), ("Cara", factories.child_born(3))),
    )
