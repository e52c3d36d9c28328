"""`manage.py seed_demo`: a sign-in for every role, families and join cards, safe to run again."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from homeward.accounts import factories
from homeward.accounts.management.commands import seed_demo
from homeward.accounts.models import (
    JoinBatch,
    JoinCode,
    Membership,
    Organisation,
    Role,
    User,
)
from homeward.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SIGN_INS = {
    # name: (role, organisation slug)
    "family": (Role.FAMILY, "sussex-families"),
    "trusted": (Role.FAMILY, "sussex-families"),
    "moderator": (Role.PEER_MODERATOR, "sussex-families"),
    "worker": (Role.SUPPORT_WORKER, "sussex-families"),
    "advocate": (Role.ADVOCATE, "sussex-families"),
    "manager": (Role.MANAGER, "sussex-families"),
    "orgadmin": (Role.ORG_ADMIN, "sussex-families"),
    "worker-b": (Role.SUPPORT_WORKER, "northgate-family-support"),
}
STAFF = ["worker", "advocate", "manager", "orgadmin", "worker-b", "admin"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, object]:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "batches": JoinBatch.objects.count(),
        "codes": JoinCode.objects.count(),
        "code uses": sorted(JoinCode.objects.values_list("code", "uses")),
        "joined": sorted(JoinBatch.objects.values_list("pk", "joined_count")),
        "e-mail addresses": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def test_seed_demo_makes_a_sign_in_for_every_role():
    assert "Demo data is ready." in seed()

    for name, (role, org_slug) in SIGN_INS.items():
        user = User.objects.get(username=name)
        assert user.check_password("homeward-demo"), name
        assert user.is_active
        membership = Membership.objects.get(user=user)
        assert (membership.role, membership.organisation.slug) == (role, org_slug), name
    admin = User.objects.get(username="admin")
    assert admin.is_platform_admin
    assert admin.check_password("homeward-demo")
    assert not Membership.objects.filter(user=admin).exists()


def test_demo_staff_have_a_verified_email_and_an_authenticator_and_families_do_not():
    seed()

    for name in STAFF:
        user = User.objects.get(username=name)
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists(), name
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(), name
    for name in ["family", "trusted", "moderator"]:
        assert not Authenticator.objects.filter(user__username=name).exists(), name


def test_demo_staff_sign_in_with_the_published_authenticator_secret():
    seed()
    client = Client()

    response = client.post("/accounts/login/", {"login": "worker", "password": "homeward-demo"})
    assert response.url == "/accounts/2fa/authenticate/"
    if time.time() % 30 > 28.5:  # don't type a code that is about to change
        time.sleep(1.6)
    code = format_hotp_value(hotp_value(factories.DEMO_TOTP_SECRET, int(time.time()) // 30))
    client.post("/accounts/2fa/authenticate/", {"code": code})

    assert client.session["_auth_user_id"] == str(User.objects.get(username="worker").pk)
    assert client.get("/staff/join-cards/").status_code == 200


def test_seed_demo_makes_thirty_families_and_join_cards_some_of_them_used():
    seed()

    named = set(SIGN_INS)
    families = Membership.objects.filter(role=Role.FAMILY).exclude(user__username__in=named)
    assert families.filter(joined_via__isnull=True).count() >= 30
    assert families.filter(organisation__slug="sussex-families").exists()
    assert families.filter(organisation__slug="northgate-family-support").exists()

    batches = JoinBatch.objects.all()
    assert batches.count() == 3
    assert {b.organisation.slug for b in batches} == {
        "sussex-families",
        "northgate-family-support",
    }
    for batch in batches:
        assert batch.is_active
        assert batch.codes.count() == batch.code_count > 0
        assert batch.joined_count == Membership.objects.filter(joined_via__batch=batch).count()
    assert Membership.objects.filter(joined_via__isnull=False).count() >= 3


def test_running_seed_demo_twice_changes_nothing():
    seed()
    first = counts()

    seed()

    assert counts() == first


def test_if_empty_seeds_an_empty_database():
    seed("--if-empty")
    assert User.objects.filter(username__in=SIGN_INS).count() == len(SIGN_INS)


def test_if_empty_stops_early_when_the_demo_sign_ins_are_there(monkeypatch):
    seed()
    before = counts()

    def must_not_run(self):
        raise AssertionError("seeded again")

    monkeypatch.setattr(seed_demo.Command, "_seed", must_not_run)
    out = seed("--if-empty")

    assert "Demo data is already there." in out
    assert counts() == before


@override_settings(PRODUCTION=True)
def test_seed_demo_refuses_to_run_in_production():
    with pytest.raises(CommandError, match="not in production"):
        seed()

    assert not User.objects.exists()
    assert not Organisation.objects.exists()
