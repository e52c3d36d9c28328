"""Every form on the site renders the same accessible way: an error summary at the top, and each
field's label, hint and error beside it. Django 5.2 ties the hint (`<id>_helptext`) and the
error (`<id>_error`) to the input with aria-describedby; our templates give them those ids."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "django/forms/homeward_form.html"
    field_template_name = "django/forms/homeward_field.html"
