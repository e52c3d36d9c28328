"""Permission-matrix entries for events (merged by homeward/core/tests/matrix.py).

Events are for signed-in people: visitors are sent to sign in. Members see the events their
audience allows; an event someone may not see answers 404. Organisation A's staff run A's
events (B's worker and the platform admin get 404 on A's staff pages). Nobody but the family
member sees that they are going, and the joining link shows only to people going and the
organisers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from homeward.core.tests.matrix import (
    NOT_ALLOWED,
    ORG_A_RECORD,
    ORG_STAFF,
    SIGNED_IN,
    SIGNED_IN_ROLES,
    STAFF,
    STAFF_A,
    TO_LOGIN,
    Entry,
    PostCheck,
    Scene,
    WrongMethod,
    answers,
    ceilings,
    override,
    redirect,
)
from homeward.events import services
from homeward.events.factories import at, make_announcement, make_event
from homeward.events.models import RSVP, Announcement, Event

LINK = "https://meet.example.org/homeward-group"
GROUP = "Matrix evening group"
STAFF_BRIEFING = "Matrix staff briefing"
TRUSTED_ONLY = "Matrix grandparents' group"
NOTICE = "Matrix notice: office closed"
LAST_MONTH = "Matrix summer picnic"


def _group(scene: Scene) -> Event:
    """Organisation A's online group, open to everyone signed in; the family member is going."""
    event = Event.objects.filter(title__startswith=GROUP).first()
    if event is None:
        worker = scene.user("worker_a")
        family = scene.user("family")
        assert worker is not None and family is not None
        event = make_event(scene.org_a, worker, GROUP, online=True, capacity=10)
        services.respond(family, event, going=True)
    return event


def _staff_only(scene: Scene) -> Event:
    event = Event.objects.filter(title=STAFF_BRIEFING).first()
    if event is None:
        worker = scene.user("worker_a")
        assert worker is not None
        event = make_event(
            scene.org_a, worker, STAFF_BRIEFING, audience=Event.Audience.STAFF, starts_at=at(3, 9)
        )
    return event


def _trusted_only(scene: Scene) -> Event:
    event = Event.objects.filter(title=TRUSTED_ONLY).first()
    if event is None:
        worker = scene.user("worker_a")
        assert worker is not None
        event = make_event(
            scene.org_a,
            worker,
            TRUSTED_ONLY,
            audience=Event.Audience.TRUSTED,
            min_trust=2,
            starts_at=at(4, 14),
        )
    return event


def _notice(scene: Scene) -> Announcement:
    notice = Announcement.objects.filter(title__startswith=NOTICE).first()
    if notice is None:
        worker = scene.user("worker_a")
        assert worker is not None
        notice = make_announcement(scene.org_a, worker, NOTICE)
    return notice


def _last_month(scene: Scene) -> Event:
    event = Event.objects.filter(title=LAST_MONTH).first()
    if event is None:
        worker = scene.user("worker_a")
        assert worker is not None
        event = make_event(scene.org_a, worker, LAST_MONTH, starts_at=at(-30, 10))
    return event


def _world(scene: Scene) -> None:
    _group(scene)
    _last_month(scene)
    _staff_only(scene)
    _trusted_only(scene)
    _notice(scene)


def _group_kwargs(scene: Scene) -> dict[str, Any]:
    return {"pk": _group(scene).pk}


def _group_page(scene: Scene) -> str:
    return reverse("events:detail", args=[_group(scene).pk])


def _hidden_from(scene: Scene, role: str) -> list[str]:
    """On lists: the staff-only event for non-staff, the trusted-level event for new members."""
    hidden = []
    if role not in (*STAFF, "platform_admin"):
        hidden.append(STAFF_BRIEFING)
    if role in ("family", "trusted_family"):
        hidden.append(TRUSTED_ONLY)
    return hidden


def _detail_absent(scene: Scene, role: str) -> list[str]:
    """Nobody else learns the family member is going; the link is for those going and A's staff."""
    family = scene.user("family")
    assert family is not None
    absent = [] if role == "family" else [family.public_name]
    if role not in ("family", *STAFF_A):
        absent.append(LINK)
    return absent


def _rsvps(scene: Scene) -> list[tuple[int, str]]:
    return sorted(RSVP.objects.values_list("user_id", "status"))


def _event_counts(scene: Scene) -> tuple[int, int]:
    return (
        Event.objects.filter(organisation=scene.org_a).count(),
        Event.objects.filter(organisation=scene.org_b).count(),
    )


def _new_event_form(scene: Scene) -> dict[str, Any]:
    day = timezone.localdate() + timedelta(days=10)
    return {
        "title": "Matrix drop-in",
        "start_date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "format": "in_person",
        "place_name": "St Anne's Community Centre",
        "postcode": "BN2 3HP",
        "audience": "everyone",
    }


def _newest_event(scene: Scene) -> str:
    newest = Event.objects.order_by("-pk").first()
    assert newest is not None
    return reverse("events:detail", args=[newest.pk])


def _edit_form(scene: Scene) -> dict[str, Any]:
    event = _group(scene)
    start = timezone.localtime(event.starts_at)
    return {
        "title": f"{GROUP}, renamed",
        "start_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": timezone.localtime(event.ends_at).strftime("%H:%M"),
        "format": "online",
        "online_link": LINK,
        "capacity": 10,
        "audience": "everyone",
    }


def _group_state(scene: Scene) -> tuple[str, str]:
    event = Event.objects.get(pk=_group(scene).pk)
    return (event.title, event.status)


def _notice_state(scene: Scene) -> tuple[str, Any]:
    notice = Announcement.objects.get(pk=_notice(scene).pk)
    return (notice.title, notice.withdrawn_at)


SEE_GROUP = answers(anonymous=TO_LOGIN, members=redirect(_group_page), staff=redirect(_group_page))
TO_MANAGE = redirect("events:manage")
STAFF_A_POST = frozenset(STAFF_A)

ENTRIES = {
    "events:index": Entry(
        get=SIGNED_IN,
        setup=_world,
        absent=_hidden_from,
        queries=ceilings(member=8, staff=11, platform_admin=11),
        wrong_method=WrongMethod("post", "family"),
    ),
    "events:past": Entry(
        get=SIGNED_IN,
        setup=_world,
        queries=ceilings(member=7, staff=10, platform_admin=10),
        wrong_method=WrongMethod("post", "family"),
    ),
    "events:detail": Entry(
        get=SIGNED_IN,
        kwargs=_group_kwargs,
        setup=_world,
        absent=_detail_absent,
        queries=ceilings(member=6, staff=9, platform_admin=9),
        wrong_method=WrongMethod("post", "family"),
    ),
    "events:calendar": Entry(
        get=SIGNED_IN,
        kwargs=_group_kwargs,
        setup=_world,
        absent=_detail_absent,
        queries=ceilings(member=5, staff=8, platform_admin=8),
        wrong_method=WrongMethod("post", "family"),
    ),
    "events:rsvp": Entry(
        get=answers(anonymous=NOT_ALLOWED, members=NOT_ALLOWED, staff=NOT_ALLOWED),
        kwargs=_group_kwargs,
        setup=_world,
        wrong_method=WrongMethod("get", "family"),
        post=PostCheck(
            data=lambda s: {"going": "no"},
            state=_rsvps,
            answers=SEE_GROUP,
            # The family member (going) frees their place; everyone else's "not going" is kept.
            changes=frozenset(SIGNED_IN_ROLES),
        ),
    ),
    "events:manage": Entry(
        get=ORG_STAFF,
        setup=_world,
        queries=ceilings(staff=12),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "events:create": Entry(
        get=ORG_STAFF,
        queries=ceilings(staff=9),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=_new_event_form,
            state=_event_counts,
            answers=override(ORG_STAFF, **dict.fromkeys(STAFF, redirect(_newest_event))),
            changes=frozenset(STAFF),
        ),
    ),
    "events:edit": Entry(
        get=ORG_A_RECORD,
        kwargs=_group_kwargs,
        setup=_world,
        queries=ceilings(staff=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=_edit_form,
            state=_group_state,
            answers=override(ORG_A_RECORD, **dict.fromkeys(STAFF_A, redirect(_group_page))),
            changes=STAFF_A_POST,
        ),
    ),
    "events:cancel": Entry(
        get=ORG_A_RECORD,
        kwargs=_group_kwargs,
        setup=_world,
        queries=ceilings(staff=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"reason": "The volunteer is unwell."},
            state=_group_state,
            answers=override(ORG_A_RECORD, **dict.fromkeys(STAFF_A, redirect(_group_page))),
            changes=STAFF_A_POST,
        ),
    ),
    "events:attendees": Entry(
        get=ORG_A_RECORD,
        kwargs=_group_kwargs,
        setup=_world,
        queries=ceilings(staff=11),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "events:attendees_csv": Entry(
        get=ORG_A_RECORD,
        kwargs=_group_kwargs,
        setup=_world,
        queries=ceilings(staff=10),
        wrong_method=WrongMethod("post", "worker_a"),
    ),
    "events:announcement_new": Entry(
        get=ORG_STAFF,
        queries=ceilings(staff=9),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"title": "Closed on Monday", "body": "", "ends_on": ""},
            state=lambda s: Announcement.objects.count(),
            answers=override(ORG_STAFF, **dict.fromkeys(STAFF, TO_MANAGE)),
            changes=frozenset(STAFF),
        ),
    ),
    "events:announcement_edit": Entry(
        get=ORG_A_RECORD,
        kwargs=lambda s: {"pk": _notice(s).pk},
        setup=_notice,
        queries=ceilings(staff=10),
        wrong_method=WrongMethod("put", "worker_a"),
        post=PostCheck(
            data=lambda s: {"title": f"{NOTICE} on Tuesday", "body": "", "ends_on": ""},
            state=_notice_state,
            answers=override(ORG_A_RECORD, **dict.fromkeys(STAFF_A, TO_MANAGE)),
            changes=STAFF_A_POST,
        ),
    ),
    "events:announcement_end": Entry(
        get=answers(anonymous=NOT_ALLOWED, members=NOT_ALLOWED, staff=NOT_ALLOWED),
        kwargs=lambda s: {"pk": _notice(s).pk},
        setup=_notice,
        wrong_method=WrongMethod("get", "worker_a"),
        post=PostCheck(
            data=lambda s: {},
            state=_notice_state,
            answers=override(ORG_A_RECORD, **dict.fromkeys(STAFF_A, TO_MANAGE)),
            changes=STAFF_A_POST,
        ),
    ),
}
