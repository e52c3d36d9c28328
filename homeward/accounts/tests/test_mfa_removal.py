"""Removing an authenticator app is all or nothing: allauth deletes the authenticator and then
the recovery codes it leaves dangling, and our wrapper (accounts/mfa_views.py) makes that one
transaction. (The database-down drill cuts it at every write; these are the plain cases.)"""

from __future__ import annotations

from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from django.db import DatabaseError
from django.test import Client
from django.urls import resolve, reverse

from conftest import sign_in
from homeward.accounts import factories, mfa_views
from homeward.accounts.models import Role
from homeward.accounts.tests.test_account_settings import confirm_password

pytestmark = pytest.mark.django_db

DEACTIVATE = "/accounts/2fa/totp/deactivate/"


@pytest.fixture
def meadow(org_a):
    return factories.make_member(
        "Meadow Dad 5", org_a, Role.FAMILY, email="meadow5@example.org", totp=True
    )


@pytest.fixture
def meadow_client(meadow) -> Client:
    client = sign_in(Client(), meadow)
    confirm_password(client)
    return client


def kinds(user) -> set[str]:
    return set(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def test_allauths_address_is_served_by_the_atomic_wrapper():
    assert reverse("mfa_deactivate_totp") == DEACTIVATE
    assert resolve(DEACTIVATE).func is mfa_views.deactivate_totp


def test_removing_the_authenticator_removes_the_recovery_codes_too(meadow_client, meadow):
    assert kinds(meadow) == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}

    response = meadow_client.post(DEACTIVATE)

    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    assert kinds(meadow) == set()


def test_a_failure_after_the_authenticator_is_deleted_keeps_both(meadow_client, meadow):
    with (
        mock.patch(
            "allauth.mfa.base.internal.flows.delete_dangling_recovery_codes",
            side_effect=DatabaseError("the database went away"),
        ),
        pytest.raises(DatabaseError),
    ):
        meadow_client.post(DEACTIVATE)

    assert kinds(meadow) == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
