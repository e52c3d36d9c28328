"""Staff create, change and cancel their organisation's events, see who's going and post
announcements. Bad input is answered beside the field, with what was typed kept."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from homeward.accounts.factories import make_member
from homeward.accounts.models import Role
from homeward.core.models import AuditEvent, Notification
from homeward.events import services
from homeward.events.factories import make_event
from homeward.events.models import RSVP, Announcement, Event


def text(response) -> str:
    return html.unescape(response.content.decode())


def form(**changes: Any) -> dict[str, Any]:
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "title": "Drop-in: a cuppa and a chat",
        "description": "Tea, biscuits and **someone to talk to**.",
        "start_date": day.isoformat(),
        "start_time": "10:30",
        "end_time": "12:30",
        "format": "in_person",
        "place_name": "St Anne's Community Centre",
        "address": "Lewes Road, Brighton",
        "postcode": "bn2 3hp",
        "online_link": "",
        "capacity": "",
        "audience": "everyone",
        "min_trust": "1",
    }
    return data | changes


def test_staff_create_an_in_person_event_placed_by_postcode(worker_a, org_a):
    response = sign_in(Client(), worker_a).post("/events/staff/new/", form(capacity="12"))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/"
    assert event.organisation == org_a
    assert event.postcode == "BN2 3HP"
    assert event.latitude is not None and event.longitude is not None
    assert event.capacity == 12
    assert "<strong>someone to talk to</strong>" in event.description_html
    local = timezone.localtime(event.starts_at)
    assert (local.hour, local.minute, str(local.tzinfo)) == (10, 30, "Europe/London")
    assert AuditEvent.objects.filter(action="event.created", actor=worker_a).count() == 1


def test_online_event_keeps_no_address(worker_a):
    sign_in(Client(), worker_a).post(
        "/events/staff/new/",
        form(format="online", online_link="https://meet.example.org/group"),
    )
    event = Event.objects.get()
    assert event.is_online
    assert (event.place_name, event.address, event.postcode) == ("", "", "")


def test_double_clicked_submit_creates_one_event(worker_a):
    client = sign_in(Client(), worker_a)
    first = client.post("/events/staff/new/", form())
    second = client.post("/events/staff/new/", form())
    assert Event.objects.count() == 1
    assert first["Location"] == second["Location"]
    # The same title on another day is another event.
    client.post("/events/staff/new/", form(start_time="14:00", end_time="15:00"))
    assert Event.objects.count() == 2


def test_double_clicked_announcement_posts_once(worker_a):
    client = sign_in(Client(), worker_a)
    for _ in range(2):
        client.post(
            "/events/staff/announcements/new/", {"title": "Closed", "body": "", "ends_on": ""}
        )
    assert Announcement.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "09:00"}, "end_time", "The end must be after the start."),
        ({"end_time": "10:30"}, "end_time", "The end must be after the start."),
        (
            {"start_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "start_date",
            "That time has passed. Choose a date and time to come.",
        ),
        ({"capacity": "0"}, "capacity", "Enter 1 or more, or leave it empty for no limit."),
        ({"capacity": "-3"}, "capacity", "Enter 1 or more, or leave it empty for no limit."),
        ({"place_name": ""}, "place_name", "Enter the name of the place, so people can find it."),
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "We don't recognise the postcode area ZZ99"),
        ({"format": "online"}, "online_link", "Enter the link people use to join."),
        (
            {"format": "online", "online_link": "http://meet.example.org/x"},
            "online_link",
            "Enter a secure link, starting https://",
        ),
        ({"title": ""}, "title", "Give the event a title."),
        ({"start_time": "half ten"}, "start_time", "Enter a time, e.g. 18:30."),
    ],
)
def test_bad_input_is_answered_beside_the_field_and_kept(worker_a, changes, field, message):
    data = form(**changes)
    response = sign_in(Client(), worker_a).post("/events/staff/new/", data)

    assert response.status_code == 200
    page = text(response)
    assert re_field_error(page, field, message)
    assert 'value="St Anne\'s Community Centre"' in page or field == "place_name"
    assert "Tea, biscuits and **someone to talk to**." in page
    assert not Event.objects.exists()


def re_field_error(page: str, field: str, message: str) -> bool:
    """The message sits in the field's own error paragraph (and in the summary above)."""
    return f'id="id_{field}_error"' in page and message in page


def test_staff_change_their_event_and_members_keep_their_places(activity_day, worker_a, family):
    services.respond(family, activity_day, going=True)
    start = timezone.localtime(activity_day.starts_at)
    client = sign_in(Client(), worker_a)
    assert "Children's activity day" in text(client.get(f"/events/staff/{activity_day.pk}/edit/"))

    response = client.post(
        f"/events/staff/{activity_day.pk}/edit/",
        form(
            title="Children's activity day (new hall)",
            start_date=start.date().isoformat(),
            start_time=start.strftime("%H:%M"),
            end_time="23:00",
            capacity="5",
        ),
    )

    assert response.status_code == 302
    event = Event.objects.get(pk=activity_day.pk)
    assert (event.title, event.capacity, event.going_count) == (
        "Children's activity day (new hall)",
        5,
        1,
    )


def test_capacity_below_those_going_is_refused(activity_day, worker_a, family, trusted_family):
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    start = timezone.localtime(activity_day.starts_at)
    response = sign_in(Client(), worker_a).post(
        f"/events/staff/{activity_day.pk}/edit/",
        form(
            start_date=start.date().isoformat(),
            start_time=start.strftime("%H:%M"),
            end_time="23:00",
            capacity="1",
        ),
    )
    assert response.status_code == 200
    assert "2 people are already going. Enter 2 or more, or leave it empty." in text(response)
    assert Event.objects.get(pk=activity_day.pk).capacity == 2


def test_other_organisations_staff_cannot_touch_an_event(activity_day, worker_b):
    client = sign_in(Client(), worker_b)
    for url in ("edit/", "cancel/", "attendees/", "attendees.csv"):
        assert client.get(f"/events/staff/{activity_day.pk}/{url}").status_code == 404
    assert (
        client.post(f"/events/staff/{activity_day.pk}/cancel/", {"reason": "x"}).status_code == 404
    )
    assert Event.objects.get(pk=activity_day.pk).status == Event.Status.PUBLISHED


def test_cancelling_tells_everyone_going_or_waiting_discreetly(
    org_a, worker_a, family, django_capture_on_commit_callbacks
):
    event = make_event(org_a, worker_a, "Family day at HMP Lewes", capacity=1)
    waiting = make_member("Waiting Gran 4", org_a, Role.FAMILY, email="gran@example.org")
    went_away = make_member("Changed Mind 9", org_a, Role.FAMILY)
    services.respond(family, event, going=True)
    services.respond(waiting, event, going=True)
    services.respond(went_away, event, going=False)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(Client(), worker_a).post(
            f"/events/staff/{event.pk}/cancel/", {"reason": "The hall is flooded."}
        )

    assert response.status_code == 302
    event = Event.objects.get(pk=event.pk)
    assert (event.status, event.cancel_reason) == (Event.Status.CANCELLED, "The hall is flooded.")
    told = Notification.objects.filter(kind="events.cancelled")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([family.pk, waiting.pk])
    assert all("prison" not in n.title.lower() and "HMP" not in n.title for n in told)
    assert [m.to for m in mail.outbox] == [["gran@example.org"]]
    assert "prison" not in mail.outbox[0].subject.lower()


def test_cancel_needs_a_reason(group_evening, worker_a):
    response = sign_in(Client(), worker_a).post(f"/events/staff/{group_evening.pk}/cancel/", {})
    assert "Say briefly why" in text(response)
    assert Event.objects.get(pk=group_evening.pk).status == Event.Status.PUBLISHED


def test_attendees_list_and_csv_give_display_names_only(
    activity_day, worker_a, family, trusted_family, peer_moderator, org_a
):
    sneaky = make_member("=HYPERLINK(1)", org_a, Role.FAMILY, email="sneaky@example.org")
    for member in (family, sneaky, trusted_family):
        services.respond(member, activity_day, going=True)
    client = sign_in(Client(), worker_a)

    page = text(client.get(f"/events/staff/{activity_day.pk}/attendees/"))
    assert "Robin Mum 7" in page and "Willow Nan 3" in page
    assert page.index("Robin Mum 7") < page.index("Waiting list") < page.index("Willow Nan 3")
    assert "sneaky@example.org" not in page

    response = client.get(f"/events/staff/{activity_day.pk}/attendees.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "Answer", "Since"]
    assert [r[:2] for r in rows[1:]] == [
        ["Robin Mum 7", "Going"],
        ["'=HYPERLINK(1)", "Going"],
        ["Willow Nan 3", "On the waiting list"],
    ]
    assert "sneaky@example.org" not in response.content.decode()


def test_staff_post_change_and_end_an_announcement(worker_a, family, org_a):
    client = sign_in(Client(), worker_a)
    ends_on = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        "/events/staff/announcements/new/",
        {"title": "Office closed on Monday", "body": "", "ends_on": ends_on},
    )
    assert response["Location"] == "/events/staff/"
    notice = Announcement.objects.get()
    assert notice.organisation == org_a
    assert timezone.localtime(notice.ends_at).date().isoformat() > ends_on  # to its end

    client.post(
        f"/events/staff/announcements/{notice.pk}/edit/",
        {"title": "Office closed on Tuesday", "body": "", "ends_on": ""},
    )
    notice.refresh_from_db()
    assert (notice.title, notice.ends_at) == ("Office closed on Tuesday", None)
    assert "Office closed on Tuesday" in text(sign_in(Client(), family).get("/events/"))

    client.post(f"/events/staff/announcements/{notice.pk}/end/")
    assert "Office closed on Tuesday" not in text(sign_in(Client(), family).get("/events/"))


def test_announcement_cannot_end_in_the_past(worker_a):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = sign_in(Client(), worker_a).post(
        "/events/staff/announcements/new/", {"title": "Old", "body": "", "ends_on": yesterday}
    )
    assert "Choose today or a day to come." in text(response)
    assert not Announcement.objects.exists()


def test_announcement_ends_by_itself(org_a, worker_a, family):
    services.post_announcement(
        worker_a,
        org_a,
        title="Yesterday's news",
        body="",
        ends_at=timezone.now() - timedelta(minutes=1),
    )
    assert "Yesterday's news" not in text(sign_in(Client(), family).get("/events/"))


def test_cancelled_event_cannot_be_edited(group_evening, worker_a):
    services.cancel_event(worker_a, group_evening, "Unwell")
    response = sign_in(Client(), worker_a).get(f"/events/staff/{group_evening.pk}/edit/")
    assert response.status_code == 302
    assert RSVP.objects.count() == 0


def test_moving_an_event_tells_those_going_and_reminds_them_again(
    group_evening, worker_a, family, trusted_family
):
    services.respond(family, group_evening, going=True)
    services.respond(trusted_family, group_evening, going=False)
    RSVP.objects.filter(user=family).update(reminded_at=timezone.now())
    later = group_evening.starts_at + timedelta(days=1)

    services.update_event(
        worker_a,
        group_evening,
        {"starts_at": later, "ends_at": later + timedelta(hours=2), "title": "Renamed"},
    )

    told = Notification.objects.filter(kind="events.changed")
    assert list(told.values_list("recipient_id", flat=True)) == [family.pk]
    assert RSVP.objects.get(user=family).reminded_at is None


def test_a_new_title_alone_tells_nobody(group_evening, worker_a, family):
    services.respond(family, group_evening, going=True)
    services.update_event(worker_a, group_evening, {"title": "Evening group"})
    assert not Notification.objects.filter(kind="events.changed").exists()


def test_browser_title_of_an_event_names_neither_place_nor_title(org_a, worker_a, family):
    event = make_event(org_a, worker_a, "Family day at HMP Lewes")
    page = text(sign_in(Client(), family).get(f"/events/{event.pk}/"))
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("An event on ")
    assert "Lewes" not in title and "HMP" not in title


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [("2027-03-27", 10), ("2027-03-29", 9), ("2027-10-30", 9), ("2027-11-01", 10)],
)
def test_times_are_typed_in_uk_time_either_side_of_the_clocks_changing(worker_a, day, utc_hour):
    with time_machine.travel("2027-03-01 12:00Z"):
        sign_in(Client(), worker_a).post("/events/staff/new/", form(start_date=day))
    event = Event.objects.get()
    assert event.starts_at.astimezone(UTC).hour == utc_hour
    assert timezone.localtime(event.starts_at).hour == 10
