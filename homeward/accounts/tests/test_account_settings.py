"""A member's own settings: their name, e-mail choices, downloading their data, deleting their account."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts import factories
from homeward.accounts.forms import JoinForm
from homeward.accounts.models import FORMER_MEMBER, Membership, Role, User
from homeward.core.models import AuditEvent, DataRequest, EmailFrequency, NotificationSettings
from homeward.core.notifications import notify

PASSWORD = factories.DEMO_PASSWORD


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Sign-in throttles live in the (process-wide) cache: start each test with none used.
    cache.clear()
    yield
    cache.clear()


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="error-message" id="id_{name}_error">(.*?)</p>', html, re.S)
    assert match, f"no error beside {name}"
    return unescape(match.group(1))


def input_tag(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def confirm_password(client: Client, password: str = PASSWORD) -> None:
    """What a member does when asked "enter your password again"."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def member_client(family) -> Client:
    client = sign_in(Client(), family)
    confirm_password(client)
    return client


# Name and e-mail choices -------------------------------------------------------------------------


def test_settings_page_shows_the_current_name_and_choices(family):
    response = sign_in(Client(), family).get("/settings/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Robin Mum 7"' in input_tag(html, "display_name")
    assert re.search(r'<input[^>]*value="immediate"[^>]*checked', html)


def test_member_changes_the_name_others_see_and_how_often_we_email(family):
    client = sign_in(Client(), family)

    response = client.post(
        "/settings/", {"display_name": "Robin Mum Seven", "email_frequency": "weekly"}
    )

    assert response.status_code == 302
    assert response.url == "/settings/"
    family.refresh_from_db()
    assert family.display_name == "Robin Mum Seven"
    assert family.public_name == "Robin Mum Seven"
    assert family.username == "Robin Mum 7"  # they still sign in with the name they chose first
    prefs = NotificationSettings.objects.get(user=family)
    assert prefs.email_frequency == EmailFrequency.WEEKLY
    assert AuditEvent.objects.filter(action="account.updated", actor=family).exists()
    assert "Your settings are saved." in unescape(client.get("/settings/").content.decode())


def test_member_may_keep_their_own_name_in_a_different_case(family):
    response = sign_in(Client(), family).post(
        "/settings/", {"display_name": "ROBIN MUM 7", "email_frequency": "never"}
    )

    assert response.status_code == 302
    family.refresh_from_db()
    assert family.display_name == "ROBIN MUM 7"
    assert NotificationSettings.objects.get(user=family).email_frequency == EmailFrequency.NEVER


@pytest.mark.parametrize(
    "taken",
    ["willow nan 3", "nanna bee", "Former member"],
    ids=["sign-in-name", "shown-name", "kept-for-deleted-accounts"],
)
def test_name_someone_else_uses_is_refused_beside_the_field_and_nothing_is_saved(
    family, trusted_family, taken
):
    trusted_family.display_name = "Nanna Bee"
    trusted_family.save(update_fields=["display_name"])
    events = AuditEvent.objects.filter(action="account.updated").count()

    response = sign_in(Client(), family).post(
        "/settings/", {"display_name": taken, "email_frequency": "daily"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone is already using that name." in field_error(html, "display_name")
    assert 'aria-invalid="true"' in input_tag(html, "display_name")
    assert f'value="{taken}"' in input_tag(html, "display_name")
    family.refresh_from_db()
    assert family.display_name == "Robin Mum 7"
    assert NotificationSettings.objects.get(user=family).email_frequency == EmailFrequency.IMMEDIATE
    assert AuditEvent.objects.filter(action="account.updated").count() == events


def test_settings_need_a_signed_in_member(client):
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/settings/")


# Downloading your data -------------------------------------------------------------------------


def test_member_downloads_everything_held_about_them_as_a_json_file(
    member_client, family, trusted_family, org_a
):
    notify(family, kind="reply", title="Someone replied to you")
    notify(trusted_family, kind="reply", title="Not for Robin")

    response = member_client.post("/settings/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="my-data-{today:%Y-%m-%d}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["accounts"]["sign_in_name"] == "Robin Mum 7"
    assert data["accounts"]["memberships"] == [
        {
            "organisation": org_a.name,
            "role": "Family member",
            "since": data["accounts"]["memberships"][0]["since"],
            "joined_with_card_from": None,
        }
    ]
    assert [n["title"] for n in data["core"]["notifications"]] == ["Someone replied to you"]
    assert data["core"]["notification_settings"] == {"email_frequency": "immediate"}
    assert "Willow Nan 3" not in response.content.decode()
    assert "Not for Robin" not in response.content.decode()
    request = DataRequest.objects.get(user=family)
    assert request.kind == DataRequest.Kind.EXPORT
    assert request.completed_at is not None
    assert {"accounts", "core"} <= set(request.handlers)


def test_export_names_the_card_a_member_joined_with(org_a, worker_a):
    batch = factories.make_join_batch(org_a, worker_a, distribution_point="Lewes Crown Court")
    client = Client()
    client.post(
        f"/join/{batch.codes.first().code}/",
        {"display_name": "Wren Dad 8", "password": "a long enough one"},
    )
    confirm_password(client, "a long enough one")

    data = json.loads(client.post("/settings/export/").content)

    assert data["accounts"]["memberships"][0]["joined_with_card_from"] == "Lewes Crown Court"


def test_export_page_explains_before_downloading(member_client):
    response = member_client.get("/settings/export/")
    assert response.status_code == 200
    assert "Download your data" in response.content.decode()
    assert not DataRequest.objects.exists()


def test_export_after_the_password_check_has_gone_stale_asks_for_the_password_again(
    member_client, family
):
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = member_client.post("/settings/export/")

        assert response.status_code == 302
        assert response.url == "/accounts/reauthenticate/?next=%2Fsettings%2Fexport%2F"
        assert not DataRequest.objects.exists()

        # Once they confirm, the download they asked for goes ahead.
        resumed = member_client.post(response.url, {"password": PASSWORD})

    assert resumed.status_code == 200
    assert json.loads(resumed.content)["accounts"]["sign_in_name"] == "Robin Mum 7"
    assert DataRequest.objects.filter(user=family, kind=DataRequest.Kind.EXPORT).count() == 1


def test_export_without_a_recent_password_check_asks_for_one(family):
    client = sign_in(Client(), family)

    response = client.post("/settings/export/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/?next=")
    assert not DataRequest.objects.exists()


def test_export_needs_a_signed_in_member(client, db):
    response = client.post("/settings/export/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not DataRequest.objects.exists()


# Deleting your account -------------------------------------------------------------------------


@pytest.fixture
def meadow(org_a) -> User:
    """A family member with an e-mail address and an authenticator app."""
    return factories.make_member(
        "Meadow Dad 4", org_a, Role.FAMILY, email="meadow@example.org", totp=True
    )


@pytest.fixture
def meadow_client(meadow) -> Client:
    client = sign_in(Client(), meadow)
    confirm_password(client)
    return client


def test_delete_without_ticking_the_box_explains_and_erases_nothing(meadow_client, meadow):
    page = meadow_client.get("/settings/delete/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    # A browser sends the form's hidden token, and nothing for a box left unticked.
    response = meadow_client.post("/settings/delete/", {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 200
    assert "Tick the box to confirm you want to delete your account." in field_error(
        response.content.decode(), "confirm"
    )
    meadow.refresh_from_db()
    assert meadow.username == "Meadow Dad 4"
    assert meadow.is_active
    assert meadow.erased_at is None
    assert Membership.objects.filter(user=meadow).exists()
    assert EmailAddress.objects.filter(user=meadow).exists()
    assert not DataRequest.objects.exists()
    assert meadow_client.session["_auth_user_id"] == str(meadow.pk)


def test_deleting_an_account_anonymises_the_member_and_signs_them_out(meadow_client, meadow):
    pk = meadow.pk
    response = meadow_client.post("/settings/delete/", {"confirm": "on"})

    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    user = User.objects.get(pk=pk)  # the row stays, so what they posted still makes sense
    assert user.username == f"former-member-{pk}"
    assert user.display_name == FORMER_MEMBER
    assert user.public_name == FORMER_MEMBER
    assert user.email == ""
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.erased_at is not None
    assert not Membership.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    request = DataRequest.objects.get(kind=DataRequest.Kind.ERASURE)
    assert request.user == user
    assert request.completed_at is not None
    assert "_auth_user_id" not in meadow_client.session
    assert meadow_client.get("/settings/").status_code == 302


def test_deleted_member_is_signed_out_on_every_device(meadow_client, meadow):
    phone = sign_in(Client(), meadow)

    meadow_client.post("/settings/delete/", {"confirm": "on"})

    response = phone.get("/settings/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(meadow.pk)
    ]


@pytest.mark.parametrize("login", ["Meadow Dad 4", "meadow@example.org", "former-member-{pk}"])
def test_deleted_member_cannot_sign_in_again(meadow_client, meadow, login):
    meadow_client.post("/settings/delete/", {"confirm": "on"})

    client = Client()
    response = client.post(
        "/accounts/login/", {"login": login.format(pk=meadow.pk), "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_account_can_be_deleted_even_if_someone_tried_to_take_its_former_member_name(
    meadow_client, meadow, org_a, worker_a
):
    batch = factories.make_join_batch(org_a, worker_a, size=1)
    Client().post(
        f"/join/{batch.codes.get().code}/",
        {"display_name": f"Former-Member-{meadow.pk}", "password": "a long enough one"},
    )

    response = meadow_client.post("/settings/delete/", {"confirm": "on"})

    assert response.status_code == 200
    meadow.refresh_from_db()
    assert meadow.username == f"former-member-{meadow.pk}"
    assert meadow.erased_at is not None


def test_deleted_members_name_is_free_for_someone_to_choose_again(meadow_client):
    meadow_client.post("/settings/delete/", {"confirm": "on"})

    form = JoinForm(
        {
            "display_name": "Meadow Dad 4",
            "password": "a long enough one",
            "email": "meadow@example.org",
        }
    )
    assert form.is_valid(), form.errors


def test_delete_without_a_recent_password_check_asks_for_one(meadow):
    client = sign_in(Client(), meadow)

    response = client.post("/settings/delete/", {"confirm": "on"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/?next=")
    meadow.refresh_from_db()
    assert meadow.erased_at is None
    assert meadow.is_active


def test_exports_are_limited_per_member(member_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "data_export": "2/h"}
    assert member_client.post("/settings/export/").status_code == 200
    assert member_client.post("/settings/export/").status_code == 200
    assert member_client.post("/settings/export/").status_code == 429
