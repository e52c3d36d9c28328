"""Events for tests and for `manage.py seed_demo`, made through the services (so counters, the
rendered description and the audit log are what the site itself would write)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from homeward.core import geo
from homeward.events import services
from homeward.events.models import Announcement, Event

if TYPE_CHECKING:
    from homeward.accounts.models import Organisation, User


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A UK time `days` from today, e.g. at(3, 19) is 7pm in three days."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_event(
    organisation: Organisation,
    creator: User,
    title: str = "Parents' evening group",
    *,
    starts_at: datetime | None = None,
    hours: float = 2,
    online: bool = False,
    capacity: int | None = None,
    audience: str = Event.Audience.EVERYONE,
    min_trust: int = 0,
    description: str = "",
    place_name: str = "The Friends Meeting House",
    address: str = "Ship Street, Brighton",
    postcode: str = "BN1 1AF",
) -> Event:
    starts_at = starts_at or at(7, 18, 30)
    details: dict[str, Any] = {
        "title": title,
        "description": description,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=hours),
        "format": Event.Format.ONLINE if online else Event.Format.IN_PERSON,
        "capacity": capacity,
        "audience": audience,
        "min_trust": min_trust,
    }
    if online:
        details["online_link"] = "https://meet.example.org/homeward-group"
    else:
        place = geo.locate(postcode)
        details |= {
            "place_name": place_name,
            "address": address,
            "postcode": place.postcode,
            "latitude": place.point.latitude,
            "longitude": place.point.longitude,
        }
    return services.create_event(creator, organisation, details)


def make_announcement(
    organisation: Organisation,
    creator: User,
    title: str = "Our office is closed on Monday",
    *,
    body: str = "",
    ends_at: datetime | None = None,
) -> Announcement:
    return services.post_announcement(
        creator, organisation, title=title, body=body, ends_at=ends_at
    )


def seed_events(organisation: Organisation, staff: User) -> None:
    """A few upcoming events and one announcement, as a family-support charity would post them.
    Adds nothing when the organisation already has events."""
    if Event.objects.filter(organisation=organisation).exists():
        return
    make_event(
        organisation,
        staff,
        "Evening peer support group (online)",
        starts_at=at(2, 19),
        hours=1.5,
        online=True,
        description=(
            "An hour and a half with other families who understand, led by two of our "
            "trained volunteers. Camera on or off, just listening is fine.\n\n"
            "- What's been hard this week\n- What has helped\n- Questions about visits"
        ),
    )
    make_event(
        organisation,
        staff,
        "Drop-in: a cuppa and a chat",
        starts_at=at(5, 10, 30),
        hours=2,
        place_name="St Anne's Community Centre",
        address="Lewes Road, Brighton",
        postcode="BN2 3HP",
        description=(
            "Come along for a cup of tea. One of our family support workers is there for "
            "help with visits, money or talking to children. No need to book."
        ),
    )
    make_event(
        organisation,
        staff,
        "Children's activity day",
        starts_at=at(12, 10),
        hours=5,
        capacity=12,
        place_name="Hove Park Pavilion",
        address="Goldstone Crescent, Hove",
        postcode="BN3 7BF",
        description=(
            "Games, crafts and lunch for children aged 5 to 12 with someone in prison, and "
            "their grown-ups. **Places are limited**: say you're going so we can plan lunch."
        ),
    )
    make_event(
        organisation,
        staff,
        "Grandparents' group (online)",
        starts_at=at(9, 14),
        hours=1,
        online=True,
        audience=Event.Audience.TRUSTED,
        min_trust=1,
        description="For grandparents bringing up grandchildren. A gentle, small group.",
    )
    make_announcement(
        organisation,
        staff,
        "New: an evening group every Tuesday",
        body="Our online peer support group now meets every Tuesday at 7pm. Everyone is welcome.",
        ends_at=at(21, 0),
    )
