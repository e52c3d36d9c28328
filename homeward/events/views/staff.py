"""Staff run their own organisation's events and announcements. Every page is behind the staff
gate (second factor first); another organisation's event or announcement answers 404, and so
do these pages for a platform admin, who belongs to no organisation."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from homeward.accounts.decorators import staff_required
from homeward.accounts.policies import acting_user
from homeward.events import policies, services
from homeward.events.forms import AnnouncementForm, CancelForm, EventForm
from homeward.events.models import RSVP, Announcement, Event

View = Callable[..., HttpResponse]


def organisation_staff_required(view: View) -> View:
    """The staff gate, then: staff of an organisation (a platform admin alone gets 404)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_create(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@organisation_staff_required
def manage(request: HttpRequest) -> HttpResponse:
    """This organisation's events (coming first, then recent past) and announcements."""
    user = acting_user(request)
    events = Event.objects.managed_by(user)
    context = {
        "upcoming": list(events.upcoming().order_by("starts_at", "pk")[:50]),
        "recent": list(events.past().order_by("-starts_at", "-pk")[:20]),
        "announcements": list(Announcement.objects.managed_by(user)[:30]),
    }
    return render(request, "events/manage.html", context)


@require_http_methods(["GET", "POST"])
@organisation_staff_required
def create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = policies.organisation_for_new_event(user)
    if organisation is None:  # organisation_staff_required lets only organisation staff in
        raise Http404
    form = EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event = services.create_event(user, organisation, form.details())
        messages.success(request, "The event is published. Members can now say they're going.")
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
@organisation_staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    event = services.get_managed_event(user, pk)
    if event.is_cancelled:
        messages.info(request, "This event was cancelled, so it can't be changed.")
        return redirect("events:detail", pk=event.pk)
    form = EventForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(user, event, form.details())
        except services.CapacityTooLow as error:  # someone said yes since the form was read
            form.add_error("capacity", str(error))
        else:
            messages.success(request, "Saved.")
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
@organisation_staff_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks why; POST cancels and tells everyone who was going or waiting."""
    user = acting_user(request)
    event = services.get_managed_event(user, pk)
    if event.is_cancelled:
        return redirect("events:detail", pk=event.pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.cancel_event(user, event, form.cleaned_data["reason"])
        messages.success(request, "The event is cancelled. Everyone who was going has been told.")
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/cancel.html", {"form": form, "event": event})


@require_safe
@organisation_staff_required
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    event = services.get_managed_event(acting_user(request), pk)
    rsvps = services.attendees(event)
    context = {
        "event": event,
        "going": [r for r in rsvps if r.status == RSVP.Status.GOING],
        "waiting": [r for r in rsvps if r.status == RSVP.Status.WAITING],
    }
    return render(request, "events/attendees.html", context)


@require_safe
@organisation_staff_required
def attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Display names only: the organisers need a list at the door, nothing more."""
    event = services.get_managed_event(acting_user(request), pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Answer", "Since"])
    for rsvp in services.attendees(event):
        since = timezone.localtime(rsvp.waiting_since or rsvp.created_at)
        writer.writerow([_safe_cell(rsvp.user.public_name), rsvp.get_status_display(), since])
    return response


def _safe_cell(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: make them plain text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_http_methods(["GET", "POST"])
@organisation_staff_required
def announcement_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = policies.organisation_for_new_event(user)
    if organisation is None:
        raise Http404
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.post_announcement(
            user,
            organisation,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            ends_at=form.ends_at(),
        )
        messages.success(request, "Posted. Members see it on their home page and on Events.")
        return redirect("events:manage")
    return render(request, "events/announcement_form.html", {"form": form, "announcement": None})


@require_http_methods(["GET", "POST"])
@organisation_staff_required
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    announcement = services.get_managed_announcement(user, pk)
    ends = announcement.ends_at
    initial = {
        "title": announcement.title,
        "body": announcement.body,
        "ends_on": timezone.localtime(ends).date() - timedelta(days=1) if ends else None,
    }
    form = AnnouncementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_announcement(
            user,
            announcement,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            ends_at=form.ends_at(),
        )
        messages.success(request, "Saved.")
        return redirect("events:manage")
    context = {"form": form, "announcement": announcement}
    return render(request, "events/announcement_form.html", context)


@require_POST
@organisation_staff_required
def announcement_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    services.withdraw_announcement(user, services.get_managed_announcement(user, pk))
    messages.success(request, "The announcement is no longer shown.")
    return redirect("events:manage")
