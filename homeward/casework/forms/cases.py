"""Forms on a case: family, person in prison, assessment, plan, notes, files, consent,
applications, onward referrals, safeguarding, conferences, closing, filters and export."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from homeward.casework.forms.referrals import DATE, MAX_CHILD_AGE, StaffChoiceField, prison_field
from homeward.casework.models import (
    DOMAINS,
    Concern,
    Consent,
    NeedOutcome,
    Note,
    OnwardReferral,
    Person,
    Rating,
    Stage,
)
from homeward.casework.models.consent import SCHEDULE_1, Scope
from homeward.casework.models.people import age_on
from homeward.prisons.models import Prison

MAX_UPLOAD = 10 * 1024 * 1024
# Extension → (content type, how the file starts). Anything else is refused.
ALLOWED_FILES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".txt": ("text/plain", (b"",)),
}


def _staff_field(label: str, staff: Any, *, required: bool = True) -> StaffChoiceField:
    return StaffChoiceField(
        label=label,
        queryset=staff,
        required=required,
        error_messages={"required": "Choose a member of staff."},
    )


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ("kind", "name", "date_of_birth", "relationship")
        widgets = {"date_of_birth": DATE, "kind": forms.RadioSelect}
        error_messages = {"name": {"required": "Enter their name."}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = data.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", "The date of birth can't be in the future.")
        elif data.get("kind") == Person.Kind.CHILD:
            if born is None:
                self.add_error("date_of_birth", "Enter the child's date of birth.")
            elif (age_on(born) or 0) > MAX_CHILD_AGE:
                self.add_error(
                    "date_of_birth", f"Children and young people are 0 to {MAX_CHILD_AGE}."
                )
        return data


class PrisonerForm(forms.Form):
    prisoner_name = forms.CharField(label="Name", max_length=120, required=False)
    prison_number = forms.CharField(label="Prison number (optional)", max_length=10, required=False)
    prison = prison_field()
    expected_release = forms.DateField(label="Expected release date", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prison"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.ModelChoiceField)  # nosec B101
        field.queryset = Prison.objects.open().only("code", "name").order_by("name")
        field.label = "Prison"


class AssessmentForm(forms.Form):
    """One rating and one notes box per fixed domain."""

    def __init__(self, *args: Any, ratings: list[Rating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        have = {r.domain: r for r in ratings}
        for domain in DOMAINS:
            old = have.get(domain)
            self.fields[f"{domain}_level"] = forms.TypedChoiceField(
                label=domain.label, choices=Rating.Level.choices, coerce=int,
                widget=forms.RadioSelect, initial=old.level if old else None,
                error_messages={"required": f"Rate {domain.label.lower()}."},
            )  # fmt: skip
            self.fields[f"{domain}_notes"] = forms.CharField(
                label=f"Notes on {domain.label.lower()}", required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=old.notes if old else "",
            )  # fmt: skip

    def ratings(self) -> dict[str, tuple[int, str]]:
        d = self.cleaned_data
        return {str(x): (d[f"{x}_level"], d[f"{x}_notes"]) for x in DOMAINS}


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What needs doing", max_length=300,
        error_messages={"required": "Say what needs doing."},
    )  # fmt: skip
    owner = StaffChoiceField(label="Who (staff)", queryset=None, required=False)
    owner_label = forms.CharField(
        label="Or someone else", max_length=120, required=False,
        help_text="For example: Mum, the school.",
    )  # fmt: skip
    due_on = forms.DateField(label="Due by", required=False, widget=DATE)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _staff_field("Who (staff)", staff, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("owner") and not data.get("owner_label"):
            self.add_error("owner", "Choose who will do it, or name someone else.")
        return data


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label="What kind", choices=Note.Kind.choices, initial=Note.Kind.PHONE)
    body = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000,
        error_messages={"required": "Write the note."},
    )  # fmt: skip
    happened_on = forms.DateField(
        label="When", widget=DATE, initial=timezone.localdate,
        error_messages={"required": "Enter the date it happened."},
    )  # fmt: skip
    sensitive = forms.BooleanField(
        label="Sensitive: only the assigned worker and managers may read it", required=False
    )

    def clean_happened_on(self) -> date:
        day: date = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date can't be in the future.")
        return day

    def happened_at(self) -> datetime:
        day: date = self.cleaned_data["happened_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.combine(day, time(12)))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="File", help_text="PDF, Word, JPEG, PNG or plain text, up to 10 MB.",
        error_messages={"required": "Choose a file.", "empty": "That file is empty."},
    )  # fmt: skip

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD:
            raise forms.ValidationError("That file is larger than 10 MB.")
        kind = ALLOWED_FILES.get(Path(upload.name or "").suffix.lower())
        if kind is None:
            raise forms.ValidationError(
                "That kind of file can't be kept here. Use PDF, Word, JPEG, PNG or text."
            )
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in kind[1]) or (
            kind[0] == "text/plain" and b"\x00" in head
        ):
            raise forms.ValidationError("That file isn't what its name says it is.")
        self.content_type = kind[0]
        return upload


class ConsentForm(forms.ModelForm[Consent]):
    class Meta:
        model = Consent
        fields = (
            "given_by", "scope", "recipient", "lawful_basis", "condition",
            "criminal_offence_data", "how_obtained", "given_on", "expires_on",
        )  # fmt: skip
        widgets = {"given_on": DATE, "expires_on": DATE, "scope": forms.RadioSelect}
        error_messages = {"given_by": {"required": "Enter who agreed."}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("criminal_offence_data") and data.get("condition") not in SCHEDULE_1:
            self.add_error(
                "condition",
                "Details about the person in prison are criminal-offence data: choose a "
                "Schedule 1 condition.",
            )
        given, expires = data.get("given_on"), data.get("expires_on")
        if given and given > timezone.localdate():
            self.add_error("given_on", "The date can't be in the future.")
        if given and expires and expires < given:
            self.add_error("expires_on", "It can't end before it was given.")
        if data.get("scope") != Scope.SHARING:
            data["recipient"] = ""
        return data


class ApplicationForm(forms.Form):
    received_on = forms.DateField(
        label="Date received", widget=DATE, initial=timezone.localdate,
        error_messages={"required": "Enter the date it arrived."},
    )  # fmt: skip
    request = forms.CharField(
        label="What they asked", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what they asked for."},
    )  # fmt: skip

    def clean_received_on(self) -> date:
        day: date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date can't be in the future.")
        return day


class AnswerForm(forms.Form):
    explanation = forms.CharField(
        label="Your answer, with the reason", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A clear explanation makes the difference, even when the answer is no.",
        error_messages={"required": "Write the answer you gave."},
    )  # fmt: skip


class OnwardForm(forms.Form):
    destination = forms.ChoiceField(
        label="Refer to", widget=forms.RadioSelect,
        error_messages={"required": "Choose where to refer them."},
    )  # fmt: skip
    reason = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are referring them."},
    )  # fmt: skip
    override_reason = forms.CharField(
        label="Managers only: share without the family's agreement, because…", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when the law allows it, for example to keep a child safe. This is logged.",
    )  # fmt: skip

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], manager: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["destination"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.ChoiceField)  # nosec B101
        field.choices = choices
        if not manager:
            del self.fields["override_reason"]


class OnwardResponseForm(forms.Form):
    status = forms.ChoiceField(label="Their answer", choices=OnwardReferral.Status.choices)
    response_reason = forms.CharField(
        label="Their reason", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == OnwardReferral.Status.DECLINED and not data.get("response_reason"):
            self.add_error("response_reason", "Give the reason they declined.")
        return data


class RestrictionForm(forms.Form):
    source = forms.CharField(label="Set by", max_length=160, initial="Public Protection Unit")
    starts_on = forms.DateField(
        label="From", widget=DATE, initial=timezone.localdate,
        error_messages={"required": "Enter the date it starts."},
    )  # fmt: skip
    ends_on = forms.DateField(
        label="Until (leave empty if no end date)", widget=DATE, required=False
    )
    details = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "It can't end before it starts.")
        return data


class ConcernForm(forms.Form):
    description = forms.CharField(
        label="What happened or what you noticed", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the concern."},
    )  # fmt: skip


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=Concern.Decision.choices, widget=forms.RadioSelect
    )
    decision_notes = forms.CharField(
        label="Reasons and next steps", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Record the reasons for the decision."},
    )  # fmt: skip


class ConferenceForm(forms.Form):
    held_on = forms.DateField(
        label="Date", widget=DATE, initial=timezone.localdate,
        error_messages={"required": "Enter the date of the conference."},
    )  # fmt: skip
    place = forms.CharField(label="Where", max_length=160, required=False)
    participants = forms.CharField(
        label="Who took part", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, for example: Dad (in prison), Mum, offender manager.",
        error_messages={"required": "List who took part."},
    )  # fmt: skip
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(
        label="Actions agreed", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. They are added to the plan.",
    )  # fmt: skip

    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {"description": line.strip()[:300]}
            for line in self.cleaned_data["actions"].splitlines()
            if line.strip()
        ]


class CloseForm(forms.Form):
    summary = forms.CharField(
        label="Closing summary", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ask_family = forms.BooleanField(
        label="Ask the family how helpful our support was", required=False, initial=True,
        help_text="They get a message or an e-mail with a short question. Without either, record their paper answer later.",
    )  # fmt: skip

    def __init__(self, *args: Any, domains: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Rating._meta.get_field("domain").choices or [])
        for domain in domains:
            self.fields[f"outcome_{domain}"] = forms.ChoiceField(
                label=f"{labels.get(domain, domain)}: was the need met?",
                choices=NeedOutcome.Result.choices, widget=forms.RadioSelect,
                error_messages={"required": "Choose an outcome for this need."},
            )  # fmt: skip
        self.domains = domains

    def outcomes(self) -> dict[str, str]:
        return {d: self.cleaned_data[f"outcome_{d}"] for d in self.domains}


SCORES = [
    (5, "Very helpful"),
    (4, "Helpful"),
    (3, "Somewhat helpful"),
    (2, "Not very helpful"),
    (1, "Not helpful"),
]


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How helpful was our support?", choices=SCORES, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose an answer."},
    )  # fmt: skip
    comment = forms.CharField(
        label="Anything you'd like to tell us (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ReassignForm(forms.Form):
    worker = StaffChoiceField(label="New worker", queryset=None)
    reason = forms.CharField(
        label="Why",
        max_length=200,
        error_messages={"required": "Give the reason: it is kept in the history."},
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _staff_field("New worker", staff)


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen", max_length=300, error_messages={"required": "Give the reason."}
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Reference or family name", required=False, max_length=80)
    stage = forms.ChoiceField(
        label="Stage", required=False,
        choices=[("", "All open"), *Stage.choices],
    )  # fmt: skip
    whose = forms.ChoiceField(
        label="Whose", required=False,
        choices=[("mine", "My cases"), ("all", "All I can see")],
    )  # fmt: skip
    quiet = forms.BooleanField(label="Only cases with no recent contact", required=False)
    # One worker's cases (the caseloads page links here); still only cases the reader may see.
    worker = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ExportForm(forms.Form):
    recipient = forms.CharField(
        label="Who is this export for?", max_length=200,
        help_text="Names are included only for families who agreed to share with them.",
        error_messages={"required": "Say who the export is for."},
    )  # fmt: skip
    override_reason = forms.CharField(
        label="Managers only: include everyone's names, because…", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class SavedViewForm(forms.Form):
    name = forms.CharField(
        label="Name this view",
        max_length=60,
        error_messages={"required": "Give the view a name, for example: quiet cases."},
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def clean_query(self) -> str:
        """Only the case list's own filters are kept (nothing else rides along)."""
        from django.http import QueryDict

        given = QueryDict(self.cleaned_data["query"])
        kept = QueryDict(mutable=True)
        for key in ("q", "stage", "whose", "quiet", "worker"):
            if key in given:
                kept[key] = given[key]
        return kept.urlencode()
