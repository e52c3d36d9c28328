"""The events pages as members and staff use them: who sees what, going without JavaScript, the
joining link, the calendar file, and query counts that do not grow with the list."""

from __future__ import annotations

import html
from datetime import UTC, timedelta

from django.test import Client

from conftest import sign_in
from homeward.accounts.factories import make_member
from homeward.accounts.models import Role
from homeward.community.factories import set_trust_level
from homeward.community.models import TrustLevel
from homeward.events import services
from homeward.events.factories import at, make_announcement, make_event
from homeward.events.models import RSVP, Event

LINK = "https://meet.example.org/homeward-group"


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_visitors_see_nothing_of_events(client: Client, group_evening):
    response = client.get("/events/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get(f"/events/{group_evening.pk}/").status_code == 302
    assert client.get(f"/events/{group_evening.pk}/calendar.ics").status_code == 302
    assert "Evening peer support group" not in text(client.get("/"))


def test_member_sees_upcoming_events_soonest_first_and_past_ones_a_link_away(
    org_a, worker_a, family
):
    make_event(org_a, worker_a, "Later drop-in", starts_at=at(9, 10))
    make_event(org_a, worker_a, "Sooner group", starts_at=at(2, 19))
    make_event(org_a, worker_a, "Summer picnic", starts_at=at(-20, 12))
    client = sign_in(Client(), family)

    page = text(client.get("/events/"))
    assert page.index("Sooner group") < page.index("Later drop-in")
    assert "Summer picnic" not in page
    assert 'href="/events/past/"' in page
    assert "Summer picnic" in text(client.get("/events/past/"))


def test_staff_only_event_is_hidden_from_families_and_open_to_any_staff(
    org_a, worker_a, family, peer_moderator, worker_b
):
    event = make_event(org_a, worker_a, "Volunteers' briefing", audience=Event.Audience.STAFF)
    assert sign_in(Client(), family).get(f"/events/{event.pk}/").status_code == 404
    assert sign_in(Client(), peer_moderator).get(f"/events/{event.pk}/").status_code == 404
    assert "Volunteers' briefing" not in text(sign_in(Client(), family).get("/events/"))
    assert sign_in(Client(), worker_b).get(f"/events/{event.pk}/").status_code == 200


def test_trust_level_event_opens_at_its_level(org_a, worker_a, family, trusted_family):
    event = make_event(
        org_a, worker_a, "Grandparents' group", audience=Event.Audience.TRUSTED, min_trust=2
    )
    set_trust_level(family, TrustLevel.BASIC)
    set_trust_level(trusted_family, TrustLevel.MEMBER)
    assert sign_in(Client(), family).get(f"/events/{event.pk}/").status_code == 404
    assert (
        sign_in(Client(), family).post(f"/events/{event.pk}/rsvp/", {"going": "yes"}).status_code
        == 404
    )
    assert not RSVP.objects.exists()
    assert sign_in(Client(), trusted_family).get(f"/events/{event.pk}/").status_code == 200


def test_unknown_event_answers_404(family):
    assert sign_in(Client(), family).get("/events/999999/").status_code == 404


def test_member_says_going_without_javascript_and_then_sees_the_joining_link(group_evening, family):
    client = sign_in(Client(), family)
    before = text(client.get(f"/events/{group_evening.pk}/"))
    assert LINK not in before
    assert "The joining link shows here once you say you're going" in before

    response = client.post(f"/events/{group_evening.pk}/rsvp/", {"going": "yes"}, follow=True)

    page = text(response)
    assert "You're going. We'll send you a reminder the day before." in page
    assert LINK in page
    assert RSVP.objects.get(user=family).status == RSVP.Status.GOING

    page = text(client.post(f"/events/{group_evening.pk}/rsvp/", {"going": "no"}, follow=True))
    assert "not going" in page
    assert LINK not in page


def test_waiting_list_member_does_not_see_the_link(org_a, worker_a, family, trusted_family):
    event = make_event(org_a, worker_a, "Small online group", online=True, capacity=1)
    services.respond(trusted_family, event, going=True)
    client = sign_in(Client(), family)
    page = text(client.post(f"/events/{event.pk}/rsvp/", {"going": "yes"}, follow=True))
    assert "you're on the waiting list" in page
    assert LINK not in page


def test_page_shows_how_many_are_going_but_never_who(
    activity_day, family, trusted_family, peer_moderator
):
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    page = text(sign_in(Client(), peer_moderator).get(f"/events/{activity_day.pk}/"))
    assert "0 of 2 left" in page
    assert "2 going" in page
    assert "Join the waiting list" in page
    assert family.public_name not in page
    assert trusted_family.public_name not in page


def test_bad_rsvp_answer_changes_nothing(group_evening, family):
    response = sign_in(Client(), family).post(
        f"/events/{group_evening.pk}/rsvp/", {"going": "maybe"}, follow=True
    )
    assert "Choose going or not going." in text(response)
    assert not RSVP.objects.exists()


def test_rsvp_after_cancellation_is_refused_plainly(group_evening, worker_a, family):
    services.cancel_event(worker_a, group_evening, "The volunteer is unwell.")
    client = sign_in(Client(), family)
    page = text(client.get(f"/events/{group_evening.pk}/"))
    assert "This event is cancelled." in page
    assert "The volunteer is unwell." in page
    assert "I'm going" not in page
    response = client.post(f"/events/{group_evening.pk}/rsvp/", {"going": "yes"}, follow=True)
    assert "This event was cancelled. You can't change your answer now." in text(response)
    assert not RSVP.objects.exists()


def test_calendar_file_is_utc_and_holds_the_link_only_for_those_going(group_evening, family):
    client = sign_in(Client(), family)
    response = client.get(f"/events/{group_evening.pk}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    start = group_evening.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in body
    assert "SUMMARY:Evening peer support group" in body
    assert "meet.example.org" not in body

    services.respond(family, group_evening, going=True)
    body = client.get(f"/events/{group_evening.pk}/calendar.ics").content.decode()
    assert "meet.example.org" in body.replace("\r\n ", "")


def test_organisers_see_the_link_and_their_tools_other_staff_do_not(
    group_evening, worker_a, worker_b
):
    own = text(sign_in(Client(), worker_a).get(f"/events/{group_evening.pk}/"))
    assert LINK in own
    assert "Cancel this event" in own
    other = text(sign_in(Client(), worker_b).get(f"/events/{group_evening.pk}/"))
    assert LINK not in other
    assert "Cancel this event" not in other


def test_announcements_show_on_events_and_home_until_they_end(org_a, worker_a, family):
    make_announcement(org_a, worker_a, "Office closed on Monday", body="Back on **Tuesday**.")
    ended = make_announcement(org_a, worker_a, "Old news")
    services.withdraw_announcement(worker_a, ended)
    client = sign_in(Client(), family)
    events_page = text(client.get("/events/"))
    assert "Office closed on Monday" in events_page
    assert "<strong>Tuesday</strong>" in events_page
    assert "Old news" not in events_page
    assert "Office closed on Monday" in text(client.get("/"))


def test_query_counts_do_not_grow_with_the_lists(
    org_a, worker_a, family, django_assert_max_num_queries
):
    client = sign_in(Client(), family)
    staff = sign_in(Client(), worker_a)

    def counts(n: int) -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        have = Event.objects.filter(title__startswith="Group").count()
        for i in range(have, n):
            event = make_event(org_a, worker_a, f"Group {i}", starts_at=at(1 + i % 20, 10))
            make_event(org_a, worker_a, f"Old group {i}", starts_at=at(-1 - i, 10))
            services.respond(family, event, going=bool(i % 2))
        first = Event.objects.order_by("pk").first()
        assert first is not None
        for i in range(RSVP.objects.filter(event=first).count(), n):
            services.respond(make_member(f"Guest {i}", org_a, Role.FAMILY), first, going=True)
        found = []
        for who, url in (
            (client, "/events/"),
            (client, "/events/past/"),
            (client, f"/events/{first.pk}/"),
            (staff, "/events/staff/"),
            (staff, f"/events/staff/{first.pk}/attendees/"),
            (staff, f"/events/staff/{first.pk}/attendees.csv"),
        ):
            who.get(url)  # warm
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            found.append(len(queries))
        return found

    assert counts(1) == counts(25)
    with django_assert_max_num_queries(8):
        client.get("/events/")


def test_page_two_of_events_and_a_bad_page_number(org_a, worker_a, family):
    for i in range(22):
        make_event(org_a, worker_a, f"Session {i:02}", starts_at=at(1, 8) + timedelta(minutes=i))
    client = sign_in(Client(), family)
    first = text(client.get("/events/"))
    assert "Session 19" in first and "Session 20" not in first
    assert "Session 21" in text(client.get("/events/?page=2"))
    assert client.get("/events/?page=9").status_code == 404
    assert client.get("/events/?page=x").status_code == 404
