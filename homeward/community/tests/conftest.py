"""A small community for the tests: an ordinary category, the staff room, and a conversation
the trusted family member started."""

from __future__ import annotations

import pytest

from homeward.accounts.models import User
from homeward.community import factories, services
from homeward.community.models import Category, Topic, TrustLevel


@pytest.fixture
def visits(db) -> Category:
    return factories.make_category("Visits and keeping in touch", slug="visits")


@pytest.fixture
def staff_room(db) -> Category:
    return factories.make_category("Staff room", slug="staff-room", staff_only=True)


@pytest.fixture
def regular(trusted_family: User) -> User:
    """The trusted family member, at level 1: new members' limits no longer apply."""
    factories.set_trust_level(trusted_family, TrustLevel.BASIC)
    return trusted_family


@pytest.fixture
def topic(visits: Category, regular: User) -> Topic:
    return services.create_topic(
        regular, visits, title="First visit next week", body="What should I bring?"
    )
