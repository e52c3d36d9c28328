"""Shared fixtures: the named people every view is tested against (../shared/STYLE.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HOMEWARD_ENV", "test")
os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

import pytest
from django.test import Client

from homeward.accounts import factories
from homeward.accounts.models import Organisation, Role, User

pytest_plugins = ["homeward.core.testing.browser"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Used authenticator codes live in the cache, and worker-local rate-limit counters in
    memory: each test starts with none, whatever ran before it in this process (counters in
    the database go with each test's transaction)."""
    from django.core.cache import cache

    from homeward.core import ratelimit

    cache.clear()
    ratelimit._local.clear()


@pytest.fixture(scope="session")
def _files_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("files")


@pytest.fixture(autouse=True)
def _uploads_in_a_folder_of_this_run(settings: Any, _files_folder: Path) -> None:
    """Files a test uploads (attachments, pictures) go under a folder of this test run, never
    the developer's var/ (the form fuzz drill left attachments there). A test that wants a
    folder of its own sets MEDIA_ROOT again; private files sit beside it (core.storage)."""
    settings.MEDIA_ROOT = _files_folder / "media"


# Tests import it from here; it lives with the factories so benchmarks can use it too.
sign_in = factories.sign_in


@pytest.fixture
def org_a(db) -> Organisation:
    return factories.make_organisation("Sussex Families Together", slug="org-a")


@pytest.fixture
def org_b(db) -> Organisation:
    return factories.make_organisation(
        "Northgate Family Support", slug="org-b", kind=Organisation.Kind.PRISON_BASED
    )


@pytest.fixture
def family(org_a) -> User:
    """A new family member who joined this week."""
    return factories.make_member("Robin Mum 7", org_a, Role.FAMILY)


@pytest.fixture
def trusted_family(org_a) -> User:
    return factories.make_member("Willow Nan 3", org_a, Role.FAMILY)


@pytest.fixture
def peer_moderator(org_a) -> User:
    return factories.make_member("Heather Sis 12", org_a, Role.PEER_MODERATOR)


@pytest.fixture
def worker_a(org_a) -> User:
    return factories.make_member("worker-a", org_a, Role.SUPPORT_WORKER)


@pytest.fixture
def advocate_a(org_a) -> User:
    return factories.make_member("advocate-a", org_a, Role.ADVOCATE)


@pytest.fixture
def manager_a(org_a) -> User:
    return factories.make_member("manager-a", org_a, Role.MANAGER)


@pytest.fixture
def orgadmin_a(org_a) -> User:
    return factories.make_member("orgadmin-a", org_a, Role.ORG_ADMIN)


@pytest.fixture
def worker_b(org_b) -> User:
    return factories.make_member("worker-b", org_b, Role.SUPPORT_WORKER)


@pytest.fixture
def platform_admin(db) -> User:
    return factories.make_member("platform-admin", None, is_platform_admin=True)


@dataclass
class Person:
    name: str
    user: User | None

    def client(self) -> Client:
        client = Client()
        if self.user is not None:
            sign_in(client, self.user)
        return client


ROLE_NAMES = (
    "anonymous", "family", "trusted_family", "peer_moderator", "worker_a", "advocate_a",
    "manager_a", "orgadmin_a", "worker_b", "platform_admin",
)  # fmt: skip


@pytest.fixture
def people(
    family,
    trusted_family,
    peer_moderator,
    worker_a,
    advocate_a,
    manager_a,
    orgadmin_a,
    worker_b,
    platform_admin,
) -> dict[str, Person]:
    """Everyone in the permission matrix, by name, each ready to give a signed-in client."""
    users = {
        "anonymous": None,
        "family": family,
        "trusted_family": trusted_family,
        "peer_moderator": peer_moderator,
        "worker_a": worker_a,
        "advocate_a": advocate_a,
        "manager_a": manager_a,
        "orgadmin_a": orgadmin_a,
        "worker_b": worker_b,
        "platform_admin": platform_admin,
    }
    return {name: Person(name, users[name]) for name in ROLE_NAMES}
