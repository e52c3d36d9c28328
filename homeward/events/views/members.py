"""What signed-in members see: the events list, one event, going or not, and the calendar file.
Visitors see nothing of events; an event someone may not see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from homeward.accounts.policies import acting_user
from homeward.core.ratelimit import rate_limit
from homeward.events import calendar, policies, services
from homeward.events.forms import RSVPForm
from homeward.events.models import RSVP, Announcement, Event

EVENTS_PER_PAGE = 20


def _page(request: HttpRequest, events: QuerySet[Event]) -> tuple[object, list[Event]]:
    paginator = Paginator(events, EVENTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404 from None
    return page, list(page.object_list)


def _mark_answers(user_id: int, events: list[Event]) -> None:
    """Each event on the page learns this member's answer (one query)."""
    answers = dict(
        RSVP.objects.filter(user_id=user_id, event__in=events).values_list("event_id", "status")
    )
    for event in events:
        event.my_answer = answers.get(event.pk, "")  # type: ignore[attr-defined]


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Upcoming events, soonest first, with current announcements on top."""
    user = acting_user(request)
    events = Event.objects.visible_to(user).upcoming().order_by("starts_at", "pk")
    page, rows = _page(request, events)
    _mark_answers(user.pk, rows)
    context = {
        "page": page,
        "events": rows,
        "announcements": list(Announcement.objects.current()[:10]),
        "may_create": policies.can_create(user),
    }
    return render(request, "events/index.html", context)


@require_safe
@login_required
def past(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    events = Event.objects.visible_to(user).past().order_by("-starts_at", "-pk")
    page, rows = _page(request, events)
    _mark_answers(user.pk, rows)
    return render(request, "events/past.html", {"page": page, "events": rows})


@require_safe
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = services.get_event_for(user, pk)
    rsvp = services.rsvp_of(user, event)
    context = {
        "event": event,
        "rsvp": rsvp,
        "may_respond": policies.can_respond(event),
        "may_manage": policies.can_manage(user, event),
        "joining_link": event.online_link
        if policies.can_see_joining_link(user, event, rsvp)
        else "",
        "when": services.when_text(event),
    }
    return render(request, "events/detail.html", context)


@require_POST
@login_required
@rate_limit("event_rsvp", key="user")
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = services.get_event_for(user, pk)
    form = RSVPForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose going or not going.")
        return redirect("events:detail", pk=event.pk)
    try:
        answer = services.respond(user, event, going=form.is_going())
    except services.EventClosed as closed:
        messages.error(request, f"{closed} You can't change your answer now.")
        return redirect("events:detail", pk=event.pk)
    messages.success(request, _said(answer))
    return redirect("events:detail", pk=event.pk)


def _said(answer: RSVP) -> str:
    if answer.status == RSVP.Status.GOING:
        return "You're going. We'll send you a reminder the day before."
    if answer.status == RSVP.Status.WAITING:
        return "It's full, so you're on the waiting list. We'll tell you if a place comes up."
    return "Thanks for letting us know you're not going."


@require_safe
@login_required
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = services.get_event_for(user, pk)
    rsvp = services.rsvp_of(user, event)
    link = event.online_link if policies.can_see_joining_link(user, event, rsvp) else ""
    text = calendar.ics_for(
        event, url=request.build_absolute_uri(services.event_url(event)), joining_link=link
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
