"""core.forms renders lists of choices in Python: the markup must be what Django's own widget
templates give (the same elements, attributes, text and escaping; whitespace between tags may
differ, as it means nothing there), for every kind of choice widget and state."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.test.html import parse_html

from homeward.core.forms import FAST_WIDGETS, FormRenderer

NASTY = '<script>alert("x")</script> & “quotes” \' " >'
CHOICES = [
    ("", "Any"),
    ("a", "Apples & pears"),
    ("b", NASTY),
    ("Grouped", [("c", "Cherries"), (NASTY, "Dates <b>")]),
    (3, "Three"),
]


class Sample(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    radios = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "wide", "data-x": NASTY, "disabled": True}),
    )
    unlabelled = forms.MultipleChoiceField(
        choices=[("x", "X")],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cols", "hidden": False}),
    )


STATES = {
    "unbound": None,
    "chosen": {"one": "b", "several": ["a", "c"], "boxes": [NASTY, "3"], "radios": "3"},
    "invalid": {"one": "nope", "boxes": ["zzz"], "radios": NASTY},
}


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("field", list(Sample.base_fields))
def test_fast_widgets_give_djangos_markup(field: str, state: str) -> None:
    fast = Sample(STATES[state], renderer=FormRenderer(), auto_id="id_%s")
    slow = Sample(STATES[state], renderer=TemplatesSetting(), auto_id="id_%s")
    ours, djangos = str(fast[field].as_widget()), str(slow[field].as_widget())
    assert parse_html(ours) == parse_html(djangos)
    assert "<script>" not in ours


def test_every_fast_widget_is_covered() -> None:
    covered = {Sample.base_fields[name].widget.template_name for name in Sample.base_fields}
    assert set(FAST_WIDGETS) <= covered


def test_no_label_wrapping_falls_back_to_the_plain_input() -> None:
    widget = forms.CheckboxSelectMultiple(choices=[("x", "X")])
    widget.option_inherits_attrs = True
    fast = widget.render("pick", ["x"], attrs={"id": "p"}, renderer=FormRenderer())
    slow = widget.render("pick", ["x"], attrs={"id": "p"}, renderer=TemplatesSetting())
    assert parse_html(fast) == parse_html(slow)


def test_other_widgets_still_render_through_templates() -> None:
    widget = forms.TextInput()
    assert widget.render("name", NASTY, renderer=FormRenderer()) == widget.render(
        "name", NASTY, renderer=TemplatesSetting()
    )
