"""Finding help, and staff editing their listings: validation and plain error messages."""

from __future__ import annotations

from datetime import time
from typing import Any, cast

from django import forms
from django.apps import apps

from homeward.core import geo
from homeward.directory.models import DAY_NAMES, DAYS, ServiceArea, TaxonomyTerm
from homeward.directory.taxonomy import TAXONOMY_ID

RADIUS_MILES = (("5", "5 miles"), ("10", "10 miles"), ("25", "25 miles"), ("50", "50 miles"))
LANGUAGES = (
    ("", "Any language"), ("en", "English"), ("cy", "Welsh"), ("pl", "Polish"), ("ur", "Urdu"),
    ("pa", "Punjabi"), ("bn", "Bengali"), ("ro", "Romanian"), ("ar", "Arabic"), ("so", "Somali"),
    ("gu", "Gujarati"), ("pt", "Portuguese"), ("es", "Spanish"),
)  # fmt: skip
DELIVERY = (
    ("", "Any way"),
    ("in_person", "In person"),
    ("by_phone", "By phone or text"),
    ("online", "Online"),
)
DAY_CHOICES = (("", "Any day"), *((d, DAY_NAMES[d]) for d in DAYS))


def prison_places() -> dict[str, tuple[str, geo.Point]]:
    """Prisons with a position, by code, from the Prison guide (through the app registry, so
    the directory works, without this choice, where the guide is not installed)."""
    try:
        prison_model = apps.get_model("prisons", "Prison")
    except LookupError:
        return {}
    rows = (
        prison_model.objects.exclude(active=False)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("name")
        .values_list("code", "name", "latitude", "longitude")
    )
    return {code: (name, geo.Point(lat, lon)) for code, name, lat, lon in rows}


def need_choices() -> list[tuple[str, str]]:
    terms = TaxonomyTerm.objects.filter(taxonomy_id=TAXONOMY_ID).values_list("code", "name")
    return [("", "Any kind of help"), *terms]


class FindForm(forms.Form):
    """The search on /directory/: every field optional; the URL is the shareable result."""

    need = forms.ChoiceField(label="What do you need help with?", required=False)
    q = forms.CharField(
        label="Words to search for", required=False, max_length=100,
        help_text="For example: counselling, visits, money.",
    )  # fmt: skip
    postcode = forms.CharField(
        label="Your postcode", required=False, max_length=10,
        help_text=f"To find services near you, for example {geo.EXAMPLE}.",
    )  # fmt: skip
    near_prison = forms.ChoiceField(
        label="Or: near a prison", required=False,
        help_text="For support close to where you visit.",
    )  # fmt: skip
    radius = forms.ChoiceField(label="How far", choices=RADIUS_MILES, required=False, initial="10")
    open_now = forms.BooleanField(label="Open now", required=False)
    day = forms.ChoiceField(label="Open on", choices=DAY_CHOICES, required=False)
    age = forms.IntegerField(
        label="Age of the child or young person", required=False, min_value=0, max_value=25,
        help_text="Leave empty for any age.",
    )  # fmt: skip
    free = forms.BooleanField(label="Free services only", required=False)
    language = forms.ChoiceField(label="Language", choices=LANGUAGES, required=False)
    delivery = forms.ChoiceField(label="How you get help", choices=DELIVERY, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["need"]).choices = need_choices()
        self.prisons = prison_places()
        if self.prisons:
            cast(forms.ChoiceField, self.fields["near_prison"]).choices = [
                ("", "Choose a prison"),
                *((code, name) for code, (name, _) in self.prisons.items()),
            ]
        else:
            del self.fields["near_prison"]
        self.place: geo.Place | None = None

    MAIN = ("need", "q", "postcode", "near_prison", "radius")

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN if name in self.fields]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.MAIN]

    def more_in_use(self) -> bool:
        """Show the extra choices open when one is set or has an error."""
        return self.is_bound and any(self.data.get(f.name) or f.errors for f in self.more_fields())

    def clean_postcode(self) -> str:
        raw: str = self.cleaned_data.get("postcode", "").strip()
        if not raw:
            return ""
        try:
            self.place = geo.locate(raw)
        except geo.PostcodeError as error:
            raise forms.ValidationError(str(error)) from None
        return self.place.postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("near_prison")
        if code and data.get("postcode"):
            self.add_error("near_prison", "Choose a postcode or a prison, not both.")
        elif code:
            name, point = self.prisons[code]
            self.place = geo.Place(postcode=name, outcode="", point=point)
        return data

    def radius_km(self) -> float:
        miles = int(self.cleaned_data.get("radius") or 10)
        return miles * geo.KM_PER_MILE


class ServiceForm(forms.Form):
    """What staff fill in for one of their organisation's services."""

    name = forms.CharField(label="Name of the service", max_length=200)
    description = forms.CharField(
        label="What it offers", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Plain words a parent understands. You can use **bold** and lists.",
    )  # fmt: skip
    status = forms.ChoiceField(
        label="Is it running?",
        choices=[
            ("active", "Running"), ("temporarily closed", "Paused for now"),
            ("inactive", "Not running"),
        ],
    )  # fmt: skip
    alert = forms.CharField(
        label="Alert", required=False, max_length=300,
        help_text='A short notice shown at the top, for example "Sessions have moved online".',
    )  # fmt: skip
    needs = forms.MultipleChoiceField(
        label="What it helps with", widget=forms.CheckboxSelectMultiple, required=False
    )
    eligibility = forms.CharField(
        label="Who it is for", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minimum_age = forms.IntegerField(
        label="Youngest age", required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(label="Oldest age", required=False, min_value=0, max_value=120)
    is_free = forms.BooleanField(label="It is free", required=False)
    fees = forms.CharField(label="What it costs, if not free", required=False, max_length=200)
    cost_amount = forms.DecimalField(
        label="Cost in pounds, if not free", required=False, min_value=0, max_digits=8,
        decimal_places=2, help_text="For example 5 or 12.50",
    )  # fmt: skip
    in_person = forms.BooleanField(label="In person", required=False)
    by_phone = forms.BooleanField(label="By phone or text", required=False)
    online = forms.BooleanField(label="Online", required=False)
    contact_name = forms.CharField(
        label="Who to ask for", required=False, max_length=200,
        help_text="A role is fine, for example: Family support worker.",
    )  # fmt: skip
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    email = forms.EmailField(label="E-mail address", required=False)
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")
    languages = forms.MultipleChoiceField(
        label="Languages", choices=LANGUAGES[1:], required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    days = forms.MultipleChoiceField(
        label="Open on", choices=[(d, DAY_NAMES[d]) for d in DAYS], required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    opens_at = forms.TimeField(label="Opens at", required=False, help_text="For example 09:30")
    closes_at = forms.TimeField(label="Closes at", required=False, help_text="For example 16:30")
    address_1 = forms.CharField(label="Address (where people come)", required=False, max_length=200)
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    accessibility = forms.CharField(
        label="Getting in and around", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: step-free entrance, hearing loop, accessible toilet.",
    )  # fmt: skip
    area_kind = forms.ChoiceField(
        label="Who can use it", choices=ServiceArea.Kind.choices,
        initial=ServiceArea.Kind.LOCAL_AUTHORITY,
    )  # fmt: skip
    area_name = forms.CharField(
        label="Area served", required=False, max_length=200,
        help_text="For example: Brighton and Hove, or South East.",
    )  # fmt: skip

    def __init__(self, *args: Any, national: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["needs"]).choices = need_choices()[1:]
        if not national:
            cast(forms.ChoiceField, self.fields["area_kind"]).choices = [
                c for c in ServiceArea.Kind.choices if c[0] != ServiceArea.Kind.NATIONAL
            ]
        self.place: geo.Place | None = None

    def clean_postcode(self) -> str:
        raw: str = self.cleaned_data.get("postcode", "").strip()
        if not raw:
            return ""
        try:
            self.place = geo.locate(raw)
        except geo.PostcodeError as error:
            raise forms.ValidationError(str(error)) from None
        return self.place.postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must be at least the youngest age.")
        if not data.get("is_free") and not data.get("fees") and data.get("cost_amount") is None:
            self.add_error("fees", "Say what it costs, or tick \u201cIt is free\u201d.")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if (opens is None) != (closes is None):
            self.add_error("closes_at", "Give both the opening and the closing time, or neither.")
        elif isinstance(opens, time) and isinstance(closes, time) and opens >= closes:
            self.add_error("closes_at", "The closing time must be after the opening time.")
        if data.get("days") and opens is None:
            self.add_error("opens_at", "Give the opening time for the days you chose.")
        needs_postcode = data.get("in_person") or any(data.get(k) for k in ("address_1", "city"))
        if needs_postcode and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error(
                "postcode",
                f"Give the postcode of the place people come to, for example {geo.EXAMPLE}.",
            )
        return data


class RequestSupportForm(forms.Form):
    message = forms.CharField(
        label="Anything you want them to know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
