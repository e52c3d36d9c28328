"""The demo events that `manage.py seed_demo` adds."""

from __future__ import annotations

from homeward.events.factories import seed_events
from homeward.events.models import Announcement, Event


def test_seed_events_adds_a_realistic_set_once(org_a, worker_a):
    seed_events(org_a, worker_a)
    seed_events(org_a, worker_a)

    events = list(Event.objects.order_by("starts_at"))
    assert len(events) == 4
    assert {e.format for e in events} == {Event.Format.ONLINE, Event.Format.IN_PERSON}
    assert any(e.capacity for e in events)
    assert all(not e.has_started and e.organisation == org_a for e in events)
    assert all(e.description_html for e in events)
    assert Announcement.objects.current().count() == 1
