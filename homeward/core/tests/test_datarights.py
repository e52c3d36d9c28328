"""Data rights: a member can take away everything we hold about them, and have it erased, in one
step that either happens completely or not at all."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.test import Client

from conftest import sign_in
from homeward.accounts.models import Membership
from homeward.core import audit, datarights
from homeward.core.models import (
    AuditEvent,
    DataRequest,
    EmailFrequency,
    Notification,
    NotificationSettings,
)
from homeward.core.notifications import notify, set_email_frequency

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """Handlers registered in a test are forgotten afterwards, whatever happens."""
    monkeypatch.setattr(datarights, "_registry", dict(datarights._registry))
    return datarights._registry


@pytest.fixture
def robin(family, org_a):
    """Robin, with some history: notifications, settings and things she did on the site."""
    family.email = "robin@example.org"
    family.save(update_fields=["email"])
    set_email_frequency(family, EmailFrequency.WEEKLY)
    notify(family, kind="reply", title="Willow replied to you", url="/forum/t/3/")
    notify(family, kind="news", title="New opening times for the visitors' centre")
    audit.record(
        family, "forum.reply_posted", family, organisation=org_a, topic=3, code="short-code"
    )
    return family


# --- export -----------------------------------------------------------------------------------


def test_export_has_a_section_per_part_of_the_site(robin, registry):
    data = datarights.export_member(robin)
    assert {"core", "accounts"} <= set(data)
    assert data["exported_at"]
    assert data["about"]
    json.dumps(data)  # what we hand over is plain JSON


def test_export_core_holds_notifications_settings_activity_and_requests(robin, trusted_family):
    notify(trusted_family, kind="reply", title="Not Robin's")

    core = datarights.export_member(robin)["core"]

    assert core["notification_settings"] == {"email_frequency": "weekly"}
    assert [(n["title"], n["url"], n["read_at"]) for n in core["notifications"]] == [
        ("Willow replied to you", "/forum/t/3/", None),
        ("New opening times for the visitors' centre", "", None),
    ]
    assert core["activity_log"][0] == {
        "action": "forum.reply_posted",
        "at": core["activity_log"][0]["at"],
        "record": "accounts.user",
    }
    assert [r["kind"] for r in core["data_requests"]] == ["export"]


def test_export_activity_log_has_actions_but_never_content(robin, org_a):
    audit.record(robin, "case.note_added", robin, organisation=org_a, note_id=918273645, flag=True)

    core = datarights.export_member(robin)["core"]

    for entry in core["activity_log"]:
        assert set(entry) == {"action", "at", "record"}
    text = json.dumps(core["activity_log"])
    assert "short-code" not in text
    assert "918273645" not in text


def test_export_leaves_out_other_peoples_activity(robin, worker_a, org_a):
    audit.log_access(worker_a, robin, organisation=org_a)
    actions = [e["action"] for e in datarights.export_member(robin)["core"]["activity_log"]]
    assert "viewed" not in actions


def test_export_accounts_holds_the_member_and_memberships(robin, org_a):
    accounts = datarights.export_member(robin)["accounts"]
    assert accounts["sign_in_name"] == "Robin Mum 7"
    assert accounts["email"] == "robin@example.org"
    assert accounts["memberships"] == [
        {
            "organisation": "Sussex Families Together",
            "role": Membership.objects.get(user=robin).get_role_display(),
            "since": accounts["memberships"][0]["since"],
            "joined_with_card_from": None,
        }
    ]


def test_export_is_recorded_as_an_answered_request(robin):
    datarights.export_member(robin)

    request = DataRequest.objects.get(user=robin)
    assert request.kind == DataRequest.Kind.EXPORT
    assert request.completed_at is not None
    assert request.handlers == [h.name for h in datarights.handlers()]
    assert {"core", "accounts"} <= set(request.handlers)
    assert AuditEvent.objects.filter(
        actor=robin, action="datarights.exported", target_id=str(request.pk)
    ).exists()


def test_second_export_lists_the_first(robin):
    datarights.export_member(robin)
    core = datarights.export_member(robin)["core"]
    assert [r["kind"] for r in core["data_requests"]] == ["export", "export"]


# --- erasure ----------------------------------------------------------------------------------


def test_erase_removes_notifications_and_settings(robin, trusted_family):
    notify(trusted_family, kind="reply", title="Willow's own")

    datarights.erase_member(robin)

    assert not Notification.objects.filter(recipient=robin).exists()
    assert not NotificationSettings.objects.filter(user=robin).exists()
    # Nobody else's data goes with it.
    assert Notification.objects.filter(recipient=trusted_family).count() == 1
    assert NotificationSettings.objects.filter(user=trusted_family).exists()


def test_erase_anonymises_the_member_through_the_accounts_handler(robin):
    pk = robin.pk

    datarights.erase_member(robin)

    robin.refresh_from_db()
    assert robin.pk == pk  # the row stays so contributions show as "former member"
    assert robin.username == f"former-member-{pk}"
    assert "Robin" not in robin.display_name
    assert robin.email == ""
    assert robin.is_active is False
    assert robin.erased_at is not None
    assert not is_password_usable(robin.password)
    assert not Membership.objects.filter(user=robin).exists()


def test_erase_signs_the_member_out_everywhere(robin):
    client = sign_in(Client(), robin)
    assert "Sign out" in client.get("/").content.decode()

    datarights.erase_member(robin)

    assert "Sign out" not in client.get("/").content.decode()


def test_erase_is_recorded_with_the_handlers_that_ran(robin):
    request = datarights.erase_member(robin)

    stored = DataRequest.objects.get(pk=request.pk)
    assert stored.kind == DataRequest.Kind.ERASURE
    assert stored.completed_at is not None
    assert stored.handlers == [h.name for h in datarights.handlers()]
    # core's own data goes first; accounts anonymises the user row last.
    assert stored.handlers.index("core") < stored.handlers.index("accounts")
    assert AuditEvent.objects.filter(
        action="datarights.erasure_requested", target_id=str(request.pk)
    ).exists()


def test_erase_keeps_the_audit_log_of_what_they_did(robin):
    datarights.erase_member(robin)
    assert AuditEvent.objects.filter(actor=robin, action="forum.reply_posted").exists()


# --- handlers registered by other apps --------------------------------------------------------


def test_a_registered_handler_is_used_for_export_and_erasure(robin, registry):
    calls = []

    def export(user):
        calls.append(("export", user.pk, user.username))
        return {"posts": [{"title": "Visiting with toddlers"}]}

    def erase(user):
        # Runs before accounts anonymises the user, so it still sees who they were.
        calls.append(("erase", user.pk, user.username))

    datarights.register("forum", export=export, erase=erase, order=50)

    data = datarights.export_member(robin)
    assert data["forum"] == {"posts": [{"title": "Visiting with toddlers"}]}

    request = datarights.erase_member(robin)
    assert calls == [("export", robin.pk, "Robin Mum 7"), ("erase", robin.pk, "Robin Mum 7")]
    assert request.handlers.index("core") < request.handlers.index("forum")
    assert request.handlers.index("forum") < request.handlers.index("accounts")


@pytest.mark.parametrize("order", [50, 95], ids=["before-accounts", "after-accounts"])
def test_erasure_is_all_or_nothing(robin, registry, order):
    def broken(user):
        raise RuntimeError("the forum could not erase its part")

    datarights.register("forum", export=lambda user: {}, erase=broken, order=order)

    with pytest.raises(RuntimeError):
        datarights.erase_member(robin)

    robin.refresh_from_db()
    assert robin.username == "Robin Mum 7"
    assert robin.display_name == "Robin Mum 7"
    assert robin.email == "robin@example.org"
    assert robin.is_active is True
    assert robin.erased_at is None
    assert Membership.objects.filter(user=robin).exists()
    assert Notification.objects.filter(recipient=robin).count() == 2
    assert NotificationSettings.objects.filter(user=robin).exists()
    assert not DataRequest.objects.filter(kind=DataRequest.Kind.ERASURE).exists()


def test_a_failed_export_records_no_answered_request(robin, registry):
    def broken(user):
        raise RuntimeError("the forum could not export")

    datarights.register("forum", export=broken, erase=lambda user: None)

    with pytest.raises(RuntimeError):
        datarights.export_member(robin)
    assert not DataRequest.objects.exists()
