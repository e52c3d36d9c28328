from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils import timezone

from homeward.accounts.models import FORMER_MEMBER, User, normalise_code
from homeward.accounts.services import MAX_BATCH_SIZE
from homeward.accounts.validators import display_name_validator
from homeward.core.models import EmailFrequency


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code on your card",
        max_length=20,
        help_text="8 letters and numbers, for example HMWD-7K3P.",
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        """The code as typed, with only its letters, numbers and dashes: only the letters and
        numbers count (normalise_code), so "HMWD 7K3P" and "HMWD/7K3P" are the card HMWD-7K3P,
        and the code can always go into the join page's address."""
        typed = self.cleaned_data["code"]
        if not normalise_code(typed):
            raise forms.ValidationError(
                "Type the letters and numbers from your card, for example HMWD-7K3P."
            )
        return "".join(ch for ch in typed if ch.isalnum() or ch == "-")


def _name_is_free(name: str, exclude_pk: int | None = None) -> bool:
    # Names kept for deleted accounts ("Former member", sign-in "former-member-<id>") are never
    # free: a member called "former-member-12" would make erasing member 12 fail.
    folded = name.strip().lower()
    if folded == FORMER_MEMBER.lower() or folded.startswith("former-member"):
        return False
    # Nobody may take a name another member signs in with or is shown as.
    taken = User.objects.filter(Q(username__iexact=name) | Q(display_name__iexact=name))
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return not taken.exists()


class JoinForm(forms.Form):
    """At most three fields: joining must take under a minute on a phone."""

    display_name = forms.CharField(
        label="Choose a name to use here",
        max_length=30,
        validators=[display_name_validator],
        help_text="Other members see this name. It doesn't need to be your real name. You sign in with it.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 10 characters. A short sentence is easy to remember.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.EmailField(
        label="E-mail address (optional)",
        required=False,
        help_text="Only if you'd like replies by e-mail or a way to reset your password. Never shown to anyone.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_display_name(self) -> str:
        name: str = self.cleaned_data["display_name"].strip()
        if not _name_is_free(name):
            raise forms.ValidationError("Someone is already using that name. Try adding a number.")
        return name

    def clean_email(self) -> str:
        email: str = self.cleaned_data.get("email", "").strip().lower()
        if email and User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "That e-mail address is already registered. Sign in instead, or leave this blank."
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(username=cleaned.get("display_name", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class JoinBatchForm(forms.Form):
    distribution_point = forms.CharField(
        label="Where will these cards be handed out?",
        max_length=120,
        help_text="For example: HMP Lewes visitors' centre, or Brighton magistrates' court.",
    )
    size = forms.IntegerField(
        label="How many cards?",
        min_value=1,
        max_value=MAX_BATCH_SIZE,
        initial=20,
        help_text="Cards print 10 to an A4 sheet.",
    )
    uses_per_code = forms.IntegerField(
        label="People who can join with each card",
        min_value=1,
        max_value=500,
        initial=1,
        help_text="1 for a card per family.",
    )
    expires_on = forms.DateField(
        label="Cards stop working after",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For example, 31/3/2027.",
    )

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError("Choose a date after today.")
        if value > today + timedelta(days=3 * 366):
            raise forms.ValidationError("Choose a date within the next 3 years.")
        return value


class AccountForm(forms.Form):
    display_name = forms.CharField(
        label="Name shown to others", max_length=30, validators=[display_name_validator]
    )
    email_frequency = forms.ChoiceField(
        label="E-mail me about new messages and replies",
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_display_name(self) -> str:
        name: str = self.cleaned_data["display_name"].strip()
        clash = User.objects.filter(display_name__iexact=name).exclude(pk=self.user.pk).exists()
        if clash or not _name_is_free(name, exclude_pk=self.user.pk):
            raise forms.ValidationError("Someone is already using that name. Try adding a number.")
        return name


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand my account and personal details will be deleted and cannot be recovered.",
        error_messages={"required": "Tick the box to confirm you want to delete your account."},
    )


def batch_initial() -> dict[str, Any]:
    return {"expires_on": timezone.localdate() + timedelta(days=180)}


class LoginForm(AllauthLoginForm):  # type: ignore[misc]
    """allauth's sign-in form, in words a family member recognises."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Your name on this site, or e-mail address"
        login.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class SignupForm(AllauthSignupForm):  # type: ignore[misc]
    """Joining without a card: the same three fields as joining with one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Choose a name to use here"
        self.fields[
            "username"
        ].help_text = "Other members see this name. It doesn't need to be your real name. You sign in with it."
        self.fields["email"].label = "E-mail address (optional)"
        self.fields[
            "email"
        ].help_text = "Only if you'd like replies by e-mail or a way to reset your password. Never shown to anyone."
        for name in ("username", "email", "password1"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = "Choose a password"
        self.fields[
            "password1"
        ].help_text = "At least 10 characters. A short sentence is easy to remember."
