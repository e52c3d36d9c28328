"""The landing page: a member's next three events and current announcements, in one query;
visitors see nothing of events."""

from __future__ import annotations

import html

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from conftest import sign_in
from homeward.community.factories import set_trust_level
from homeward.community.models import TrustLevel
from homeward.events import services
from homeward.events.factories import at, make_announcement, make_event
from homeward.events.models import Event


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_member_sees_the_next_three_events_they_may_see(org_a, worker_a, family):
    for days, title in ((4, "Fourth soonest"), (1, "Soonest"), (2, "Second"), (3, "Third")):
        make_event(org_a, worker_a, title, starts_at=at(days, 10))
    make_event(org_a, worker_a, "Staff briefing", starts_at=at(1, 8), audience=Event.Audience.STAFF)
    make_event(org_a, worker_a, "Yesterday", starts_at=at(-1, 10))
    cancelled = make_event(org_a, worker_a, "Called off", starts_at=at(1, 9))
    services.cancel_event(worker_a, cancelled, "Unwell")
    make_announcement(org_a, worker_a, "Office closed on Monday")

    page = text(sign_in(Client(), family).get("/"))

    assert "Events coming up" in page
    assert page.index("Soonest") < page.index("Second") < page.index("Third")
    for hidden in ("Fourth soonest", "Staff briefing", "Yesterday", "Called off"):
        assert hidden not in page
    assert "Office closed on Monday" in page


def test_trust_level_events_show_from_their_level(org_a, worker_a, family):
    make_event(org_a, worker_a, "Regulars' evening", audience=Event.Audience.TRUSTED, min_trust=2)
    client = sign_in(Client(), family)
    assert "Regulars' evening" not in text(client.get("/"))
    set_trust_level(family, TrustLevel.MEMBER)
    assert "Regulars' evening" in text(client.get("/"))


def test_visitors_see_no_events_or_announcements(client: Client, org_a, worker_a):
    make_event(org_a, worker_a, "Open evening")
    make_announcement(org_a, worker_a, "Office closed on Monday")
    page = text(client.get("/"))
    assert "Open evening" not in page
    assert "Office closed on Monday" not in page
    assert "Events coming up" not in page
    assert services.home_items(AnonymousUser()) == {
        "events": [],
        "announcements": [],
    }


def test_panel_costs_two_queries_whatever_the_numbers(
    org_a, worker_a, family, peer_moderator, worker_b, django_assert_num_queries
):
    for i in range(6):
        make_event(org_a, worker_a, f"Group {i}", starts_at=at(1 + i, 10), online=bool(i % 2))
        make_announcement(org_a, worker_a, f"Notice {i}")
    for user in (family, peer_moderator, worker_b):
        from homeward.accounts.policies import memberships

        memberships(user)  # read once per request by the page before any panel
        with django_assert_num_queries(2):  # the events, then the announcements
            found = services.home_items(user)
        assert [e.title for e in found["events"]] == ["Group 0", "Group 1", "Group 2"]
        assert [a.title for a in found["announcements"]] == ["Notice 5", "Notice 4", "Notice 3"]
        assert found["events"][1].where == "Online"
