"""My prisons: private follows, moves with "what's different", staff alerts and notifications."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.core.models import AuditEvent, Notification
from homeward.prisons import services
from homeward.prisons.models import Alert, Follow, Prison


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_member_follows_a_prison_and_sees_it_only_on_their_own_page(lewes, family, trusted_family):
    client = sign_in(Client(), family)

    response = client.post("/prisons/LWI/follow/")

    assert response.status_code == 302
    assert Follow.objects.filter(user=family, prison=lewes).exists()
    assert Prison.objects.get(code="LWI").follower_count == 1
    assert "Lewes" in text(client.get("/prisons/mine/"))
    other = text(sign_in(Client(), trusted_family).get("/prisons/mine/"))
    assert "You don't follow any prisons yet" in other
    assert 'href="/prisons/LWI/"' not in other


def test_following_twice_counts_once(lewes, family):
    assert services.follow(family, lewes)
    assert not services.follow(family, lewes)
    assert Prison.objects.get(code="LWI").follower_count == 1


def test_prison_page_never_says_who_or_how_many_follow(lewes, family, client: Client):
    services.follow(family, lewes)
    page = text(client.get("/prisons/LWI/"))
    assert family.public_name not in page
    assert "1 follower" not in page


def test_followed_prisons_for_home_page(lewes, ford, family):
    services.follow(family, ford)
    services.follow(family, lewes)
    assert [p.code for p in services.followed_prisons(family)] == ["FDI", "LWI"]


def test_transfer_moves_the_follow_and_shows_what_is_different(lewes, ford, family):
    client = sign_in(Client(), family)
    services.follow(family, lewes)

    response = client.post("/prisons/LWI/moved/", {"new_prison": "FDI"})

    assert response["Location"] == "/prisons/compare/LWI/FDI/"
    assert list(Follow.objects.filter(user=family).values_list("prison_id", flat=True)) == ["FDI"]
    page = text(client.get(response["Location"]))
    assert "What's different at Ford" in page
    assert "How to book a visit" in page
    assert "Online, through GOV.UK's visit booking service" in page  # Ford books online
    assert "By phone or e-mail (no online booking)" in page  # Lewes doesn't
    assert "Wednesday: 6pm to 8pm" in page
    assert "01903 663120" in page


def test_transfer_needs_a_different_open_prison(lewes, family):
    client = sign_in(Client(), family)
    response = client.post("/prisons/LWI/moved/", {"new_prison": "LWI"})
    assert response.status_code == 200
    assert "Choose the prison they have been moved to from the list." in text(response)
    response = client.post("/prisons/LWI/moved/", {"new_prison": "STC2"})  # closed
    assert response.status_code == 200


def test_staff_alert_shows_until_it_expires_and_tells_only_followers(
    lewes, ford, family, trusted_family, worker_a, client: Client
):
    services.follow(family, lewes)
    services.follow(trusted_family, ford)

    alert = services.post_alert(
        worker_a, lewes, "Visits are cancelled today.", timezone.now() + timedelta(hours=6)
    )

    assert "Visits are cancelled today." in text(client.get("/prisons/LWI/"))
    note = Notification.objects.get()
    assert note.recipient == family
    assert note.title == "News about visiting Lewes"
    assert AuditEvent.objects.filter(action="prisons.alert_posted").count() == 1
    services.end_alert(worker_a, alert)
    assert "Visits are cancelled today." not in text(client.get("/prisons/LWI/"))


def test_staff_post_an_alert_through_the_form(lewes, worker_a, family):
    services.follow(family, lewes)
    client = sign_in(Client(), worker_a)
    response = client.post(
        "/prisons/LWI/alert/",
        {"message": "Visits are cancelled today.", "ends_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=family).count() == 1


def test_alert_in_the_past_is_refused_with_a_message(lewes, worker_a):
    client = sign_in(Client(), worker_a)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post("/prisons/LWI/alert/", {"message": "Old news", "ends_on": yesterday})
    assert "Choose today or a day in the future." in text(response)


def test_section_edit_is_audited_and_empty_text_restores_the_national_default(
    lewes, worker_a, client: Client
):
    staff = sign_in(Client(), worker_a)
    staff.post("/prisons/LWI/guide/dress/", {"body": "No football shirts at Lewes."})
    assert "No football shirts at Lewes." in text(client.get("/prisons/LWI/"))
    staff.post("/prisons/LWI/guide/dress/", {"body": ""})
    page = text(client.get("/prisons/LWI/"))
    assert "No football shirts at Lewes." not in page
    assert "Wear everyday, comfortable clothes." in page
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["prisons.section_saved", "prisons.section_reset"]


def test_followers_hear_when_staff_change_a_section_but_not_when_saved_unchanged(
    lewes, worker_a, family
):
    services.follow(family, lewes)
    services.save_section(worker_a, lewes, "id", "Bring a passport or driving licence.")
    services.save_section(worker_a, lewes, "id", "Bring a passport or driving licence.")

    note = Notification.objects.get(recipient=family)
    assert note.title == "Visiting guide for Lewes updated: ID you need"
    assert note.url == "/prisons/LWI/#id"


def test_unknown_topic_is_404_for_staff(lewes, worker_a):
    assert sign_in(Client(), worker_a).get("/prisons/LWI/guide/nonsense/").status_code == 404


@pytest.mark.parametrize("n", [1, 12])
def test_my_prisons_page_queries_do_not_grow(prisons, family, django_assert_max_num_queries, n):
    followed = list(Prison.objects.open().order_by("code")[:n])
    for prison in followed:
        services.follow(family, prison)
        Alert.objects.create(
            prison=prison, message=f"News {prison.code}", expires_at=timezone.now() + timedelta(1)
        )
    client = sign_in(Client(), family)
    client.get("/prisons/mine/")
    with django_assert_max_num_queries(6):
        response = client.get("/prisons/mine/")
    assert response.status_code == 200
    assert f"News {followed[-1].code}" in text(response)


def test_data_export_lists_follows_and_erasure_removes_them(lewes, family):
    from homeward.core import datarights

    services.follow(family, lewes)
    exported = datarights.export_member(family)
    assert exported["prisons"]["prisons_you_follow"][0]["prison"] == "Lewes"
    datarights.erase_member(family)
    assert not Follow.objects.exists()
    assert Prison.objects.get(code="LWI").follower_count == 0


def test_followers_are_told_by_a_background_job_not_in_the_request(
    lewes, family, worker_a, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    services.follow(family, lewes)
    services.post_alert(
        worker_a, lewes, "Visits are cancelled today.", timezone.now() + timedelta(hours=6)
    )

    assert not Notification.objects.filter(recipient=family).exists()
    job = DBTaskResult.objects.get(task_path="homeward.prisons.tasks.tell_followers")
    assert job.args_kwargs["args"][0] == lewes.pk
