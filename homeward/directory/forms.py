"""Finding help, and staff editing their listings: validation and plain error messages."""

from __future__ import annotations

from datetime import time
from typing import Any, cast

from django import forms
from django.apps import apps

from homeward.core import geo
from homeward.directory import areas
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
        # A shared link with an old or mistyped choice says so plainly, not "Select a valid
        # choice. x is not one of the available choices."
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = "Choose one of the options in this list."
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


AREA_CHOICES: list[tuple[str, str]] = [
    ("", "Anyone who can get to it"),
    (ServiceArea.Kind.LOCAL_AUTHORITY, "People who live in particular local authorities"),
    (ServiceArea.Kind.REGION, "People who live in particular regions"),
    (ServiceArea.Kind.NATIONAL, "Anyone in England and Wales (a national service)"),
]


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
    address_1 = forms.CharField(label="Address (where people come)", required=False, max_length=200)
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    accessibility = forms.CharField(
        label="Getting in and around", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: step-free entrance, hearing loop, accessible toilet.",
    )  # fmt: skip
    area_kind = forms.ChoiceField(
        label="Who can use it", widget=forms.RadioSelect, initial="", required=False,
        choices=AREA_CHOICES,
    )  # fmt: skip
    local_authorities = forms.CharField(
        label="Which local authorities (if you chose them above)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One on each line, for example Lewes, or East Sussex for the whole county. "
        "Families living there find the service even if it is far from them, and families "
        "living elsewhere don't see it as local.",
    )  # fmt: skip
    regions = forms.MultipleChoiceField(
        label="Which regions (if you chose them above)", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(r, r) for r in areas.REGIONS],
    )  # fmt: skip

    def __init__(self, *args: Any, national: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["needs"]).choices = need_choices()[1:]
        if not national:
            kinds = cast(forms.ChoiceField, self.fields["area_kind"])
            kinds.choices = [c for c in AREA_CHOICES if c[0] != ServiceArea.Kind.NATIONAL]
        self.place: geo.Place | None = None
        self.authorities: list[areas.Authority] = []

    # Given to a new listing's form when it is shown: sending the same form twice (a double
    # click) updates the listing it made rather than making a second one.
    key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    SCHEDULES_AFTER = "online"  # the opening-times rows go after the ways to get help

    def first_fields(self) -> list[forms.BoundField]:
        names = [n for n in self.fields if not self[n].is_hidden]
        return [self[n] for n in names[: names.index(self.SCHEDULES_AFTER) + 1]]

    def last_fields(self) -> list[forms.BoundField]:
        names = [n for n in self.fields if not self[n].is_hidden]
        return [self[n] for n in names[names.index(self.SCHEDULES_AFTER) + 1 :]]

    def clean_postcode(self) -> str:
        raw: str = self.cleaned_data.get("postcode", "").strip()
        if not raw:
            return ""
        try:
            self.place = geo.locate(raw)
        except geo.PostcodeError as error:
            raise forms.ValidationError(str(error)) from None
        return self.place.postcode

    def clean_local_authorities(self) -> str:
        text: str = self.cleaned_data.get("local_authorities", "")
        unknown = []
        for line in dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()):
            found = areas.find(line)
            if found is None:
                maybe = areas.suggestions(line)
                hint = f" Did you mean {' or '.join(maybe)}?" if maybe else ""
                unknown.append(f"We don't know a local authority called \u201c{line}\u201d.{hint}")
            elif found not in self.authorities:
                self.authorities.append(found)
        if unknown:
            raise forms.ValidationError(unknown)
        return "\n".join(a.label for a in self.authorities)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("area_kind")
        if not kind and data.get("local_authorities"):  # typed some, forgot the choice above
            kind = data["area_kind"] = ServiceArea.Kind.LOCAL_AUTHORITY
        if (
            kind == ServiceArea.Kind.LOCAL_AUTHORITY
            and not data.get("local_authorities")
            and "local_authorities" not in self.errors
        ):
            self.add_error("local_authorities", "Give at least one local authority.")
        if kind == ServiceArea.Kind.REGION and not data.get("regions"):
            self.add_error("regions", "Choose at least one region.")
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must be at least the youngest age.")
        if not data.get("is_free") and not data.get("fees") and data.get("cost_amount") is None:
            self.add_error("fees", "Say what it costs, or tick \u201cIt is free\u201d.")
        needs_postcode = data.get("in_person") or any(data.get(k) for k in ("address_1", "city"))
        if needs_postcode and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error(
                "postcode",
                f"Give the postcode of the place people come to, for example {geo.EXAMPLE}.",
            )
        return data


class ScheduleForm(forms.Form):
    """One weekly pattern of opening times ("Tuesday, 10:00 to 12:00"), or a note such as
    "By appointment". A row left empty is ignored, so blank rows can stay on the page."""

    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    days = forms.MultipleChoiceField(
        label="Days", choices=[(d, DAY_NAMES[d]) for d in DAYS], required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    opens_at = forms.TimeField(
        label="Opens at", required=False, help_text="For example 10:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )  # fmt: skip
    closes_at = forms.TimeField(
        label="Closes at", required=False, help_text="For example 12:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )  # fmt: skip
    description = forms.CharField(
        label="Anything else about these times", required=False, max_length=300,
        help_text="For example: by appointment, or term time only.",
    )  # fmt: skip

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (
            data.get("days") or data.get("opens_at") or data.get("closes_at")
            or data.get("description") or self.errors
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        timed = opens is not None or closes is not None
        if timed and (opens is None or closes is None):
            missing = "opens_at" if opens is None else "closes_at"
            if missing not in self.errors:
                self.add_error(missing, "Give both the opening and the closing time.")
        elif isinstance(opens, time) and isinstance(closes, time) and opens >= closes:
            self.add_error("closes_at", "The closing time must be after the opening time.")
        if timed and not data.get("days") and "days" not in self.errors:
            self.add_error("days", "Choose the day or days these times are for.")
        if data.get("days") and not timed and not data.get("description"):
            self.add_error(
                "opens_at",
                "Give the opening times for the days you chose, or say how it works "
                "(for example: by appointment).",
            )
        return data


class BaseScheduleFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def schedules(self) -> list[dict[str, Any]]:
        """The filled-in rows, each {"id", "days", "opens_at", "closes_at", "description"}."""
        return [f.cleaned_data for f in self.forms if not f.is_blank()]


ScheduleFormSet = forms.formset_factory(
    ScheduleForm,
    formset=BaseScheduleFormSet,
    extra=3,
    max_num=12,
    validate_max=True,
    absolute_max=12,
)
SCHEDULE_PREFIX = "schedule"


def schedule_formset(data: Any = None, initial: list[dict[str, Any]] | None = None) -> Any:
    """The opening-times rows: one per saved schedule and three blank ones (no JavaScript
    needed to add more: save, and three new blank rows appear). A saved row that is cleared
    is removed."""
    return ScheduleFormSet(data, initial=initial or [], prefix=SCHEDULE_PREFIX)


class RequestSupportForm(forms.Form):
    message = forms.CharField(
        label="Anything you want them to know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
