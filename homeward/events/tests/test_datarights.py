"""A member's answers are in their data export and go when they erase their account; a place
they held goes to the first on the waiting list."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from homeward.core import datarights
from homeward.core.models import Notification
from homeward.events import services
from homeward.events.factories import at, make_event
from homeward.events.models import RSVP, Event


def test_export_lists_the_members_answers_and_nobody_elses(
    activity_day, group_evening, family, trusted_family
):
    services.respond(family, activity_day, going=True)
    services.respond(family, group_evening, going=False)
    services.respond(trusted_family, group_evening, going=True)

    exported = datarights.export_member(family)["events"]["rsvps"]

    assert [(r["event"], r["answer"]) for r in exported] == [
        ("Children's activity day", "going"),
        ("Evening peer support group", "not_going"),
    ]


def test_erasure_removes_answers_and_frees_places(
    activity_day, family, trusted_family, peer_moderator, org_a, worker_a
):
    past = make_event(org_a, worker_a, "Last month's picnic", starts_at=at(-30, 12))
    with time_machine.travel(past.starts_at - timedelta(days=2)):
        services.respond(family, past, going=True)
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    services.respond(peer_moderator, activity_day, going=True)  # waiting

    datarights.erase_member(family)

    assert not RSVP.objects.filter(user=family).exists()
    assert RSVP.objects.get(user=peer_moderator).status == RSVP.Status.GOING
    assert Notification.objects.filter(recipient=peer_moderator, kind="events.promoted").exists()
    day = Event.objects.get(pk=activity_day.pk)
    assert (day.going_count, day.waiting_count) == (2, 0)
    assert Event.objects.get(pk=past.pk).going_count == 0
