"""An organisation's casework settings (managers)."""

from __future__ import annotations

from typing import Any

from django import forms

from homeward.accounts.models import STAFF_ROLES, User
from homeward.casework.forms.referrals import StaffChoiceField
from homeward.casework.models import CaseworkSettings


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
