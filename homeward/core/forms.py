"""Every form on the site renders the same accessible way: an error summary at the top, and each
field's label, hint and error beside it, tied to the input with aria-describedby."""

from __future__ import annotations

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Widget


class HomewardBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and self.auto_id and not self.use_fieldset:
            existing = attrs.get("aria-describedby")
            described = [p for p in [existing, f"{self.auto_id}_error"] if isinstance(p, str) and p]
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class FormRenderer(TemplatesSetting):
    form_template_name = "django/forms/homeward_form.html"
    field_template_name = "django/forms/homeward_field.html"
    bound_field_class = HomewardBoundField
