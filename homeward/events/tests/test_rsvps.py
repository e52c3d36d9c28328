"""Going, not going, the waiting list and capacity: never more people going than places."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from homeward.accounts.factories import make_member
from homeward.accounts.models import Role
from homeward.core.models import AuditEvent, Notification
from homeward.events import services
from homeward.events.models import RSVP, Event


def fresh(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def test_going_takes_a_place_and_counts_it(activity_day, family):
    rsvp = services.respond(family, activity_day, going=True)
    assert rsvp.status == RSVP.Status.GOING
    assert fresh(activity_day).going_count == 1
    assert AuditEvent.objects.filter(action="event.rsvp_going", actor=family).count() == 1


def test_double_click_makes_one_rsvp_and_one_place(activity_day, family):
    services.respond(family, activity_day, going=True)
    services.respond(family, activity_day, going=True)
    assert RSVP.objects.filter(event=activity_day, user=family).count() == 1
    assert fresh(activity_day).going_count == 1


def test_when_full_the_next_member_goes_on_the_waiting_list(
    activity_day, family, trusted_family, peer_moderator
):
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    third = services.respond(peer_moderator, activity_day, going=True)
    assert third.status == RSVP.Status.WAITING
    event = fresh(activity_day)
    assert (event.going_count, event.waiting_count) == (2, 1)


def test_a_stale_copy_of_the_event_cannot_overbook(activity_day, family, trusted_family, org_a):
    """The page read the event when it had room; by the time of the click it is full."""
    stale = fresh(activity_day)
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    late = make_member("Late Dad 1", org_a, Role.FAMILY)
    assert services.respond(late, stale, going=True).status == RSVP.Status.WAITING
    assert fresh(activity_day).going_count == 2


def test_dropping_out_promotes_the_first_waiting_and_tells_them(
    activity_day, family, trusted_family, peer_moderator, org_a
):
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    services.respond(peer_moderator, activity_day, going=True)  # first on the list
    later = make_member("Later Mum 2", org_a, Role.FAMILY)
    services.respond(later, activity_day, going=True)  # second on the list

    services.respond(family, activity_day, going=False)

    statuses = dict(RSVP.objects.filter(event=activity_day).values_list("user_id", "status"))
    assert statuses[peer_moderator.pk] == RSVP.Status.GOING
    assert statuses[later.pk] == RSVP.Status.WAITING
    assert statuses[family.pk] == RSVP.Status.NOT_GOING
    event = fresh(activity_day)
    assert (event.going_count, event.waiting_count) == (2, 1)
    note = Notification.objects.get(recipient=peer_moderator, kind="events.promoted")
    assert note.url == f"/events/{activity_day.pk}/"
    assert not Notification.objects.filter(recipient=later, kind="events.promoted").exists()


def test_leaving_the_waiting_list_promotes_nobody(
    activity_day, family, trusted_family, peer_moderator
):
    services.respond(family, activity_day, going=True)
    services.respond(trusted_family, activity_day, going=True)
    services.respond(peer_moderator, activity_day, going=True)
    services.respond(peer_moderator, activity_day, going=False)
    event = fresh(activity_day)
    assert (event.going_count, event.waiting_count) == (2, 0)
    assert not Notification.objects.filter(kind="events.promoted").exists()


def test_saying_not_going_twice_counts_nothing(group_evening, family):
    services.respond(family, group_evening, going=False)
    services.respond(family, group_evening, going=False)
    assert fresh(group_evening).going_count == 0
    assert RSVP.objects.get(user=family).status == RSVP.Status.NOT_GOING


def test_raising_capacity_gives_places_to_the_waiting_list(
    activity_day, worker_a, family, trusted_family, peer_moderator
):
    for member in (family, trusted_family, peer_moderator):
        services.respond(member, activity_day, going=True)
    services.update_event(worker_a, activity_day, {"capacity": 3})
    assert RSVP.objects.get(user=peer_moderator).status == RSVP.Status.GOING
    assert (fresh(activity_day).going_count, fresh(activity_day).waiting_count) == (3, 0)


def test_capacity_cannot_go_below_those_already_going(activity_day, worker_a, family):
    services.respond(family, activity_day, going=True)
    with pytest.raises(services.CapacityTooLow):
        services.update_event(worker_a, activity_day, {"capacity": 0})
    assert fresh(activity_day).capacity == 2


def test_no_answers_once_cancelled_or_started(group_evening, worker_a, family):
    services.cancel_event(worker_a, group_evening, "The volunteer is unwell.")
    with pytest.raises(services.EventClosed):
        services.respond(family, fresh(group_evening), going=True)
    assert not RSVP.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a server database for real concurrency"
)
def test_two_people_at_once_never_take_more_places_than_there_are(org_a, worker_a):
    """Eight members press "I'm going" at the same moment for two places."""
    from homeward.events.factories import make_event

    event = make_event(org_a, worker_a, "Popular day", capacity=2)
    members = [make_member(f"Rush {i}", org_a, Role.FAMILY) for i in range(8)]
    start = threading.Barrier(len(members))
    errors: list[BaseException] = []

    def press(user) -> None:
        try:
            start.wait()
            services.respond(user, event, going=True)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    event = fresh(event)
    assert RSVP.objects.filter(event=event, status=RSVP.Status.GOING).count() == 2
    assert (event.going_count, event.waiting_count) == (2, 6)
