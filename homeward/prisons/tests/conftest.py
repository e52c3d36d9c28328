"""Prisons for the guide's tests: the real shipped data, imported once per test database."""

from __future__ import annotations

import pytest

from homeward.prisons.importer import import_prisons
from homeward.prisons.models import Prison, PrisonPartner


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings) -> None:
    """Followers are told by a background task; in these tests it runs straight away."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def prisons(db) -> None:
    import_prisons()


@pytest.fixture
def lewes(prisons, org_a) -> Prison:
    """Lewes, where organisation A works: its staff keep Lewes's guide."""
    lewes = Prison.objects.get(code="LWI")
    PrisonPartner.objects.create(organisation=org_a, prison=lewes)
    return lewes


@pytest.fixture
def ford(prisons) -> Prison:
    """Ford, in West Sussex: a different booking setup from Lewes."""
    return Prison.objects.get(code="FDI")
