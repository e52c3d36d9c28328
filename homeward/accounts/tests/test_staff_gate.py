"""The gate in front of every staff page and the admin site: staff must use a second factor."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.models import Role, User
from homeward.core.models import AuditEvent

STAFF_PAGES = ["/staff/", "/staff/join-cards/", "/staff/join-cards/new/"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Sign-in and code-entry throttles live in the process-wide cache.
    cache.clear()
    yield
    cache.clear()


def totp_code(secret: str = factories.DEMO_TOTP_SECRET) -> str:
    """What the authenticator app shows right now (never in the last second of its 30)."""
    if time.time() % 30 > 28.5:
        time.sleep(1.6)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def mfa_records(client: Client) -> list[dict]:
    return [r for r in client.session["account_authentication_methods"] if r.get("method") == "mfa"]


@pytest.fixture
def new_worker(org_a) -> User:
    """A support worker who has not set up an authenticator app yet."""
    return factories.make_member("worker-new", org_a, Role.SUPPORT_WORKER, totp=False)


# Staff pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_member_without_an_authenticator_is_sent_to_set_one_up(new_worker, url):
    response = sign_in(Client(), new_worker, second_factor=False).get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/2fa/totp/activate/?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_member_without_a_confirmed_email_is_sent_to_confirm_one(org_a, url):
    worker = factories.make_member(
        "worker-unconfirmed",
        org_a,
        Role.SUPPORT_WORKER,
        email="unconfirmed@example.org",
        verified=False,
    )

    response = sign_in(Client(), worker).get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/email/?next={quote(url, safe='')}"


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_member_who_has_not_used_their_second_factor_this_session_is_asked_for_it(
    worker_a, url
):
    response = sign_in(Client(), worker_a, second_factor=False).get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/2fa/reauthenticate/?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_member_with_a_second_factor_this_session_gets_in(worker_a, url):
    assert sign_in(Client(), worker_a).get(url).status_code == 200


@pytest.mark.parametrize(
    "person", ["worker_a", "advocate_a", "manager_a", "orgadmin_a", "worker_b"]
)
def test_every_staff_role_passes_the_gate_with_a_second_factor(people, person):
    response = people[person].client().get("/staff/")
    assert response.status_code == 200
    assert "Staff pages" in response.content.decode()


@pytest.mark.parametrize("person", ["family", "trusted_family", "peer_moderator"])
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_families_and_peer_moderators_get_not_found_on_staff_pages(people, person, url):
    assert people[person].client().get(url).status_code == 404


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_anonymous_visitor_is_asked_to_sign_in_for_staff_pages(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


def test_second_factor_confirmed_mid_session_opens_the_staff_page(worker_a):
    client = sign_in(Client(), worker_a, second_factor=False)
    asked = client.get("/staff/join-cards/")

    response = client.post(asked.url, {"code": totp_code()})

    assert response.status_code == 302
    assert response.url == "/staff/join-cards/"
    assert client.get("/staff/join-cards/").status_code == 200


def test_wrong_authenticator_code_keeps_the_staff_page_closed(worker_a):
    client = sign_in(Client(), worker_a, second_factor=False)
    asked = client.get("/staff/")
    wrong = "000000" if totp_code() != "000000" else "111111"

    response = client.post(asked.url, {"code": wrong})

    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302
    assert not mfa_records(client)


def test_staff_sign_in_asks_for_the_authenticator_code_before_staff_pages_open(worker_a):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "worker-a", "password": factories.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # not signed in on the password alone

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(worker_a.pk)
    assert client.get("/staff/").status_code == 200


# Enrolling an authenticator --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # allauth announces the enrolment after commit
def test_enrolling_an_authenticator_counts_as_this_sessions_second_factor(new_worker):
    client = sign_in(Client(), new_worker, second_factor=False)
    assert client.get("/staff/").url.startswith("/accounts/2fa/totp/activate/")

    # Just signed in with the password, so set-up does not ask for it again.
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})

    assert response.status_code == 302
    authenticator = Authenticator.objects.get(user=new_worker, type=Authenticator.Type.TOTP)
    # Recovery codes are made at the same time, and count as enrolled too.
    records = mfa_records(client)
    assert records and all(r.get("enrolled") for r in records)
    assert {"id": authenticator.pk, "type": "totp"}.items() <= records[0].items()
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(
        action="account.second_factor_enrolled", actor=new_worker, target_id=str(authenticator.pk)
    ).exists()


def test_setting_up_an_authenticator_later_asks_for_the_password_again(new_worker):
    client = sign_in(Client(), new_worker, second_factor=False)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        asked = client.get("/accounts/2fa/totp/activate/")
        assert asked.status_code == 302
        assert asked.url.startswith("/accounts/reauthenticate/")
        assert client.post(asked.url, {"password": factories.DEMO_PASSWORD}).status_code == 302
        assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_authenticator_set_up_page_is_reachable_without_a_second_factor(new_worker):
    """The gate must not send a new member of staff round in a circle."""
    client = sign_in(Client(), new_worker, second_factor=False)
    client.post("/accounts/reauthenticate/", {"password": factories.DEMO_PASSWORD})

    assert client.get("/accounts/2fa/totp/activate/?next=%2Fstaff%2F").status_code == 200


# The admin site --------------------------------------------------------------------------------


def test_platform_admin_with_a_second_factor_reaches_the_admin_site(platform_admin):
    response = sign_in(Client(), platform_admin).get("/admin/")
    assert response.status_code == 200
    assert "Homeward platform administration" in response.content.decode()


def test_platform_admin_without_a_second_factor_this_session_is_asked_for_it(platform_admin):
    response = sign_in(Client(), platform_admin, second_factor=False).get("/admin/")

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2F"


def test_platform_admin_without_an_authenticator_is_sent_to_set_one_up(db):
    admin = factories.make_member("admin-new", None, totp=False, is_platform_admin=True)

    response = sign_in(Client(), admin, second_factor=False).get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/?next=%2Fadmin%2Faccounts%2Fuser%2F"


@pytest.mark.parametrize("person", ["family", "peer_moderator", "worker_a", "orgadmin_a"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/user/", "/admin/core/auditevent/"])
def test_admin_site_is_not_found_for_anyone_but_platform_admins(people, person, url):
    assert people[person].client().get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_the_normal_sign_in_for_the_admin_site(client, db):
    response = client.get("/admin/", follow=True)

    final_url, status = response.redirect_chain[-1]
    assert status == 302
    assert final_url == "/accounts/login/?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_every_admin_action_is_in_the_audit_log_too(platform_admin):
    """The admin keeps its own log; each entry is copied into ours (core.audit)."""
    from homeward.community.factories import make_category
    from homeward.community.models import Category

    category = make_category("Old news", slug="old-news")
    client = sign_in(Client(), platform_admin)
    url = f"/admin/community/category/{category.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()
    event = AuditEvent.objects.get(action="admin.deleted")
    assert (event.actor, event.target_type, event.target_id) == (
        platform_admin,
        "community.category",
        str(category.pk),
    )


def test_deleting_several_at_once_in_the_admin_audits_each(platform_admin):
    from homeward.community.factories import make_category

    doomed = [make_category(f"Old {n}", slug=f"old-{n}") for n in range(2)]
    client = sign_in(Client(), platform_admin)
    response = client.post(
        "/admin/community/category/",
        {"action": "delete_selected", "_selected_action": [c.pk for c in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    events = AuditEvent.objects.filter(action="admin.deleted").order_by("target_id")
    assert [(e.actor, e.target_id) for e in events] == [
        (platform_admin, str(c.pk)) for c in sorted(doomed, key=lambda c: str(c.pk))
    ]
