"""An organisation's casework settings (managers)."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.accounts.models import STAFF_ROLES, Organisation, User
from homeward.casework.forms.referrals import StaffChoiceField
from homeward.casework.models import CaseworkSettings, Partner, RoutingRule
from homeward.directory.models import Service


class SettingsForm(forms.ModelForm[CaseworkSettings]):
    class Meta:
        model = CaseworkSettings
        fields = (
            "caseload_optimum", "application_due_days", "no_contact_days", "retention_years",
            "safeguarding_lead",
        )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = StaffChoiceField(
            label="Safeguarding lead",
            help_text="Safeguarding concerns go to this person.",
            required=False,
            queryset=User.objects.filter(
                memberships__organisation_id=self.instance.organisation_id,
                memberships__role__in=STAFF_ROLES,
            ),
        )
        self.fields["safeguarding_lead"] = field
        field.empty_label = "Nobody named: the managers"
        for name in (
            "caseload_optimum",
            "application_due_days",
            "no_contact_days",
            "retention_years",
        ):
            self.fields[name].min_value = 1  # type: ignore[attr-defined]
            self.fields[name].widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in (
            "caseload_optimum",
            "application_due_days",
            "no_contact_days",
            "retention_years",
        ):
            if data.get(name) is not None and data[name] < 1:
                self.add_error(name, "Enter a number of 1 or more.")
        return data


# Partners and routing rules -------------------------------------------------------------------

MAX_RULE_AGE = 25
SHOWN_SERVICES = 10


def find_services(query: str, keep: Service | None = None) -> list[Service]:
    """Directory services whose name contains the words typed (at most ten), and the one
    already chosen so it stays on offer."""
    query = " ".join(query.split())[:100]
    found: list[Service] = []
    if query:
        found = list(
            Service.objects.listed()
            .filter(name__icontains=query)
            .select_related("organization")[:SHOWN_SERVICES]
        )
    if keep is not None and keep not in found:
        found.insert(0, keep)
    return found


def service_label(service: Service) -> str:
    return f"{service.name} ({service.organization.name})"


class PartnerForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=160,
        error_messages={"required": "Give the partner's name."},
    )  # fmt: skip
    offers = forms.CharField(
        label="What they offer", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Workers see this when they choose where to refer a family.",
    )  # fmt: skip
    contact = forms.CharField(label="Single point of contact", max_length=200, required=False)
    email = forms.EmailField(
        label="E-mail", required=False,
        error_messages={"invalid": "Enter an e-mail address like name@example.org."},
    )  # fmt: skip
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    directory_service = forms.ModelChoiceField(
        label="Their page in the Directory", required=False,
        queryset=Service.objects.listed(),
        error_messages={"invalid_choice": "That service isn't in the Directory any more."},
    )  # fmt: skip
    retired = forms.BooleanField(
        label="We no longer refer families to them (retire)", required=False,
        help_text="A retired partner is no longer suggested or offered; past referrals keep it.",
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        partner: Partner | None = None,
        service_query: str = "",
        **kwargs: Any,
    ) -> None:
        if partner is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": partner.name, "offers": partner.offers, "contact": partner.contact,
                    "email": partner.email, "phone": partner.phone,
                    "directory_service": partner.directory_service_id,
                    "retired": partner.retired_at is not None,
                },
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.partner = partner
        if partner is None:
            del self.fields["retired"]
        # Every listed service is a valid answer; only the current one and those found by
        # name are offered (the Directory holds thousands).
        linked = partner.directory_service if partner is not None else None
        self.fields["directory_service"].widget.choices = [
            ("", "Not linked"),
            *((str(s.pk), service_label(s)) for s in find_services(service_query, linked)),
        ]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Partner.objects.current().filter(organisation=self.organisation, name__iexact=name)
        if self.partner is not None:
            others = others.exclude(pk=self.partner.pk)
        if others.exists():
            self.add_error("name", f"You already have a partner called {name}.")
        return name

    def clean_retired(self) -> bool:
        retired = bool(self.cleaned_data.get("retired"))
        if retired and self.partner is not None:
            rules = self.partner.rules.count()
            if rules:
                raise forms.ValidationError(
                    f"{rules} routing rule{'s' if rules != 1 else ''} suggest{'' if rules != 1 else 's'} "
                    "this partner: change or remove them first."
                )
        return retired


class PartnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RuleForm(forms.Form):
    min_age = forms.IntegerField(
        label="From age", min_value=0, max_value=MAX_RULE_AGE,
        error_messages={
            "required": "Enter the youngest age, in years (0 for babies).",
            "invalid": "Enter a whole number of years.",
            "min_value": "Ages start at 0.",
            "max_value": f"Rules cover ages up to {MAX_RULE_AGE}.",
        },
    )  # fmt: skip
    max_age = forms.IntegerField(
        label="To age (this age included)", min_value=0, max_value=MAX_RULE_AGE,
        error_messages={
            "required": "Enter the oldest age, in years.",
            "invalid": "Enter a whole number of years.",
            "min_value": "Ages start at 0.",
            "max_value": f"Rules cover ages up to {MAX_RULE_AGE}.",
        },
    )  # fmt: skip
    partner = PartnerChoiceField(
        label="Suggest this partner", queryset=Partner.objects.none(),
        error_messages={
            "required": "Choose the partner to suggest.",
            "invalid_choice": "Choose one of your current partners.",
        },
    )  # fmt: skip
    position = forms.IntegerField(
        label="Order", min_value=1, max_value=999, initial=1,
        help_text="Rules may overlap: a child then suggests every matching partner, in this order.",
        error_messages={
            "required": "Give the rule a place in the order (1 comes first).",
            "invalid": "Enter a whole number.",
            "min_value": "1 comes first.",
            "max_value": "Use a number up to 999.",
        },
    )  # fmt: skip

    def __init__(
        self, *args: Any, organisation: Organisation, rule: RoutingRule | None = None, **kwargs: Any
    ) -> None:
        if rule is not None:
            kwargs.setdefault(
                "initial",
                {
                    "min_age": rule.min_age, "max_age": rule.max_age,
                    "partner": rule.partner_id, "position": rule.position,
                },
            )  # fmt: skip
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        # B101: the assert narrows the type for mypy.
        assert isinstance(field, forms.ModelChoiceField)  # nosec B101
        field.queryset = Partner.objects.current().filter(organisation=organisation)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", f"The oldest age can't be below the youngest ({low}).")
        return data
