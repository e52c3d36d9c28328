"""A case is visible only inside its organisation and, inside it, by role; everyone else gets
404. Every staff read of a case, note or file is logged; managers see who viewed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import sign_in
from homeward.accounts import factories as people
from homeward.accounts.models import Role
from homeward.casework.models import Case
from homeward.casework.services import cases as actions
from homeward.core.models import AuditEvent


@pytest.fixture
def worker_a2(org_a):
    """A second prison-based worker in organisation A: worker_a's team."""
    return people.make_member("worker-a2", org_a, Role.SUPPORT_WORKER)


def test_visible_to_follows_organisation_and_role(
    case_a, worker_a, worker_a2, advocate_a, manager_a, orgadmin_a, worker_b, platform_admin, family
):
    def sees(user):
        return list(Case.objects.visible_to(user)) == [case_a]

    assert sees(worker_a) and sees(worker_a2) and sees(manager_a) and sees(orgadmin_a)
    assert not sees(advocate_a)  # another team (community advocates)
    assert not sees(worker_b) and not sees(platform_admin) and not sees(family)


@pytest.mark.parametrize("who", ["worker_b", "platform_admin", "advocate_a", "family"])
def test_outsiders_get_404_on_the_case_and_its_records(client, request, case_a, worker_a, who):
    note = actions.add_note(worker_a, case_a, kind="phone", body="Rang Steph", sensitive=False)
    sign_in(client, request.getfixturevalue(who))
    for url in (
        reverse("casework:case", args=[case_a.pk]),
        reverse("casework:note", args=[note.pk]),
        reverse("casework:note_add", args=[case_a.pk]),
        reverse("casework:case_close", args=[case_a.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("casework:note_add", args=[case_a.pk]), {"body": "x"}).status_code
        == 404
    )
    assert case_a.notes.count() == 1


def test_sensitive_notes_open_for_the_assigned_worker_and_managers_only(
    client, case_a, worker_a, worker_a2, manager_a
):
    note = actions.add_note(
        worker_a, case_a, kind="note", body="Disclosed domestic abuse", sensitive=True
    )
    url = reverse("casework:note", args=[note.pk])
    sign_in(client, worker_a2)
    case_page = client.get(reverse("casework:case", args=[case_a.pk])).content.decode()
    assert "Disclosed domestic abuse" not in case_page
    assert client.get(url).status_code == 404
    for user in (worker_a, manager_a):
        sign_in(client, user)
        assert (
            "Disclosed domestic abuse"
            not in client.get(reverse("casework:case", args=[case_a.pk])).content.decode()
        )
        assert "Disclosed domestic abuse" in client.get(url).content.decode()
    views = AuditEvent.objects.views().filter(target_type="casework.note", target_id=str(note.pk))
    assert {e.actor for e in views} == {worker_a, manager_a}


def test_every_read_is_logged_and_managers_see_who_viewed(client, case_a, worker_a, manager_a):
    sign_in(client, worker_a)
    client.get(reverse("casework:case", args=[case_a.pk]))
    event = AuditEvent.objects.views().get(target_type="casework.case")
    assert event.actor == worker_a and event.organisation == case_a.organisation
    viewers = reverse("casework:case_viewers", args=[case_a.pk])
    assert client.get(viewers).status_code == 404  # workers don't get the tab
    sign_in(client, manager_a)
    page = client.get(viewers).content.decode()
    assert "worker-a" in page


def test_files_are_private_checked_and_logged(client, case_a, worker_a, worker_b, settings):
    sign_in(client, worker_a)
    add = reverse("casework:attachment_add", args=[case_a.pk])
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    assert client.post(add, {"file": pdf}).status_code == 302
    attachment = case_a.attachments.get()
    assert "/private/casework/" in attachment.file.path
    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="private"):
        attachment.file.url  # noqa: B018
    fake = SimpleUploadedFile("photo.jpg", b"MZ not a photo", content_type="image/jpeg")
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    assert "isn&#x27;t what its name says" in client.post(add, {"file": fake}).content.decode()
    assert "can&#x27;t be kept here" in client.post(add, {"file": exe}).content.decode()
    settings_max = 10 * 1024 * 1024
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF" + b"0" * settings_max, content_type="application/pdf"
    )
    assert "larger than 10 MB" in client.post(add, {"file": big}).content.decode()
    assert case_a.attachments.count() == 1
    url = reverse("casework:attachment", args=[attachment.pk])
    response = client.get(url)
    assert (
        response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 letter"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.views().filter(target_type="casework.attachment").count() == 1
    sign_in(client, worker_b)
    assert client.get(url).status_code == 404
