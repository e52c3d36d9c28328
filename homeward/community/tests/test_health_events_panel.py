"""The "Events" panel on the community's front page: the next few events the member may see
(the events app's audience rules), never cancelled or finished ones, in one query however many
events there are."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import sign_in
from homeward.community import factories as community_factories
from homeward.community.models import TrustLevel
from homeward.events import services as events
from homeward.events.factories import at, make_event
from homeward.events.models import Event


def _panel(client: Client) -> str:
    page = client.get("/community/").content.decode()
    start = page.index('aria-labelledby="community-events"')
    return html.unescape(page[start : page.index("</section>", start)])


@pytest.fixture
def audiences(org_a, worker_a):
    """One event for each audience, all next week."""
    make_event(org_a, worker_a, "Everyone's coffee morning", starts_at=at(3, 10))
    make_event(
        org_a,
        worker_a,
        "Long-timers' walk",
        starts_at=at(4, 10),
        audience=Event.Audience.TRUSTED,
        min_trust=TrustLevel.MEMBER,
    )
    make_event(org_a, worker_a, "Volunteers' briefing", starts_at=at(5, 10), audience="staff")


def test_members_see_only_the_events_their_audience_allows(audiences, family, trusted_family):
    panel = _panel(sign_in(Client(), family))
    assert "Everyone's coffee morning" in panel
    assert "walk" not in panel and "briefing" not in panel

    community_factories.set_trust_level(trusted_family, TrustLevel.MEMBER)
    panel = _panel(sign_in(Client(), trusted_family))
    assert "coffee morning" in panel and "Long-timers' walk" in panel
    assert "briefing" not in panel


def test_staff_see_staff_only_events(audiences, worker_b):
    panel = _panel(sign_in(Client(), worker_b))
    assert "Volunteers' briefing" in panel


def test_the_next_three_soonest_first_without_cancelled_or_finished_ones(org_a, worker_a, family):
    make_event(org_a, worker_a, "Fourth", starts_at=at(9, 10))
    make_event(org_a, worker_a, "Second", starts_at=at(2, 10))
    make_event(org_a, worker_a, "Third", starts_at=at(6, 10))
    cancelled = make_event(org_a, worker_a, "Called off", starts_at=at(1, 10))
    events.cancel_event(worker_a, cancelled, "The room flooded")
    make_event(org_a, worker_a, "Happening now", starts_at=timezone.now() - timedelta(hours=1))
    finished = make_event(org_a, worker_a, "Over", starts_at=at(-3, 10))
    assert finished.is_over
    panel = _panel(sign_in(Client(), family))
    shown = [t for t in ("Happening now", "Second", "Third", "Fourth") if t in panel]
    assert shown == ["Happening now", "Second", "Third"]
    assert panel.index("Happening now") < panel.index("Second") < panel.index("Third")
    assert "Called off" not in panel and "Over" not in panel
    assert 'href="/events/"' in panel


def test_with_nothing_planned_the_panel_says_so(family):
    panel = _panel(sign_in(Client(), family))
    assert "No events coming up just now." in panel
    assert 'href="/events/"' in panel


def test_the_panel_costs_one_query_however_many_events(org_a, worker_a, family):
    client = sign_in(Client(), family)
    client.get("/community/")  # the first visit makes the member's standing row

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/community/").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    without = queries()
    make_event(org_a, worker_a, "Only one", starts_at=at(2, 10))
    one = queries()
    for day in range(3, 8):
        make_event(org_a, worker_a, f"Group {day}", starts_at=at(day, 10))
    many = queries()
    assert len(without) == len(one) == len(many)
    assert sum('"events_event"' in sql for sql in many) == 1
