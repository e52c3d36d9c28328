"""Editing one's own profile: what to show, and who may see each part."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.accounts import avatars
from homeward.accounts.models import Profile, Relationship, Visibility
from homeward.accounts.profiles import MAX_PRISONS
from homeward.prisons.models import Prison


def _audience(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )


class ProfileForm(forms.Form):
    avatar = forms.FileField(
        label="Your picture",
        required=False,
        help_text="A photo or picture, up to 5 MB. We keep a small square copy, without the "
        "details cameras add (such as where it was taken).",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label="Remove my picture", required=False)
    avatar_visibility = _audience("Who can see your picture")
    about = forms.CharField(
        label="About me",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Anything you'd like others here to know. You can use **bold**, lists and links.",
    )
    about_visibility = _audience("Who can see “About me”")
    relationship = forms.ChoiceField(
        label="Who you're supporting",
        required=False,
        choices=[("", "I'd rather not say"), *Relationship.choices],
    )
    relationship_visibility = _audience("Who can see who you're supporting")
    prisons = forms.MultipleChoiceField(
        label="Places you visit or are connected with",
        required=False,
        help_text=f"Choose up to {MAX_PRISONS}. Hold Ctrl (or ⌘) to choose more than one.",
    )
    prisons_visibility = _audience("Who can see these places")

    def __init__(self, *args: Any, profile: Profile | None, **kwargs: Any) -> None:
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "avatar_visibility": profile.avatar_visibility,
                "about": profile.about,
                "about_visibility": profile.about_visibility,
                "relationship": profile.relationship,
                "relationship_visibility": profile.relationship_visibility,
                "prisons": [str(pk) for pk in profile.prisons.values_list("pk", flat=True)],
                "prisons_visibility": profile.prisons_visibility,
            }
        super().__init__(*args, **kwargs)
        self.has_avatar = bool(profile and profile.avatar)
        self.avatar_version = int(profile.updated_at.timestamp()) if profile else 0
        if not self.has_avatar:
            del self.fields["remove_avatar"]
        self._prisons = {
            str(p.pk): p for p in Prison.objects.open().only("pk", "name").order_by("name")
        }
        field = self.fields["prisons"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.MultipleChoiceField)  # nosec B101
        field.choices = [(pk, p.name) for pk, p in self._prisons.items()]
        field.widget.attrs["size"] = 8
        self.processed_avatar: bytes | None = None

    def clean_avatar(self) -> Any:
        upload = self.cleaned_data.get("avatar")
        if upload:
            try:
                self.processed_avatar = avatars.process(upload)
            except avatars.AvatarProblem as problem:
                raise forms.ValidationError(str(problem)) from None
        return upload

    def clean_prisons(self) -> list[Prison]:
        chosen = self.cleaned_data.get("prisons") or []
        if len(chosen) > MAX_PRISONS:
            raise forms.ValidationError(f"Choose up to {MAX_PRISONS} places.")
        return [self._prisons[pk] for pk in chosen]
