"""Referral forms: the professional's public form, self-referral, a paper leaflet, triage."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from homeward.casework.models import NEEDS, Family, Referral
from homeward.casework.models.people import age_on
from homeward.casework.services.referrals import Child, ReferralData
from homeward.prisons.models import Prison

MAX_CHILD_AGE = 25
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what type=date needs


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Members of staff, shown by the name they use here."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.public_name)


def prison_field(required: bool = False) -> forms.ModelChoiceField[Prison]:
    return forms.ModelChoiceField(
        label="Which prison are they in?",
        queryset=Prison.objects.none(),
        required=required,
        empty_label="Choose a prison (or leave if you don't know)",
        error_messages={
            "invalid_choice": "Choose the prison from the list. We don't know that one."
        },
    )


class ChildForm(forms.Form):
    name = forms.CharField(label="Child's first name", max_length=120, required=False)
    date_of_birth = forms.DateField(
        label="Date of birth", required=False, widget=DATE,
        error_messages={"invalid": "Enter the date of birth as day, month and year."},
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, born = data.get("name"), data.get("date_of_birth")
        if "date_of_birth" in self.errors:
            return data
        if name and born is None:
            self.add_error("date_of_birth", "Enter this child's date of birth.")
        elif born is not None and not name:
            self.add_error("name", "Enter this child's first name.")
        elif born is not None:
            if born > timezone.localdate():
                self.add_error("date_of_birth", "The date of birth can't be in the future.")
            elif (age_on(born) or 0) > MAX_CHILD_AGE:
                self.add_error(
                    "date_of_birth",
                    f"We support children and young people up to {MAX_CHILD_AGE}. Add older "
                    "family members in the details box.",
                )
        return data


ChildFormSet = forms.formset_factory(ChildForm, extra=4, max_num=10, absolute_max=10)


class ReferralForm(forms.Form):
    """The shared core of every referral: the family, the person in prison, needs, consent."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    family_name = forms.CharField(
        label="Family surname", max_length=120,
        error_messages={"required": "Enter the family's surname."},
    )  # fmt: skip
    contact_name = forms.CharField(
        label="Main contact's name", max_length=120,
        help_text="The parent or carer we should speak to.",
        error_messages={"required": "Enter the name of the person we should speak to."},
    )  # fmt: skip
    contact_phone = forms.CharField(label="Their phone number", max_length=40, required=False)
    contact_email = forms.EmailField(label="Their e-mail address", required=False)
    postcode = forms.CharField(label="Their postcode", max_length=10, required=False)
    prisoner_name = forms.CharField(
        label="Name of the family member in prison", max_length=120, required=False
    )
    prison_number = forms.CharField(
        label="Prison number (if known)", max_length=10, required=False,
        help_text="For example A1234BC.",
    )  # fmt: skip
    prison = prison_field()
    needs = forms.MultipleChoiceField(
        label="What help is needed?", choices=NEEDS, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of help."},
    )  # fmt: skip
    details = forms.CharField(
        label="Anything else we should know", widget=forms.Textarea, required=False,
        max_length=4000,
    )  # fmt: skip
    consent_sharing = forms.BooleanField(
        label="They also agree we may pass their details to other local services that can help",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prison"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.ModelChoiceField)  # nosec B101
        field.queryset = Prison.objects.open().only("code", "name").order_by("name")
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        self.children = ChildFormSet(self.data if self.is_bound else None, prefix="child")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reachable = data.get("contact_phone") or data.get("contact_email") or data.get("postcode")
        if not reachable and not {"contact_phone", "contact_email"} & set(self.errors):
            self.add_error(
                "contact_phone", "Give a phone number or e-mail address so we can reach them."
            )
        return data

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.children.is_valid() and valid

    def child_list(self) -> list[Child]:
        return [
            Child(name=c["name"], date_of_birth=c["date_of_birth"])
            for c in self.children.cleaned_data
            if c.get("name") and c.get("date_of_birth")
        ]

    def referral_data(self) -> ReferralData:
        return ReferralData.from_form(self.cleaned_data, self.child_list())


class ProfessionalReferralForm(ReferralForm):
    referrer_name = forms.CharField(
        label="Your name", max_length=120, error_messages={"required": "Enter your name."}
    )
    referrer_role = forms.CharField(
        label="Your role", max_length=120, help_text="For example: school family liaison officer.",
        error_messages={"required": "Enter your role."},
    )  # fmt: skip
    referrer_organisation = forms.CharField(
        label="Your organisation", max_length=160, required=False
    )
    referrer_email = forms.EmailField(
        label="Your e-mail address", help_text="We send the reference number here.",
        error_messages={"required": "Enter your e-mail address.", "invalid": "Enter an e-mail address like name@example.org."},
    )  # fmt: skip
    referrer_phone = forms.CharField(label="Your phone number", max_length=40, required=False)
    consent_attested = forms.BooleanField(
        label="The family agree to this referral and to us contacting them",
        error_messages={"required": "We can only take a referral the family has agreed to."},
    )
    consent_how = forms.ChoiceField(
        label="How did they agree?",
        choices=Referral.HowObtained.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how the family agreed."},
    )

    field_order = [
        "token", "referrer_name", "referrer_role", "referrer_organisation", "referrer_email",
        "referrer_phone", "family_name", "contact_name", "contact_phone", "contact_email",
        "postcode", "prisoner_name", "prison_number", "prison", "needs", "details",
        "consent_attested", "consent_how", "consent_sharing",
    ]  # fmt: skip


class SelfReferralForm(ReferralForm):
    consent_attested = forms.BooleanField(
        label="I'd like you to contact me about support",
        error_messages={"required": "Tick this so we may contact you."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family_name"].label = "Your surname (or the name we should use)"
        self.fields["contact_name"].label = "Your first name"
        self.fields[
            "consent_sharing"
        ].label = "You may pass my details to other local services that can help"

    def referral_data(self) -> ReferralData:
        data = super().referral_data()
        data.consent_how = Referral.HowObtained.ONLINE
        return data


class PaperReferralForm(ReferralForm):
    """A leaflet from the wing box, typed in by staff."""

    consent_attested = forms.BooleanField(
        label="The consent section is signed", required=False,
        help_text="Without it, record the referral and ask for consent before contacting the family.",
    )  # fmt: skip

    def referral_data(self) -> ReferralData:
        data = super().referral_data()
        data.consent_how = Referral.HowObtained.WRITTEN
        return data


class AcceptForm(forms.Form):
    worker = StaffChoiceField(
        label="Assign to",
        queryset=None,
        error_messages={"required": "Choose who will work with this family."},
    )
    merge = forms.BooleanField(
        label="Add to the family we already know (don't create a second one)", required=False
    )
    shared_message = forms.CharField(
        label="Message the family can see",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for people who asked for help themselves. Leave empty for our standard message.",
    )

    def __init__(self, *args: Any, staff: Any, duplicate: Family | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.ModelChoiceField)  # nosec B101
        field.queryset = staff
        if duplicate is None:
            del self.fields["merge"]
        else:
            self.fields["merge"].label = f"Add to the {duplicate.name} family we already know"


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why we can't take this on", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason: it is kept with the referral."},
    )  # fmt: skip
    shared_message = forms.CharField(
        label="Message the family can see", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For self-referrals. Say where else they could get help.",
    )  # fmt: skip


def today() -> date:
    return timezone.localdate()
