"""Every form on the site renders the same accessible way: an error summary at the top, and each
field's label, hint and error beside it. Django 5.2 ties the hint (`<id>_helptext`) and the
error (`<id>_error`) to the input with aria-describedby; our templates give them those ids.

Lists of choices (a select of 125 prisons, a page of checkboxes) are rendered here in Python
rather than through Django's widget templates, which include two templates per option: on the
directory's search page that was most of the page's time. The markup is the same as Django's
templates give (tests compare the two), escaped the same way. A project template that overrides
one of those widget templates would be bypassed, so none does (`FAST_WIDGETS` lists them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
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


FAST_WIDGETS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
}


class FormRenderer(TemplatesSetting):
    form_template_name = "django/forms/homeward_form.html"
    field_template_name = "django/forms/homeward_field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = FAST_WIDGETS.get(template_name)
        widget = context.get("widget")
        if fast is not None and widget is not None and _options(widget["optgroups"]):
            # Every piece was escaped by format_html on the way (tests/test_form_renderer.py).
            return mark_safe(fast(widget))  # nosec B308 B703
        return str(super().render(template_name, context, request))
