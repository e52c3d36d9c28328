"""Drafts: an unfinished reply (or new conversation) is kept on the server, restored when the
member comes back, removed when they post or discard it, and is theirs (export, erasure)."""

from __future__ import annotations

from django.test import Client

from conftest import sign_in
from homeward.community import drafts, services
from homeward.community.models import Draft
from homeward.core import datarights

AUTOSAVE = {"X-Homeward-Autosave": "1"}


def test_save_draft_button_keeps_the_reply_and_the_page_restores_it(family, topic):
    client = sign_in(Client(), family)
    response = client.post(f"/community/t/{topic.pk}/draft/", {"body": "Bring your ID and"})
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}#reply-title"
    assert Draft.objects.get(user=family, topic=topic).body == "Bring your ID and"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Restored your draft from" in page
    assert "Bring your ID and</textarea>" in page
    assert "Discard draft" in page


def test_autosave_answers_no_content_and_updates_the_one_draft(family, topic):
    client = sign_in(Client(), family)
    for body in ("Bring", "Bring your ID"):
        response = client.post(f"/community/t/{topic.pk}/draft/", {"body": body}, headers=AUTOSAVE)
        assert response.status_code == 204
    assert list(Draft.objects.filter(user=family).values_list("body", flat=True)) == [
        "Bring your ID"
    ]


def test_without_a_draft_the_reply_box_is_empty(family, topic):
    page = sign_in(Client(), family).get(topic.get_absolute_url()).content.decode()
    assert "Restored your draft" not in page
    assert "Save draft" in page


def test_drafts_are_private_to_their_writer(family, regular, topic):
    drafts.save_reply_draft(family, topic, "Only mine")
    page = sign_in(Client(), regular).get(topic.get_absolute_url()).content.decode()
    assert "Only mine" not in page
    assert "Restored your draft" not in page


def test_posting_the_reply_removes_the_draft(family, topic):
    client = sign_in(Client(), family)
    client.post(f"/community/t/{topic.pk}/draft/", {"body": "Bring your ID"})
    assert (
        client.post(f"/community/t/{topic.pk}/reply/", {"body": "Bring your ID."}).status_code
        == 302
    )
    assert not Draft.objects.filter(user=family).exists()


def test_a_refused_reply_keeps_the_draft(family, topic):
    drafts.save_reply_draft(family, topic, "Bring your ID")
    client = sign_in(Client(), family)
    assert client.post(f"/community/t/{topic.pk}/reply/", {"body": "   "}).status_code == 400
    assert Draft.objects.filter(user=family).exists()


def test_discarding_removes_the_draft_and_an_empty_save_removes_it_too(family, topic):
    client = sign_in(Client(), family)
    drafts.save_reply_draft(family, topic, "Bring your ID")
    client.post(f"/community/t/{topic.pk}/draft/", {"discard": "1"})
    assert not Draft.objects.filter(user=family).exists()
    drafts.save_reply_draft(family, topic, "Bring your ID")
    client.post(f"/community/t/{topic.pk}/draft/", {"body": "  "}, headers=AUTOSAVE)
    assert not Draft.objects.filter(user=family).exists()


def test_no_draft_where_the_member_cannot_reply(family, topic, worker_a, staff_room):
    hidden = services.create_topic(worker_a, staff_room, title="Rota please", body="Who can cover?")
    client = sign_in(Client(), family)
    assert client.post(f"/community/t/{hidden.pk}/draft/", {"body": "x"}).status_code == 404
    topic.closed_at = topic.created_at
    topic.save(update_fields=["closed_at"])
    assert client.post(f"/community/t/{topic.pk}/draft/", {"body": "x"}).status_code == 404
    assert not Draft.objects.exists()


def test_a_draft_too_long_to_keep_is_refused_without_a_write(family, topic):
    client = sign_in(Client(), family)
    response = client.post(
        f"/community/t/{topic.pk}/draft/", {"body": "x" * 20_001}, headers=AUTOSAVE
    )
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_pages_before_the_last_link_to_the_unsent_reply(family, regular, topic):
    for n in range(25):
        services.post_reply(regular, topic, f"Update {n}")
    drafts.save_reply_draft(family, topic, "Half written")
    page = sign_in(Client(), family).get(topic.get_absolute_url()).content.decode()
    assert "Carry on writing it" in page
    assert "Half written" not in page


def test_a_new_conversation_draft_is_kept_restored_and_removed_on_posting(family, visits):
    client = sign_in(Client(), family)
    response = client.post(
        "/community/c/visits/new/draft/", {"title": "First visit", "body": "What do I"}
    )
    assert response.status_code == 302
    page = client.get("/community/c/visits/new/").content.decode()
    assert "Restored your draft from" in page
    assert 'value="First visit"' in page
    assert "What do I</textarea>" in page
    client.post(
        "/community/c/visits/new/", {"title": "First visit soon", "body": "What do I bring?"}
    )
    assert not Draft.objects.filter(user=family).exists()


def test_drafts_are_in_the_export_and_gone_after_erasure(family, topic, visits):
    drafts.save_reply_draft(family, topic, "Bring your ID")
    drafts.save_topic_draft(family, visits, title="Help", body="")
    data = datarights.export_member(family)["community"]["drafts"]
    assert [(d["conversation"], d["new_conversation_in"], d["text"]) for d in data] == [
        ("First visit next week", None, "Bring your ID"),
        (None, "Visits and keeping in touch", ""),
    ]
    datarights.erase_member(family)
    assert not Draft.objects.exists()


def test_autosaves_are_rate_limited_per_member(family, topic, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "community_draft": "2/10m"}
    client = sign_in(Client(), family)
    url = f"/community/t/{topic.pk}/draft/"
    statuses = [client.post(url, {"body": f"v{n}"}, headers=AUTOSAVE).status_code for n in range(3)]
    assert statuses == [204, 204, 429]
    assert Draft.objects.get(user=family).body == "v1"
