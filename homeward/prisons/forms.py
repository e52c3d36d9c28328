"""Input for the Prison guide, with messages a stressed person on a phone understands."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from homeward.core import geo
from homeward.prisons.eligibility import Benefit, Frequency, Relationship
from homeward.prisons.models import Prison


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Prison name or town",
        required=False,
        max_length=80,
        help_text="For example: Lewes, or Wakefield.",
    )


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label="Your postcode",
        max_length=10,
        help_text=f"We use only the first half to find prisons near you. For example {geo.EXAMPLE}.",
    )

    def clean_postcode(self) -> geo.Place:
        try:
            return geo.locate(self.cleaned_data["postcode"])
        except geo.PostcodeError as error:
            raise forms.ValidationError(str(error)) from error


class MovedForm(forms.Form):
    new_prison = forms.ModelChoiceField(
        label="Where are they now?",
        queryset=Prison.objects.none(),
        empty_label="Choose a prison",
        error_messages={
            "required": "Choose the prison they have been moved to.",
            "invalid_choice": "Choose the prison they have been moved to from the list.",
        },
    )

    def __init__(self, *args: Any, current: Prison, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_prison"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Prison.objects.open().exclude(pk=current.pk).only("code", "name")


class PartnerForm(forms.Form):
    prison = forms.ModelChoiceField(
        label="Add a prison your organisation works in",
        queryset=Prison.objects.none(),
        empty_label="Choose a prison",
        error_messages={
            "required": "Choose a prison from the list.",
            "invalid_choice": "Choose a prison from the list.",
        },
    )

    def __init__(self, *args: Any, exclude: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prison"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Prison.objects.open().exclude(pk__in=exclude).only("code", "name")


class SectionForm(forms.Form):
    body = forms.CharField(
        label="Text for this prison",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Plain text; **bold**, lists with - and links work. Leave it empty to show the "
            "national text again."
        ),
    )


class AlertForm(forms.Form):
    message = forms.CharField(
        label="What families need to know",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: Visits are cancelled this afternoon. We'll ring everyone booked.",
    )
    ends_on = forms.DateField(
        label="Show it until the end of",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The alert disappears after this day.",
    )

    def clean_ends_on(self) -> Any:
        ends_on = self.cleaned_data["ends_on"]
        today = timezone.localdate()
        if ends_on < today:
            raise forms.ValidationError("Choose today or a day in the future.")
        if ends_on > today + timedelta(days=60):
            raise forms.ValidationError("Alerts are for short-term news: at most 60 days ahead.")
        return ends_on

    def expires_at(self) -> datetime:
        ends_on = self.cleaned_data["ends_on"]
        return timezone.make_aware(datetime.combine(ends_on + timedelta(days=1), time.min))


class TipForm(forms.Form):
    body = forms.CharField(
        label="Your tip",
        max_length=1000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "Something practical that helped you, e.g. \u201cthe 2pm queue is shorter after "
            "1:40\u201d. Don't include anyone's name or prison number."
        ),
        error_messages={
            "required": "Write your tip.",
            "min_length": "Write a little more so others can use it (at least 10 characters).",
        },
    )


class EligibilityForm(forms.Form):
    relationship = forms.ChoiceField(
        label="Who are they to you?",
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who they are to you."},
    )
    benefits = forms.MultipleChoiceField(
        label="Do you get any of these?",
        choices=Benefit.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply, or \u201cNone of these\u201d.",
        error_messages={"required": "Tick the benefits you get, or \u201cNone of these\u201d."},
    )
    frequency = forms.ChoiceField(
        label="How many visits have you had help with already?",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how many visits you've had help with."},
    )

    def clean_benefits(self) -> list[str]:
        benefits: list[str] = self.cleaned_data["benefits"]
        if Benefit.NONE in benefits and len(benefits) > 1:
            raise forms.ValidationError(
                "You ticked \u201cNone of these\u201d and a benefit: tick one or the other."
            )
        return benefits
