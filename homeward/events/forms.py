"""Input for events and announcements, with messages a busy worker or a stressed parent
understands first time. Times are typed in UK time (Europe/London) and stored aware."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from homeward.community.models import TrustLevel
from homeward.core import geo
from homeward.events.models import Event

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class EventForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=120,
        help_text="Short and warm, e.g. \u201cParents\u2019 evening group (online)\u201d.",
        error_messages={"required": "Give the event a title."},
    )
    description = forms.CharField(
        label="What happens, and who it's for",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="**bold**, lists with - and links work.",
    )
    start_date = forms.DateField(
        label="Date",
        widget=DATE,
        error_messages={"required": "Enter the date.", "invalid": "Enter a date, e.g. 21/12/2026."},
    )
    start_time = forms.TimeField(
        label="Starts at",
        widget=TIME,
        help_text="UK time.",
        error_messages={
            "required": "Enter the start time.",
            "invalid": "Enter a time, e.g. 18:30.",
        },
    )
    end_time = forms.TimeField(
        label="Ends at",
        widget=TIME,
        error_messages={"required": "Enter the end time.", "invalid": "Enter a time, e.g. 20:00."},
    )
    end_date = forms.DateField(
        label="Ends on a later day (optional)",
        required=False,
        widget=DATE,
        help_text="Leave empty when it ends on the same day.",
        error_messages={"invalid": "Enter a date, e.g. 22/12/2026."},
    )
    format = forms.ChoiceField(
        label="Where does it happen?",
        choices=Event.Format.choices,
        widget=forms.RadioSelect,
        initial=Event.Format.IN_PERSON,
        error_messages={"required": "Choose in person or online."},
    )
    place_name = forms.CharField(
        label="Name of the place",
        required=False,
        max_length=120,
        help_text="In person only, e.g. \u201cThe Friends Meeting House\u201d.",
    )
    address = forms.CharField(label="Address", required=False, max_length=300)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text=f"For example {geo.EXAMPLE}.",
    )
    online_link = forms.URLField(
        label="Joining link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Online only. Only members who say they're going see it.",
        error_messages={"invalid": "Enter the full link, starting https://"},
    )
    capacity = forms.IntegerField(
        label="Places (optional)",
        required=False,
        min_value=1,
        max_value=10000,
        help_text="Leave empty for no limit. When it's full, people join a waiting list.",
        error_messages={
            "min_value": "Enter 1 or more, or leave it empty for no limit.",
            "max_value": "Enter 10,000 or fewer.",
            "invalid": "Enter a whole number, e.g. 20.",
        },
    )
    audience = forms.ChoiceField(
        label="Who can see it?",
        choices=Event.Audience.choices,
        widget=forms.RadioSelect,
        initial=Event.Audience.EVERYONE,
        error_messages={"required": "Choose who can see it."},
    )
    min_trust = forms.TypedChoiceField(
        label="Lowest trust level (for \u201cmembers at a trust level or above\u201d)",
        choices=[(level.value, level.label) for level in TrustLevel if level > TrustLevel.NEW],
        coerce=int,
        required=False,
    )

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        self.event = event
        if event is not None and "initial" not in kwargs:
            start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
            kwargs["initial"] = {
                "title": event.title,
                "description": event.description,
                "start_date": start.date(),
                "start_time": start.time(),
                "end_time": end.time(),
                "end_date": end.date() if end.date() != start.date() else None,
                "format": event.format,
                "place_name": event.place_name,
                "address": event.address,
                "postcode": event.postcode,
                "online_link": event.online_link,
                "capacity": event.capacity,
                "audience": event.audience,
                "min_trust": event.min_trust or TrustLevel.BASIC,
            }
        super().__init__(*args, **kwargs)

    def clean_capacity(self) -> int | None:
        capacity: int | None = self.cleaned_data.get("capacity")
        going = self.event.going_count if self.event is not None else 0
        if capacity is not None and capacity < going:
            raise forms.ValidationError(
                f"{going} people are already going. Enter {going} or more, or leave it empty."
            )
        return capacity

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_times(data)
        if data.get("format") == Event.Format.ONLINE:
            if not data.get("online_link"):
                self.add_error("online_link", "Enter the link people use to join.")
            elif not str(data["online_link"]).startswith("https://"):
                self.add_error("online_link", "Enter a secure link, starting https://")
        elif data.get("format") == Event.Format.IN_PERSON:
            if not data.get("place_name"):
                self.add_error("place_name", "Enter the name of the place, so people can find it.")
            self._clean_postcode(data)
        return data

    def _clean_times(self, data: dict[str, Any]) -> None:
        day, start, end = data.get("start_date"), data.get("start_time"), data.get("end_time")
        if day is None or start is None or end is None:
            return
        starts_at = _aware(day, start)
        ends_at = _aware(data.get("end_date") or day, end)
        if ends_at <= starts_at:
            self.add_error("end_time", "The end must be after the start.")
        moved = self.event is None or self.event.starts_at != starts_at
        if moved and starts_at <= timezone.now():
            self.add_error("start_date", "That time has passed. Choose a date and time to come.")
        data["starts_at"], data["ends_at"] = starts_at, ends_at

    def _clean_postcode(self, data: dict[str, Any]) -> None:
        data["latitude"] = data["longitude"] = None
        if not data.get("postcode"):
            return
        try:
            place = geo.locate(data["postcode"])
        except geo.PostcodeError as error:
            self.add_error("postcode", str(error))
            return
        data["postcode"] = place.postcode
        data["latitude"], data["longitude"] = place.point.latitude, place.point.longitude

    def details(self) -> dict[str, Any]:
        """What the service saves (only valid after is_valid())."""
        data = dict(self.cleaned_data)
        for name in ("start_date", "start_time", "end_time", "end_date"):
            data.pop(name, None)
        data["min_trust"] = data.get("min_trust") or TrustLevel.BASIC
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone going or waiting is told, and sees this on the event page.",
        error_messages={"required": "Say briefly why, e.g. \u201cThe hall is flooded\u201d."},
    )


class RSVPForm(forms.Form):
    going = forms.ChoiceField(choices=[("yes", "Going"), ("no", "Not going")])

    def is_going(self) -> bool:
        return bool(self.cleaned_data["going"] == "yes")


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label="Headline",
        max_length=120,
        error_messages={"required": "Write a short headline."},
        help_text="e.g. \u201cThe office is closed on Monday 28 December\u201d.",
    )
    body = forms.CharField(
        label="More detail (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    ends_on = forms.DateField(
        label="Show it until the end of (optional)",
        required=False,
        widget=DATE,
        help_text="Leave empty to show it until you end it.",
        error_messages={"invalid": "Enter a date, e.g. 31/12/2026."},
    )

    def clean_ends_on(self) -> date | None:
        ends_on: date | None = self.cleaned_data.get("ends_on")
        if ends_on is not None and ends_on < timezone.localdate():
            raise forms.ValidationError("Choose today or a day to come.")
        return ends_on

    def ends_at(self) -> datetime | None:
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on is None:
            return None
        return _aware(ends_on + timedelta(days=1), time.min)
