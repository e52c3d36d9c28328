"""Every form on the site renders the same accessible way: an error summary at the top, and each
field's label, hint and error beside it. Django 5.2 ties the hint (`<id>_helptext`) and the
error (`<id>_error`) to the input with aria-describedby; our templates give them those ids.

Lists of choices (a select of 125 prisons, a page of checkboxes), plain inputs, text areas and
each field's group (label, hint, error, widget: homeward_field.html) are rendered here in
Python rather than through templates: Django's widget templates include two templates per
option, which was most of the directory search page's time, and a reply form's 17 fields
(text and eight pictures with their descriptions) cost a topic's last page about 4 ms. The
markup is the same as the templates give (tests compare the two for every widget and state),
escaped the same way. A project template that overrides one of those widget templates would be
bypassed, so none does (`FAST_WIDGETS` lists them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: Mapping[str, Any]) -> SafeString:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name.
    # Every name and value is escaped by format_html, so the joined string is safe.
    return mark_safe(  # nosec B308 B703
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


def _select_option(option: Mapping[str, Any]) -> str:
    return format_html(
        '<option value="{}"{}>{}</option>',
        str(option["value"]),
        _attrs(option["attrs"]),
        option["label"],
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        format_html(' value="{}"', str(value)) if value is not None else "",
        _attrs(widget["attrs"]),
    )


def _input_option(option: Mapping[str, Any]) -> str:
    if not option.get("wrap_label"):
        return _input(option)
    label_for = format_html(' for="{}"', option["attrs"]["id"]) if option["attrs"].get("id") else ""
    return format_html("<label{}>{} {}</label>", label_for, _input(option), option["label"])


_OPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/radio_option.html": _input_option,
}


def _options(groups: Iterable[tuple[Any, list[Mapping[str, Any]], int]]) -> bool:
    return all(o["template_name"] in _OPTIONS for _, options, _ in groups for o in options)


def _select(widget: Mapping[str, Any]) -> str:
    parts: list[str] = [
        format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
    ]
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend("\n  " + _OPTIONS[o["template_name"]](o) for o in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: Mapping[str, Any]) -> str:
    attrs = widget["attrs"]
    parts: list[str] = [
        format_html(
            "<div{}{}>",
            format_html(' id="{}"', attrs["id"]) if attrs.get("id") else "",
            format_html(' class="{}"', attrs["class"]) if attrs.get("class") else "",
        )
    ]
    for group, options, _ in widget["optgroups"]:
        if group:
            parts.append(format_html("\n  <div><label>{}</label>", group))
        parts.extend("<div>\n    " + _OPTIONS[o["template_name"]](o) + "</div>" for o in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    # As textarea.html: a newline after the opening tag (browsers drop it), the value if any.
    value = widget["value"]
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        _attrs(widget["attrs"]),
        value if value else "",
    )


def _file(widget: Mapping[str, Any]) -> str | None:
    # As clearable_file_input.html with no file chosen before (a form for a new message):
    # the input alone. With an earlier file, the template (None: not handled here).
    if widget.get("is_initial"):
        return None
    return format_html(
        '<input type="{}" name="{}"{}>', widget["type"], widget["name"], _attrs(widget["attrs"])
    )


# Widgets whose template is input.html, by their own template's name.
_INPUTS: tuple[str, ...] = ("input", "text", "email", "number", "password", "url", "hidden")
_INPUTS += ("search", "tel", "date", "datetime", "time", "file", "color")

FAST_WIDGETS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "django/forms/widgets/clearable_file_input.html": _file,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/textarea.html": _textarea,
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
}
_CHOICE_WIDGETS = {
    "django/forms/widgets/select.html",
    "django/forms/widgets/checkbox_select.html",
    "django/forms/widgets/radio.html",
}


def _error(field: BoundField) -> str:
    return format_html(
        '<p class="error-message" id="{}_error"><span class="visually-hidden">Error:</span> {}</p>',
        field.auto_id,
        mark_safe(" ".join(conditional_escape(str(e)) for e in field.errors)),  # nosec B308 B703
    )


def _field_group(field: BoundField) -> str:
    """As homeward_field.html (the template stays, and tests compare the two)."""
    errors = _error(field) if field.errors else ""
    # Help text is the developers' HTML, as the template's |safe says.
    help_text = mark_safe(field.help_text) if field.help_text else ""  # nosec B308 B703
    if field.widget_type == "checkbox":
        hint = format_html('<p class="hint" id="{}_helptext">{}</p>', field.auto_id, help_text)
        body = format_html(
            '{}<div class="choice">{}<label for="{}">{}</label></div>{}',
            errors,
            str(field),
            field.id_for_label,
            field.label,
            hint if help_text else "",
        )
    elif field.use_fieldset:
        described = []
        if help_text:
            described.append(f"{field.auto_id}_helptext")
        if field.errors:
            described.append(f"{field.auto_id}_error")
        hint = format_html('<p class="hint" id="{}_helptext">{}</p>', field.auto_id, help_text)
        body = format_html(
            "<fieldset{}><legend>{}</legend>{}{}{}</fieldset>",
            format_html(' aria-describedby="{}"', " ".join(described)) if described else "",
            field.label,
            hint if help_text else "",
            errors,
            str(field),
        )
    else:
        hint = format_html('<div class="hint" id="{}_helptext">{}</div>', field.auto_id, help_text)
        body = format_html(
            '<label for="{}">{}</label>{}{}{}',
            field.id_for_label,
            field.label,
            hint if help_text else "",
            errors,
            str(field),
        )
    return format_html(
        '<div class="field{}">{}</div>', " field--error" if field.errors else "", body
    )


class FormRenderer(TemplatesSetting):
    form_template_name = "django/forms/homeward_form.html"
    field_template_name = "django/forms/homeward_field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        # Every piece is escaped by format_html on the way (tests/test_form_renderer.py).
        if template_name == self.field_template_name and isinstance(
            context.get("field"), BoundField
        ):
            return mark_safe(_field_group(context["field"]))  # nosec B308 B703
        fast = FAST_WIDGETS.get(template_name)
        widget = context.get("widget")
        if (
            fast is not None
            and widget is not None
            and (template_name not in _CHOICE_WIDGETS or _options(widget["optgroups"]))
        ):
            html = fast(widget)
            if html is not None:
                return mark_safe(html)  # nosec B308 B703
        return str(super().render(template_name, context, request))
